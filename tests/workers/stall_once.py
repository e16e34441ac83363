"""Imported only by the Celery worker that tests/test_killed_worker.py starts (``--include``):
the first export and the first erasure that reach this point stall, so that the test can
kill the worker in the middle; the task run after that goes straight through."""

import os
import pathlib
import time

from privacy import erasure, subject_data

STALL = os.environ.get("PLUFORM_TEST_STALL_FILE", "")


def _stall_once():
    if STALL and os.path.exists(STALL):
        os.remove(STALL)
        pathlib.Path(STALL + ".stalled").touch()
        time.sleep(120)


def _records(subject):
    _stall_once()
    yield {"note": "after the stall"}


subject_data.register(
    subject_data.Section(
        name="tests.stall",
        title="Stall",
        description="Stall",
        fields={"note": "Stall"},
        records=_records,
        provided=_records,
    )
)


def _inside_the_erasure(subject):
    _stall_once()
    return []


erasure.register(titles={}, records=_inside_the_erasure)
