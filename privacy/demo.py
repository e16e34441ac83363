"""Demo privacy data for ``manage.py seed_demo``: Noor's access request waits for her coach,
Daan's restriction request waits for Pluform's account manager, and Eva (whose trajectory
ended 25 months ago) was told 31 days ago that her data would go: the next purge erases her
(``manage.py purge_expired --dry-run`` shows it)."""

import datetime

from django.dispatch import receiver
from django.utils import timezone

from accounts.models import RestrictionGround
from accounts.signals import demo_seeded
from pluform import dates
from privacy import requests
from privacy.erasure_models import RetentionNotice
from privacy.request_models import DataRequest, Kind


@receiver(demo_seeded, dispatch_uid="privacy_demo")
def seed_demo_requests(sender, organisation, users, **kwargs):
    noor, daan, coach = users["coachee_active"], users["coachee_recent"], users["coach"]
    RetentionNotice.objects.get_or_create(
        subject=users["coachee_old"],
        defaults={"sent_on": dates.today() - datetime.timedelta(days=31)},
    )
    if DataRequest.objects.filter(subject__in=[noor, daan]).exists():
        return
    requests.file(
        noor,
        kind=Kind.ACCESS,
        motivation="Ik wil graag zien wat er over mij is vastgelegd.",
        coach=coach,
    )
    restriction = requests.file(
        daan,
        kind=Kind.RESTRICTION,
        ground=RestrictionGround.CONTESTED,
        motivation="The report of our March session has the wrong date.",
        coach=coach,
    )
    requests.forward(restriction, coach, advice="Agreed: the session was on 14 March.")
    # Received three weeks ago: the reminders and the due date have something to show.
    received = timezone.now() - datetime.timedelta(days=21)
    DataRequest.objects.filter(pk=restriction.pk).update(
        received_at=received, due_on=DataRequest.due_for(timezone.localdate(received))
    )
