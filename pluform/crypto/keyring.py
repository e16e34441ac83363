"""The master key ring, from PLUFORM_MASTER_KEYS: ``id:base64key,id:base64key``.

The first key wraps new data keys; every key in the ring can unwrap. The ring is never
derived from SECRET_KEY.
"""

import base64
import binascii
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pluform.crypto.errors import MissingMasterKey


class MasterKeyRing:
    def __init__(self, spec: str):
        self.keys: dict[str, AESGCM] = {}
        self.order: list[str] = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep or not key_id:
                raise ImproperlyConfigured("PLUFORM_MASTER_KEYS entries look like id:base64key")
            try:
                raw = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise ImproperlyConfigured(f"Master key {key_id!r} is not valid base64") from exc
            if len(raw) != 32:
                raise ImproperlyConfigured(f"Master key {key_id!r} must be 32 bytes (AES-256)")
            if key_id in self.keys:
                raise ImproperlyConfigured(f"Master key {key_id!r} appears twice")
            self.keys[key_id] = AESGCM(raw)
            self.order.append(key_id)
        if not self.order:
            raise ImproperlyConfigured("PLUFORM_MASTER_KEYS holds no key")

    @property
    def current_id(self) -> str:
        return self.order[0]

    def get(self, key_id: str) -> AESGCM:
        try:
            return self.keys[key_id]
        except KeyError:
            raise MissingMasterKey(key_id) from None


@lru_cache(maxsize=4)
def _ring_for(spec: str) -> MasterKeyRing:
    return MasterKeyRing(spec)


def master_keys() -> MasterKeyRing:
    return _ring_for(settings.PLUFORM_MASTER_KEYS)
