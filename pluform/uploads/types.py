"""The allow-list: which file types each kind of upload accepts, recognised by content."""

import zipfile
from dataclasses import dataclass

import magic
from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extensions: tuple[str, ...]
    pillow_format: str = ""


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

TYPES = {
    "image/png": FileType("image", "image/png", ("png",), "PNG"),
    "image/jpeg": FileType("image", "image/jpeg", ("jpg", "jpeg"), "JPEG"),
    "image/gif": FileType("image", "image/gif", ("gif",), "GIF"),
    "image/webp": FileType("image", "image/webp", ("webp",), "WEBP"),
    "application/pdf": FileType("document", "application/pdf", ("pdf",)),
    DOCX: FileType("document", DOCX, ("docx",)),
    XLSX: FileType("document", XLSX, ("xlsx",)),
    PPTX: FileType("document", PPTX, ("pptx",)),
    ODT: FileType("document", ODT, ("odt",)),
    ODS: FileType("document", ODS, ("ods",)),
    "text/plain": FileType("document", "text/plain", ("txt", "text", "md", "csv")),
    "audio/mpeg": FileType("audio", "audio/mpeg", ("mp3",)),
    "audio/mp4": FileType("audio", "audio/mp4", ("m4a",)),
    "audio/ogg": FileType("audio", "audio/ogg", ("ogg", "oga")),
    "audio/wav": FileType("audio", "audio/wav", ("wav",)),
    "video/mp4": FileType("video", "video/mp4", ("mp4", "m4v")),
    "video/webm": FileType("video", "video/webm", ("webm",)),
}

# Other names libmagic uses for the same formats.
ALIASES = {
    "audio/x-m4a": "audio/mp4",
    "audio/x-wav": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/wave": "audio/wav",
    "video/x-m4v": "video/mp4",
    "application/ogg": "audio/ogg",
}

KIND_LABELS = {
    "image": _("images (PNG, JPEG, GIF, WebP)"),
    "document": _("documents (PDF, Word, Excel, PowerPoint, OpenDocument, plain text)"),
    "audio": _("audio (MP3, M4A, Ogg, WAV)"),
    "video": _("video (MP4, WebM)"),
}
KINDS = tuple(KIND_LABELS)

# Zip-based office files: the main part's content type in [Content_Types].xml.
_OOXML_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_ODF_TYPES = {ODT, ODS}


def _inspect_zip(upload) -> str:
    """Office documents are zip files: tell them apart by their declared parts."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else "application/zip"
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    manifest = entry.read(1024 * 1024)
                for content_type, main_part in _OOXML_MAIN_PARTS.items():
                    if b'ContentType="' + main_part + b'"' in manifest:
                        return content_type
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return "application/octet-stream"
    return "application/zip"


def detect(upload) -> FileType | None:
    """The allowed type of ``upload`` judged by its bytes (never by its name), or None."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    if head.startswith(b"PK\x03\x04"):
        mime = _inspect_zip(upload)
        upload.seek(0)
    return TYPES.get(ALIASES.get(mime, mime))


def accept_attribute(kinds) -> str:
    chosen = [t for t in TYPES.values() if t.kind in kinds]
    return ",".join(
        sorted({t.content_type for t in chosen} | {f".{e}" for t in chosen for e in t.extensions})
    )
