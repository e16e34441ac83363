"""Shared setup for the crypto benchmarks: Django with a scratch media folder, no database.

Data keys are placed in the per-unit-of-work cache, as they are after the first read in a
request, so the figures measure encryption, not the one key lookup per request.
"""

import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="pluform-bench-"))


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pluform.settings")
    os.environ["PLUFORM_TESTING"] = "1"  # installs tests.cryptoapp, whose models we use
    os.environ["PLUFORM_VAR_DIR"] = str(SCRATCH)
    os.environ["MEDIA_ROOT"] = str(SCRATCH / "media")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def cached_key(scope: str):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from pluform.crypto import datakeys

    key_id = uuid.uuid4()
    entry = (key_id, AESGCM(AESGCM.generate_key(bit_length=256)))
    cache = datakeys._cached()
    cache[scope] = cache[key_id] = cache[key_id.bytes] = entry
    return entry


def cleanup():
    import shutil

    shutil.rmtree(SCRATCH, ignore_errors=True)
