import pluform.crypto.fields
from django.db import migrations

from pluform.crypto.migration_ops import encrypt_column
from pluform.crypto.scopes import coachee_scope


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_email_set_by_other'),
        ('crypto', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='trajectory',
            name='title',
            field=pluform.crypto.fields.EncryptedTextField(blank=True, default='', max_length=200, verbose_name='title'),
        ),
        encrypt_column('accounts', 'Trajectory', 'title', 'coachee_id', coachee_scope),
    ]
