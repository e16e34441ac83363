"""The ciphertext format of an encrypted field value.

``v1`` layout (then base64 for a text column):
    version (1 byte = 1) | data key id (16 bytes) | nonce (12 bytes) | ciphertext + tag

Every value gets a fresh random 96-bit nonce. The associated data is the header (version
and key id) followed by ``table.column:row_id``, so a ciphertext copied into another row or
column, or relabelled with another key id, fails authentication.
"""

import base64
import binascii
import logging
import os
import uuid

from cryptography.exceptions import InvalidTag

from pluform.crypto import datakeys
from pluform.crypto.errors import TamperedCiphertext

logger = logging.getLogger("pluform.crypto")

VERSION = 1
_KEY_END = 1 + 16
_HEADER = _KEY_END + 12
_TAG = 16


def associated_data(table: str, column: str, row_id) -> bytes:
    return f"{table}.{column}:{row_id}".encode()


def seal(scope: str, plaintext: bytes, aad: bytes) -> bytes:
    key_id, aes = datakeys.key_for_scope(scope)
    header = bytes([VERSION]) + key_id.bytes
    nonce = os.urandom(12)
    return header + nonce + aes.encrypt(nonce, plaintext, header + aad)


def open_(blob: bytes, aad: bytes) -> bytes:
    where = aad.decode(errors="replace")
    if len(blob) < _HEADER + _TAG or blob[0] != VERSION:
        logger.warning("Refused a ciphertext of unknown format at %s", where)
        raise TamperedCiphertext(where)
    aes = datakeys.key_by_raw_id(blob[1:_KEY_END])
    try:
        return aes.decrypt(blob[_KEY_END:_HEADER], blob[_HEADER:], blob[:_KEY_END] + aad)
    except InvalidTag:
        logger.warning("Refused a ciphertext that failed authentication at %s", where)
        raise TamperedCiphertext(where) from None


def key_id_of(blob: bytes) -> uuid.UUID:
    return uuid.UUID(bytes=blob[1:_KEY_END])


def seal_text(scope: str, text: str, aad: bytes) -> str:
    return base64.b64encode(seal(scope, text.encode(), aad)).decode("ascii")


def open_text(encoded: str, aad: bytes) -> str:
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        where = aad.decode(errors="replace")
        logger.warning("Refused a ciphertext that is not base64 at %s", where)
        raise TamperedCiphertext(where) from None
    return open_(blob, aad).decode()
