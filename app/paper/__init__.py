"""Paper forms in (从纸质表单导入): a department's Word or Excel form → a draft definition.

    check_upload(filename, data)  → "docx" | "xlsx" (or PaperError with one Chinese message)
    read_blocks(kind, data)       → the document as blocks: title, paragraphs, tables of cells
    read_document(filename, data, departments=…, department=…) → Reading(definition, guesses, blocks)

Nothing here imports Flask or touches the database: the caller passes the directory's
department names. Parsing never runs macros and follows no external relationship.
"""
from app.paper.errors import PaperError
from app.paper.reading import Reading, read_blocks, read_document
from app.paper.safety import check_upload

__all__ = ["PaperError", "Reading", "check_upload", "read_blocks", "read_document"]
