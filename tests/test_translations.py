"""The Dutch and English catalogues are complete and up to date with the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pluform", "accounts", "dialogue", "interventions", "toolbox", "dossier", "privacy"]


def _catalogue(language):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_message_is_translated(language):
    catalogue = _catalogue(language)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not (all(message.string) if message.pluralizable else message.string))
    ]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the sources adds nothing that the catalogue lacks."""
    for name in [*SOURCES, "templates", "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    before = {m.id for m in _catalogue("nl") if m.id}
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PLUFORM_", "DJANGO_"))}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env={**environment, "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
        timeout=120,
    )
    with open(tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po", "rb") as handle:
        after = {m.id for m in read_po(handle) if m.id}
    missing = sorted(str(m) for m in after - before)
    assert not missing, f"strings missing from the catalogues: {missing[:15]}"
