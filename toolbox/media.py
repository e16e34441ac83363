"""Small, real media files made on the spot: a spoken-exercise tone, a one-page PDF and an
image, for the demo data (and the tests)."""

import io
import math
import struct
import wave


def wav_tone(seconds: float = 2.0, rate: int = 8000, pitch: int = 440) -> bytes:
    """A mono sine tone as a WAV file: any browser plays and seeks it."""
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * pitch * i / rate)) for i in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return buffer.getvalue()


def _pdf_escape(text: str) -> bytes:
    return (
        text.encode("latin-1", "replace")
        .replace(b"\\", b"\\\\")
        .replace(b"(", b"\\(")
        .replace(b")", b"\\)")
    )


def pdf_page(lines: list[str]) -> bytes:
    """A one-page A4 PDF with these lines in Helvetica, with a correct cross-reference table."""
    text = (
        b"BT /F1 14 Tf 72 770 Td 20 TL "
        + b" ".join(b"(" + _pdf_escape(line) + b") '" for line in lines)
        + b" ET"
    )
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Length %d>>stream\n" % len(text) + text + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def png_image(width: int = 320, height: int = 200, colour=(46, 108, 128)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (246, 244, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 6, 3 * width // 4, 5 * height // 6), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
