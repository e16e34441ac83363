"""Re-encode an uploaded image with Pillow: metadata (EXIF, GPS, comments) is left behind."""

import tempfile
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What an image needs to look the same; everything else in ``info`` is dropped.
_KEEP_INFO = ("transparency", "duration", "loop", "background")


def _too_large():
    return ValidationError(
        _("This image has too many pixels to process safely. Use a smaller image."),
        code="image_too_large",
    )


def reencode(upload, file_type) -> tuple[File, int]:
    upload.seek(0)
    max_pixels = settings.PLUFORM_MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=[file_type.pillow_format]) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if width * height * frames > max_pixels:
                    raise _too_large()
                return _save_clean(image, file_type, frames)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(
                _("This image could not be read. It may be damaged."), code="invalid_image"
            ) from None


def _save_clean(image, file_type, frames):
    image.load()
    animated = frames > 1 and file_type.pillow_format in ("GIF", "WEBP")
    if file_type.pillow_format == "JPEG":
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    kept = {key: image.info[key] for key in _KEEP_INFO if key in image.info}
    image.info = kept
    options = {"quality": 90} if file_type.pillow_format in ("JPEG", "WEBP") else {}
    if animated:
        options["save_all"] = True
    output = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    image.save(output, format=file_type.pillow_format, **options)
    size = output.tell()
    output.seek(0)
    return File(output, name=f"image.{file_type.extensions[0]}"), size
