"""Uploads are judged by content, limited in size, and images lose their metadata."""

import io
import struct
import uuid
import wave
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pluform.crypto import files
from pluform.uploads import CleanUpload, SafeFileField, validate_upload
from pluform.uploads.types import DOCX, ODS, ODT, PPTX, TYPES, XLSX
from pluform.uploads.validation import sanitise_name
from tests.crypto_support import new_master_key, use_ring
from tests.cryptoapp.models import Attachment

ALL_KINDS = ("image", "document", "audio", "video")


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _image(fmt, size=(40, 30), mode="RGB", **save):
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format=fmt, **save)
    return out.getvalue()


def _jpeg_with_gps_and_rotation():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° when shown
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}
    return _image("JPEG", size=(40, 20), exif=exif.tobytes())


def _zip(entries, first=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _ooxml(main_part, content_type):
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'
    )
    return _zip({"[Content_Types].xml": types, "_rels/.rels": "<r/>", main_part: "<x/>"})


def _wav():
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 800)
    return out.getvalue()


def _png_claiming(width, height):
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's calling card."""
    data = bytearray(_image("PNG", size=(1, 1)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


ACCEPTED = [
    ("photo.png", lambda: _image("PNG"), "image", "image/png"),
    ("photo.jpg", lambda: _image("JPEG"), "image", "image/jpeg"),
    ("anim.gif", lambda: _image("GIF"), "image", "image/gif"),
    ("photo.webp", lambda: _image("WEBP"), "image", "image/webp"),
    (
        "report.pdf",
        lambda: b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        "document",
        "application/pdf",
    ),
    (
        "notes.docx",
        lambda: _ooxml(
            "word/document.xml",
            DOCX.replace("document", "document.main+xml", 1)[:0]
            + "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        "document",
        DOCX,
    ),
    (
        "hours.xlsx",
        lambda: _ooxml(
            "xl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        "document",
        XLSX,
    ),
    (
        "slides.pptx",
        lambda: _ooxml(
            "ppt/presentation.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ),
        "document",
        PPTX,
    ),
    ("letter.odt", lambda: _zip({"content.xml": "<x/>"}, ("mimetype", ODT)), "document", ODT),
    ("sheet.ods", lambda: _zip({"content.xml": "<x/>"}, ("mimetype", ODS)), "document", ODS),
    ("diary.txt", lambda: b"Vandaag ging het beter.\n", "document", "text/plain"),
    (
        "voice.mp3",
        lambda: b"ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + b"\0" * 400,
        "audio",
        "audio/mpeg",
    ),
    (
        "voice.m4a",
        lambda: b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x08free",
        "audio",
        "audio/mp4",
    ),
    (
        "voice.ogg",
        lambda: (
            b"OggS\x00\x02"
            + b"\0" * 20
            + b"\x01\x1e\x01vorbis\x00\x00\x00\x00\x01\x44\xac\x00\x00"
            + b"\0" * 40
        ),
        "audio",
        "audio/ogg",
    ),
    ("voice.wav", _wav, "audio", "audio/wav"),
    (
        "clip.mp4",
        lambda: b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41\x00\x00\x00\x08free",
        "video",
        "video/mp4",
    ),
    (
        "clip.webm",
        lambda: (
            bytes.fromhex("1a45dfa3")
            + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
            + b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"
        ),
        "video",
        "video/webm",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "kind", "content_type"),
    ACCEPTED,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_allowed_types_are_recognised_by_content(name, make, kind, content_type):
    clean = validate_upload(_upload(name, make()), kinds=ALL_KINDS)
    assert isinstance(clean, CleanUpload)
    assert (clean.kind, clean.content_type, clean.original_name) == (kind, content_type, name)
    assert clean.size > 0


REFUSED = [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200),
    ("cute.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    (
        "macro.docx",
        _ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    ),
    ("archive.pdf", _zip({"a.txt": "x"})),
    ("script.txt", b"#!/bin/sh\nrm -rf /\n"),
]


@pytest.mark.parametrize(("name", "data"), REFUSED, ids=[r[0] for r in REFUSED])
def test_the_wrong_type_is_refused_whatever_its_name(name, data):
    with pytest.raises(ValidationError) as error:
        validate_upload(_upload(name, data, "application/pdf"), kinds=ALL_KINDS)
    assert error.value.code == "unsupported_type"
    assert "Allowed:" in error.value.messages[0]


def test_an_allowed_type_of_another_kind_is_refused():
    with pytest.raises(ValidationError, match="not allowed here"):
        validate_upload(_upload("photo.png", _image("PNG")), kinds=("document",))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(_upload("x.txt", b""))


def test_a_file_over_the_limit_of_its_kind_is_refused(settings):
    settings.PLUFORM_UPLOAD_LIMITS = {**settings.PLUFORM_UPLOAD_LIMITS, "document": 100}
    with pytest.raises(ValidationError, match=r"too large\. The limit is 100") as error:
        validate_upload(_upload("long.txt", b"a" * 101 + b"\n"), kinds=("image", "document"))
    assert error.value.code == "too_large"


def test_a_file_over_every_allowed_limit_is_refused_before_it_is_read(settings, monkeypatch):
    settings.PLUFORM_UPLOAD_LIMITS = dict.fromkeys(ALL_KINDS, 10)
    monkeypatch.setattr("pluform.uploads.validation.detect", pytest.fail)
    with pytest.raises(ValidationError, match="too large"):
        validate_upload(_upload("x.txt", b"x" * 11), kinds=ALL_KINDS)


def test_a_decompression_bomb_is_refused(settings):
    with pytest.raises(ValidationError) as error:
        validate_upload(_upload("bomb.png", _png_claiming(30_000, 30_000)), kinds=("image",))
    assert error.value.code == "image_too_large"


def test_an_image_over_the_configured_pixel_limit_is_refused(settings):
    settings.PLUFORM_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(ValidationError, match="too many pixels"):
        validate_upload(_upload("big.png", _image("PNG", size=(50, 50))), kinds=("image",))


def test_a_damaged_image_is_refused():
    data = _image("PNG")[:60]
    with pytest.raises(ValidationError) as error:
        validate_upload(_upload("broken.png", data), kinds=("image",))
    assert error.value.code == "invalid_image"


def test_images_are_re_encoded_without_exif_and_keep_their_orientation():
    clean = validate_upload(_upload("holiday.jpg", _jpeg_with_gps_and_rotation()), kinds=("image",))
    data = clean.file.read()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert image.size == (20, 40)
    assert clean.size == len(data)


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "MARKER-home-address")
    clean = validate_upload(_upload("a.png", _image("PNG", pnginfo=info)), kinds=("image",))
    assert b"MARKER" not in clean.file.read()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\eva\\dagboek.txt", "dagboek.txt"),
        ("rapport.exe", "rapport.txt"),
        ("no extension", "no_extension.txt"),
        ("\x00\x1b[31m.txt", "31m.txt"),
        ("..", "file.txt"),
        ("", "file.txt"),
        ("a" * 300 + ".txt", "a" * 96 + ".txt"),
    ],
)
def test_original_names_are_sanitised(given, expected):
    assert sanitise_name(given, TYPES["text/plain"]) == expected


def test_the_clean_upload_carries_the_sanitised_name():
    clean = validate_upload(_upload("../geheim/rapport.exe", b"plain text\n"))
    assert clean.original_name == "rapport.txt"


class _UploadForm(forms.Form):
    attachment = SafeFileField(kinds=("document",))


@pytest.mark.django_db
def test_a_valid_upload_through_the_form_is_stored_encrypted(settings):
    use_ring(settings, new_master_key("alpha"))
    form = _UploadForm(files={"attachment": _upload("plan.txt", b"Mijn plan\n")})
    assert form.is_valid(), form.errors
    clean = form.cleaned_data["attachment"]
    attachment = Attachment(coachee_uuid=uuid.uuid4())
    attachment.file = clean.file
    attachment.save()
    assert b"".join(files.iter_decrypted(attachment, "file")) == b"Mijn plan\n"


@pytest.mark.django_db
def test_a_refused_upload_re_renders_with_a_message_and_stores_nothing(settings):
    form = _UploadForm(files={"attachment": _upload("cv.pdf", b"MZ\x90\x00" + b"\0" * 100)})
    assert not form.is_valid()
    assert "not allowed here" in form.errors["attachment"][0]
    assert not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_form_field_tells_the_browser_what_it_accepts():
    html = str(_UploadForm()["attachment"])
    assert "application/pdf" in html and ".docx" in html and "image/png" not in html
