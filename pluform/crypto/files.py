"""EncryptedFileField: files encrypted in fixed-size chunks before they reach storage.

Stored object layout (``v1``):
    header = b"PLFE" | version (1) | chunk size (4, big endian) | data key id (16) | file id (16)
    then one record per plaintext chunk: nonce (12) | ciphertext | tag (16)

Each chunk is AES-256-GCM under the scope's data key, with a fresh nonce, and associated
data = header | ``table.column:row_id`` | chunk index (8) | final flag (1). Moving a file to
another row, swapping or reordering chunks, dropping the tail or appending a chunk all fail
authentication. An empty file is one final chunk with no plaintext. Memory stays at a few
chunks whatever the file size: both directions stream.

Every record but the last holds a full chunk, so chunk ``i`` starts at header size +
``i`` * (chunk size + 28) and the stored size alone gives the chunk count, hence the plaintext
size and which chunk carries the final flag. Reading (``DecryptedFile``) uses this: the whole
file or a byte range (``iter_range``) is read from that offset, one record at a time, through
``pluform.storage.open_from`` (on S3 a ranged GET that streams, not a download of the object
first). A range read authenticates exactly the chunks it covers, index and final flag
included: its bytes are authentic and in place, but a dropped or appended tail shows only
to a read that covers the last chunk, as a whole-file read always does.
"""

import io
import logging
import math
import os
import struct
import uuid
from functools import partial

from cryptography.exceptions import InvalidTag
from django.core.files import File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, FileDescriptor
from django.db.models.signals import post_delete, post_save

from pluform.crypto import datakeys
from pluform.crypto.errors import TamperedCiphertext
from pluform.crypto.fields import EncryptedFieldMixin
from pluform.storage import open_from

logger = logging.getLogger("pluform.crypto")

MAGIC = b"PLFE"
VERSION = 1
CHUNK_SIZE = 64 * 1024
_HEADER = struct.Struct(">4sBI16s16s")
_NONCE = 12
_TAG = 16
_OVERHEAD = _NONCE + _TAG
_MAX_CHUNK = 16 * 1024 * 1024


def generated_name(instance, filename):
    """A random storage name that says nothing about the file, its owner or its row."""
    token = uuid.uuid4().hex
    return f"encrypted/{token[:2]}/{token}"


def _chunk_aad(header: bytes, base_aad: bytes, index: int, final: bool) -> bytes:
    return header + base_aad + struct.pack(">QB", index, 1 if final else 0)


def _read_exactly(source, size: int) -> bytes:
    parts, remaining = [], size
    while remaining:
        data = source.read(remaining)
        if not data:
            break
        parts.append(data)
        remaining -= len(data)
    return b"".join(parts)


class EncryptingReader(io.RawIOBase):
    """A read-only stream of the encrypted form of ``source``, produced chunk by chunk."""

    def __init__(self, source, key_id: uuid.UUID, aes, base_aad: bytes, chunk_size=CHUNK_SIZE):
        super().__init__()
        self._source = source
        self._aes = aes
        self._base_aad = base_aad
        self._chunk_size = chunk_size
        self._header = _HEADER.pack(MAGIC, VERSION, chunk_size, key_id.bytes, os.urandom(16))
        self._pieces = self._generate()
        self._buffer = b""

    def readable(self):
        return True

    def _generate(self):
        yield self._header
        if hasattr(self._source, "seek"):
            self._source.seek(0)
        current = _read_exactly(self._source, self._chunk_size)
        index = 0
        while True:
            following = (
                _read_exactly(self._source, self._chunk_size)
                if len(current) == self._chunk_size
                else b""
            )
            final = not following
            nonce = os.urandom(_NONCE)
            aad = _chunk_aad(self._header, self._base_aad, index, final)
            yield nonce + self._aes.encrypt(nonce, current, aad)
            if final:
                return
            current, index = following, index + 1

    def readinto(self, buffer):
        while not self._buffer:
            try:
                self._buffer = next(self._pieces)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._buffer))
        buffer[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


class DecryptedFile:
    """The plaintext of a stored encrypted file: iterate for all of it in chunks, or
    ``iter_range`` for a byte range.

    Opening reads and checks the header and resolves the data key, so a destroyed key or a
    damaged header fails before any byte reaches a response; the stored object is not held
    open in between. A chunk that fails authentication raises ``TamperedCiphertext`` before
    it would be yielded.
    """

    def __init__(self, instance, field_name: str):
        field = instance._meta.get_field(field_name)
        fieldfile = getattr(instance, field_name)
        if not fieldfile:
            raise ValueError(f"{field_name} holds no file")
        self._where = f"{instance._meta.label}.{field_name}:{instance.pk}"
        self._base_aad = field.aad_for(instance)
        self._storage = fieldfile.storage
        self.storage_name = fieldfile.name
        self._file = None
        self._stored_size = self._storage.size(self.storage_name)
        with open_from(self._storage, self.storage_name, 0, _HEADER.size) as head:
            self._header = _read_exactly(head, _HEADER.size)
        if len(self._header) != _HEADER.size:
            self._refuse("short header")
        magic, version, chunk_size, key_id, _file_id = _HEADER.unpack(self._header)
        if magic != MAGIC or version != VERSION or not 0 < chunk_size <= _MAX_CHUNK:
            self._refuse("unknown format")
        self._chunk_size = chunk_size
        self._record = chunk_size + _OVERHEAD
        body = self._stored_size - _HEADER.size
        self._chunks = max(1, math.ceil(body / self._record))
        if body - (self._chunks - 1) * self._record < _OVERHEAD:
            self._refuse("truncated", self._chunks - 1)
        self.size = body - self._chunks * _OVERHEAD
        self._aes = datakeys.key_by_raw_id(key_id)

    def _refuse(self, reason, index=None):
        at = "header" if index is None else f"chunk {index}"
        logger.warning("Refused an encrypted file at %s, %s: %s", self._where, at, reason)
        raise TamperedCiphertext(f"{self._where} {at}")

    def __iter__(self):
        """Every chunk's plaintext in order (the empty file's one empty chunk included)."""
        return self._decrypt(0, self._chunks - 1)

    def iter_range(self, start: int, stop: int):
        """Yield the plaintext bytes [start, stop) (clipped to the file), reading only the
        records of the chunks that hold them, from the first one's offset."""
        start, stop = max(0, start), min(stop, self.size)
        if start >= stop:
            return
        first, last = start // self._chunk_size, (stop - 1) // self._chunk_size
        at = first * self._chunk_size  # where the chunk being read starts in the plaintext
        for plaintext in self._decrypt(first, last):
            yield plaintext[max(0, start - at) : stop - at]
            at += self._chunk_size

    def _decrypt(self, first: int, last: int):
        """The plaintext of chunks ``first`` to ``last``, one record in memory at a time."""
        begin = _HEADER.size + first * self._record
        end = min(_HEADER.size + (last + 1) * self._record, self._stored_size)
        source = self._file = open_from(self._storage, self.storage_name, begin, end)
        try:
            for index in range(first, last + 1):
                record = _read_exactly(source, self._record)
                yield self._open_chunk(record, index, final=index == self._chunks - 1)
        finally:
            source.close()
            if self._file is source:
                self._file = None

    def _open_chunk(self, record: bytes, index: int, final: bool) -> bytes:
        if len(record) < _OVERHEAD:
            self._refuse("truncated", index)
        aad = _chunk_aad(self._header, self._base_aad, index, final)
        try:
            return self._aes.decrypt(record[:_NONCE], record[_NONCE:], aad)
        except InvalidTag:
            self._refuse("failed authentication", index)

    def close(self):
        """Close the stored object if a read is under way (a response calls this when done)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def open_decrypted(instance, field_name: str) -> DecryptedFile:
    return DecryptedFile(instance, field_name)


def iter_decrypted(instance, field_name: str):
    """Yield the plaintext of ``instance.<field_name>`` chunk by chunk."""
    yield from DecryptedFile(instance, field_name)


class EncryptedFieldFile(FieldFile):
    def save(self, name, content, save=True):
        name = self.field.generate_filename(self.instance, name)
        key_id, aes = datakeys.key_for_scope(self.instance.encryption_scope())
        reader = EncryptingReader(content, key_id, aes, self.field.aad_for(self.instance))
        self.name = self.storage.save(name, File(reader, name=name), self.field.max_length)
        self._set_instance_attribute(self.name, content)
        self._committed = True
        if save:
            self.instance.save()

    save.alters_data = True

    @property
    def url(self):
        raise ValueError("Encrypted files have no URL: serve them with encrypted_file_response")

    @property
    def plaintext_size(self) -> int:
        decrypted = DecryptedFile(self.instance, self.field.name)
        decrypted.close()
        return decrypted.size


class EncryptedFileDescriptor(FileDescriptor):
    """Remembers a replaced stored file, so that saving the row removes the old object."""

    def __set__(self, instance, value):
        previous = instance.__dict__.get(self.field.attname)
        old_name = getattr(previous, "name", previous)
        committed = getattr(previous, "_committed", True)
        new_name = getattr(value, "name", value)
        if old_name and committed and old_name != new_name:
            instance.__dict__.setdefault(self.field.replaced_key, set()).add(old_name)
        super().__set__(instance, value)


class EncryptedFileField(EncryptedFieldMixin, models.FileField):
    attr_class = EncryptedFieldFile
    descriptor_class = EncryptedFileDescriptor
    description = "A file encrypted with AES-256-GCM in chunks under a data key"

    def __init__(self, verbose_name=None, name=None, upload_kinds=("image", "document"), **kwargs):
        kwargs.pop("upload_to", None)
        self.upload_kinds = tuple(upload_kinds)
        super().__init__(verbose_name, name, upload_to=generated_name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        if self.upload_kinds != ("image", "document"):
            kwargs["upload_kinds"] = self.upload_kinds
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        """A ModelForm gets the checked upload field: nothing unchecked reaches storage."""
        from pluform.uploads import SafeFileField

        return super().formfield(
            **{"form_class": SafeFileField, "kinds": self.upload_kinds, **kwargs}
        )

    def save_form_data(self, instance, data):
        from pluform.uploads import CleanUpload

        super().save_form_data(instance, data.file if isinstance(data, CleanUpload) else data)

    @property
    def replaced_key(self) -> str:
        return f"_replaced_{self.attname}"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            post_delete.connect(self._delete_stored, sender=cls, weak=False)
            post_save.connect(self._delete_replaced, sender=cls, weak=False)

    def _delete_stored(self, sender, instance, using, **kwargs):
        name = instance.__dict__.get(self.attname)
        name = getattr(name, "name", name)
        if name:
            transaction.on_commit(partial(self.storage.delete, name), using=using)

    def _delete_replaced(self, sender, instance, using, **kwargs):
        replaced = instance.__dict__.pop(self.replaced_key, set())
        current = getattr(instance, self.attname).name
        for name in replaced - {current}:
            transaction.on_commit(partial(self.storage.delete, name), using=using)
