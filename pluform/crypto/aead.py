"""The ciphertext format of an encrypted field value.

``v1`` layout (then base64 for a text column):
    version (1 byte = 1) | data key id (16 bytes) | nonce (12 bytes) | ciphertext + tag

The associated data binds a value to its table, column and row, so a ciphertext copied
into another row or column fails authentication.
"""

import base64
import os
import uuid

from cryptography.exceptions import InvalidTag

from pluform.crypto import datakeys
from pluform.crypto.errors import TamperedCiphertext

VERSION = 1
_HEADER = 1 + 16 + 12


def associated_data(table: str, column: str, row_id) -> bytes:
    return f"{table}.{column}:{row_id}".encode()


def seal(scope: str, plaintext: bytes, aad: bytes) -> bytes:
    key_id, aes = datakeys.key_for_scope(scope)
    nonce = os.urandom(12)
    return bytes([VERSION]) + key_id.bytes + nonce + aes.encrypt(nonce, plaintext, aad)


def open_(blob: bytes, aad: bytes) -> bytes:
    if len(blob) < _HEADER + 16 or blob[0] != VERSION:
        raise TamperedCiphertext("unknown format")
    key_id = uuid.UUID(bytes=blob[1:17])
    aes = datakeys.key_by_id(key_id)
    try:
        return aes.decrypt(blob[17:29], blob[29:], aad)
    except InvalidTag:
        raise TamperedCiphertext(aad.decode(errors="replace")) from None


def key_id_of(blob: bytes) -> uuid.UUID:
    return uuid.UUID(bytes=blob[1:17])


def seal_text(scope: str, text: str, aad: bytes) -> str:
    return base64.b64encode(seal(scope, text.encode(), aad)).decode("ascii")


def open_text(encoded: str, aad: bytes) -> str:
    return open_(base64.b64decode(encoded), aad).decode()
