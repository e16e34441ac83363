"""Peak memory while a 200 MB file goes through encrypted storage and the streaming response.

Run: .venv/bin/python bench/stream_memory.py [size in MB]
Reports the process's peak resident memory above its resident memory at rest (after
Django is loaded and the source file is on disk); the target is < 100 MB more.
"""

import hashlib
import os
import resource
import sys
import time
import uuid

from _setup import SCRATCH, cached_key, cleanup, setup

MB = 1024 * 1024


def rss_mb(field="VmRSS") -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak():
    """Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current RSS."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def write_source(path, size) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for _ in range(size // MB):
            block = os.urandom(MB)
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def main(size_mb: int):
    setup()
    from django.core.files import File

    from pluform.crypto.streaming import encrypted_file_response
    from tests.cryptoapp.models import Attachment

    source = SCRATCH / "source.bin"
    expected = write_source(source, size_mb * MB)
    attachment = Attachment(coachee_uuid=uuid.uuid4())
    cached_key(attachment.encryption_scope())

    at_rest = rss_mb()
    reset_peak()

    start = time.perf_counter()
    with open(source, "rb") as handle:
        attachment.file.save("upload", File(handle), save=False)
    stored = time.perf_counter() - start
    peak_store = rss_mb("VmHWM") - at_rest
    source.unlink()

    reset_peak()
    start = time.perf_counter()
    response = encrypted_file_response(
        attachment, "file", filename="video.mp4", content_type="video/mp4"
    )
    digest, sent = hashlib.sha256(), 0
    for piece in response.streaming_content:
        digest.update(piece)
        sent += len(piece)
    response.close()
    streamed = time.perf_counter() - start
    peak_stream = rss_mb("VmHWM") - at_rest

    assert digest.hexdigest() == expected, "streamed plaintext differs from the source"
    assert sent == int(response["Content-Length"]) == size_mb * MB
    print(f"File: {size_mb} MB; resident memory at rest: {at_rest:.1f} MB")
    print(f"  encrypt + store:   {stored:5.2f} s, peak {peak_store:+6.1f} MB over rest")
    print(f"  stream + decrypt:  {streamed:5.2f} s, peak {peak_stream:+6.1f} MB over rest")
    worst = max(peak_store, peak_stream)
    verdict = "OK" if worst < 100 else "TOO HIGH"
    print(f"  worst peak over rest: {worst:+.1f} MB (limit +100 MB): {verdict}")
    return worst < 100


if __name__ == "__main__":
    try:
        ok = main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    finally:
        cleanup()
    sys.exit(0 if ok else 1)
