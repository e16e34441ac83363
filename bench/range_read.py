"""Seeking in a large encrypted file: a Range request decrypts only the chunks it covers.

Run: .venv/bin/python bench/range_read.py [--size-mb 1024] [--rounds 25] [--json PATH]
(`make bench` runs it too, through bench/run.py --range-size-mb.)

Creates an encrypted file (1 GiB by default) in a temporary local storage, then measures
in this process, rounds interleaved: the time to first byte of a 64 KiB range at the middle
of the file, of the same range at its start (the reference), and of the whole-file response,
all through ``encrypted_file_response`` with a request; and how long the whole-file stream
takes to reach the middle (what a seek costs without ranges). Then the peak memory while
serving the middle range and while streaming the whole file: resident memory above rest
(VmHWM) and Python's own allocations (tracemalloc). The file is in the page cache (it was
just written), so the figures are decryption and bookkeeping, not disk seeks.
"""

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
import tracemalloc
import uuid

from _setup import cached_key, cleanup, setup
from stream_memory import MB, reset_peak, rss_mb

KIB = 1024
RANGE = 64 * KIB
RATIO_LIMIT = 3.0  # the middle range may take at most this many times the start's
MEMORY_LIMIT_MB = 100


class RandomSource:
    """``size`` random bytes, read once, hashed; keeps a copy of the spans to check later."""

    def __init__(self, size, spans):
        self.size, self.position = size, 0
        self.digest = hashlib.sha256()
        self.kept = {span: bytearray() for span in spans}

    def seek(self, offset, whence=0):
        if offset or whence or self.position:
            raise OSError("a random source is read once, from the start")

    def read(self, size=-1):
        left = self.size - self.position
        size = left if size is None or size < 0 else min(size, left)
        data = os.urandom(size)
        self.digest.update(data)
        for (start, stop), kept in self.kept.items():
            low, high = max(start, self.position), min(stop, self.position + size)
            if low < high:
                kept += data[low - self.position : high - self.position]
        self.position += size
        return data


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB (1024)")
    parser.add_argument("--rounds", type=int, default=25, help="timed rounds (25)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.size_mb < 1 or args.rounds < 1:
        parser.error("--size-mb and --rounds must be at least 1")
    return args


def main(args) -> bool:
    setup()
    from django.core.files import File
    from django.test import RequestFactory

    from pluform.crypto import files
    from pluform.crypto.streaming import encrypted_file_response
    from tests.cryptoapp.models import Attachment

    size = args.size_mb * MB
    middle = min(size // 2, max(0, size - RANGE))
    spans = {"middle": (middle, min(size, middle + RANGE)), "start": (0, min(size, RANGE))}
    attachment = Attachment(coachee_uuid=uuid.uuid4())
    cached_key(attachment.encryption_scope())
    source = RandomSource(size, spans.values())
    began = time.perf_counter()
    attachment.file.save("upload", File(source, name="upload"), save=False)
    created = time.perf_counter() - began
    expected = {name: bytes(source.kept[span]) for name, span in spans.items()}
    factory = RequestFactory()

    def respond(header=None):
        request = factory.get("/", headers={"Range": header} if header else {})
        return encrypted_file_response(
            attachment,
            "file",
            filename="video.mp4",
            content_type="video/mp4",
            inline=True,
            request=request,
        )

    def first_byte(header=None, check=None) -> float:
        began = time.perf_counter()
        response = respond(header)
        pieces = iter(response.streaming_content)
        first = next(pieces)
        elapsed = time.perf_counter() - began
        if check is not None:
            assert response.status_code == 206, response.status_code
            assert first + b"".join(pieces) == expected[check], f"{check} range differs"
        response.close()
        return elapsed

    def ranged(name):
        start, stop = spans[name]
        return f"bytes={start}-{stop - 1}"

    def reaching_middle() -> float:
        began = time.perf_counter()
        response, sent = respond(), 0
        for piece in response.streaming_content:
            sent += len(piece)
            if sent > middle:
                break
        elapsed = time.perf_counter() - began
        response.close()
        return elapsed

    timed = {"middle": [], "start": [], "whole": []}
    for round_number in range(args.rounds + 3):  # three rounds warm up
        figures = {
            "middle": first_byte(ranged("middle"), check="middle"),
            "start": first_byte(ranged("start"), check="start"),
            "whole": first_byte(),
        }
        if round_number >= 3:
            for name, value in figures.items():
                timed[name].append(value)
    median = {name: statistics.median(values) * 1000 for name, values in timed.items()}
    best = {name: min(values) * 1000 for name, values in timed.items()}
    to_middle = statistics.median(reaching_middle() for _ in range(3)) * 1000

    at_rest = rss_mb()

    def drain(response) -> tuple[int, bytes]:
        digest, sent = hashlib.sha256(), 0
        for piece in response.streaming_content:
            digest.update(piece)
            sent += len(piece)
        response.close()
        return sent, digest.digest()

    reset_peak()
    sent, _ = drain(respond(ranged("middle")))
    peak_range = rss_mb("VmHWM") - at_rest
    assert sent == spans["middle"][1] - spans["middle"][0]
    reset_peak()
    began = time.perf_counter()
    sent, digest = drain(respond())
    streamed = time.perf_counter() - began
    peak_whole = rss_mb("VmHWM") - at_rest
    assert sent == size and digest == source.digest.digest(), "whole file differs"

    tracemalloc.start()
    drain(respond(ranged("middle")))
    traced_range = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.reset_peak()
    drain(respond())
    traced_whole = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()

    ratio = median["middle"] / median["start"]
    ok = ratio < RATIO_LIMIT and max(peak_range, peak_whole) < MEMORY_LIMIT_MB
    chunks = -(-size // files.CHUNK_SIZE)
    print(
        f"File: {args.size_mb} MB in {chunks} chunks of {files.CHUNK_SIZE // KIB} KiB,"
        f" encrypted + stored in {created:.1f} s; resident memory at rest: {at_rest:.1f} MB"
    )
    print(f"  time to first byte, median (best) of {args.rounds} rounds:")
    print(f"    64 KiB range at the middle:  {median['middle']:7.3f} ms ({best['middle']:.3f})")
    print(f"    64 KiB range at the start:   {median['start']:7.3f} ms ({best['start']:.3f})")
    print(f"    whole file, first byte:      {median['whole']:7.3f} ms ({best['whole']:.3f})")
    print(
        f"    middle range / start range: {ratio:5.2f} (limit {RATIO_LIMIT:.0f});"
        f" / whole file's first byte: {median['middle'] / median['whole']:5.2f}"
    )
    print(
        f"    whole file until the middle: {to_middle:7.1f} ms"
        f" (a seek without ranges: {to_middle / median['middle']:.0f}x the middle range)"
    )
    print(
        f"  serve the middle range: peak {peak_range:+6.1f} MB over rest,"
        f" Python allocations {traced_range:5.2f} MB"
    )
    print(
        f"  stream the whole file:  peak {peak_whole:+6.1f} MB over rest,"
        f" Python allocations {traced_whole:5.2f} MB; {streamed:.2f} s"
        f" ({size / MB / streamed:.0f} MB/s)"
    )
    print(f"  verdict: {'OK' if ok else 'TOO SLOW OR TOO LARGE'}")
    if args.json:
        figures = {
            "size_mb": args.size_mb,
            "chunks": chunks,
            "rounds": args.rounds,
            "create_s": created,
            "ttfb_ms": {"median": median, "best": best},
            "middle_vs_start": ratio,
            "middle_vs_whole_first_byte": median["middle"] / median["whole"],
            "whole_until_middle_ms": to_middle,
            "rest_mb": at_rest,
            "peak_over_rest_mb": {"middle_range": peak_range, "whole_file": peak_whole},
            "tracemalloc_peak_mb": {"middle_range": traced_range, "whole_file": traced_whole},
            "whole_file_s": streamed,
            "ok": ok,
        }
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
    return ok


if __name__ == "__main__":
    try:
        ok = main(arguments(sys.argv[1:]))
    finally:
        cleanup()
    sys.exit(0 if ok else 1)
