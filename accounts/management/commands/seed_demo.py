from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = "Creates (once) a demo organisation with a user of every role. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        users = demo.seed()
        self.stdout.write(f"Demo users (password: {demo.DEMO_PASSWORD}):")
        for key, user in users.items():
            mfa = " (TOTP: manage.py demo_totp)" if user.requires_mfa else ""
            self.stdout.write(f"  {key:<18} {user.email}{mfa}")
