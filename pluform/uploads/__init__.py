"""Checked uploads: type by content, size per kind, images re-encoded without metadata."""

from pluform.uploads.forms import SafeFileField, SafeMultipleFileField
from pluform.uploads.validation import CleanUpload, validate_upload

__all__ = ["CleanUpload", "SafeFileField", "SafeMultipleFileField", "validate_upload"]
