"""Privacy's own sections of a subject's data: their requests (with every step) and the
consents they gave or were asked for."""

from django.utils.translation import gettext_lazy as _

from privacy.subject_data import Section, full_name, iso


def _request_records(subject):
    from privacy.request_models import DataRequest

    requests = (
        DataRequest.objects.filter(subject=subject)
        .select_related("coach", "subject")
        .prefetch_related("steps__actor")
        .order_by("received_at", "uuid")
    )
    for request in requests.iterator(chunk_size=100):
        yield {
            "id": str(request.uuid),
            "kind": request.kind,
            "ground": request.ground or None,
            "motivation": request.motivation or None,
            "coach": full_name(request.coach) if request.coach else None,
            "status": request.status,
            "received_at": iso(request.received_at),
            "due_on": iso(request.due_on),
            "extended_due_on": iso(request.extended_due_on) if request.extended_due_on else None,
            "advice": request.advice or None,
            "inspect_together": request.inspect_together,
            "decision": request.decision or None,
            "steps": [
                {
                    "step": step.step,
                    "at": iso(step.at),
                    "by": full_name(step.actor)
                    if step.actor is not None and step.actor_role in ("coach", "coachee")
                    else step.actor_role or None,
                    "note": step.note or None,
                }
                for step in request.steps.all()
            ],
        }


REQUESTS = Section(
    name="privacy.requests",
    title=_("Your requests about your data"),
    description=_(
        "Every request you filed for access, rectification, erasure, restriction, portability "
        "or objection, with each step it took."
    ),
    fields={
        "id": _("Identifier of the request"),
        "kind": _(
            "The right asked for: access, rectification, erasure, restriction, portability "
            "or objection"
        ),
        "ground": _("For a restriction: contested, unlawful, legal_claim or objected"),
        "motivation": _("What you wrote when you filed it"),
        "coach": _("The coach it went to first"),
        "status": _(
            "Where it stands: with_coach, with_subject, with_account_manager, with_it_admin, "
            "waiting, done or withdrawn"
        ),
        "received_at": _("When it was received"),
        "due_on": _("The date it had to be answered by"),
        "extended_due_on": _("The later date, if the deadline was extended"),
        "advice": _("The coach's advice"),
        "inspect_together": _("Whether the coach advised to look at the copy together"),
        "decision": _("For an objection: upheld or rejected"),
        "steps": _("The steps the request took"),
        "steps.step": _("Which step"),
        "steps.at": _("When"),
        "steps.by": _("Who took it: a name, or a role for Pluform's staff"),
        "steps.note": _("What was written with the step"),
    },
    records=_request_records,
)


def _consent_records(subject):
    from privacy.consent_models import Consent

    consents = (
        Consent.objects.filter(coachee=subject)
        .select_related("coach", "requested_by")
        .order_by("requested_at", "uuid")
    )
    for consent in consents.iterator(chunk_size=100):
        yield {
            "id": str(consent.uuid),
            "coach": full_name(consent.coach),
            "asked_by_role": consent.requested_by.role if consent.requested_by else None,
            "dialogue": consent.dialogue,
            "interventions": consent.interventions,
            "toolbox": consent.toolbox,
            "dossier": consent.dossier,
            "include_history": consent.include_history,
            "state": consent.state,
            "asked_at": iso(consent.requested_at),
            "decided_at": iso(consent.decided_at) if consent.decided_at else None,
            "ended_at": iso(consent.ended_at) if consent.ended_at else None,
        }


CONSENTS = Section(
    name="privacy.consents",
    title=_("Consent to let another coach see your data"),
    description=_("Every time you were asked to let another coach in, and what you answered."),
    fields={
        "id": _("Identifier of the consent"),
        "coach": _("The coach it was about"),
        "asked_by_role": _("The role of who asked: coach or org_manager"),
        "dialogue": _("Whether it covers the dialogue"),
        "interventions": _("Whether it covers interventions"),
        "toolbox": _("Whether it covers the toolbox"),
        "dossier": _("Whether it covers the client dossier"),
        "include_history": _("Whether it covers what came before the consent"),
        "state": _("pending, granted, declined, withdrawn, revoked or ended"),
        "asked_at": _("When you were asked"),
        "decided_at": _("When you answered"),
        "ended_at": _("When it ended"),
    },
    records=_consent_records,
)
