"""Break-glass (regulation 1.2.5.3): the ICT line manager reads one person's data, to check an
IT process, after an IT administrator other than themselves approved it, read-only, for at
most four hours; every page read is an audit event flagged break-glass, which the person and
their coach see in their access log; the access ends by itself. Without an active grant every
content URL, and the reading pages, are a 404."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from privacy import break_glass
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from privacy.break_glass_models import BreakGlassGrant
from tests.factories.dialogue import one_to_one, post
from tests.pages import page_text, reauthenticated, signed_in

pytestmark = pytest.mark.django_db

MARKER = "bg-7d1e-dialogue-marker"


@pytest.fixture
def dialogue(coach, coachee, trajectory):
    made = one_to_one(trajectory)
    post(made, coachee, f"Something personal {MARKER}")
    return made


def _ask(ict, subject, minutes=60):
    return break_glass.request_grant(ict, subject=subject, reason="Sync failed", minutes=minutes)


def _read_url(grant, section="dialogue.messages"):
    return reverse("privacy:break_glass_read", args=[grant.uuid, section])


@pytest.fixture
def active(ict_line_manager, it_admin, coachee):
    grant = _ask(ict_line_manager, coachee)
    break_glass.approve(grant, it_admin)
    return grant


# Asking


def test_the_ict_line_manager_asks_and_the_it_administrators_are_told(
    ict_line_manager, it_admin, coachee, django_capture_on_commit_callbacks
):
    client = signed_in(ict_line_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:break_glass"),
            {"email": coachee.email, "reason": "Backup check", "minutes": "30"},
        )
    grant = BreakGlassGrant.objects.get()
    assert response.status_code == 302
    assert (grant.subject, grant.minutes, grant.state) == (coachee, 30, "requested")
    assert [message.to for message in mail.outbox] == [[it_admin.email]]
    assert "Backup check" not in mail.outbox[0].body
    # Nothing can be read before an IT administrator approved it.
    assert client.get(_read_url(grant)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": "241"}, "240"),
        ({"email": "nobody@example.org"}, "No active coach or coachee has this e-mail address."),
        ({"reason": ""}, "This field is required."),
    ],
)
def test_a_bad_request_is_shown_again_with_its_error(ict_line_manager, coachee, data, message):
    form = {"email": coachee.email, "reason": "Backup check", "minutes": "30", **data}
    response = signed_in(ict_line_manager).post(reverse("privacy:break_glass"), form)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not BreakGlassGrant.objects.exists()


def test_staff_other_than_the_ict_line_manager_cannot_ask(it_admin, customer_service, coachee):
    for user in (it_admin, customer_service):
        with pytest.raises(ValidationError):
            _ask(user, coachee)


def test_only_coaches_and_coachees_can_be_asked_for(ict_line_manager, org_manager):
    with pytest.raises(ValidationError):
        _ask(ict_line_manager, org_manager)


# Deciding


def test_nobody_approves_their_own_request(ict_line_manager, it_admin, coachee):
    grant = _ask(ict_line_manager, coachee)
    with pytest.raises(ValidationError, match="Only an IT administrator"):
        break_glass.approve(grant, ict_line_manager)
    # An IT administrator named as the requester (say, the roles were changed) is refused too.
    mine = BreakGlassGrant.objects.create(
        requested_by=it_admin, subject=coachee, reason="Mine", minutes=10
    )
    with pytest.raises(ValidationError, match="Nobody approves their own"):
        break_glass.approve(mine, it_admin)
    mine.refresh_from_db()
    assert mine.state == BreakGlassGrant.State.REQUESTED
    # Through the pages, the requester finds no decision to take.
    assert (
        signed_in(ict_line_manager)
        .post(reverse("privacy:break_glass_approve", args=[grant.uuid]))
        .status_code
        == 404
    )


def test_an_it_administrator_approves_after_the_password_and_the_window_starts(
    ict_line_manager, it_admin, coachee
):
    grant = _ask(ict_line_manager, coachee, minutes=90)
    response = reauthenticated(it_admin).post(
        reverse("privacy:break_glass_approve", args=[grant.uuid])
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.state == BreakGlassGrant.State.APPROVED and grant.decided_by == it_admin
    assert grant.ends_at - grant.decided_at == datetime.timedelta(minutes=90)
    # Decided once.
    with pytest.raises(ValidationError):
        break_glass.refuse(grant, it_admin)


def test_a_refused_request_opens_nothing(ict_line_manager, it_admin, coachee, dialogue):
    grant = _ask(ict_line_manager, coachee)
    break_glass.refuse(grant, it_admin)
    assert signed_in(ict_line_manager).get(_read_url(grant)).status_code == 404


# Reading


def test_an_active_grant_reads_the_subjects_data_and_every_page_read_is_recorded(
    ict_line_manager, coachee, active, dialogue
):
    client = signed_in(ict_line_manager)
    response = client.get(_read_url(active))
    assert response.status_code == 200
    assert MARKER in page_text(response)
    assert "This page read is recorded" in page_text(response)
    client.get(_read_url(active, "accounts.profile"))
    reads = AuditEvent.objects.filter(
        action=Action.BREAK_GLASS, subject_uuid=coachee.uuid, detail__startswith="read: "
    )
    assert sorted(reads.values_list("detail", flat=True)) == [
        "read: accounts.profile",
        "read: dialogue.messages",
    ]
    assert set(reads.values_list("actor_role", flat=True)) == {"ict_line_manager"}


def test_the_content_urls_stay_a_404_even_with_an_active_grant(ict_line_manager, active, dialogue):
    client = signed_in(ict_line_manager)
    assert client.get(reverse("dialogue:detail", args=[dialogue.pk])).status_code == 404
    assert client.get(reverse("dossier:coachee", args=[active.subject.uuid])).status_code == 404


def test_the_grant_is_for_its_subject_only(ict_line_manager, it_admin, active, other_coach):
    other = _ask(ict_line_manager, other_coach)
    # Another subject's pending request opens nothing, whatever section is named.
    assert signed_in(ict_line_manager).get(_read_url(other)).status_code == 404
    assert signed_in(ict_line_manager).get(_read_url(active, "no.such")).status_code == 404


def test_it_ends_by_itself(ict_line_manager, active):
    BreakGlassGrant.objects.filter(pk=active.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = signed_in(ict_line_manager)
    assert client.get(_read_url(active)).status_code == 404
    page = client.get(reverse("privacy:break_glass_grant", args=[active.uuid]))
    assert "Expired" in page_text(page)


def test_the_requester_ends_it_early(ict_line_manager, active):
    client = signed_in(ict_line_manager)
    assert client.post(reverse("privacy:break_glass_end", args=[active.uuid])).status_code == 302
    active.refresh_from_db()
    assert active.state == BreakGlassGrant.State.ENDED
    assert client.get(_read_url(active)).status_code == 404


def test_the_subject_and_their_coach_see_it_in_their_access_log(
    ict_line_manager, coach, coachee, other_coach, active, dialogue
):
    signed_in(ict_line_manager).get(_read_url(active))
    log = reverse("privacy:access_log")
    mine = page_text(signed_in(coachee).get(log))
    assert "break-glass access" in mine
    assert "Pluform IT (ICT line manager)" in mine
    assert "Your dialogues" in mine
    theirs = page_text(signed_in(coach).get(log))
    assert f"{coachee.get_full_name()}: Your dialogues" in theirs
    # A coach of someone else does not.
    assert "break-glass" not in page_text(signed_in(other_coach).get(log))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["asked for", "approved", "ended early"]),
        ("nl", ["aangevraagd", "goedgekeurd", "vroegtijdig beëindigd"]),
    ],
)
def test_the_access_log_names_each_step_in_the_subjects_language(
    ict_line_manager, coachee, active, language, words
):
    break_glass.end(active, ict_line_manager)
    coachee.language = language
    coachee.save(update_fields=["language"])
    mine = page_text(signed_in(coachee).get(reverse("privacy:access_log")))
    for word in words:
        assert word in mine
    if language == "nl":
        for english in ("requested", "approved", "ended"):
            assert english not in mine


def test_after_the_password_page_the_decision_is_offered_again(ict_line_manager, it_admin, coachee):
    """The password is asked on the button's POST; allauth then returns with a GET, which
    shows the request again (no 405), and nothing is decided until the button is used."""
    grant = _ask(ict_line_manager, coachee)
    response = reauthenticated(it_admin).get(
        reverse("privacy:break_glass_approve", args=[grant.uuid])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:break_glass_grant", args=[grant.uuid])
    grant.refresh_from_db()
    assert grant.state == BreakGlassGrant.State.REQUESTED
