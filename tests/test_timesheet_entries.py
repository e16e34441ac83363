"""The coach's time entries: recording, changing and deleting them (also from the dossier and
from a session report), what is refused (each refusal re-renders with a clear message and
stores nothing), restriction, whose entries a coach reaches, the audit trail, the month page
with its totals, and the note encrypted at rest."""

import base64
import datetime
import threading
import time
import uuid
from unittest import mock

import pytest
from django.db import connection, connections
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.services import add_coach, restrict_processing, unassign_coach
from dossier import timesheet
from dossier.models import Activity, TimeEntry
from pluform import dates
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope
from privacy.audit_models import Action, AuditEvent
from tests.crypto_support import raw_column, raw_table_text
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dossier import ended_trajectory, session_report, time_entry
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

ADD = reverse("timesheet:add")
INDEX = reverse("timesheet:index")
DAY = datetime.timedelta(days=1)
RESTRICTED = "Processing of this coachee's data is restricted"


def TODAY():
    return dates.today()


def _data(coachee, **fields):
    data = {
        "coachee": str(coachee.pk),
        "worked_on": TODAY().isoformat(),
        "minutes": "50",
        "activity": Activity.SESSION,
        "billable": "on",
        "note": "",
    }
    data.update(fields)
    return data


def _edit_data(entry, **fields):
    data = {
        "worked_on": entry.worked_on.isoformat(),
        "minutes": str(entry.minutes),
        "activity": entry.activity,
        "note": "",
        "billable": "on" if entry.billable else "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


def _events(action):
    return list(AuditEvent.objects.filter(action=action, object_type="dossier.timeentry"))


def _month_url(day):
    month = day.strftime("%Y-%m")
    return f"{INDEX}?start={month}&end={month}"


@pytest.fixture
def second_coachee(organisation, coach):
    person = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=person, coaches=[coach])
    return person


# Recording


def test_the_coach_records_time_for_a_coachee(coach, coachee, trajectory):
    client = signed_in(coach)
    response = client.post(
        ADD, _data(coachee, minutes="75", activity=Activity.PREPARATION, note="Oefening Merel")
    )
    entry = TimeEntry.objects.get()
    assert response.status_code == 302
    assert response.url == _month_url(TODAY())
    assert (entry.coach, entry.coachee, entry.trajectory) == (coach, coachee, trajectory)
    assert (entry.worked_on, entry.minutes, entry.activity) == (TODAY(), 75, "preparation")
    assert entry.billable and entry.note == "Oefening Merel" and entry.source == ""
    [event] = _events(Action.CREATE)
    assert (event.subject_uuid, event.object_uuid, event.actor_id) == (
        coachee.pk,
        entry.pk,
        coach.pk,
    )
    page = page_text(client.get(response.url))
    assert "1:15 for Eva Zwanenburg has been added to your timesheet." in page
    assert "Eva Zwanenburg" in page and "Preparation" in page


def test_an_entry_that_is_not_billable_stays_so(coach, coachee, trajectory):
    data = _data(coachee)
    del data["billable"]
    assert signed_in(coach).post(ADD, data).status_code == 302
    assert TimeEntry.objects.get().billable is False


def test_the_form_preselects_the_coachee_and_offers_only_running_trajectories(
    coach, coachee, trajectory, second_coachee, organisation
):
    gone = CoacheeFactory(organisation=organisation, first_name="Gijs", last_name="Gestopt")
    ended_trajectory(TrajectoryFactory(coachee=gone, coaches=[coach]), coach)
    response = signed_in(coach).get(ADD + f"?coachee={coachee.pk}")
    field = response.context["form"]["coachee"]
    assert str(field.value()) == str(coachee.pk)
    assert list(field.field.queryset) == [second_coachee, coachee]
    assert f'<option value="{coachee.pk}" selected>' in response.text
    assert "Gijs Gestopt" not in response.text


def test_quick_entry_from_the_dossier_posts_to_add_and_comes_back(coach, coachee, trajectory):
    partial = render_to_string("dossier/timesheet/quick_entry.html", {"coachee": coachee})
    dossier_url = reverse("dossier:coachee", args=[coachee.pk])
    assert f'action="{ADD}"' in partial
    assert f'name="coachee" value="{coachee.pk}"' in partial
    assert f'name="next" value="{dossier_url}"' in partial
    response = signed_in(coach).post(ADD, _data(coachee, minutes="20", next=dossier_url))
    assert response.status_code == 302 and response.url == dossier_url
    assert TimeEntry.objects.get().minutes == 20


def test_quick_entry_offers_every_activity(coachee):
    partial = render_to_string("dossier/timesheet/quick_entry.html", {"coachee": coachee})
    offered = [part.split('"')[0] for part in partial.split('<option value="')[1:]]
    assert offered == list(Activity.values)


def test_a_failed_quick_entry_shows_the_form_with_the_way_back_kept(coach, coachee, trajectory):
    dossier_url = reverse("dossier:coachee", args=[coachee.pk])
    response = signed_in(coach).post(ADD, _data(coachee, minutes="0", next=dossier_url))
    assert response.status_code == 200
    assert "Enter at least one minute." in page_text(response)
    assert f'name="next" value="{dossier_url}"' in response.text
    assert not TimeEntry.objects.exists()


def test_a_next_address_elsewhere_is_not_followed(coach, coachee, trajectory):
    response = signed_in(coach).post(ADD, _data(coachee, next="https://evil.example/"))
    assert response.status_code == 302 and response.url == _month_url(TODAY())


# Refusals: each re-renders with a clear message and stores nothing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": "0"}, "Enter at least one minute."),
        ({"minutes": "-30"}, "Enter at least one minute."),
        ({"minutes": "1441"}, "An entry can be at most 24 hours (1440 minutes)."),
        ({"minutes": "veel"}, "Enter a whole number."),
        ({"worked_on": "1-1-2026x"}, "Enter a valid date."),
        ({"activity": "coffee"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused(coach, coachee, trajectory, fields, message):
    response = signed_in(coach).post(ADD, _data(coachee, **fields))
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'class="errorlist' in response.text
    assert not TimeEntry.objects.exists()
    assert not _events(Action.CREATE)


def test_a_day_in_the_future_is_refused(coach, coachee, trajectory):
    tomorrow = (TODAY() + DAY).isoformat()
    response = signed_in(coach).post(ADD, _data(coachee, worked_on=tomorrow))
    assert response.status_code == 200
    assert "Time cannot be recorded for a day in the future." in page_text(response)
    assert not TimeEntry.objects.exists()


def test_more_than_24_hours_on_one_day_across_coachees_is_refused(
    coach, coachee, trajectory, second_coachee
):
    other = second_coachee.trajectories.get()
    time_entry(coach, other, minutes=1000)
    time_entry(coach, trajectory, minutes=400)
    time_entry(coach, trajectory, minutes=600, days_ago=1)  # another day does not count
    response = signed_in(coach).post(ADD, _data(coachee, minutes="41"))
    assert response.status_code == 200
    page = page_text(response)
    assert "A day has 24 hours: 23:20 is recorded on" in page
    assert "so at most 0:40 can be added." in page
    assert TimeEntry.objects.count() == 3
    assert signed_in(coach).post(ADD, _data(coachee, minutes="40")).status_code == 302
    assert timesheet.day_minutes(coach, TODAY()) == 24 * 60


def test_another_coachs_time_on_the_same_day_does_not_count(
    coach, coachee, trajectory, other_coach
):
    add_coach(trajectory, other_coach)
    time_entry(other_coach, trajectory, minutes=1400)
    assert signed_in(coach).post(ADD, _data(coachee, minutes="1440")).status_code == 302


@pytest.mark.parametrize("whose", ["other_coach", "stranger_coachee", "coach"])
def test_an_entry_for_someone_who_is_not_the_coachs_coachee_is_refused(
    request, coach, coachee, trajectory, whose
):
    person = request.getfixturevalue(whose)
    response = signed_in(coach).post(ADD, _data(person))
    assert response.status_code == 200
    assert "Choose one of your coachees whose trajectory is running." in page_text(response)
    assert not TimeEntry.objects.exists()


def test_a_coachee_whose_trajectory_has_ended_gets_no_new_entry(coach, coachee, trajectory):
    ended_trajectory(trajectory, coach)
    response = signed_in(coach).post(ADD, _data(coachee))
    assert response.status_code == 200
    assert "Choose one of your coachees whose trajectory is running." in page_text(response)
    assert not TimeEntry.objects.exists()


def test_the_service_refuses_a_coachee_without_a_running_trajectory(
    coach, coachee, trajectory, stranger_coachee
):
    ended_trajectory(trajectory, coach)
    for person in (coachee, stranger_coachee):
        with pytest.raises(timesheet.ValidationError) as refused:
            timesheet.add_entry(
                coach, person, worked_on=TODAY(), minutes=10, activity=Activity.OTHER
            )
        assert refused.value.code == "not_running"
    assert not TimeEntry.objects.exists()


# Changing and deleting


def test_the_coach_changes_an_entry(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=30, note="Oud")
    client = signed_in(coach)
    url = reverse("timesheet:edit", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Eva Zwanenburg" in page.text
    assert [e.subject_uuid for e in _events(Action.VIEW)] == [coachee.pk]  # the note was shown
    response = client.post(
        url,
        _edit_data(entry, minutes="90", activity=Activity.REPORTING, note="Nieuw", billable=""),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.minutes, entry.activity, entry.note, entry.billable) == (
        90,
        "reporting",
        "Nieuw",
        False,
    )
    [event] = _events(Action.CHANGE)
    assert (event.subject_uuid, event.object_uuid) == (coachee.pk, entry.pk)


def test_a_change_counts_the_day_without_the_entry_itself(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=1000)
    time_entry(coach, trajectory, minutes=300)
    url = reverse("timesheet:edit", args=[entry.pk])
    client = signed_in(coach)
    assert client.post(url, _edit_data(entry, minutes="1140")).status_code == 302
    response = client.post(url, _edit_data(entry, minutes="1141"))
    assert response.status_code == 200 and "A day has 24 hours" in page_text(response)
    entry.refresh_from_db()
    assert entry.minutes == 1140


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": "0"}, "Enter at least one minute."),
        ({"worked_on": "2999-01-01"}, "Time cannot be recorded for a day in the future."),
    ],
)
def test_a_bad_change_is_refused(coach, coachee, trajectory, fields, message):
    entry = time_entry(coach, trajectory, minutes=30)
    response = signed_in(coach).post(
        reverse("timesheet:edit", args=[entry.pk]), _edit_data(entry, **fields)
    )
    assert response.status_code == 200 and message in page_text(response)
    entry.refresh_from_db()
    assert (entry.minutes, entry.worked_on) == (30, TODAY())
    assert not _events(Action.CHANGE)


def test_the_coach_deletes_an_entry(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=30, activity=Activity.WRITTEN)
    client = signed_in(coach)
    url = reverse("timesheet:delete", args=[entry.pk])
    confirm = client.get(url)
    assert "Delete 0:30 of Written coaching on" in page_text(confirm)
    assert "for Eva Zwanenburg? This cannot be undone." in page_text(confirm)
    assert TimeEntry.objects.exists()  # a GET deletes nothing
    response = client.post(url)
    assert response.status_code == 302 and response.url == _month_url(TODAY())
    assert not TimeEntry.objects.exists()
    [event] = _events(Action.DELETE)
    assert (event.subject_uuid, event.object_uuid) == (coachee.pk, entry.pk)


def test_an_entry_for_an_ended_trajectory_can_still_be_changed(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=30)
    ended_trajectory(trajectory, coach)
    url = reverse("timesheet:edit", args=[entry.pk])
    assert signed_in(coach).post(url, _edit_data(entry, minutes="35")).status_code == 302
    entry.refresh_from_db()
    assert entry.minutes == 35


# Whose entries


def test_another_coachs_entry_is_a_404_and_stays_as_it_is(
    coach, coachee, trajectory, other_coach, stranger_coach
):
    add_coach(trajectory, other_coach)  # even a co-coach of the same coachee
    entry = time_entry(coach, trajectory, minutes=30, note="Van Carla")
    for user in (other_coach, stranger_coach, coachee):
        client = signed_in(user)
        for name in ("timesheet:edit", "timesheet:delete"):
            url = reverse(name, args=[entry.pk])
            assert client.get(url).status_code == 404
            assert client.post(url, _edit_data(entry, minutes="5")).status_code == 404
    entry.refresh_from_db()
    assert entry.minutes == 30
    assert "Van Carla" not in signed_in(other_coach).get(INDEX).text


def test_a_coach_removed_from_the_trajectory_no_longer_reaches_its_entries(
    coach, coachee, trajectory
):
    entry = time_entry(coach, trajectory, minutes=30)
    unassign_coach(trajectory, coach)
    client = signed_in(coach)
    assert client.get(reverse("timesheet:edit", args=[entry.pk])).status_code == 404
    assert client.get(INDEX).context["page"].paginator.count == 0


@pytest.mark.parametrize("role", ["coachee", "org_manager", "customer_service", "it_admin"])
def test_nobody_but_a_coach_has_a_timesheet(request, role):
    client = signed_in(request.getfixturevalue(role))
    for name in ("timesheet:index", "timesheet:add", "timesheet:suggestions", "timesheet:export"):
        assert client.get(reverse(name)).status_code == 404, name


# Restriction


def test_a_restricted_coachee_gets_no_new_or_changed_or_deleted_entry(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=30, note="Voor de beperking")
    report = session_report(coach, trajectory)
    restrict_processing(coachee, "Bezwaar")
    client = signed_in(coach)

    response = client.post(ADD, _data(coachee))
    assert response.status_code == 200 and RESTRICTED in page_text(response)

    edit_url = reverse("timesheet:edit", args=[entry.pk])
    page = client.get(edit_url)
    assert RESTRICTED in page_text(page) and 'name="minutes"' not in page.text
    response = client.post(edit_url, _edit_data(entry, minutes="5"))
    assert response.status_code == 200 and RESTRICTED in page_text(response)

    delete_url = reverse("timesheet:delete", args=[entry.pk])
    response = client.post(delete_url)
    assert response.status_code == 200 and RESTRICTED in page_text(response)

    response = client.post(reverse("timesheet:from_report", args=[report.pk]), follow=True)
    assert RESTRICTED in page_text(response)

    assert [(e.minutes, e.note) for e in TimeEntry.objects.all()] == [(30, "Voor de beperking")]
    assert not _events(Action.CREATE) and not _events(Action.CHANGE)
    assert not _events(Action.DELETE)
    # Their time stays readable in the list.
    assert "Eva Zwanenburg" in client.get(INDEX).text


def test_the_service_refuses_changes_for_a_restricted_coachee(coach, coachee, trajectory):
    entry = time_entry(coach, trajectory, minutes=30)
    restrict_processing(coachee, "Bezwaar")
    entry.coachee.refresh_from_db()
    fields = {name: getattr(entry, name) for name in timesheet.ENTRY_FIELDS}
    for call in (
        lambda: timesheet.add_entry(
            coach, coachee, worked_on=TODAY(), minutes=5, activity=Activity.OTHER
        ),
        lambda: timesheet.update_entry(entry, **{**fields, "minutes": 5}),
        lambda: timesheet.delete_entry(entry),
    ):
        with pytest.raises(timesheet.ValidationError) as refused:
            call()
        assert refused.value.code == "restricted"
    assert TimeEntry.objects.get().minutes == 30


# From a session report


def test_a_session_report_becomes_a_time_entry_once(coach, coachee, trajectory):
    report = session_report(coach, trajectory, held_on=TODAY() - 2 * DAY, minutes=55)
    client = signed_in(coach)
    url = reverse("timesheet:from_report", args=[report.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (reverse("dossier:report", args=[report.pk]), 302)
    assert "The session (0:55) has been added to your timesheet." in page_text(response)
    entry = TimeEntry.objects.get()
    assert (entry.worked_on, entry.minutes, entry.activity, entry.source) == (
        TODAY() - 2 * DAY,
        55,
        "session",
        f"report:{report.pk}",
    )
    [event] = _events(Action.CREATE)
    assert (event.subject_uuid, event.detail) == (coachee.pk, "report")

    again = client.post(url, follow=True)
    assert "This session is in your timesheet already." in page_text(again)
    assert TimeEntry.objects.count() == 1


def test_each_coach_of_a_session_enters_it_in_their_own_timesheet(
    coach, coachee, trajectory, other_coach
):
    add_coach(trajectory, other_coach)
    report = session_report(coach, trajectory, minutes=40)
    url = reverse("timesheet:from_report", args=[report.pk])
    for user in (coach, other_coach):
        assert signed_in(user).post(url).status_code == 302
    assert sorted(TimeEntry.objects.values_list("coach", flat=True)) == sorted(
        [coach.pk, other_coach.pk]
    )


def test_a_report_of_an_ended_trajectory_does_not_become_an_entry(coach, coachee, trajectory):
    report = session_report(coach, trajectory, held_on=TODAY() - 3 * DAY)
    ended_trajectory(trajectory, coach, TODAY() - DAY)
    response = signed_in(coach).post(
        reverse("timesheet:from_report", args=[report.pk]), follow=True
    )
    assert "trajectory with you is running" in page_text(response)
    assert not TimeEntry.objects.exists()


def test_a_report_that_would_pass_24_hours_is_refused(coach, coachee, trajectory):
    time_entry(coach, trajectory, minutes=1400)
    report = session_report(coach, trajectory, minutes=60)
    response = signed_in(coach).post(
        reverse("timesheet:from_report", args=[report.pk]), follow=True
    )
    assert "A day has 24 hours" in page_text(response)
    assert TimeEntry.objects.count() == 1


def test_another_coachs_report_is_a_404(coach, coachee, trajectory, other_coach):
    report = session_report(coach, trajectory)
    url = reverse("timesheet:from_report", args=[report.pk])
    assert signed_in(other_coach).post(url).status_code == 404
    assert not TimeEntry.objects.exists()


# The list and its totals


def test_the_month_page_lists_its_entries_with_totals(
    coach, coachee, trajectory, second_coachee, other_coach
):
    first = TODAY().replace(day=1)
    other = second_coachee.trajectories.get()
    time_entry(coach, trajectory, worked_on=first, minutes=60, activity=Activity.SESSION)
    time_entry(coach, trajectory, worked_on=first, minutes=30, activity=Activity.PREPARATION)
    time_entry(coach, other, worked_on=first, minutes=45, billable=False)
    time_entry(coach, trajectory, worked_on=first - DAY, minutes=500)  # the month before
    add_coach(trajectory, other_coach)
    time_entry(other_coach, trajectory, worked_on=first, minutes=700)  # not the coach's
    response = signed_in(coach).get(INDEX)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    totals = response.context["totals"]
    assert [(t.label, t.minutes, t.billable) for t in totals.coachees] == [
        ("Bram Brandsma", 45, 0),
        ("Eva Zwanenburg", 90, 90),
    ]
    assert [(t.label, t.minutes) for t in totals.activities] == [
        ("Session", 105),
        ("Preparation", 30),
    ]
    assert [t.minutes for t in totals.months] == [135]
    assert (totals.overall.minutes, totals.overall.billable) == (135, 90)
    page = page_text(response)
    assert "2:15 hours in this period, of which 1:30 billable." in page
    assert "8:20" not in page and "11:40" not in page


def test_a_period_of_several_months_has_a_total_per_month(coach, coachee, trajectory):
    this_month = TODAY().replace(day=1)
    last_month = (this_month - DAY).replace(day=1)
    time_entry(coach, trajectory, worked_on=this_month, minutes=60)
    time_entry(coach, trajectory, worked_on=last_month, minutes=30)
    response = signed_in(coach).get(INDEX + f"?start={last_month:%Y-%m}&end={this_month:%Y-%m}")
    months = response.context["totals"].months
    assert [t.minutes for t in months] == [30, 60]
    assert response.context["page"].paginator.count == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2026-05&end=2026-01", "The first month is after the last month."),
        ("?start=2015-01&end=2026-01", "Choose a period of at most 5 years."),
        ("?start=mei&end=2026-01", "Enter a month as year and month, for example 2026-01."),
    ],
)
def test_a_period_that_cannot_be_shown_says_why_and_shows_this_month(
    coach, coachee, trajectory, query, message
):
    time_entry(coach, trajectory, minutes=60)
    response = signed_in(coach).get(INDEX + query)
    assert response.status_code == 200
    assert message in page_text(response)
    assert response.context["page"].paginator.count == 1


def test_the_list_shows_no_note(coach, coachee, trajectory):
    time_entry(coach, trajectory, note="Geheim Roodborst")
    assert "Roodborst" not in signed_in(coach).get(INDEX).text


# Encryption at rest


def test_the_note_is_stored_under_the_coachee_data_key(coach, coachee, trajectory):
    signed_in(coach).post(ADD, _data(coachee, note="Gesprek over Grutto"))
    entry = TimeEntry.objects.get()
    key = DataKey.objects.get(scope=coachee_scope(coachee)).id
    sealed = raw_column(TimeEntry, "note", entry.pk)
    assert uuid.UUID(bytes=base64.b64decode(sealed)[1:17]) == key
    assert "Grutto" not in raw_table_text(TimeEntry)
    assert entry.note == "Gesprek over Grutto"


# Two requests at once


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_cannot_pass_24_hours_together(coach, coachee, trajectory):
    """Each request counts the day and then waits a little before it writes: without the lock
    on the coach both would count 0 minutes and both would be stored."""
    counted = timesheet.day_minutes
    start = threading.Barrier(2)
    outcomes = []

    def slow_count(*args, **kwargs):
        minutes = counted(*args, **kwargs)
        time.sleep(0.3)
        return minutes

    def add():
        try:
            start.wait()
            timesheet.add_entry(
                coach, coachee, worked_on=TODAY(), minutes=800, activity=Activity.SESSION
            )
            outcomes.append("stored")
        except timesheet.ValidationError as error:
            outcomes.append(error.error_dict["minutes"][0].code)
        finally:
            connections.close_all()

    with mock.patch("dossier.timesheet.day_minutes", slow_count):
        workers = [threading.Thread(target=add) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert sorted(outcomes) == ["day_full", "stored"]
    assert timesheet.day_minutes(coach, TODAY()) == 800
