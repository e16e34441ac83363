"""Field and file encryption throughput against raw AES-256-GCM on the same machine.

Run: .venv/bin/python bench/crypto_throughput.py
"""

import io
import os
import time
import uuid

from _setup import cached_key, cleanup, setup

FIELD_CHARS = 300
FIELD_OPS = 50_000
FILE_MB = 64


def rate(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def mb_per_s(fn, size):
    start = time.perf_counter()
    fn()
    return size / (1024 * 1024) / (time.perf_counter() - start)


def fields():
    from pluform.crypto import aead

    scope = f"coachee:{uuid.uuid4()}"
    _, aes = cached_key(scope)
    text = ("Vandaag ging het gesprek over slapen en stress op het werk. " * 6)[:FIELD_CHARS]
    aad = aead.associated_data("dialogue_message", "body", uuid.uuid4())
    sealed = aead.seal_text(scope, text, aad)
    raw = text.encode()
    nonce = os.urandom(12)
    raw_sealed = aes.encrypt(nonce, raw, aad)
    assert aead.open_text(sealed, aad) == text

    results = {
        "field encrypt": rate(lambda: aead.seal_text(scope, text, aad), FIELD_OPS),
        "field decrypt": rate(lambda: aead.open_text(sealed, aad), FIELD_OPS),
        "raw AES-GCM encrypt": rate(lambda: aes.encrypt(os.urandom(12), raw, aad), FIELD_OPS),
        "raw AES-GCM decrypt": rate(lambda: aes.decrypt(nonce, raw_sealed, aad), FIELD_OPS),
    }
    print(f"Fields ({FIELD_CHARS} characters, {FIELD_OPS} operations each):")
    for name, ops in results.items():
        print(f"  {name:22s} {ops:>10,.0f} ops/s  ({1e6 / ops:5.1f} µs/op)")


def files():
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from django.core.files import File

    from pluform.crypto import files as crypto_files
    from tests.cryptoapp.models import Attachment

    size = FILE_MB * 1024 * 1024
    plaintext = os.urandom(size)
    attachment = Attachment(coachee_uuid=uuid.uuid4())
    cached_key(attachment.encryption_scope())

    def encrypt():
        attachment.file.save("bench", File(io.BytesIO(plaintext)), save=False)

    def decrypt():
        for _ in crypto_files.iter_decrypted(attachment, "file"):
            pass

    encrypt_rate = mb_per_s(encrypt, size)
    decrypt_rate = mb_per_s(decrypt, size)
    assert b"".join(crypto_files.iter_decrypted(attachment, "file")) == plaintext

    aes = AESGCM(AESGCM.generate_key(bit_length=256))
    chunk = crypto_files.CHUNK_SIZE
    nonce = os.urandom(12)
    sealed = [aes.encrypt(nonce, plaintext[i : i + chunk], b"") for i in range(0, size, chunk)]

    def raw_encrypt():
        for i in range(0, size, chunk):
            aes.encrypt(os.urandom(12), plaintext[i : i + chunk], b"")

    def raw_decrypt():
        for piece in sealed:
            aes.decrypt(nonce, piece, b"")

    print(f"Files ({FILE_MB} MB, {chunk // 1024} KiB chunks, local folder storage):")
    print(f"  {'file encrypt + store':22s} {encrypt_rate:>10,.0f} MB/s")
    print(f"  {'file read + decrypt':22s} {decrypt_rate:>10,.0f} MB/s")
    print(f"  {'raw AES-GCM encrypt':22s} {mb_per_s(raw_encrypt, size):>10,.0f} MB/s  (in memory)")
    print(f"  {'raw AES-GCM decrypt':22s} {mb_per_s(raw_decrypt, size):>10,.0f} MB/s  (in memory)")


if __name__ == "__main__":
    setup()
    try:
        fields()
        files()
    finally:
        cleanup()
