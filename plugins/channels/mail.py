"""邮件 over SMTP (MAIL_SERVER, MAIL_PORT, MAIL_FROM, optional MAIL_USERNAME/MAIL_PASSWORD,
MAIL_USE_TLS for STARTTLS). With an empty MAIL_SERVER the message is only logged."""
import logging
import smtplib
from email.message import EmailMessage

from plugins.channels import Channel, ChannelError, register

log = logging.getLogger(__name__)


def header_value(text) -> str:
    """A header holds one line: CR, LF and other control characters become spaces (the email
    package refuses a header with CR/LF, so such a message could never be sent)."""
    cleaned = "".join(c if c.isprintable() else " " for c in str(text or ""))
    return " ".join(cleaned.split())


@register
class Email(Channel):
    name = "email"
    label = "电子邮件"
    default_on = True

    def address(self, recipient):
        return recipient.email or ""

    def send(self, address, message, config):
        mail = EmailMessage()
        mail["Subject"] = header_value(message.subject)
        mail["From"] = header_value(config.get("MAIL_FROM") or "onehall@localhost")
        mail["To"] = header_value(address)
        mail.set_content(f"{message.text}\n\n{message.link}\n")
        server = config.get("MAIL_SERVER")
        if not server:
            log.info("MAIL_SERVER is empty; email to %s not sent: %s", address, message.subject)
            return
        try:
            with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25), timeout=15) as smtp:
                if str(config.get("MAIL_USE_TLS") or "").lower() in ("1", "true", "yes", "on"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as e:
            raise ChannelError(f"SMTP {server}: {e}") from e
