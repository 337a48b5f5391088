"""What an upload must pass before any parser sees it: size, kind, macros, encryption and
zip bombs (uncompressed sizes read from the zip directory, nothing inflated)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile

from app.paper.errors import PaperError

MAX_BYTES = 10 * 1024 * 1024              # the upload itself
MAX_UNPACKED = 100 * 1024 * 1024          # all parts, uncompressed
MAX_RATIO = 100                           # uncompressed / compressed, per part
MAX_PARTS = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {".docx": "docx", ".xlsx": "xlsx"}
OLD = {".doc": ".docx", ".xls": ".xlsx"}
MACRO = (".docm", ".xlsm", ".dotm", ".xltm", ".xlsb")

NOT_OFFICE = "只能导入 Word（.docx）或 Excel（.xlsx）文件"
TOO_BIG = "文件超过 10 MB，请删去图片等内容后再导入"
ENCRYPTED = "文件已加密（设置了打开密码），请取消密码后再导入"
MACROS = "文件含有宏（.docm / .xlsm），请另存为不含宏的 .docx / .xlsx 后再导入"
BOMB = "文件解压后过大或结构异常，无法导入"
DAMAGED = "文件已损坏或不是有效的 Word / Excel 文件"


def extension(filename: str) -> str:
    return os.path.splitext((filename or "").lower())[1]


def check_upload(filename: str, data: bytes) -> tuple[str, bytes]:
    """(kind, data) of an upload we may parse: "docx" or "xlsx", and its bytes (a .doc / .xls
    converted through LibreOffice when ``soffice`` is installed); else PaperError."""
    ext = extension(filename)
    if len(data) > MAX_BYTES:
        raise PaperError(TOO_BIG)
    if ext in MACRO:
        raise PaperError(MACROS)
    if data[:8] == OLE_MAGIC:
        if _encrypted(data):
            raise PaperError(ENCRYPTED)
        if ext in OLD:
            return KINDS[OLD[ext]], convert(data, ext)
        raise PaperError(NOT_OFFICE)
    if ext in OLD:                      # an old name on something else
        raise PaperError(NOT_OFFICE)
    if ext not in KINDS or data[:4] != b"PK\x03\x04":
        raise PaperError(NOT_OFFICE)
    kind = _zip_kind(data)
    if kind != KINDS[ext]:
        raise PaperError(NOT_OFFICE)
    return kind, data


def _encrypted(data: bytes) -> bool:
    """An OLE compound file holding an encrypted OOXML package (what Office writes when a
    password protects a .docx / .xlsx): its directory names the stream EncryptedPackage."""
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PaperError(DAMAGED)
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise PaperError(BOMB)
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PaperError(BOMB)
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") for n in names) or _macro_content_type(archive, names):
        raise PaperError(MACROS)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise PaperError(NOT_OFFICE)


def _macro_content_type(archive, names) -> bool:
    if "[Content_Types].xml" not in names:
        return False
    text = archive.read("[Content_Types].xml")[:200000].decode("utf-8", "replace")
    return "macroEnabled" in text or "vbaProject" in text


def convert(data: bytes, ext: str) -> bytes:
    """A .doc / .xls converted to .docx / .xlsx by LibreOffice (headless, no macros run,
    a throw-away profile); without ``soffice``: ask the admin to save it as the new format."""
    target = OLD[ext]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PaperError(f"请用 Word / Excel 将文件另存为 {target} 后再导入")
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "form" + ext)
        with open(source, "wb") as handle:
            handle.write(data)
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--norestore", "--convert-to", target[1:], "--outdir", tmp, source],
                           check=True, timeout=60, capture_output=True)
            with open(os.path.join(tmp, "form" + target), "rb") as handle:
                converted = handle.read()
        except (OSError, subprocess.SubprocessError):
            raise PaperError(f"无法转换此文件，请用 Word / Excel 将其另存为 {target} 后再导入")
    return check_upload("form" + target, converted)[1]
