"""The interventions' e-mail notices, told through the one shared mechanism."""

import datetime

from django.urls import reverse
from django.utils.translation import ngettext

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
    return Assignment.objects.filter(pk=assignment_id, status=Status.SUBMITTED).exists()


def register() -> None:
    registry.register(
        NoticeKind(
            name="interventions.assigned",
            template="interventions/email/assigned",
            url=_assignment_url,
            digest_line=lambda count: (
                ngettext(
                    "You have %(count)d new intervention.",
                    "You have %(count)d new interventions.",
                    count,
                )
                % {"count": count}
            ),
            is_news=_still_open,
        )
    )
    registry.register(
        NoticeKind(
            name="interventions.reopened",
            template="interventions/email/reopened",
            url=_assignment_url,
            digest_line=lambda count: (
                ngettext(
                    "Your coach reopened %(count)d intervention.",
                    "Your coach reopened %(count)d interventions.",
                    count,
                )
                % {"count": count}
            ),
            is_news=_still_open,
            interval=AGAIN_AFTER_A_NEW_STEP,
        )
    )
    registry.register(
        NoticeKind(
            name="interventions.due_soon",
            template="interventions/email/due_soon",
            url=_assignment_url,
            digest_line=lambda count: (
                ngettext(
                    "%(count)d intervention is due in two days.",
                    "%(count)d interventions are due in two days.",
                    count,
                )
                % {"count": count}
            ),
            is_news=_still_open,
            delay=False,
        )
    )
    registry.register(
        NoticeKind(
            name="interventions.submitted",
            template="interventions/email/submitted",
            url=_assignment_url,
            digest_line=lambda count: (
                ngettext(
                    "%(count)d intervention is waiting for your review.",
                    "%(count)d interventions are waiting for your review.",
                    count,
                )
                % {"count": count}
            ),
            is_news=_still_submitted,
            interval=AGAIN_AFTER_A_NEW_STEP,
        )
    )
