"""The IT administrator's data-subject requests from the command line: list them, carry one
out, and announce or lift a restriction. Prints ids, types, statuses and dates, never content."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from pluform import dates
from privacy import access, queues, requests
from privacy.request_models import DataRequest, Decision, Kind, Status


class Command(BaseCommand):
    help = "List, execute, or announce and lift the restriction of data-subject requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="open requests that reached Pluform")
        listing.add_argument("--kind", choices=Kind.values)
        listing.add_argument("--status", choices=Status.values)
        listing.add_argument("--overdue", action="store_true")
        for name, text in (
            ("execute", "carry out a request the IT administrator holds"),
            ("announce-lift", "tell the subject that their restriction will be lifted"),
            ("lift", "lift a restriction after it was announced"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("request", help="the request's id")
            command.add_argument("--by", required=True, help="the IT administrator's e-mail")
            command.add_argument("--note", default="", help="what was done, or why")
            if name == "execute":
                command.add_argument("--decision", choices=Decision.values, default="")

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list(options)
        admin = User.objects.filter(
            email__iexact=options["by"], role=Role.IT_ADMIN, is_active=True
        ).first()
        if admin is None:
            raise CommandError("--by must name an active IT administrator")
        data_request = access.requests_for(admin).filter(pk=options["request"]).first()
        if data_request is None:
            raise CommandError("no such request has reached Pluform")
        try:
            if action == "execute":
                requests.execute(
                    data_request, admin, note=options["note"], decision=options["decision"]
                )
            elif action == "announce-lift":
                requests.announce_lift(data_request, admin, reason=options["note"])
            else:
                requests.lift(data_request, admin)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        data_request.refresh_from_db()
        self.stdout.write(f"{data_request.pk} {data_request.kind} {data_request.status}")

    def _list(self, options):
        today = dates.today()
        rows = queues.filtered(
            DataRequest.objects.filter(reached_pluform_at__isnull=False), options, today
        )
        for row in rows:
            late = " OVERDUE" if row.is_overdue(today) else ""
            self.stdout.write(
                f"{row.pk} {row.kind:<13} {row.status:<20} "
                f"received {row.received_on} due {row.deadline}{late}"
            )
