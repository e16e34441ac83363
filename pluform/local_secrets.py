"""Secrets for local use only: generated once into a git-ignored file under var/."""

import base64
import json
import secrets
from pathlib import Path


def load_or_create(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PLUFORM_MASTER_KEYS": "local1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values
