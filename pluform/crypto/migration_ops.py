"""Migration step that encrypts, in place, a column that used to hold plaintext."""

from django.db import migrations

from pluform.crypto import aead


def encrypt_column(app_label: str, model_name: str, field: str, scope_field: str, scope_of):
    """A RunPython step: seal every row's plaintext under ``scope_of(row[scope_field])``.

    Run it right after the AlterField that makes the column an encrypted field. Empty values
    are sealed too: the encrypted field reads every stored value as a ciphertext.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table, column = model._meta.db_table, model._meta.get_field(field).column
        rows = model.objects.values_list("pk", field, scope_field).iterator(chunk_size=500)
        for pk, plaintext, scope_value in rows:
            aad = aead.associated_data(table, column, pk)
            sealed = aead.seal_text(scope_of(scope_value), str(plaintext or ""), aad)
            model.objects.filter(pk=pk).update(**{field: sealed})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def derive_encrypted_column(
    app_label: str, model_name: str, source: str, target: str, scope_lookup: str, transform
):
    """A RunPython step: ``target`` = sealed ``transform(source)``, for each row with a source.

    Both columns are encrypted fields; ``scope_lookup`` names the row's scope (it may span a
    relation, such as ``dialogue__scope``).
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        source_column = model._meta.get_field(source).column
        target_column = model._meta.get_field(target).column
        rows = (
            model.objects.filter(**{f"{source}__isnull": False})
            .values_list("pk", source, scope_lookup)
            .iterator(chunk_size=500)
        )
        for pk, sealed, scope in rows:
            text = aead.open_text(sealed, aead.associated_data(table, source_column, pk))
            derived = aead.seal_text(
                scope, transform(text), aead.associated_data(table, target_column, pk)
            )
            model.objects.filter(pk=pk).update(**{target: derived})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
