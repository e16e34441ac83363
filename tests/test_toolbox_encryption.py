"""Toolbox content at rest: a coach's items under the coach's own key, a coachee's under the
coachee's data key; the stored file holds no plaintext and names the same key."""

import base64
import uuid

import pytest

from pluform.crypto.files import _HEADER
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope, owner_scope
from tests.factories.toolbox import file_item, link_item, wav_bytes
from toolbox.models import Item, ItemFile

pytestmark = pytest.mark.django_db

TITLE = "Titel Kwikstaart"
TAG = "label-Roodborst"
DESCRIPTION = "Omschrijving Merel"
URL = "https://example.org/Zilverreiger"


def _column_key(model, column, pk) -> uuid.UUID:
    """The key id named by the stored ciphertext of one column."""
    sealed = model.objects.filter(pk=pk).values_list(column, flat=True).get()
    return uuid.UUID(bytes=base64.b64decode(sealed)[1:17])


def _file_key(stored) -> uuid.UUID:
    with stored.storage.open(stored.name, "rb") as handle:
        header = handle.read(_HEADER.size)
    return uuid.UUID(bytes=_HEADER.unpack(header)[3])


def _scope_key(scope) -> uuid.UUID:
    return DataKey.objects.get(scope=scope).id


def test_a_coach_item_is_under_the_coach_own_key(coach):
    item = link_item(coach, URL, title=TITLE, tags=[TAG], description=DESCRIPTION)
    key = _scope_key(owner_scope(coach))
    for column in ("title", "tags", "description", "url"):
        assert _column_key(Item, column, item.pk) == key


def test_a_coachee_item_and_its_file_are_under_the_coachee_data_key(coachee, trajectory):
    item = file_item(coachee, "opname-Grutto.wav", wav_bytes(), title=TITLE)
    key = _scope_key(coachee_scope(coachee))
    assert _column_key(Item, "title", item.pk) == key
    assert _column_key(ItemFile, "original_name", item.upload.pk) == key
    assert _file_key(item.upload.file) == key


def test_the_stored_file_holds_no_plaintext(coach):
    data = wav_bytes()
    item = file_item(coach, "oefening.wav", data, title=TITLE)
    stored = item.upload.file
    with stored.storage.open(stored.name, "rb") as handle:
        raw = handle.read()
    assert data[:44] not in raw and data[1000:1100] not in raw
    assert b"oefening" not in stored.name.encode() and b"oefening" not in raw
