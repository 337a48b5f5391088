"""Filled instance → print model → HTML.

The print model is a plain value: everything a printed copy shows, already turned into
display texts. The caller builds it (``app.exports.print_model`` reads the instance, its
history and attachments); this module only shapes and renders it, and runs no query. Its fingerprint (sha256 over a canonical serialisation of that content, the
print date and the verification URL left out) goes into the QR code; the verification page
rebuilds the model from the current content and compares fingerprints, so a copy printed
before the content changed no longer matches.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

VERIFY_PATH = "/verify/<int:serial>/<fingerprint>"


@dataclass(frozen=True)
class PrintItem:
    kind: str                                   # field | wide | rows | section
    label: str
    value: str = ""                             # field value or section text
    columns: tuple[str, ...] = ()               # rows: column labels
    rows: tuple[tuple[str, ...], ...] = ()      # rows: display texts in column order
    files: tuple[tuple[str, str], ...] = ()     # file fields: (token, filename), linked on screen


@dataclass(frozen=True)
class Approval:
    step: str
    action: str
    opinion: str
    user: str
    at: str


@dataclass(frozen=True)
class PrintModel:
    title: str
    service: str
    serial: int
    status: str
    applicant: str
    department: str
    submitted: str
    items: tuple[PrintItem, ...]
    approvals: tuple[Approval, ...]
    hidden: tuple[str, ...] = ()                # left out for this viewer; not printed
    masked: bool = False                        # sensitive values (ID numbers) printed masked
    fingerprint: str = ""
    printed_at: str = ""
    verify_url: str = ""

    def content(self) -> dict:
        """What the paper shows, minus the print date and the QR code itself."""
        data = asdict(self)
        for key in ("hidden", "masked", "fingerprint", "printed_at", "verify_url"):
            data.pop(key)
        for item in data["items"]:
            item.pop("files")               # download links, not content (the value names them)
        return data


def fingerprint(model: PrintModel) -> str:
    canonical = json.dumps(model.content(), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify_path(serial: int, fp: str) -> str:
    return f"/verify/{serial}/{fp}"


# ---------------------------------------------------------------- HTML

@dataclass(frozen=True)
class QRCode:
    """A QR code as data for the template's inline SVG: its side in modules (with the quiet
    zone) and one path of unit squares — no markup built here, nothing to fetch."""
    size: int
    path: str


def qr_code(url: str, border: int = 2) -> QRCode:
    import segno
    rows = list(segno.make(url, error="m").matrix_iter(scale=1, border=border))
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(rows)
                   for x, dark in enumerate(row) if dark)
    return QRCode(size=len(rows), path=path)


def qr_png(url: str) -> bytes:
    import io

    import segno
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def print_html(model: PrintModel, *, toolbar: dict | None = None) -> str:
    """The print page: the same HTML serves the browser (its @media print) and WeasyPrint.

    ``toolbar`` (links for the screen only) is left out of PDFs.
    """
    from flask import render_template
    return render_template("print/instance.html", m=model, qr=qr_code(model.verify_url),
                           toolbar=toolbar)
