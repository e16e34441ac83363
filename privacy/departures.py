"""A coach hears that a coachee left Pluform: by e-mail and on their home page, without the
coachee's name or reason, until they mark it as seen."""

from django.utils import timezone

from privacy import emails
from privacy.erasure_models import Departure

SHOWN = 10


def tell_coaches(erasure, coaches) -> None:
    Departure.objects.bulk_create(Departure(coach=coach, erasure=erasure) for coach in coaches)
    emails.send_coachee_left(coaches)


def unseen(coach) -> list:
    return list(
        Departure.objects.filter(coach=coach, seen_at__isnull=True)
        .only("at")
        .order_by("-at")[:SHOWN]
    )


def mark_seen(coach) -> int:
    return Departure.objects.filter(coach=coach, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
