import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pluform.crypto import rotation
from pluform.crypto.keyring import master_keys


class Command(BaseCommand):
    help = (
        "Re-wrap every data key under the first master key in PLUFORM_MASTER_KEYS, in "
        "batches that each commit. Safe to interrupt and to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only count data keys per master key."
        )
        parser.add_argument("--batch-size", type=int, default=rotation.BATCH_SIZE)

    def handle(self, *args, check=False, batch_size=rotation.BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if check:
            self._check()
            return
        total = rotation.pending().count()
        with tqdm(total=total, unit="key", file=sys.stderr, disable=total == 0) as bar:

            def progress(done, _total):
                bar.update(done - bar.n)

            result = rotation.rotate_all(batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"Rotated {result.rotated} data keys to master key {result.target!r} "
            f"({result.skipped} already done by another run)."
        )
        if result.failed:
            ids = ", ".join(str(key_id) for key_id in result.failed[:10])
            raise CommandError(f"{len(result.failed)} data keys could not be unwrapped: {ids}")

    def _check(self):
        ring = master_keys()
        for key_id, count in rotation.keys_per_master_key().items():
            note = "" if key_id in ring.keys else "  (not in PLUFORM_MASTER_KEYS!)"
            current = "  (current)" if key_id == ring.current_id else ""
            self.stdout.write(f"{key_id}: {count} data keys{current}{note}")
        self.stdout.write(f"destroyed: {rotation.destroyed_count()} data keys")
