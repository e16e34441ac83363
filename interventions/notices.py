"""The interventions' e-mail notices, told through the one shared mechanism."""

import datetime

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from accounts.models import not_restricted
from interventions.models import OPEN_STATUSES, Assignment, Status
from pluform.notices import registry
from pluform.notices.registry import NoticeKind

# Submitted and reopened can happen again: one notice per time, not one ever.
AGAIN_AFTER_A_NEW_STEP = datetime.timedelta(0)


def _assignment_url(assignment_id):
    return reverse("interventions:assignment", args=[assignment_id])


def _still_open(user, assignment_id, since) -> bool:
    return Assignment.objects.filter(pk=assignment_id, status__in=OPEN_STATUSES).exists()


def _still_submitted(user, assignment_id, since) -> bool:
    """Still waiting for review, and the coachee's data may still be processed."""
    return Assignment.objects.filter(
        not_restricted("coachee"), pk=assignment_id, status=Status.SUBMITTED
    ).exists()


def _kind(what, *, digest_line, is_news=_still_open, **options) -> NoticeKind:
    return NoticeKind(
        name=f"interventions.{what}",
        template=f"interventions/email/{what}",
        url=_assignment_url,
        digest_line=digest_line,
        is_news=is_news,
        **options,
    )


def _line(message):
    """The digest line of a kind, from an ngettext_lazy(singular, plural, "count")."""
    return lambda count: message % {"count": count}


def register() -> None:
    registry.register(
        _kind(
            "assigned",
            digest_line=_line(
                ngettext_lazy(
                    "You have %(count)d new intervention.",
                    "You have %(count)d new interventions.",
                    "count",
                )
            ),
        )
    )
    registry.register(
        _kind(
            "reopened",
            digest_line=_line(
                ngettext_lazy(
                    "Your coach reopened %(count)d intervention.",
                    "Your coach reopened %(count)d interventions.",
                    "count",
                )
            ),
            interval=AGAIN_AFTER_A_NEW_STEP,
        )
    )
    registry.register(
        _kind(
            "due_soon",
            digest_line=_line(
                ngettext_lazy(
                    "%(count)d intervention is due in two days.",
                    "%(count)d interventions are due in two days.",
                    "count",
                )
            ),
            delay=False,
        )
    )
    registry.register(
        _kind(
            "submitted",
            digest_line=_line(
                ngettext_lazy(
                    "%(count)d intervention is waiting for your review.",
                    "%(count)d interventions are waiting for your review.",
                    "count",
                )
            ),
            is_news=_still_submitted,
            interval=AGAIN_AFTER_A_NEW_STEP,
        )
    )
