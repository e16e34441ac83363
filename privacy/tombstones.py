"""Tombstones: that someone was erased, kept where a restored database does not reach.

Two copies, each holding only the person's random id and the time: a row beside the data keys
(``ErasureTombstone``, in the keys database when ``KEYS_DATABASE_URL`` is set, with its own
backups) and an object in the file storage under ``tombstones/``. A restore of the content
database brings neither back, so ``replay_erasures`` finds everyone erased since the backup.
"""

import datetime
import json
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from pluform.crypto.models import ErasureTombstone

FOLDER = "tombstones"


def _name(subject_uuid) -> str:
    return f"{FOLDER}/{subject_uuid}.json"


def lay(subject_uuid, at=None) -> bool:
    """Records the erasure of ``subject_uuid`` in both places; repeating it changes nothing.
    Returns whether this call laid it (there was none before)."""
    at = at or timezone.now()
    _row, created = ErasureTombstone.objects.get_or_create(
        subject_uuid=subject_uuid, defaults={"erased_at": at}
    )
    name = _name(subject_uuid)
    if not default_storage.exists(name):
        body = {"subject": str(subject_uuid), "erased_at": at.isoformat()}
        default_storage.save(name, ContentFile(json.dumps(body).encode()))
    return created


def remove(subject_uuid) -> None:
    """Only for the tombstone of an erasure that did not happen (its transaction failed),
    laid by that same erasure."""
    ErasureTombstone.objects.filter(subject_uuid=subject_uuid).delete()
    default_storage.delete(_name(subject_uuid))


def _from_storage() -> dict[uuid.UUID, datetime.datetime]:
    found = {}
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return found
    for name in names:
        if not name.endswith(".json"):
            continue
        with default_storage.open(f"{FOLDER}/{name}") as stored:
            body = json.loads(stored.read())
        found[uuid.UUID(body["subject"])] = datetime.datetime.fromisoformat(body["erased_at"])
    return found


def erased_since(moment=None) -> dict[uuid.UUID, datetime.datetime]:
    """Every tombstone (both copies together), or those laid after ``moment``."""
    found = _from_storage()
    for row in ErasureTombstone.objects.all().iterator(chunk_size=1000):
        found.setdefault(row.subject_uuid, row.erased_at)
    if moment is not None:
        found = {subject: at for subject, at in found.items() if at >= moment}
    return found
