import pluform.crypto.fields
from django.db import migrations

from pluform.crypto.migration_ops import encrypt_column


class Migration(migrations.Migration):

    dependencies = [
        ('dialogue', '0001_dialogues_messages_attachments'),
        ('crypto', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dialogue',
            name='title',
            field=pluform.crypto.fields.EncryptedTextField(blank=True, default='', help_text='A short name for the group. Do not put personal details in it.', max_length=100, verbose_name='name of the group'),
        ),
        encrypt_column('dialogue', 'Dialogue', 'title', 'scope', str),
    ]
