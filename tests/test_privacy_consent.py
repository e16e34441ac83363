"""Consent before another coach sees anything (regulation 1.2.6.8), through the pages.

The attack this guards against: an organisation manager makes an account of their own a coach
of their organisation and puts it on a coachee's running trajectory in the organisation admin.
That coach reads nothing of the coachee (dialogue, interventions, toolbox, dossier) until the
coachee says yes, then only the parts and the period the coachee agreed to, and nothing again
from the moment the coachee revokes.
"""

import io
import types

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Trajectory
from accounts.services import restrict_processing
from dialogue import services as dialogue_services
from dialogue.models import Attachment, Dialogue, Message, Participant
from interventions import services as intervention_services
from pluform.notices.models import Notice
from privacy import consent
from privacy.audit_models import Action, AuditEvent
from privacy.consent_models import Consent
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one
from tests.factories.dossier import ended_trajectory, session_report
from tests.factories.interventions import assign, open_question, template
from tests.factories.toolbox import file_item, link_item, png_bytes
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

MARKER = "CANARY-4c2e-consent"
ALL_APPS = ["dialogue", "interventions", "toolbox", "dossier"]


# Helpers


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return page_text(response)


def _change_url(trajectory):
    return reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])


def _admin_sets_coaches(manager, trajectory, coaches):
    """The organisation manager ticks exactly ``coaches`` on the trajectory's change form;
    returns the page the admin redirects to, with its messages."""
    response = signed_in(manager).post(
        _change_url(trajectory),
        {
            "assigned_coaches": [str(coach.pk) for coach in coaches],
            "started_on": trajectory.started_on.isoformat(),
            "ended_on": "",
        },
        follow=True,
    )
    assert response.redirect_chain, page_text(response)[:3000]
    assert response.status_code == 200
    return response


def _ask_url(trajectory):
    return reverse("privacy:consent_ask", args=[trajectory.pk])


def _coach_asks(coach, trajectory, colleague, *, apps=ALL_APPS, history=False):
    data = {"coach": str(colleague.pk), "apps": list(apps)}
    if history:
        data["include_history"] = "on"
    return signed_in(coach).post(_ask_url(trajectory), data)


def _decide(user, name, question):
    return signed_in(user).post(reverse(f"privacy:consent_{name}", args=[question.uuid]))


def _grant(coachee, question):
    response = _decide(coachee, "grant", question)
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:consents")
    question.refresh_from_db()
    assert question.state == Consent.State.GRANTED
    return question


def _question(trajectory, coach) -> Consent:
    return Consent.objects.get(trajectory=trajectory, coach=coach, state=Consent.State.PENDING)


def _status(user, url) -> int:
    return signed_in(user).get(url).status_code


def _dialogue_url(dialogue):
    return reverse("dialogue:detail", args=[dialogue.pk])


def _assignment_url(assignment):
    return reverse("interventions:assignment", args=[assignment.pk])


def _report_url(report):
    return reverse("dossier:report", args=[report.pk])


def _dossier_url(coachee):
    return reverse("dossier:coachee", args=[coachee.pk])


def _new_assignment(coach, trajectory, title="Dagboek"):
    made = template(coach, title, steps=[("Kijk terug.", [open_question()])])
    [assignment] = assign(made, coach, trajectory)
    return assignment


def _shares_with(coachee, coach) -> int:
    """The coachee shares a new item with ``coach`` through the page: 302 or 400."""
    item = link_item(coachee, title="Voor mijn nieuwe coach")
    response = signed_in(coachee).post(
        reverse("toolbox:share", args=[item.pk]), {"recipients": [str(coach.pk)]}
    )
    return response.status_code


def _in_dialogue(dialogue, user) -> bool:
    return Participant.objects.filter(dialogue=dialogue, user=user).exists()


@pytest.fixture
def mole(organisation):
    """The organisation manager's own account, made a coach of their organisation."""
    return CoachFactory(organisation=organisation, first_name="Mallory", last_name="Molenaar")


@pytest.fixture
def content(coach, coachee, trajectory):
    """What the coachee and their coach hold, each with the marker: a dialogue message with
    an attachment, an intervention, an item the coachee shared with the coach, a report."""
    dialogue = one_to_one(trajectory)
    response = signed_in(coachee).post(
        reverse("dialogue:post_message", args=[dialogue.pk]),
        {"body": f"Vooraf {MARKER}", "attachment": _png(f"{MARKER}.png")},
    )
    assert response.status_code == 302
    message = Message.objects.get(dialogue=dialogue)
    made = template(coach, f"Slaapdagboek {MARKER}", steps=[("Kijk terug.", [open_question()])])
    [assignment] = assign(made, coach, trajectory, message=f"Voor jou {MARKER}")
    item = file_item(
        coachee, "tekening.png", png_bytes(), title=f"Tekening {MARKER}", recipients=[coach]
    )
    report = session_report(coach, trajectory, report=f"Verslag {MARKER}")
    return types.SimpleNamespace(
        dialogue=dialogue,
        message=message,
        attachment=Attachment.objects.get(message=message),
        assignment=assignment,
        item=item,
        report=report,
    )


def _what_a_stranger_to_the_coachee_gets(user, coachee, content) -> list[str]:
    """Every way into the coachee's content: lists without the marker or the coachee's name,
    the content itself a 404. Returns what went wrong."""
    failures = []
    client = signed_in(user)
    lists = [
        reverse("home"),
        reverse("dialogue:inbox"),
        reverse("interventions:index"),
        reverse("toolbox:index"),
        reverse("dossier:coachees"),
        reverse("timesheet:index"),
        reverse("timesheet:add"),
    ]
    for url in lists:
        response = client.get(url)
        text = _body(response)
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
        if MARKER in text or coachee.last_name in text:
            failures.append(f"{url}: shows the coachee's content or name")
    closed = [
        _dialogue_url(content.dialogue),
        reverse("dialogue:attachment", args=[content.dialogue.pk, content.attachment.pk]),
        reverse("dialogue:edit_message", args=[content.dialogue.pk, content.message.pk]),
        reverse("dialogue:remove_message", args=[content.dialogue.pk, content.message.pk]),
        _assignment_url(content.assignment),
        reverse("toolbox:item", args=[content.item.pk]),
        reverse("toolbox:file", args=[content.item.pk]),
        _dossier_url(coachee),
        reverse("dossier:report_add", args=[coachee.pk]),
        _report_url(content.report),
    ]
    for url in closed:
        response = client.get(url)
        if response.status_code != 404:
            failures.append(f"{url}: {response.status_code} (expected 404)")
        if MARKER in _body(response):
            failures.append(f"{url}: shows the marker")
    return failures


# The attack: the organisation manager's own coach on a running trajectory


def test_a_coach_the_org_manager_assigns_reads_nothing_until_the_coachee_consents(
    org_manager, coach, coachee, trajectory, mole, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    assert (
        "Mallory Molenaar joins once the coachee consents; the coachee has been asked."
        in page_text(response)
    )

    question = _question(trajectory, mole)
    assert question.requested_by == org_manager
    assert not question.include_history
    assert list(trajectory.coaches.all()) == [coach]
    assert not Trajectory.objects.filter(coaches=mole).exists()
    assert not _in_dialogue(content.dialogue, mole)
    assert [email.to for email in mail.outbox] == [[coachee.email]]

    assert _what_a_stranger_to_the_coachee_gets(mole, coachee, content) == []

    # The coachee does not even have the coach among those they may share with.
    assert _shares_with(coachee, mole) == 400


def test_after_consent_without_history_the_coach_reads_only_what_comes_after(
    org_manager, coach, coachee, trajectory, mole, content
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    _grant(coachee, _question(trajectory, mole))

    # The stale prefetch is gone: the coach joined the one-to-one dialogue at once.
    participant = Participant.objects.get(dialogue=content.dialogue, user=mole)
    assert participant.sees_history is False
    dialogue_services.post_message(content.dialogue, coachee, "Achteraf geschreven")
    page = signed_in(mole).get(_dialogue_url(content.dialogue))
    assert page.status_code == 200
    assert "Achteraf geschreven" in page_text(page)
    assert MARKER not in page_text(page)
    attachment = reverse("dialogue:attachment", args=[content.dialogue.pk, content.attachment.pk])
    assert _status(mole, attachment) == 404

    # The dossier opens, without the report written before the consent.
    dossier = signed_in(mole).get(_dossier_url(coachee))
    assert dossier.status_code == 200
    assert MARKER not in page_text(dossier)
    assert _status(mole, _report_url(content.report)) == 404
    later = session_report(coach, trajectory, report="Na de toestemming")
    assert "Na de toestemming" in page_text(signed_in(mole).get(_report_url(later)))

    # Interventions: only those assigned from the consent on.
    assert _status(mole, _assignment_url(content.assignment)) == 404
    assert _status(mole, _assignment_url(_new_assignment(coach, trajectory))) == 200

    # Toolbox: what the coachee shared with their first coach stays theirs; the coachee may
    # now share with the new coach too.
    assert _status(mole, reverse("toolbox:item", args=[content.item.pk])) == 404
    assert _shares_with(coachee, mole) == 302

    # The first coach still reads everything.
    assert MARKER in page_text(signed_in(coach).get(_dialogue_url(content.dialogue)))


def test_after_consent_with_history_the_coach_reads_what_came_before_too(
    coach, coachee, trajectory, other_coach, content
):
    response = _coach_asks(coach, trajectory, other_coach, history=True)
    assert response.status_code == 302
    question = _grant(coachee, _question(trajectory, other_coach))
    assert question.include_history

    participant = Participant.objects.get(dialogue=content.dialogue, user=other_coach)
    assert participant.sees_history is True
    dialogue_services.post_message(content.dialogue, coachee, "Achteraf geschreven")
    page = page_text(signed_in(other_coach).get(_dialogue_url(content.dialogue)))
    assert f"Vooraf {MARKER}" in page
    assert "Achteraf geschreven" in page
    attachment = reverse("dialogue:attachment", args=[content.dialogue.pk, content.attachment.pk])
    assert _status(other_coach, attachment) == 200
    assert MARKER in page_text(signed_in(other_coach).get(_report_url(content.report)))
    assert _status(other_coach, _assignment_url(content.assignment)) == 200


# The stale prefetch: whoever joins a trajectory joins its dialogue


def test_a_consented_coach_is_a_participant_of_the_one_to_one_dialogue(
    org_manager, coach, coachee, trajectory, mole
):
    dialogue = one_to_one(trajectory)
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    assert not _in_dialogue(dialogue, mole)
    assert _status(mole, _dialogue_url(dialogue)) == 404
    _grant(coachee, _question(trajectory, mole))
    assert _in_dialogue(dialogue, mole)
    assert _status(mole, _dialogue_url(dialogue)) == 200


def test_coaches_of_a_first_trajectory_started_in_the_admin_need_no_consent(
    org_manager, organisation, coach, other_coach
):
    newcomer = CoacheeFactory(organisation=organisation, first_name="Nina", last_name="Nieuwland")
    response = signed_in(org_manager).post(
        reverse("organisation:accounts_trajectory_add"),
        {
            "coachee": str(newcomer.pk),
            "assigned_coaches": [str(coach.pk), str(other_coach.pk)],
            "started_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(coachee=newcomer)
    assert set(trajectory.coaches.all()) == {coach, other_coach}
    assert not Consent.objects.filter(trajectory=trajectory).exists()
    dialogue = Dialogue.objects.get(trajectory=trajectory)
    for person in (newcomer, coach, other_coach):
        assert _in_dialogue(dialogue, person), person
        assert _status(person, _dialogue_url(dialogue)) == 200


def test_a_coach_already_of_the_coachee_joins_the_dialogue_when_added_in_the_change_form(
    org_manager, coach, coachee, trajectory, other_coach
):
    """The change view's queryset prefetches ``coaches``: the dialogue must not use that."""
    TrajectoryFactory(coachee=coachee, coaches=[coach, other_coach])
    dialogue = one_to_one(trajectory)
    assert not _in_dialogue(dialogue, other_coach)
    _admin_sets_coaches(org_manager, trajectory, [coach, other_coach])
    assert not Consent.objects.filter(trajectory=trajectory).exists()
    assert set(trajectory.coaches.all()) == {coach, other_coach}
    assert _in_dialogue(dialogue, other_coach)
    assert _status(other_coach, _dialogue_url(dialogue)) == 200


def test_a_second_trajectory_in_the_admin_asks_for_a_coach_new_to_the_coachee(
    org_manager, coach, coachee, trajectory, mole
):
    response = signed_in(org_manager).post(
        reverse("organisation:accounts_trajectory_add"),
        {
            "coachee": str(coachee.pk),
            "assigned_coaches": [str(mole.pk)],
            "started_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    second = Trajectory.objects.exclude(pk=trajectory.pk).get(coachee=coachee)
    assert list(second.coaches.all()) == []
    assert _question(second, mole).requested_by == org_manager
    assert _status(mole, _dossier_url(coachee)) == 404


# Scope per app


@pytest.mark.parametrize("app", ALL_APPS)
def test_a_consent_lets_the_coach_into_the_chosen_part_only(
    coach, coachee, trajectory, other_coach, app
):
    dialogue = one_to_one(trajectory)
    assert _coach_asks(coach, trajectory, other_coach, apps=[app]).status_code == 302
    question = _grant(coachee, _question(trajectory, other_coach))
    assert (question.dialogue, question.interventions, question.toolbox, question.dossier) == tuple(
        name == app for name in ALL_APPS
    )

    assert _in_dialogue(dialogue, other_coach) is (app == "dialogue")
    assert _status(other_coach, _dialogue_url(dialogue)) == (200 if app == "dialogue" else 404)
    assert _status(other_coach, _dossier_url(coachee)) == (200 if app == "dossier" else 404)
    assert _status(other_coach, _report_url(session_report(coach, trajectory))) == (
        200 if app == "dossier" else 404
    )
    assignment = _new_assignment(coach, trajectory)
    assert _status(other_coach, _assignment_url(assignment)) == (
        200 if app == "interventions" else 404
    )
    assert _shares_with(coachee, other_coach) == (302 if app == "toolbox" else 400)


# Revoking


def test_revoking_ends_access_at_once_and_the_coach_leaves_the_dialogue(
    org_manager, coach, coachee, trajectory, mole, content
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    question = _grant(coachee, _question(trajectory, mole))
    shared = link_item(coachee, title=f"Gedeeld {MARKER}", recipients=[mole])
    assert _status(mole, _dialogue_url(content.dialogue)) == 200
    assert _status(mole, _dossier_url(coachee)) == 200
    assert _status(mole, reverse("toolbox:item", args=[shared.pk])) == 200
    later = _new_assignment(coach, trajectory)
    assert _status(mole, _assignment_url(later)) == 200

    response = _decide(coachee, "revoke", question)
    assert response.status_code == 302

    question.refresh_from_db()
    assert question.state == Consent.State.REVOKED
    assert question.ended_at is not None and question.decided_at <= question.ended_at
    assert list(trajectory.coaches.all()) == [coach]
    assert not _in_dialogue(content.dialogue, mole)
    assert _what_a_stranger_to_the_coachee_gets(mole, coachee, content) == []
    assert _status(mole, _assignment_url(later)) == 404
    assert _status(mole, reverse("toolbox:item", args=[shared.pk])) == 404
    # The first coach keeps everything.
    assert _status(coach, _dialogue_url(content.dialogue)) == 200
    assert _status(coach, _dossier_url(coachee)) == 200


def test_the_consents_page_lists_what_waits_what_was_given_and_what_was_revoked(
    org_manager, coach, coachee, trajectory, mole
):
    client = signed_in(coachee)
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])

    page = client.get(reverse("privacy:consents"))
    assert page.status_code == 200
    assert [c.coach for c in page.context["pending"]] == [mole]
    assert "May Mallory Molenaar see your data?" in page_text(page)
    assert "Only what comes after you say yes" in page_text(page)
    question = page.context["pending"][0]

    _grant(coachee, question)
    page = client.get(reverse("privacy:consents"))
    assert page.context["pending"] == []
    assert [c.coach for c in page.context["granted"]] == [mole]
    assert reverse("privacy:consent_revoke", args=[question.uuid]) in page_text(page)

    _decide(coachee, "revoke", question)
    page = client.get(reverse("privacy:consents"))
    assert page.context["granted"] == []
    assert [(c.coach, c.state) for c in page.context["past"]] == [(mole, Consent.State.REVOKED)]
    assert "Mallory Molenaar: Revoked" in page_text(page)


def test_every_step_is_in_the_audit_trail_with_the_coachee_as_subject(
    org_manager, coach, coachee, trajectory, mole
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    question = _grant(coachee, _question(trajectory, mole))
    _decide(coachee, "revoke", question)

    events = list(
        AuditEvent.objects.filter(action=Action.CONSENT, object_uuid=question.uuid).order_by("at")
    )
    assert [(e.detail, e.actor, e.subject_uuid) for e in events] == [
        ("asked", org_manager, coachee.pk),
        ("granted", coachee, coachee.pk),
        ("revoked", coachee, coachee.pk),
    ]
    assert {e.object_type for e in events} == {"privacy.consent"}


def test_every_consent_event_names_the_coachee_as_a_coachee(
    org_manager, coach, coachee, trajectory, mole
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    _decide(coachee, "decline", _question(trajectory, mole))
    kinds = set(
        AuditEvent.objects.filter(action=Action.CONSENT, subject_uuid=coachee.pk).values_list(
            "subject_kind", flat=True
        )
    )
    assert kinds == {"user:coachee"}


# States


def test_declining_keeps_the_coach_out_and_a_new_question_may_follow(
    org_manager, coach, coachee, trajectory, mole
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    question = _question(trajectory, mole)
    assert _decide(coachee, "decline", question).status_code == 302
    question.refresh_from_db()
    assert question.state == Consent.State.DECLINED
    assert question.decided_at is not None and question.ended_at is not None
    assert list(trajectory.coaches.all()) == [coach]
    assert _status(mole, _dossier_url(coachee)) == 404
    # Declined is not live: the manager may ask again, which is a new question.
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    again = _question(trajectory, mole)
    assert again.pk != question.pk
    assert Consent.objects.filter(trajectory=trajectory, coach=mole).count() == 2


def test_deselecting_a_coach_in_the_admin_withdraws_the_question(
    org_manager, coach, coachee, trajectory, mole
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    question = _question(trajectory, mole)
    change = signed_in(org_manager).get(_change_url(trajectory))
    assert set(change.context["adminform"].form.initial["assigned_coaches"]) == {coach, mole}

    _admin_sets_coaches(org_manager, trajectory, [coach])
    question.refresh_from_db()
    assert question.state == Consent.State.WITHDRAWN
    assert _decide(coachee, "grant", question).status_code == 302
    question.refresh_from_db()
    assert question.state == Consent.State.WITHDRAWN
    assert list(trajectory.coaches.all()) == [coach]


def test_the_coach_who_asked_may_withdraw_the_question(coach, coachee, trajectory, other_coach):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    response = _decide(coach, "withdraw", question)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == Consent.State.WITHDRAWN
    assert question.ended_at is not None


def test_a_consented_coach_taken_off_in_the_admin_ends_the_consent(
    org_manager, coach, coachee, trajectory, mole
):
    dialogue = one_to_one(trajectory)
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    question = _grant(coachee, _question(trajectory, mole))
    _admin_sets_coaches(org_manager, trajectory, [coach])
    question.refresh_from_db()
    assert question.state == Consent.State.ENDED
    assert not _in_dialogue(dialogue, mole)
    assert _status(mole, _dossier_url(coachee)) == 404


# A coach asks for a colleague


def test_a_coach_asks_the_coachee_to_let_in_a_colleague(
    coach, coachee, trajectory, other_coach, stranger_coach, content,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    form = signed_in(coach).get(_ask_url(trajectory))
    assert form.status_code == 200
    choices = set(form.context["form"].fields["coach"].queryset)
    assert other_coach in choices
    assert coach not in choices and stranger_coach not in choices

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _coach_asks(coach, trajectory, other_coach, apps=["dialogue", "dossier"])
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:consents")

    question = _question(trajectory, other_coach)
    assert (question.requested_by, question.coachee) == (coach, coachee)
    assert question.scope_labels == ["dialogue", "client dossier"]
    assert not question.include_history
    assert list(trajectory.coaches.all()) == [coach]

    [email] = mail.outbox
    assert email.to == [coachee.email]
    text = email.subject + email.body + "".join(part for part, _ in email.alternatives)
    assert "consent" in email.subject.lower()
    assert reverse("privacy:consents") in text
    for secret in (MARKER, other_coach.last_name, coach.last_name):
        assert secret not in text, secret

    home = page_text(signed_in(coachee).get(reverse("home")))
    assert "May Otto Quakkelaar see your data? Please answer." in home
    assert reverse("privacy:consents") in home

    asked = signed_in(coach).get(reverse("privacy:consents"))
    assert [c.pk for c in asked.context["pending"]] == [question.pk]
    # The colleague reads nothing yet.
    assert _what_a_stranger_to_the_coachee_gets(other_coach, coachee, content) == []


def test_the_dossier_links_to_the_question_for_a_running_trajectory(coach, coachee, trajectory):
    page = page_text(signed_in(coach).get(_dossier_url(coachee)))
    assert _ask_url(trajectory) in page


# Bad input


def test_a_coach_of_another_organisation_cannot_be_asked_for(coach, trajectory, stranger_coach):
    response = _coach_asks(coach, trajectory, stranger_coach)
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response)
    assert not Consent.objects.exists()


def test_the_service_refuses_a_coach_of_another_organisation_too(
    coach, trajectory, stranger_coach, coachee
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="own organisation"):
        consent.ask(trajectory, stranger_coach, requested_by=coach)
    with pytest.raises(ValidationError, match="own organisation"):
        consent.ask(trajectory, coachee, requested_by=coach)
    assert not Consent.objects.exists()


def test_a_second_question_for_the_same_colleague_is_refused(
    coach, trajectory, other_coach, django_capture_on_commit_callbacks
):
    assert _coach_asks(coach, trajectory, other_coach).status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _coach_asks(coach, trajectory, other_coach)
    assert response.status_code == 400
    assert "already been asked about this coach" in page_text(response)
    assert Consent.objects.count() == 1
    assert mail.outbox == []


def test_nobody_new_is_asked_for_a_restricted_coachee(coach, coachee, trajectory, other_coach):
    restrict_processing(coachee, "Onder bezwaar")
    response = _coach_asks(coach, trajectory, other_coach)
    assert response.status_code == 400
    assert "restricted the processing" in page_text(response)
    assert not Consent.objects.exists()


def test_a_question_needs_at_least_one_part_to_share(coach, trajectory, other_coach):
    response = _coach_asks(coach, trajectory, other_coach, apps=[])
    assert response.status_code == 400
    assert not Consent.objects.exists()
    response = _coach_asks(coach, trajectory, other_coach, apps=["everything"])
    assert response.status_code == 400
    assert not Consent.objects.exists()


@pytest.mark.parametrize("who", ["other_coach", "stranger_coach", "coachee", "org_manager"])
def test_only_a_coach_of_the_trajectory_asks(actors, trajectory, who):
    colleague = CoachFactory(organisation=trajectory.organisation)
    user = actors[who]
    assert _status(user, _ask_url(trajectory)) == 404
    response = signed_in(user).post(
        _ask_url(trajectory), {"coach": str(colleague.pk), "apps": ALL_APPS}
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_no_question_for_an_ended_trajectory(coach, trajectory, other_coach):
    ended_trajectory(trajectory, coach)
    assert _status(coach, _ask_url(trajectory)) == 404
    assert _coach_asks(coach, trajectory, other_coach).status_code == 404
    assert not Consent.objects.exists()


def test_granting_twice_changes_nothing(coach, coachee, trajectory, other_coach):
    _coach_asks(coach, trajectory, other_coach)
    question = _grant(coachee, _question(trajectory, other_coach))
    decided_at = question.decided_at
    response = signed_in(coachee).post(
        reverse("privacy:consent_grant", args=[question.uuid]), follow=True
    )
    assert response.status_code == 200
    assert "already been answered" in page_text(response)
    question.refresh_from_db()
    assert (question.state, question.decided_at) == (Consent.State.GRANTED, decided_at)
    granted = AuditEvent.objects.filter(action=Action.CONSENT, detail="granted")
    assert granted.count() == 1


@pytest.mark.parametrize("action", ["grant", "decline", "revoke", "withdraw"])
def test_nobody_decides_on_someone_elses_consent(
    coach, coachee, trajectory, other_coach, stranger_coachee, organisation, action
):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    neighbour = CoacheeFactory(organisation=organisation)
    for user in (stranger_coachee, neighbour, CoachFactory(organisation=organisation)):
        assert _decide(user, action, question).status_code == 404, user
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING


@pytest.mark.parametrize("action", ["grant", "decline"])
def test_the_coaches_cannot_answer_for_the_coachee(coach, coachee, trajectory, other_coach, action):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    for user in (coach, other_coach):
        # They can see the question, so they get a 302 with an error, or a 404.
        assert _decide(user, action, question).status_code in (302, 404), user
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING
    assert list(trajectory.coaches.all()) == [coach]


def test_the_coachee_cannot_withdraw_the_question(coach, coachee, trajectory, other_coach):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    response = signed_in(coachee).post(
        reverse("privacy:consent_withdraw", args=[question.uuid]), follow=True
    )
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Only the one who asked" in page_text(response)
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING


def test_a_pending_question_cannot_be_revoked_nor_a_given_one_declined(
    coach, coachee, trajectory, other_coach
):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    _decide(coachee, "revoke", question)
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING
    _grant(coachee, question)
    _decide(coachee, "decline", question)
    question.refresh_from_db()
    assert question.state == Consent.State.GRANTED
    assert set(trajectory.coaches.all()) == {coach, other_coach}


@pytest.mark.parametrize("name", ["grant", "decline", "revoke", "withdraw"])
def test_deciding_is_post_only(coach, coachee, trajectory, other_coach, name):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    url = reverse(f"privacy:consent_{name}", args=[question.uuid])
    assert _status(coachee, url) == 405
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING


# Found while writing these tests


def test_the_dossier_page_says_nothing_of_a_dialogue_outside_the_consent(
    coach, coachee, trajectory, other_coach, content
):
    _coach_asks(coach, trajectory, other_coach, apps=["dossier"])
    _grant(coachee, _question(trajectory, other_coach))
    page = signed_in(other_coach).get(_dossier_url(coachee))
    assert page.status_code == 200
    assert "No messages yet." in page_text(page)
    assert "message in all" not in page_text(page)


def test_a_coach_without_the_history_cannot_remove_a_message_from_before(
    org_manager, coach, coachee, trajectory, mole, content
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    _grant(coachee, _question(trajectory, mole))
    url = reverse("dialogue:remove_message", args=[content.dialogue.pk, content.message.pk])
    client = signed_in(mole)
    assert client.get(url).status_code == 404
    client.post(url)
    content.message.refresh_from_db()
    assert content.message.removed_at is None


def test_the_asked_coach_learns_nothing_of_the_coachee_before_the_consent(
    org_manager, coach, coachee, trajectory, mole
):
    _admin_sets_coaches(org_manager, trajectory, [coach, mole])
    page = page_text(signed_in(mole).get(reverse("privacy:consents")))
    assert coachee.last_name not in page
    assert coachee.first_name not in page


def test_a_narrowed_consent_does_not_widen_through_a_new_trajectory(
    org_manager, coach, coachee, trajectory, other_coach
):
    _coach_asks(coach, trajectory, other_coach, apps=["dialogue"])
    _grant(coachee, _question(trajectory, other_coach))
    assert _status(other_coach, _dossier_url(coachee)) == 404
    response = signed_in(org_manager).post(
        reverse("organisation:accounts_trajectory_add"),
        {
            "coachee": str(coachee.pk),
            "assigned_coaches": [str(other_coach.pk)],
            "started_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    second = Trajectory.objects.exclude(pk=trajectory.pk).get(coachee=coachee)
    assert _status(other_coach, _dossier_url(coachee)) == 404
    assert _question(second, other_coach).requested_by == org_manager


def test_a_coach_who_left_the_organisation_is_not_let_in(
    coach, coachee, trajectory, other_coach, other_organisation
):
    _coach_asks(coach, trajectory, other_coach)
    question = _question(trajectory, other_coach)
    other_coach.organisation = other_organisation
    other_coach.save(update_fields=["organisation"])
    _decide(coachee, "grant", question)
    question.refresh_from_db()
    assert question.state == Consent.State.PENDING
    assert list(trajectory.coaches.all()) == [coach]


def test_a_coach_without_interventions_is_not_told_of_a_submission(
    coach, coachee, trajectory, other_coach
):
    _coach_asks(coach, trajectory, other_coach, apps=["dialogue"])
    _grant(coachee, _question(trajectory, other_coach))
    assignment = _new_assignment(coach, trajectory)
    intervention_services.submit(assignment)
    assert Notice.objects.filter(user=coach, kind="interventions.submitted").exists()
    assert not Notice.objects.filter(user=other_coach, kind="interventions.submitted").exists()


def test_a_coach_let_into_the_dossier_only_cannot_reach_the_coachee_elsewhere(
    coach, coachee, trajectory, other_coach
):
    _coach_asks(coach, trajectory, other_coach, apps=["dossier"])
    _grant(coachee, _question(trajectory, other_coach))
    assert coachee not in dialogue_services.group_candidates(other_coach)
    assert trajectory not in intervention_services.coachable_trajectories(other_coach)
