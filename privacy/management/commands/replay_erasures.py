from django.core.management.base import BaseCommand

from privacy import erasure, tombstones


class Command(BaseCommand):
    help = (
        "After restoring a database backup, before the application serves requests: erase "
        "again everyone whose erasure the tombstones record (in the keys database and in "
        "object storage), so that nobody erased after the backup comes back."
    )

    def handle(self, *args, **options):
        tombstoned = tombstones.erased_since()
        again = erasure.replay(tombstoned)
        self.stdout.write(
            f"{len(tombstoned)} tombstones; {len(again)} restored people erased again."
        )
