"""validate_upload: the one gate every uploaded file passes before it is stored."""

import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from pluform.uploads import images
from pluform.uploads.types import KIND_LABELS, KINDS, detect

NAME_MAX = 100


@dataclass
class CleanUpload:
    file: File
    content_type: str
    kind: str
    original_name: str
    size: int


def _allowed(kinds) -> str:
    return ", ".join(str(KIND_LABELS[kind]) for kind in kinds)


def _too_large(limit):
    return ValidationError(
        _("This file is too large. The limit is %(limit)s."),
        code="too_large",
        params={"limit": filesizeformat(limit)},
    )


def sanitise_name(name, file_type) -> str:
    """The original name without path, control characters or a misleading extension."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension.lower()
    if extension not in file_type.extensions:
        extension = file_type.extensions[0]
    stem = stem.strip(" .")[: NAME_MAX - len(extension) - 1]
    try:
        return get_valid_filename(f"{stem or 'file'}.{extension}")
    except SuspiciousFileOperation:
        return f"file.{extension}"


def validate_upload(uploaded_file, kinds=("image", "document")) -> CleanUpload:
    """Check an uploaded file by its content; raise ValidationError with a clear message.

    Returns a CleanUpload whose ``file`` is ready to assign to an EncryptedFileField:
    images are re-encoded (metadata dropped), other files are passed on unchanged.
    """
    kinds = tuple(kinds)
    if not kinds or set(kinds) - set(KINDS):
        raise ValueError(f"kinds must be a selection of {KINDS}")
    limits = settings.PLUFORM_UPLOAD_LIMITS
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max(limits[kind] for kind in kinds):
        raise _too_large(max(limits[kind] for kind in kinds))
    file_type = detect(uploaded_file)
    if file_type is None or file_type.kind not in kinds:
        raise ValidationError(
            _("This type of file is not allowed here. Allowed: %(allowed)s."),
            code="unsupported_type",
            params={"allowed": _allowed(kinds)},
        )
    if size > limits[file_type.kind]:
        raise _too_large(limits[file_type.kind])
    if file_type.kind == "image":
        clean_file, size = images.reencode(uploaded_file, file_type)
    else:
        uploaded_file.seek(0)
        clean_file = uploaded_file
    return CleanUpload(
        file=clean_file,
        content_type=file_type.content_type,
        kind=file_type.kind,
        original_name=sanitise_name(uploaded_file.name, file_type),
        size=size,
    )
