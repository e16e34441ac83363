"""Data keys: created per scope, wrapped by the master key ring, cached per unit of work.

The cache lives in a context variable that the request middleware and the Celery task
signals reset, so a destroyed key stops working at the next request or task at the latest.
"""

import os
import uuid
from contextvars import ContextVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, transaction
from django.utils import timezone

from pluform.crypto.errors import DataKeyDestroyed, DataKeyMissing, WrongMasterKey
from pluform.crypto.keyring import master_keys
from pluform.crypto.models import DataKey

_cache: ContextVar[dict | None] = ContextVar("pluform_data_keys", default=None)


def reset_cache():
    _cache.set({})


def _cached() -> dict:
    cache = _cache.get()
    if cache is None:
        cache = {}
        _cache.set(cache)
    return cache


def _aad(key_id: uuid.UUID) -> bytes:
    return b"pluform-datakey:" + str(key_id).encode()


def wrap(key_id: uuid.UUID, raw: bytes) -> tuple[str, bytes]:
    ring = master_keys()
    nonce = os.urandom(12)
    return ring.current_id, nonce + ring.get(ring.current_id).encrypt(nonce, raw, _aad(key_id))


def unwrap(row: DataKey) -> bytes:
    if row.destroyed_at is not None or not row.wrapped:
        raise DataKeyDestroyed(row.id)
    blob = bytes(row.wrapped)
    master = master_keys().get(row.master_key_id)
    try:
        return master.decrypt(blob[:12], blob[12:], _aad(row.id))
    except InvalidTag:
        raise WrongMasterKey(row.master_key_id, row.id) from None


def key_for_scope(scope: str) -> tuple[uuid.UUID, AESGCM]:
    """The data key that encrypts new content of ``scope``, created on first use."""
    cache = _cached()
    if scope in cache:
        return cache[scope]
    row = DataKey.objects.filter(scope=scope).first()
    if row is None:
        key_id = uuid.uuid4()
        master_id, wrapped = wrap(key_id, AESGCM.generate_key(bit_length=256))
        try:
            with transaction.atomic(using=DataKey.objects.db):
                row = DataKey.objects.create(
                    id=key_id, scope=scope, master_key_id=master_id, wrapped=wrapped
                )
        except IntegrityError:
            row = DataKey.objects.get(scope=scope)
    entry = (row.id, AESGCM(unwrap(row)))
    cache[scope] = cache[row.id] = cache[row.id.bytes] = entry
    return entry


def preload(scopes) -> None:
    """Loads the keys of many scopes in one query: a list whose rows use many keys.

    Scopes without a key, or whose key was destroyed, are left out: reading their content
    raises as it would without this.
    """
    cache = _cached()
    wanted = {scope for scope in scopes if scope not in cache}
    if not wanted:
        return
    for row in DataKey.objects.filter(scope__in=wanted, destroyed_at__isnull=True):
        entry = (row.id, AESGCM(unwrap(row)))
        cache[row.scope] = cache[row.id] = cache[row.id.bytes] = entry


def key_by_id(key_id: uuid.UUID) -> AESGCM:
    cache = _cached()
    if key_id in cache:
        return cache[key_id][1]
    row = DataKey.objects.filter(id=key_id).first()
    if row is None:
        raise DataKeyMissing(key_id)
    entry = (row.id, AESGCM(unwrap(row)))
    cache[key_id] = cache[key_id.bytes] = cache[row.scope] = entry
    return entry[1]


def key_by_raw_id(raw_id: bytes) -> AESGCM:
    """``key_by_id`` for the 16 id bytes of a ciphertext header, without building a UUID."""
    entry = _cached().get(raw_id)
    return entry[1] if entry is not None else key_by_id(uuid.UUID(bytes=raw_id))


def destroy_scope(scope: str, *, actor=None) -> int:
    """Crypto-shred every piece of content encrypted for ``scope``.

    The wrapped key is blanked in place, so the content, wherever copies of it live,
    can no longer be decrypted. This unit of work forgets its cached keys at once; other
    requests and tasks forget theirs when they end.
    """
    count = DataKey.objects.filter(scope=scope, destroyed_at__isnull=True).update(
        wrapped=b"", destroyed_at=timezone.now()
    )
    reset_cache()
    if count:
        from privacy.audit import Action, record

        # The scope names an id, never content; a restore of an older keys backup replays
        # these events (replay_key_destructions) so that no destroyed key comes back.
        record(None, Action.KEY_DESTRUCTION, actor=actor, detail=scope)
    return count
