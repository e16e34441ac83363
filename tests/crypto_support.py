"""Helpers for the protection-layer tests: a known master key ring and raw SQL reads."""

import base64
import secrets

from django.db import connection

from pluform.crypto import datakeys


def new_master_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def use_ring(settings, *entries: str) -> None:
    """Configure PLUFORM_MASTER_KEYS (first entry encrypts) and forget cached data keys."""
    settings.PLUFORM_MASTER_KEYS = ",".join(entries)
    datakeys.reset_cache()


def raw_column(model, column: str, pk) -> str | None:
    """Read a stored value the way an attacker with database access would."""
    table = model._meta.db_table
    pk_value = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk_value])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def raw_table_text(*models) -> str:
    """Every column of every row of the given tables, as one string."""
    parts = []
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            for row in cursor.fetchall():
                parts.extend(
                    bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v)
                    for v in row
                )
    return "\n".join(parts)


def attach_file(data: bytes, *, coachee=None, name="verslag.pdf"):
    """Stores ``data`` through the encrypted file field of the test app's Attachment."""
    import uuid

    from django.core.files.base import ContentFile

    from tests.cryptoapp.models import Attachment

    attachment = Attachment(coachee_uuid=coachee or uuid.uuid4())
    attachment.file = ContentFile(data, name=name)
    attachment.save()
    return attachment
