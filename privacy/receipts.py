"""Erasure receipts as people read them: the subject's copy (the manifest with their name
and address, given once, never stored) and the lines the pages show."""

import json
from collections import Counter

from privacy import erasure


def rows(counts: dict) -> list[tuple[str, int]]:
    """(class of data, how many), by name: a receipt's or a plan's counts. Classes with the
    same name (the several kinds of access rights) are one row."""
    by_title = Counter()
    for label, count in counts.items():
        by_title[erasure.class_title(label)] += count
    return sorted(by_title.items(), key=lambda row: row[0].casefold())


def file_name(done) -> str:
    return f"pluform-erasure-receipt-{done.uuid}.json"


def subject_copy(done, *, name: str, email: str) -> bytes:
    """The IT administrator's manifest, its SHA-256, and whose erasure it certifies. Anyone can
    check the hash: SHA-256 over the manifest as JSON (keys sorted, indent 2, newline)."""
    body = {
        "erased_person": {"name": name, "email": email},
        "manifest": done.manifest(),
        "manifest_sha256": done.manifest_sha256,
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode() + b"\n"
