"""My coachees and one coachee's dossier page, through the pages: the list's columns, searching
by name, running and ended trajectories apart, unread messages and interventions waiting for
review, ending a trajectory and undoing that within 30 days, the sections of the dossier
page, a second coach of the trajectory and a coach who was removed from it."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import Trajectory
from accounts.services import add_coach, restrict_processing, unassign_coach
from dialogue import services as dialogue_services
from dialogue.models import Message
from dossier import services
from interventions import services as intervention_services
from pluform import dates
from privacy.audit_models import Action, AuditEvent
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one, post
from tests.factories.dossier import ended_trajectory, session_report
from tests.factories.interventions import assign, open_question, template
from tests.factories.toolbox import link_item
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

LIST = reverse("dossier:coachees")
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
DAY = datetime.timedelta(days=1)


# Helpers


def _rows(client, **params) -> list:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def _names(client, **params) -> list[str]:
    return [row.name for row in _rows(client, **params)]


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _dossier_url(person):
    return reverse("dossier:coachee", args=[person.pk])


def _end_url(trajectory):
    return reverse("dossier:end_trajectory", args=[trajectory.pk])


def _undo_url(trajectory):
    return reverse("dossier:undo_end", args=[trajectory.pk])


def _coachee_of(coach, organisation, first_name, last_name, **trajectory_fields):
    person = CoacheeFactory(organisation=organisation, first_name=first_name, last_name=last_name)
    TrajectoryFactory(coachee=person, coaches=[coach], **trajectory_fields)
    return person


def _submitted(coach, trajectory, title="Slaapdagboek"):
    """An intervention the coachee answered and submitted: it waits for the coach's review."""
    made = template(coach, title, steps=[("Kijk terug.", [open_question(required=False)])])
    [assignment] = assign(made, coach, trajectory)
    intervention_services.submit(assignment)
    return assignment


def _recorded_days_ago(trajectory, days, minutes=0):
    Trajectory.objects.filter(pk=trajectory.pk).update(
        end_recorded_at=timezone.now() - datetime.timedelta(days=days, minutes=minutes)
    )
    trajectory.refresh_from_db()


@pytest.fixture
def bram(coach, organisation):
    """A second coachee of the coach."""
    return _coachee_of(coach, organisation, "Bram", "Brandsma")


# The list and its columns


def test_the_list_shows_each_coachee_with_dates_activity_unread_and_review(
    coach, coachee, trajectory, bram, organisation, other_coach
):
    _coachee_of(other_coach, organisation, "Cas", "Colijn")  # not the coach's
    coachee.last_activity_at = datetime.datetime(2026, 3, 5, 10, 0, tzinfo=datetime.UTC)
    coachee.save()
    dialogue = one_to_one(trajectory)
    dialogue_services.mark_read(dialogue, coach)
    post(dialogue, coach, "Hoe gaat het?")
    post(dialogue, coachee, "Goed")
    post(dialogue, coachee, "Echt goed")
    _submitted(coach, trajectory)
    _submitted(coach, trajectory, "Tweede")

    client = signed_in(coach)
    rows = {row.name: row for row in _rows(client)}
    assert list(rows) == ["Bram Brandsma", "Eva Zwanenburg"]  # by first name
    eva = rows["Eva Zwanenburg"]
    assert (eva.started_on, eva.ended_on, eva.trajectory_id) == (
        trajectory.started_on,
        None,
        trajectory.pk,
    )
    assert (eva.unread, eva.to_review) == (2, 2)
    assert (rows["Bram Brandsma"].unread, rows["Bram Brandsma"].to_review) == (0, 0)
    assert eva.activity_text == "5 March 2026"
    assert rows["Bram Brandsma"].activity_text == ""

    page = page_text(client.get(LIST))
    assert f'href="{_dossier_url(coachee)}">Eva Zwanenburg</a>' in page
    assert f"since {_date(trajectory.started_on)}" in page
    assert "5 March 2026" in page
    assert '<span class="badge">2</span>' in page
    assert "Cas" not in page
    for heading in ("Trajectory", "Last activity", "Unread messages", "Waiting for review"):
        assert f'<th scope="col">{heading}</th>' in page
    assert "Hoe gaat het" not in page and "Goed" not in page


def test_reading_the_dialogue_and_reviewing_clear_the_counts(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    dialogue_services.mark_read(dialogue, coach)
    post(dialogue, coachee, "Nieuw bericht")
    withdrawn = post(dialogue, coachee, "Ingetrokken")
    Message.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    assignment = _submitted(coach, trajectory)
    client = signed_in(coach)
    [row] = _rows(client)
    assert (row.unread, row.to_review) == (1, 1)  # a withdrawn message is not unread

    assert client.get(reverse("dialogue:detail", args=[dialogue.pk])).status_code == 200
    intervention_services.save_feedback(assignment, overall="Mooi", per_step={}, reviewed=True)
    [row] = _rows(client)
    assert (row.unread, row.to_review) == (0, 0)


def test_messages_the_coach_never_opened_are_unread(client, coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Eerste bericht")
    post(dialogue, coachee, "Tweede bericht")
    client.force_login(coach)
    inbox = client.get(reverse("dialogue:inbox"))
    assert [d.unread for d in inbox.context["page"]] == [2]
    [row] = _rows(client)
    assert row.unread == 2


def test_messages_in_a_dialogue_with_another_coach_do_not_count(
    client, coach, coachee, trajectory, other_coach
):
    dialogue = one_to_one(trajectory)
    dialogue_services.mark_read(dialogue, coach)
    elsewhere = one_to_one(TrajectoryFactory(coachee=coachee, coaches=[other_coach]))
    post(elsewhere, coachee, "Voor Otto")
    client.force_login(coach)
    [row] = _rows(client)
    assert row.unread == 0


def test_last_activity_is_the_local_day(coach, coachee, trajectory):
    coachee.last_activity_at = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)
    coachee.save()
    [row] = _rows(signed_in(coach))
    assert row.activity_text == "5 March 2026"


# Searching


@pytest.mark.parametrize(
    "q, found",
    [
        ("Zwanen", ["Eva Zwanenburg"]),
        ("eva", ["Eva Zwanenburg"]),
        ("EVA zwanenburg", ["Eva Zwanenburg"]),
        ("bra", ["Bram Brandsma"]),
        ("eva brandsma", []),  # every word must match
        ("Colijn", []),  # the colleague's coachee
        ("coachee@example.com", []),  # names only
        ("", ["Bram Brandsma", "Eva Zwanenburg"]),
    ],
)
def test_search_by_name(coach, coachee, trajectory, bram, organisation, other_coach, q, found):
    _coachee_of(other_coach, organisation, "Cas", "Colijn")
    client = signed_in(coach)
    assert _names(client, q=q) == found
    if not found:
        assert "No coachee matches your search." in page_text(client.get(LIST, {"q": q}))


def test_search_within_ended_trajectories(coach, coachee, trajectory, bram, organisation):
    yesterday = dates.today() - DAY
    _coachee_of(coach, organisation, "Brecht", "Bos", ended_on=yesterday)
    _coachee_of(coach, organisation, "Evi", "Eiland", ended_on=yesterday)
    client = signed_in(coach)
    assert _names(client, q="br") == ["Bram Brandsma"]
    assert _names(client, q="br", ended="1") == ["Brecht Bos"]
    page = page_text(client.get(LIST, {"q": "br", "ended": "1"}))
    assert '<input type="hidden" name="ended" value="1">' in page


def test_too_long_a_search_shows_everyone(coach, coachee, trajectory):
    assert _names(signed_in(coach), q="x" * 101) == ["Eva Zwanenburg"]


# Running and ended trajectories


def test_running_and_ended_trajectories_are_apart(coach, coachee, trajectory, organisation):
    today = dates.today()
    ended = _coachee_of(coach, organisation, "Anna", "Afgelopen", ended_on=today - DAY)
    _coachee_of(coach, organisation, "Dirk", "Vandaag", ended_on=today)  # its last day
    _coachee_of(coach, organisation, "Fleur", "Later", ended_on=today + 10 * DAY)
    # An ended trajectory and a new, running one: running.
    both = _coachee_of(coach, organisation, "Gijs", "Opnieuw", ended_on=today - 100 * DAY)
    TrajectoryFactory(coachee=both, coaches=[coach], started_on=today - 5 * DAY)
    client = signed_in(coach)

    assert _names(client) == ["Dirk Vandaag", "Eva Zwanenburg", "Fleur Later", "Gijs Opnieuw"]
    assert _names(client, ended="1") == ["Anna Afgelopen"]
    [row] = _rows(client, ended="1")
    assert row.ended_text == _date(today - DAY)
    page = page_text(client.get(LIST, {"ended": "1"}))
    assert f"until {_date(today - DAY)}" in page
    assert 'href="?ended=1" aria-current="page"' in page
    gijs = next(row for row in _rows(client) if row.pk == both.pk)
    assert gijs.started_on == today - 5 * DAY and gijs.ended_on is None  # the newest
    assert ended.pk not in [row.pk for row in _rows(client)]


def test_empty_lists_say_so(coach, other_coach):
    client = signed_in(other_coach)
    assert "You have no coachees with a running trajectory." in page_text(client.get(LIST))
    assert "None of your trajectories has ended." in page_text(client.get(LIST, {"ended": "1"}))


def test_the_list_pages_by_fifty(coach, organisation):
    for number in range(51):
        _coachee_of(coach, organisation, f"Naam{number:02d}", "Zoeker")
    client = signed_in(coach)
    response = client.get(LIST, {"q": "Zoeker"})
    assert len(response.context["page"].object_list) == 50
    assert "?page=2&q=Zoeker" in page_text(response)
    assert _names(client, q="Zoeker", page="2") == ["Naam50 Zoeker"]


# Ending a trajectory


def test_the_end_page_says_what_follows_and_asks_for_confirmation(coach, coachee, trajectory):
    client = signed_in(coach)
    response = client.get(_end_url(trajectory))
    assert response.status_code == 200
    page = page_text(response)
    assert "End the trajectory with Eva Zwanenburg" in page
    assert "nobody can write in it" in page
    assert "the retention period starts" in page
    assert "You can undo this for 30 days." in page
    assert response.context["form"]["ended_on"].value() == dates.today()

    response = client.post(_end_url(trajectory), {"ended_on": dates.today().isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    trajectory.refresh_from_db()
    assert trajectory.ended_on is None and trajectory.end_recorded_at is None


def test_the_coach_ends_a_trajectory(coach, coachee, trajectory):
    client = signed_in(coach)
    assert f'href="{_end_url(trajectory)}"' in client.get(_dossier_url(coachee)).text
    yesterday = dates.today() - DAY
    response = client.post(
        _end_url(trajectory), {"ended_on": yesterday.isoformat(), "confirm": "on"}, follow=True
    )
    assert response.redirect_chain == [(_dossier_url(coachee), 302)]
    assert "You can undo this for 30 days." in page_text(response)
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.ended_by_id) == (yesterday, coach.pk)
    assert timezone.now() - trajectory.end_recorded_at < datetime.timedelta(minutes=1)
    page = page_text(response)
    assert f"ends on {_date(yesterday)}" in page
    assert "Undo the end" in page and f'href="{_end_url(trajectory)}"' not in page
    [event] = AuditEvent.objects.filter(action=Action.CHANGE, object_uuid=trajectory.pk)
    assert (event.subject_uuid, event.detail) == (coachee.pk, "ended")

    assert _names(client) == []
    assert _names(client, ended="1") == ["Eva Zwanenburg"]


def test_a_trajectory_ending_later_stays_running(coach, coachee, trajectory):
    client = signed_in(coach)
    later = dates.today() + 14 * DAY
    response = client.post(_end_url(trajectory), {"ended_on": later.isoformat(), "confirm": "on"})
    assert response.status_code == 302
    assert _names(client) == ["Eva Zwanenburg"]
    assert f"until {_date(later)}" in page_text(client.get(LIST))


@pytest.mark.parametrize(
    "ended_on, message",
    [
        (lambda t: t.started_on - DAY, "A trajectory cannot end before it started."),
        (lambda t: dates.today() + 367 * DAY, "Choose an end date within a year."),
        (lambda t: "morgen", "Enter a valid date."),
        (lambda t: "", "This field is required."),
    ],
    ids=["before its start", "over a year ahead", "not a date", "no date"],
)
def test_a_wrong_end_date_is_refused(coach, coachee, trajectory, ended_on, message):
    value = ended_on(trajectory)
    value = value.isoformat() if isinstance(value, datetime.date) else value
    response = signed_in(coach).post(_end_url(trajectory), {"ended_on": value, "confirm": "on"})
    assert response.status_code == 200
    assert message in page_text(response)
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.end_recorded_at, trajectory.ended_by) == (None,) * 3
    assert not AuditEvent.objects.filter(object_uuid=trajectory.pk).exists()


def test_the_start_day_itself_is_a_possible_end(coach, coachee, trajectory):
    response = signed_in(coach).post(
        _end_url(trajectory), {"ended_on": trajectory.started_on.isoformat(), "confirm": "on"}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.ended_on == trajectory.started_on


def test_a_trajectory_with_an_end_date_cannot_be_ended_again(coach, coachee, trajectory):
    ended_trajectory(trajectory, coach, dates.today() - 3 * DAY)
    response = signed_in(coach).post(
        _end_url(trajectory), {"ended_on": dates.today().isoformat(), "confirm": "on"}
    )
    assert response.status_code == 200
    assert "This trajectory has an end date already. Undo it first" in page_text(response)
    trajectory.refresh_from_db()
    assert trajectory.ended_on == dates.today() - 3 * DAY


# Undoing an end


def test_the_end_can_be_undone_within_30_days(coach, coachee, trajectory):
    ended_trajectory(trajectory, coach, dates.today() - DAY)
    _recorded_days_ago(trajectory, 29, minutes=23 * 60)
    client = signed_in(coach)
    assert "Undo the end" in client.get(_dossier_url(coachee)).text
    response = client.post(_undo_url(trajectory), follow=True)
    assert response.redirect_chain == [(_dossier_url(coachee), 302)]
    assert "The end of the trajectory has been undone." in page_text(response)
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.end_recorded_at, trajectory.ended_by) == (None,) * 3
    assert _names(client) == ["Eva Zwanenburg"]
    [event] = AuditEvent.objects.filter(action=Action.CHANGE, object_uuid=trajectory.pk)
    assert event.detail == "end undone"


def test_after_30_days_the_end_cannot_be_undone(coach, coachee, trajectory):
    yesterday = dates.today() - DAY
    ended_trajectory(trajectory, coach, yesterday)
    _recorded_days_ago(trajectory, 30, minutes=1)
    recorded = trajectory.end_recorded_at
    client = signed_in(coach)
    page = client.get(_dossier_url(coachee)).text
    assert "Undo the end" not in page and _undo_url(trajectory) not in page

    response = client.post(_undo_url(trajectory), follow=True)
    assert response.redirect_chain == [(_dossier_url(coachee), 302)]
    assert "An end can only be undone within 30 days." in page_text(response)
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.end_recorded_at) == (yesterday, recorded)
    assert not AuditEvent.objects.filter(object_uuid=trajectory.pk, detail="end undone").exists()


def test_the_undo_window_follows_the_clock(coach, coachee, trajectory):
    ended_trajectory(trajectory, coach, dates.today())
    recorded = trajectory.end_recorded_at
    with mock.patch("django.utils.timezone.now", return_value=recorded + 30 * DAY):
        assert services.may_undo_end(trajectory)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=recorded + 30 * DAY + datetime.timedelta(seconds=1),
    ):
        assert not services.may_undo_end(trajectory)
        with pytest.raises(ValidationError):
            services.undo_end(trajectory)
    trajectory.refresh_from_db()
    assert trajectory.ended_on == dates.today()


def test_an_end_recorded_elsewhere_cannot_be_undone_here(coach, coachee, organisation):
    """A trajectory ended without a recorded moment (say by an administrator)."""
    person = _coachee_of(coach, organisation, "Oud", "Traject", ended_on=dates.today() - DAY)
    trajectory = Trajectory.objects.get(coachee=person)
    client = signed_in(coach)
    assert "Undo the end" not in client.get(_dossier_url(person)).text
    response = client.post(_undo_url(trajectory), follow=True)
    assert "An end can only be undone within 30 days." in page_text(response)
    trajectory.refresh_from_db()
    assert trajectory.ended_on == dates.today() - DAY


# Restriction of processing


def test_a_restricted_coachee_is_marked_in_the_list(coach, coachee, trajectory, bram):
    restrict_processing(coachee, "Bezwaar")
    page = page_text(signed_in(coach).get(LIST))
    assert page.count('<span class="status bad">restricted</span>') == 1
    assert "Bezwaar" not in page


def test_a_restricted_coachee_trajectory_cannot_be_ended(coach, coachee, trajectory):
    restrict_processing(coachee, "Bezwaar")
    client = signed_in(coach)
    response = client.post(
        _end_url(trajectory), {"ended_on": dates.today().isoformat(), "confirm": "on"}
    )
    trajectory.refresh_from_db()
    assert trajectory.ended_on is None
    assert response.status_code == 200
    assert f'href="{_end_url(trajectory)}"' not in client.get(_dossier_url(coachee)).text


# The dossier page


def test_the_dossier_page_shows_every_section(coach, coachee, trajectory, other_coach):
    coachee.phone = "06-11223344"
    coachee.last_activity_at = timezone.now() - 2 * DAY
    coachee.save()
    report = session_report(coach, trajectory, held_on=dates.today() - 3 * DAY, minutes=45)
    _submitted(coach, trajectory, "Slaapdagboek")
    made = template(coach, "Waardenlijst", steps=[("Kies.", [open_question(required=False)])])
    assign(made, coach, trajectory)
    dialogue = one_to_one(trajectory)
    post(dialogue, coach, "Bericht-Zilvermeeuw")
    post(dialogue, coachee, "Antwoord-Zilvermeeuw")
    link_item(coach, title="Ademoefening", recipients=[coachee])
    link_item(coach, title="Niet gedeeld")
    link_item(other_coach, title="Van een collega", published=True)

    client = signed_in(coach)
    response = client.get(_dossier_url(coachee))
    assert response.status_code == 200
    page = page_text(response)
    # Profile essentials.
    assert "Dossier of Eva Zwanenburg" in page
    assert "coachee@example.com" in page and "06-11223344" in page and "English" in page
    local_activity = timezone.localtime(coachee.last_activity_at, AMSTERDAM).date()
    assert _date(local_activity) in page
    # The trajectory and its dates.
    assert f"Started on {_date(trajectory.started_on)}" in page
    # Session reports: date, kind, duration, author; not the text.
    assert f'<a href="{reverse("dossier:report", args=[report.pk])}">' in page
    assert _date(report.held_on) in page and "Video call" in page and "45 min" in page
    assert report.report not in page
    # Interventions and their status.
    assert "Slaapdagboek" in page and "Submitted" in page
    assert "Waardenlijst" in page and "Assigned" in page
    # Dialogue activity: counts and dates, never a message.
    assert "2 messages in all, 1 by the coachee." in page
    assert "Zilvermeeuw" not in page
    today = _date(dates.today())
    assert f"Last message on {today}; last from the coachee on {today}." in page
    # Toolbox items shared with them.
    assert "Ademoefening" in page
    assert "Niet gedeeld" not in page and "Van een collega" not in page
    # The page is a recorded read.
    assert AuditEvent.objects.filter(
        action=Action.VIEW, subject_uuid=coachee.pk, detail="dossier"
    ).exists()


def test_an_empty_dossier_says_so(coach, coachee, trajectory):
    page = page_text(signed_in(coach).get(_dossier_url(coachee)))
    for text in (
        "No session reports yet.",
        "No interventions assigned yet.",
        "No messages yet.",
        "Nothing shared yet.",
    ):
        assert text in page


def test_the_dossier_shows_only_the_trajectories_with_this_coach(
    coach, coachee, trajectory, other_coach
):
    theirs = TrajectoryFactory(
        coachee=coachee, coaches=[other_coach], started_on=dates.today() - 10 * DAY
    )
    report = session_report(other_coach, theirs, report="Van Otto")
    response = signed_in(coach).get(_dossier_url(coachee))
    assert [t.pk for t in response.context["dossier"].trajectories] == [trajectory.pk]
    assert response.context["dossier"].reports == []
    assert reverse("dossier:report", args=[report.pk]) not in response.text


# Who sees the dossier


def test_a_second_coach_of_the_trajectory_sees_the_dossier(coach, coachee, trajectory, other_coach):
    session_report(coach, trajectory)
    add_coach(trajectory, other_coach)
    client = signed_in(other_coach)
    assert _names(client) == ["Eva Zwanenburg"]
    response = client.get(_dossier_url(coachee))
    assert response.status_code == 200
    assert len(response.context["dossier"].reports) == 1
    assert client.get(_end_url(trajectory)).status_code == 200


def test_a_removed_coach_loses_the_dossier_at_once(coach, coachee, trajectory, other_coach):
    add_coach(trajectory, other_coach)
    report = session_report(coach, trajectory)
    client = signed_in(other_coach)
    assert client.get(_dossier_url(coachee)).status_code == 200
    unassign_coach(trajectory, other_coach)
    assert _names(client) == [] and _names(client, ended="1") == []
    for url in (
        _dossier_url(coachee),
        reverse("dossier:report_add", args=[coachee.pk]),
        reverse("dossier:report", args=[report.pk]),
        _end_url(trajectory),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_undo_url(trajectory)).status_code == 404
    # The coach who stays keeps it.
    assert signed_in(coach).get(_dossier_url(coachee)).status_code == 200


def test_the_coachee_never_sees_their_dossier(coach, coachee, trajectory):
    report = session_report(coach, trajectory)
    ended_trajectory(trajectory, coach, dates.today())
    client = signed_in(coachee)
    for url in (
        LIST,
        _dossier_url(coachee),
        reverse("dossier:report_add", args=[coachee.pk]),
        reverse("dossier:report", args=[report.pk]),
        reverse("dossier:report_edit", args=[report.pk]),
        reverse("dossier:report_delete", args=[report.pk]),
        _end_url(trajectory),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_undo_url(trajectory)).status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.ended_on == dates.today()
