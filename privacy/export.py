"""Self-service data export (portability, regulation 1.2.6.5 and 1.3.5.5): a coach or coachee
downloads what they provided themselves as a ZIP of machine-readable JSON (data.json, with
its documented schema in schema.json), their files and a readable page (index.html).

It is an ``AccessArchive`` of purpose "portability" without a request, built by the same task
as the copy for an access request, for the subject only, for 7 days. Starting and downloading
ask for the password again (allauth's reauthentication); every download is recorded. A
restricted subject may still export: the data goes to the subject themselves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from privacy import requests
from privacy.access import may_file
from privacy.request_models import AccessArchive

PORTABILITY = AccessArchive.Purpose.PORTABILITY


def exports_of(subject):
    """The subject's portability exports, self-service or from a request, newest first."""
    return AccessArchive.objects.filter(subject=subject, purpose=PORTABILITY, recipients=subject)


@transaction.atomic
def start(subject) -> AccessArchive:
    if not may_file(subject):
        raise ValidationError(_("Only coaches and coachees export their data here."))
    # Lock the subject's row, so two tabs can't both start one.
    User.objects.select_for_update().filter(pk=subject.pk).first()
    if requests.still_building(exports_of(subject)):
        raise ValidationError(_("Your export is already being prepared."))
    archive = AccessArchive.objects.create(subject=subject, purpose=PORTABILITY)
    archive.recipients.set([subject])
    transaction.on_commit(lambda: requests.queue_build(archive))
    return archive
