import argparse

from django.core.management.base import BaseCommand, CommandError, no_translations

from privacy import erasure, retention


def share(value: str) -> float:
    """A fraction of all coaches and coachees: 0.1 is 10 %."""
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not a share between 0 and 1 (0.1 = 10 %)")
    return number


class Command(BaseCommand):
    help = (
        "Erase the coachees whose trajectories all ended, and the coaches whose licence "
        "ended, more than two years ago (told 30 days before). --dry-run prints what would "
        "go, as counts per class of data, without names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, erase nothing")
        parser.add_argument(
            "--max-share",
            type=share,
            default=None,
            help="stop before erasing anything when more than this share (0-1) of all "
            "coaches and coachees would go (default: PURGE_MAX_SHARE_PERCENT, 10 %%)",
        )

    @no_translations
    def handle(self, *args, dry_run=False, max_share=None, **options):
        report = retention.purge(dry_run=dry_run, max_share=max_share)
        if report.locked:
            raise CommandError("Another purge is running (its lock is held); nothing was done.")
        write = self.stdout.write
        write(("Dry run: nothing erased." if dry_run else "Purge run.") + "\n")
        notices = "would be sent" if dry_run else "sent"
        write(f"Notices of the coming erasure {notices}: {report.notices}")
        if report.failed:
            write(f"Erasures that failed (tried again next run): {report.failed}")
        if report.finished:
            write(f"Interrupted erasures completed: {report.finished}")
        people = ", ".join(f"{count} {role}" for role, count in sorted(report.subjects.items()))
        verb = "Would erase" if dry_run else "Erased"
        write(f"{verb}: {people or 'nobody'}")
        for label, count in sorted(report.records.items()):
            write(f"  {erasure.class_title(label)} ({label}): {count}")
        if report.subjects:
            write(f"  Files in storage: {report.files}")
        if report.stopped and dry_run:
            write(f"The real run would stop: {report.stopped}")
        elif report.stopped:
            raise CommandError(report.stopped)
