from django.core.management.base import BaseCommand

from pluform.crypto import datakeys
from pluform.crypto.models import DataKey
from privacy.audit_models import Action, AuditEvent


class Command(BaseCommand):
    help = (
        "After restoring the keys table from a backup: destroy again every data key whose "
        "destruction the audit trail records, so that no erased content becomes readable."
    )

    def handle(self, *args, **options):
        scopes = set(
            AuditEvent.objects.filter(action=Action.KEY_DESTRUCTION).values_list(
                "detail", flat=True
            )
        )
        live = DataKey.objects.filter(scope__in=scopes, destroyed_at__isnull=True)
        again = 0
        for scope in live.values_list("scope", flat=True):
            again += datakeys.destroy_scope(scope)
        self.stdout.write(
            f"{len(scopes)} destructions in the audit trail; {again} restored keys destroyed again."
        )
