"""Toolbox items made through the services, as a person would make them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pluform.uploads import validate_upload
from toolbox import media, services

PDF_BYTES = media.pdf_page(["Werkblad"])


def wav_bytes(seconds: float = 2.0, rate: int = 8000) -> bytes:
    return media.wav_tone(seconds=seconds, rate=rate)


def png_bytes() -> bytes:
    return media.png_image(8, 8)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def file_item(owner, name="werkblad.pdf", data=PDF_BYTES, *, title="Werkblad", **options):
    checked = validate_upload(upload(name, data), kinds=("image", "document", "audio", "video"))
    return services.add_item(owner, upload=checked, title=title, **options)


def link_item(owner, url="https://example.org/artikel", *, title="Artikel", **options):
    return services.add_item(owner, url=url, title=title, **options)


def share(item, recipients, by=None):
    return services.share([item], list(recipients), by=by or item.owner)
