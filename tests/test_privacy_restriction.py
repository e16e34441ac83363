"""Restriction of processing (regulation 1.2.6.4 and 1.3.5.4), proven per code path.

A restricted subject's data is stored and not processed: it stays readable (by the subject
and their coach), but nothing new is added, changed or destroyed, nobody is notified about
it, nothing of it is exported except to the subject, it is left out of dashboards and
suggestions, and on the legal-claims ground it is never purged. Every code path that
processes content asks the one predicate, ``User.processing_restricted`` (and
``User.held_for_legal_claim`` for the purge); the last tests here prove nobody asks the
column instead.

Path -> test. Paths proven elsewhere are referenced, not repeated; a bare name is a test in
this module.

Restricted coachee
- dialogue: post in a one-to-one dialogue
  test_dialogue_messages.py::test_restricted_subject_keeps_read_access_but_nobody_can_post
- dialogue: post in a group with a restricted member
  test_dialogue_groups.py::test_nobody_posts_in_a_group_with_a_restricted_member
- dialogue: edit a message
  test_a_coach_cannot_edit_a_message_in_a_restricted_dialogue
- dialogue: withdraw a message
  test_a_coach_cannot_withdraw_a_message_in_a_restricted_dialogue
- dialogue: remove a message
  test_a_message_in_a_restricted_dialogue_is_not_removed
- dialogue: group membership, new group or added to one
  test_a_restricted_coachee_joins_no_group
- dialogue: new-message notices
  test_dialogue_notifications.py::test_no_notification_about_a_restricted_subject
  test_dialogue_notifications.py::test_no_notification_to_others_about_a_group_with_a_restricted_member
- notices to a restricted recipient (every kind, every role)
  test_notices.py::test_inactive_restricted_and_unwilling_users_get_no_notice
  test_notices.py::test_a_user_who_became_restricted_or_unwilling_is_not_told
- interventions: assign
  test_interventions_assign.py::test_a_coachee_under_restriction_cannot_be_assigned
- interventions: daily and pending notices to the coachee
  test_interventions_assign.py::test_a_coachee_under_restriction_is_not_told_by_the_daily_task
  test_interventions_assign.py::test_a_restricted_coachees_pending_notice_is_not_sent
- interventions: fill in, upload, submit
  test_interventions_fill_in.py::test_a_stopped_assignment_stays_readable_but_refuses_every_change
- interventions: feedback, review, reopen
  test_interventions_review.py::test_a_restricted_coachee_gets_no_feedback_review_or_reopen_and_no_notices
- interventions: the "submitted" notice to the coach
  test_the_coach_is_not_told_of_a_restricted_coachees_submission
- toolbox: share with a restricted coachee (an item, several, a group, on adding)
  test_toolbox_access.py::test_nothing_new_is_shared_with_a_restricted_coachee
  test_toolbox_bad_input.py::test_nothing_new_is_shared_with_a_restricted_coachee
- toolbox: add or share by a restricted coachee
  test_toolbox_access.py::test_a_restricted_coachee_adds_and_shares_nothing
  test_toolbox_bad_input.py::test_a_restricted_coachee_cannot_add_anything
- toolbox: items stay readable
  test_toolbox_access.py::test_a_restricted_coachees_items_stay_readable_to_them_and_their_coach
- toolbox: change an own item
  test_a_restricted_coachee_cannot_change_their_item
- toolbox: the "shared" notice to the coach
  test_the_coach_is_not_told_of_what_a_restricted_coachee_shared
- dossier: session report add, edit, delete (pages and service)
  test_dossier_reports.py::test_a_restricted_coachee_is_read_only_and_the_pages_say_why
  test_dossier_reports.py::test_a_restricted_coachee_gets_no_new_changed_or_deleted_report
- dossier: "my coachees" marks them
  test_dossier_coachees.py::test_a_restricted_coachee_is_marked_in_the_list
- dossier: end a trajectory
  test_dossier_coachees.py::test_a_restricted_coachee_trajectory_cannot_be_ended
- dossier: undo an end
  test_the_end_of_a_restricted_coachees_trajectory_stays
- timesheet: entries added, changed, deleted, made from a report
  test_timesheet_entries.py::test_a_restricted_coachee_gets_no_new_or_changed_or_deleted_entry
  test_timesheet_entries.py::test_the_service_refuses_changes_for_a_restricted_coachee
- timesheet: suggestions
  test_timesheet_suggestions.py::test_restricted_coachees_and_ended_trajectories_are_left_out
  test_timesheet_suggestions.py::test_a_suggestion_for_a_coachee_restricted_meanwhile_is_not_accepted
- timesheet: CSV and PDF export
  test_timesheet_exports.py::test_restricted_coachees_are_left_out_and_the_page_says_so
- coach dashboard
  test_home_coach.py::test_restricted_coachees_are_left_out_and_counted_apart
- consent: the coachee asked to let a colleague in
  test_nobody_asks_a_restricted_coachee_to_let_a_colleague_in
- organisation admin: a new trajectory, a coach joining without consent
  test_the_organisation_manager_starts_nothing_new_for_a_restricted_coachee
- access request: who receives the copy (the subject only)
  test_a_restricted_subjects_copy_goes_to_them_only
- restriction request: the ground, the legal-claims predicate
  test_a_restriction_request_sets_the_ground_and_the_legal_claim_predicate
  test_the_predicates_follow_the_column_and_the_ground
  test_privacy_requests.py::test_a_restriction_restricts_the_subject_and_tells_the_coaches
  test_privacy_requests.py::test_a_restricted_subject_can_still_file_and_is_told
- retention purge (no purge of content exists yet; the rule waits for it)
  test_every_purge_by_age_asks_held_for_legal_claim
- IT administration and support pages show it
  test_admin_site.py::test_restriction_is_shown_but_changed_only_through_a_request
  test_support_user_page.py::test_page_says_when_two_factor_is_set_up_and_processing_is_restricted

Restricted coach (1.3.5.4)
- dialogue: nobody posts
  test_nobody_posts_in_a_dialogue_with_a_restricted_coach
- invitations: sends none
  test_a_restricted_coach_invites_nobody
- toolbox: add
  test_a_restricted_coach_adds_no_toolbox_item
- interventions: assign
  test_a_restricted_coach_assigns_no_intervention
- dossier: session report
  test_a_restricted_coach_writes_no_session_report
- timesheet: entry
  test_a_restricted_coach_records_no_time
- invitation of a coachee naming them as coach
  test_no_coachee_is_invited_to_a_restricted_coach
- consent asked for them to join a trajectory
  test_nobody_asks_consent_for_a_restricted_coach

The one predicate
  test_only_the_allowed_modules_touch_the_restriction_column
  test_the_predicate_is_the_only_one_asked
  test_the_rule_finds_every_use_of_the_column
"""

import ast
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import invitations
from accounts.models import Invitation, RestrictionGround, Trajectory
from accounts.roles import Role
from accounts.services import lift_restriction, restrict_processing
from dialogue.models import Message, Participant
from dialogue.services import add_to_group, create_group, group_candidates
from dossier import services as dossier_services
from dossier import timesheet
from dossier.models import Activity, SessionReport, TimeEntry
from interventions import services as intervention_services
from interventions.models import Assignment
from pluform import dates
from pluform.notices import services as notices
from pluform.notices.models import Notice
from privacy import requests
from privacy.consent_models import Consent
from privacy.request_models import AccessArchive, Kind
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post
from tests.factories.dossier import ended_trajectory, session_report
from tests.factories.interventions import assign, open_question, template
from tests.factories.toolbox import link_item
from tests.pages import page_text, signed_in
from toolbox import services as toolbox_services
from toolbox.models import Item
from toolbox.notices import SHARED

pytestmark = pytest.mark.django_db

RESTRICTED_DIALOGUE = "Processing is restricted for someone in this dialogue"
RESTRICTED_DOSSIER = "Processing of this coachee's data is restricted at their request"
RESTRICTED_CONSENT = "The coachee has restricted the processing of their data"


def _restrict(user, ground=RestrictionGround.OBJECTED):
    restrict_processing(user, "Bezwaar", ground=ground)
    user.refresh_from_db()


def _reads(user, url, *texts):
    """Whether ``user`` opens ``url`` and reads every one of ``texts`` on it."""
    response = signed_in(user).get(url)
    return response.status_code == 200 and all(text in page_text(response) for text in texts)


def _detail(dialogue):
    return reverse("dialogue:detail", args=[dialogue.pk])


def _message_url(name, message):
    return reverse(f"dialogue:{name}", args=[message.dialogue_id, message.pk])


# Dialogue


def test_a_coach_cannot_edit_a_message_in_a_restricted_dialogue(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    message = post(dialogue, coach, "Voor de beperking")
    _restrict(coachee)
    response = signed_in(coach).post(_message_url("edit_message", message), {"body": "Erna"})
    assert response.status_code == 200 and RESTRICTED_DIALOGUE in page_text(response)
    message.refresh_from_db()
    assert (message.body, message.edited_at) == ("Voor de beperking", None)
    assert _reads(coachee, _detail(dialogue), "Voor de beperking")
    assert _reads(coach, _detail(dialogue), "Voor de beperking")


def test_a_coach_cannot_withdraw_a_message_in_a_restricted_dialogue(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    message = post(dialogue, coach, "Voor de beperking")
    _restrict(coachee)
    response = signed_in(coach).post(_message_url("withdraw_message", message), follow=True)
    assert RESTRICTED_DIALOGUE in page_text(response)
    message.refresh_from_db()
    assert (message.body, message.withdrawn_at) == ("Voor de beperking", None)
    assert _reads(coachee, _detail(dialogue), "Voor de beperking")


def test_a_message_in_a_restricted_dialogue_is_not_removed(coach, coachee, trajectory):
    """Destroying is processing (statement 1.1.4), as withdrawing is: the data stays stored."""
    dialogue = one_to_one(trajectory)
    message = post(dialogue, coachee, "Voor de beperking")
    _restrict(coachee)
    signed_in(coach).post(_message_url("remove_message", message), follow=True)
    message.refresh_from_db()
    assert (message.body, message.removed_at) == ("Voor de beperking", None)
    assert _reads(coachee, _detail(dialogue), "Voor de beperking")


def test_a_restricted_coachee_joins_no_group(coach, coachee, trajectory, organisation):
    other = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee], title="Wandelgroep")
    post(crew, coach, "Welkom")
    newcomers = group(coach, [other], title="Nieuwe groep")
    _restrict(coachee)
    # What they are in stays readable.
    assert _reads(coachee, _detail(crew), "Welkom")

    assert coachee not in group_candidates(coach)
    with pytest.raises(ValidationError):
        create_group(coach, title="Nog een groep", members=[coachee, other])
    with pytest.raises(ValidationError):
        add_to_group(newcomers, coach, coachee)
    groups = Participant.objects.filter(user=coachee, dialogue__kind="group")
    assert list(groups.values_list("dialogue", flat=True)) == [crew.pk]


def test_nobody_posts_in_a_dialogue_with_a_restricted_coach(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Voor de beperking")
    _restrict(coach)
    client = signed_in(coachee)
    response = client.post(reverse("dialogue:post_message", args=[dialogue.pk]), {"body": "Nu"})
    assert RESTRICTED_DIALOGUE in page_text(response)
    assert Message.objects.count() == 1
    assert _reads(coach, _detail(dialogue), "Voor de beperking")


# Interventions


@pytest.fixture
def check_in(coach):
    return template(coach, "Check-in", steps=[("Kijk terug.", [open_question()])])


def test_the_coach_is_not_told_of_a_restricted_coachees_submission(
    coach, coachee, trajectory, check_in
):
    [assignment] = assign(check_in, coach, trajectory)
    intervention_services.submit(assignment)  # the coach's notice waits for its delivery
    notice = Notice.objects.get(user=coach, kind="interventions.submitted")
    _restrict(coachee)
    assert _reads(coach, reverse("interventions:assignment", args=[assignment.pk]), "Check-in")

    assert notices.deliver(notice.pk) is False
    assert mail.outbox == []


def test_a_restricted_coach_assigns_no_intervention(coach, coachee, trajectory, check_in):
    [before] = assign(check_in, coach, trajectory)
    _restrict(coach)
    assert _reads(coach, reverse("interventions:assignment", args=[before.pk]), "Check-in")
    with pytest.raises(ValidationError):
        assign(check_in, coach, trajectory)
    assert list(Assignment.objects.all()) == [before]


# Toolbox


def test_a_restricted_coachee_cannot_change_their_item(coach, coachee, trajectory):
    item = link_item(coachee, title="Van Eva", recipients=[coach])
    _restrict(coachee)
    signed_in(coachee).post(
        reverse("toolbox:edit", args=[item.pk]),
        {"url": "https://example.org/anders", "title": "Gewijzigd", "description": "", "tags": ""},
    )
    item.refresh_from_db()
    assert (item.title, item.url) == ("Van Eva", "https://example.org/artikel")
    assert _reads(coachee, reverse("toolbox:item", args=[item.pk]), "Van Eva")
    assert _reads(coach, reverse("toolbox:item", args=[item.pk]), "Van Eva")
    with pytest.raises(ValidationError):
        toolbox_services.update_item(item, title="Gewijzigd", description="", tags=[])


def test_the_coach_is_not_told_of_what_a_restricted_coachee_shared(coach, coachee, trajectory):
    item = link_item(coachee, title="Van Eva", recipients=[coach])
    notice = Notice.objects.get(user=coach, kind=SHARED)
    _restrict(coachee)
    assert _reads(coach, reverse("toolbox:item", args=[item.pk]), "Van Eva")

    assert notices.deliver(notice.pk) is False
    assert mail.outbox == []


def test_a_restricted_coach_adds_no_toolbox_item(coach, coachee, trajectory):
    before = link_item(coach, title="Van Carla", recipients=[coachee])
    _restrict(coach)
    assert _reads(coach, reverse("toolbox:item", args=[before.pk]), "Van Carla")
    assert _reads(coachee, reverse("toolbox:item", args=[before.pk]), "Van Carla")
    with pytest.raises(ValidationError):
        link_item(coach, title="Nieuw")
    assert list(Item.objects.all()) == [before]


# Dossier and timesheet


def test_the_end_of_a_restricted_coachees_trajectory_stays(coach, coachee, trajectory):
    """Undoing an end is processing too (it moves the start of the retention period)."""
    ended_trajectory(trajectory, coach)
    _restrict(coachee)
    url = reverse("dossier:undo_end", args=[trajectory.pk])
    response = signed_in(coach).post(url, follow=True)
    assert RESTRICTED_DOSSIER in page_text(response)
    trajectory.refresh_from_db()
    assert trajectory.ended_on is not None
    with pytest.raises(ValidationError) as refused:
        dossier_services.undo_end(trajectory)
    assert refused.value.code == "restricted"
    assert _reads(coach, reverse("dossier:coachee", args=[coachee.pk]), "Eva Zwanenburg")


def test_a_restricted_coach_writes_no_session_report(coach, coachee, trajectory):
    before = session_report(coach, trajectory, report="Voor de beperking")
    _restrict(coach)
    assert _reads(coach, reverse("dossier:report", args=[before.pk]), "Voor de beperking")
    with pytest.raises(ValidationError):
        session_report(coach, trajectory, report="Erna")
    assert list(SessionReport.objects.all()) == [before]


def test_a_restricted_coach_records_no_time(coach, coachee, trajectory):
    _restrict(coach)
    assert signed_in(coach).get(reverse("timesheet:index")).status_code == 200
    with pytest.raises(ValidationError):
        timesheet.add_entry(
            coach, coachee, worked_on=dates.today(), minutes=30, activity=Activity.SESSION
        )
    assert not TimeEntry.objects.exists()


# Who is let in: invitations, consent, the organisation admin


def test_a_restricted_coach_invites_nobody(coach, coachee, trajectory):
    _restrict(coach)
    client = signed_in(coach)
    url = reverse("accounts:invitations")
    assert client.get(url).status_code == 403
    response = client.post(url, {"email": "nieuw@example.com", "language": "nl"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert _reads(coach, reverse("dossier:coachee", args=[coachee.pk]), "Eva Zwanenburg")


def test_no_coachee_is_invited_to_a_restricted_coach(coach, org_manager):
    _restrict(coach)
    with pytest.raises((invitations.CoachRequired, ValidationError)):
        invitations.invite(
            organisation=org_manager.organisation,
            email="nieuw@example.com",
            role=Role.COACHEE,
            language="nl",
            invited_by=org_manager,
            coach=coach,
        )
    assert not Invitation.objects.exists()


def _ask(client, trajectory, colleague):
    return client.post(
        reverse("privacy:consent_ask", args=[trajectory.pk]),
        {"coach": colleague.pk, "apps": ["dialogue", "interventions", "toolbox", "dossier"]},
    )


def test_nobody_asks_a_restricted_coachee_to_let_a_colleague_in(
    coach, coachee, trajectory, other_coach, django_capture_on_commit_callbacks
):
    _restrict(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(signed_in(coach), trajectory, other_coach)
    assert response.status_code == 400 and RESTRICTED_CONSENT in page_text(response)
    assert not Consent.objects.exists()
    assert mail.outbox == []
    assert list(trajectory.coaches.all()) == [coach]
    assert signed_in(coachee).get(reverse("privacy:consents")).status_code == 200


def test_nobody_asks_consent_for_a_restricted_coach(
    coach, coachee, trajectory, other_coach, django_capture_on_commit_callbacks
):
    _restrict(other_coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(signed_in(coach), trajectory, other_coach)
    assert response.status_code == 400
    assert not Consent.objects.exists()
    assert mail.outbox == []


def test_the_organisation_manager_starts_nothing_new_for_a_restricted_coachee(
    coach, coachee, trajectory, org_manager
):
    _restrict(coachee)
    client = signed_in(org_manager)
    change = reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])
    assert client.get(change).status_code == 200
    # The coach coaches the coachee already, so joining a new trajectory needs no consent.
    response = client.post(
        reverse("organisation:accounts_trajectory_add"),
        {"coachee": coachee.pk, "assigned_coaches": [coach.pk], "started_on": "2026-02-01"},
    )
    assert response.status_code == 200  # the form says why, and nothing is stored
    assert list(Trajectory.objects.filter(coachee=coachee)) == [trajectory]
    assert _reads(coach, reverse("dossier:coachee", args=[coachee.pk]), "Eva Zwanenburg")


# Data-subject requests: the copy, the ground, the legal claim


def _executed(subject, coach, account_manager, it_admin, kind, **fields):
    made = requests.file(subject, kind=kind, coach=coach, **fields)
    requests.forward(made, coach)
    requests.pass_on(made, account_manager)
    requests.execute(made, it_admin)
    return made


def test_a_restricted_subjects_copy_goes_to_them_only(
    coach, coachee, trajectory, account_manager, it_admin, django_capture_on_commit_callbacks
):
    made = requests.file(coachee, kind=Kind.ACCESS, coach=coach)
    requests.forward(made, coach)
    requests.pass_on(made, account_manager)
    assert requests.archive_recipients(made) == [coachee, coach]  # unrestricted: both
    _restrict(coachee, RestrictionGround.CONTESTED)
    made.subject.refresh_from_db()
    assert requests.archive_recipients(made) == [coachee]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        requests.execute(made, it_admin)
    archive = AccessArchive.objects.get(request=made)
    assert archive.state == AccessArchive.State.READY
    assert list(archive.recipients.all()) == [coachee]
    told = [address for email in mail.outbox if "copy" in email.subject for address in email.to]
    assert told == [coachee.email]
    url = reverse("privacy:archive", args=[archive.uuid])
    assert signed_in(coachee).get(url).status_code == 200
    assert signed_in(coach).get(url).status_code == 404
    # The request itself stays readable to the coach it was filed with.
    assert signed_in(coach).get(reverse("privacy:request", args=[made.uuid])).status_code == 200


@pytest.mark.parametrize(
    ("ground", "held"),
    [
        (RestrictionGround.LEGAL_CLAIM, True),
        (RestrictionGround.CONTESTED, False),
        (RestrictionGround.UNLAWFUL, False),
        (RestrictionGround.OBJECTED, False),
    ],
)
def test_a_restriction_request_sets_the_ground_and_the_legal_claim_predicate(
    coach, coachee, trajectory, account_manager, it_admin, ground, held
):
    assert not coachee.processing_restricted and not coachee.held_for_legal_claim
    made = _executed(
        coachee,
        coach,
        account_manager,
        it_admin,
        Kind.RESTRICTION,
        motivation="Nodig",
        ground=ground,
    )
    coachee.refresh_from_db()
    assert coachee.processing_restricted
    assert (coachee.restriction_ground, coachee.held_for_legal_claim) == (ground, held)
    assert made.steps.filter(step="restricted").exists()
    lift_restriction(coachee)
    coachee.refresh_from_db()
    assert not coachee.processing_restricted and not coachee.held_for_legal_claim


# The one predicate: nobody asks the column instead


ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "dialogue", "interventions", "toolbox", "dossier", "privacy", "pluform"]
COLUMN = "processing_restricted_at"

# Where the column may be read or written as an attribute, and why.
READS = {
    "accounts/models.py": "the predicates themselves",
    "accounts/subject_data.py": "the subject's own copy of their data says since when",
}
SETS = {"accounts/services.py": "restrict_processing and lift_restriction"}
# Where the column is named in a string or a keyword: the predicate cannot run in SQL, so
# these filter or load on the column in a query (or name it as a field).
NAMES = {
    "accounts/models.py": "not_restricted(): the predicate as a query condition",
    "accounts/admin.py": "the IT administrator's user page shows it, read-only",
    "accounts/services.py": "update_fields of restrict_processing and lift_restriction",
    "accounts/subject_data.py": "key and label in the subject's own copy",
    "dialogue/notices.py": "no new-message notice for a dialogue with a restricted participant",
    "pluform/notices/services.py": "no daily digest for a restricted recipient",
    "interventions/services.py": "no due-soon or opened notices for a restricted coachee",
    "dossier/dashboard.py": "restricted coachees left out of the dashboard's numbers",
    "dossier/exports.py": "restricted coachees left out of the timesheet export",
    "dossier/suggestions.py": "restricted coachees left out of the suggestions",
    "dossier/queries.py": "loaded with the row, so that the predicate costs no query",
    "dossier/timesheet.py": "loaded with the row, so that the predicate costs no query",
}
TEMPLATES = {"accounts/templates/accounts/support/user.html": "shows since when"}
# Reads that should ask the predicate instead; none are left.
KNOWN: set = set()


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    kind: str  # reads, sets, names (a string or keyword), template
    source: str


def _docstrings(tree) -> set:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def _names_the_column(node, docstrings) -> bool:
    """A string (a lookup, a field name) or a keyword (a lookup) that names the column."""
    if isinstance(node, ast.keyword):
        return bool(node.arg) and COLUMN in node.arg
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and COLUMN in node.value
        and id(node) not in docstrings
    )


def _python_uses(source: str, path: str):
    tree = ast.parse(source)
    lines = source.splitlines()
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == COLUMN:
            kind = "reads" if isinstance(node.ctx, ast.Load) else "sets"
        elif _names_the_column(node, docstrings):
            kind = "names"
        else:
            continue
        yield Use(path, node.lineno, kind, lines[node.lineno - 1].strip())


def _template_uses(text: str, path: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(rf"\b{COLUMN}\b", line):
            yield Use(path, number, "template", line.strip()[:120])


def _uses() -> list[Use]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            name = str(path.relative_to(ROOT))
            if not path.is_file() or "migrations" in path.parts:
                continue
            if path.suffix == ".py":
                found += _python_uses(path.read_text(), name)
            elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
                found += _template_uses(path.read_text(), name)
    for path in sorted((ROOT / "templates").rglob("*.html")):
        found += _template_uses(path.read_text(), str(path.relative_to(ROOT)))
    return found


def _outside_the_allow_list(uses) -> list[Use]:
    allowed = {"reads": READS, "sets": SETS, "names": NAMES, "template": TEMPLATES}
    return [use for use in uses if use.path not in allowed[use.kind]]


def test_the_rule_finds_every_use_of_the_column():
    source = (
        '"""Docs may say processing_restricted_at."""\n'
        "if user.processing_restricted_at:\n"
        "    pass\n"
        "user.processing_restricted_at = None\n"
        'User.objects.filter(coachee__processing_restricted_at__isnull=True).only("x")\n'
        'qs.values("coachee__processing_restricted_at")\n'
        "ok = user.processing_restricted\n"
    )
    found = [(use.line, use.kind) for use in _python_uses(source, "x.py")]
    assert sorted(found) == [(2, "reads"), (4, "sets"), (5, "names"), (6, "names")]
    template = "{% if row.processing_restricted %}{{ row.processing_restricted_at }}{% endif %}"
    assert [use.kind for use in _template_uses(template, "t.html")] == ["template"]
    assert not list(_template_uses("{% if row.processing_restricted %}", "t.html"))


def test_only_the_allowed_modules_touch_the_restriction_column():
    uses = _uses()
    assert {use.path for use in uses} >= {"accounts/models.py", "dossier/exports.py"}
    unexpected = [
        f"{use.path}:{use.line} ({use.kind}) {use.source}"
        for use in _outside_the_allow_list(uses)
        if (use.path, use.kind) not in KNOWN
    ]
    assert not unexpected, "ask User.processing_restricted instead: " + "; ".join(unexpected)


def test_the_predicate_is_the_only_one_asked():
    found = [f"{use.path}:{use.line} {use.source}" for use in _outside_the_allow_list(_uses())]
    assert not found, found


def test_every_purge_by_age_asks_held_for_legal_claim():
    """A subject restricted on the legal-claims ground is never purged. Today only login
    attempts are purged by age (accounts/retention.py, no content); a module that erases
    content at the end of the retention period must ask ``held_for_legal_claim``."""
    purging = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if "settings.PLUFORM_RETENTION_MONTHS" in text and "held_for_legal_claim" not in text:
                purging.append(str(path.relative_to(ROOT)))
    assert not purging
    assert "held_for_legal_claim" in (ROOT / "accounts/models.py").read_text()


def test_the_predicates_follow_the_column_and_the_ground(coachee):
    assert not coachee.processing_restricted
    coachee.restriction_ground = RestrictionGround.LEGAL_CLAIM
    assert not coachee.held_for_legal_claim  # a ground alone restricts nothing
    restrict_processing(coachee, "Rechtszaak", ground=RestrictionGround.LEGAL_CLAIM)
    assert coachee.processing_restricted and coachee.held_for_legal_claim
    coachee.refresh_from_db()
    assert coachee.processing_restricted and coachee.held_for_legal_claim
    assert coachee.processing_restricted_at <= datetime.datetime.now(datetime.UTC)
    lift_restriction(coachee)
    assert not coachee.processing_restricted and not coachee.held_for_legal_claim
