from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = "Prints the current two-factor code of the demo accounts. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        self.stdout.write(demo.current_totp_code())
