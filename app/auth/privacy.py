"""ID card numbers never reach a log: every log record is masked as it is made.

A ``logging.Filter`` would only see records of the logger (or handler) it is attached to;
werkzeug's access log, the app logger and libraries all log on their own, so the masking is
installed in the log-record factory, which every logger goes through. ``IdCardFilter`` does
the same for a handler configured by the deployer (``logging.config`` can name it).
"""
import logging
import sys

from app.people.idcards import mask_id_numbers

_installed = False


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:                     # a bad format string: the handler reports it later
        return record
    masked = mask_id_numbers(message)
    if masked != message:
        record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_id_numbers(record.exc_text)
    return record


class IdCardFilter(logging.Filter):
    def filter(self, record):
        mask_record(record)
        return True


def install_log_masking() -> None:
    """Wrap the record factory once per process (create_app may run many times in tests)."""
    global _installed
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        return mask_record(make(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


def setup_onehall_logger() -> None:
    """INFO from ``onehall.*`` (e.g. the ``log`` SMS gateway) reaches stderr by default."""
    logger = logging.getLogger("onehall")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
