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
