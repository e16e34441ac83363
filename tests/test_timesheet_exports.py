"""Exports of a period for the organisation that pays, as CSV (streamed, memory flat) and as
PDF: dates, minutes, activities and billable with totals per activity and overall; names only
when the coach ticks "include names", else "Coachee 1", "Coachee 2"; never a note or report
text; restricted coachees left out; at most five years, from before to; the password asked
again first; every export in the audit trail without names."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from accounts.services import restrict_processing
from dossier import access, exports
from dossier.models import Activity, TimeEntry
from pluform import dates
from privacy.audit_models import Action, AuditEvent
from tests.documents import pdf_everything, pdf_strings
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dossier import session_report, time_entry
from tests.pages import page_text

pytestmark = pytest.mark.django_db

EXPORT = reverse("timesheet:export")
PASSWORD = "correct horse battery staple"
DAY = datetime.timedelta(days=1)
NOTE = "Notitie over Roerdomp"
REPORT = "Verslag over Kwartel"


def _login(user, *, reauthenticated=True) -> Client:
    client = Client()
    client.force_login(user)
    if reauthenticated:
        assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code
    return client


def _start():
    return dates.today() - 40 * DAY


def _data(fmt="csv", *, names=False, start=None, end=None):
    data = {
        "start": (start or _start()).isoformat(),
        "end": (end or dates.today()).isoformat(),
        "format": fmt,
    }
    if names:
        data["include_names"] = "on"
    return data


def _csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def second(organisation, coach):
    person = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    return TrajectoryFactory(coachee=person, coaches=[coach])


@pytest.fixture
def entries(coach, coachee, trajectory, second):
    """Three entries in the period (two coachees, first Bram), one before it."""
    start = _start()
    return [
        time_entry(coach, second, worked_on=start, minutes=30, activity=Activity.WRITTEN),
        time_entry(coach, trajectory, worked_on=start + DAY, minutes=60, note=NOTE),
        time_entry(
            coach,
            trajectory,
            worked_on=start + 2 * DAY,
            minutes=45,
            activity=Activity.PREPARATION,
            billable=False,
        ),
        time_entry(coach, trajectory, worked_on=start - DAY, minutes=999),
    ]


# CSV


def test_the_csv_lists_the_period_with_neutral_labels_and_totals(coach, entries):
    response = _login(coach).post(EXPORT, _data("csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    start = _start()
    assert response["Content-Disposition"] == (
        f'attachment; filename="timesheet-{start.isoformat()}-{dates.today().isoformat()}.csv"'
    )
    rows = _csv_rows(response)
    assert rows == [
        ["Date", "Coachee", "Activity", "Minutes", "Billable"],
        [start.isoformat(), "Coachee 1", "Written coaching", "30", "yes"],
        [(start + DAY).isoformat(), "Coachee 2", "Session", "60", "yes"],
        [(start + 2 * DAY).isoformat(), "Coachee 2", "Preparation", "45", "no"],
        [],
        ["Activity", "Minutes", "Hours", "Billable minutes"],
        ["Session", "60", "1:00", "60"],
        ["Preparation", "45", "0:45", "0"],
        ["Written coaching", "30", "0:30", "30"],
        ["Total", "135", "2:15", "90"],
    ]


def test_the_csv_has_names_only_when_asked(coach, entries):
    rows = _csv_rows(_login(coach).post(EXPORT, _data("csv", names=True)))
    assert [row[1] for row in rows[1:4]] == ["Bram Brandsma", "Eva Zwanenburg", "Eva Zwanenburg"]
    text = str(_csv_rows(_login(coach).post(EXPORT, _data("csv"))))
    assert "Brandsma" not in text and "Zwanenburg" not in text


def test_a_name_a_spreadsheet_would_run_is_written_as_text(coach, organisation):
    person = CoacheeFactory(organisation=organisation, first_name="=HYPERLINK(1)", last_name="X")
    time_entry(coach, TrajectoryFactory(coachee=person, coaches=[coach]), days_ago=1)
    rows = _csv_rows(_login(coach).post(EXPORT, _data("csv", names=True)))
    assert rows[1][1] == "'=HYPERLINK(1) X"


def test_the_csv_streams_row_by_row_with_memory_flat(coach, trajectory):
    """Reading a four times longer period does not take more memory: rows are read in
    chunks and written one by one, never kept."""

    def peak(count):
        TimeEntry.objects.all().delete()
        TimeEntry.objects.bulk_create(
            TimeEntry(
                trajectory=trajectory,
                coachee_id=trajectory.coachee_id,
                coach=coach,
                worked_on=dates.today() - (n % 300) * DAY,
                minutes=10,
                activity=Activity.SESSION,
            )
            for n in range(count)
        )
        start = dates.today() - 400 * DAY
        response = _login(coach).post(EXPORT, _data("csv", start=start))
        chunks = 0
        tracemalloc.start()
        for _chunk in response.streaming_content:
            chunks += 1
        _size, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert chunks == count + 5
        return top

    # Both above one fetch (CHUNK rows), so both hold one chunk at most.
    small, large = peak(exports.CHUNK + 500), peak(4 * (exports.CHUNK + 500))
    assert large < small * 2, (small, large)  # four times the rows: no growth with them


# PDF


def test_the_pdf_has_the_rows_and_totals_without_names(coach, entries):
    response = _login(coach).post(EXPORT, _data("pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text = "\n".join(pdf_strings(response.content))
    assert "Timesheet of Carla Ravestein" in text
    lines = text.splitlines()
    assert lines.count("Coachee 1") == 1 and lines.count("Coachee 2") == 2
    for expected in ("Written coaching", "Preparation", "Session", "30", "60", "45"):
        assert expected in lines, expected
    totals = lines[lines.index("Billable hours") + 1 :]
    assert totals[:16] == [
        *("Session", "1:00", "60", "1:00"),
        *("Preparation", "0:45", "45", "0:00"),
        *("Written coaching", "0:30", "30", "0:30"),
        *("Total", "2:15", "135", "1:30"),
    ]
    assert "Zwanenburg" not in text and "Brandsma" not in text
    assert "999" not in lines  # the entry before the period


def test_the_pdf_has_names_only_when_asked(coach, entries):
    text = "\n".join(pdf_strings(_login(coach).post(EXPORT, _data("pdf", names=True)).content))
    assert "Eva Zwanenburg" in text and "Bram Brandsma" in text
    assert "Coachee 1" not in text


def test_names_outside_latin_1_are_shown_as_far_as_the_font_can(coach, organisation):
    person = CoacheeFactory(
        organisation=organisation, first_name="\u0141ukasz", last_name="Zo\u00eb\u2013Ng"
    )
    time_entry(coach, TrajectoryFactory(coachee=person, coaches=[coach]), days_ago=1)
    response = _login(coach).post(EXPORT, _data("pdf", names=True))
    assert response.status_code == 200
    assert "?ukasz Zoë-Ng" in "\n".join(pdf_strings(response.content))


def test_a_long_period_runs_over_pages_with_headings_on_each(coach, trajectory):
    for n in range(120):
        time_entry(coach, trajectory, days_ago=n % 30, minutes=5)
    text = "\n".join(pdf_strings(_login(coach).post(EXPORT, _data("pdf")).content))
    assert text.count("Page 1 of ") == 1 and "Page 3 of " in text
    assert text.splitlines().count("Date") >= 3
    assert "10:00" in text  # 600 minutes in all


def test_an_empty_period_says_so(coach, trajectory):
    text = "\n".join(pdf_strings(_login(coach).post(EXPORT, _data("pdf")).content))
    assert "No time was recorded in this period." in text
    assert "0:00" in text


# What never leaves


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_no_note_or_report_text_is_ever_exported(coach, trajectory, entries, fmt):
    session_report(coach, trajectory, report=REPORT, agreements="Afspraak Patrijs")
    _login(coach).post(reverse("timesheet:from_report", args=[_report_id(coach)]))
    response = _login(coach).post(EXPORT, _data(fmt, names=True))
    if fmt == "csv":
        content = b"".join(response.streaming_content).decode()
    else:
        content = pdf_everything(response.content)
    for secret in ("Roerdomp", "Kwartel", "Patrijs"):
        assert secret not in content


def _report_id(coach):
    return access.reports_for(coach).get().pk


def test_restricted_coachees_are_left_out_and_the_page_says_so(coach, coachee, entries):
    restrict_processing(coachee, "Bezwaar")
    client = _login(coach)
    page = page_text(client.get(EXPORT))
    assert "The processing of 1 of your coachees is restricted" in page
    rows = _csv_rows(client.post(EXPORT, _data("csv", names=True)))
    assert [row[1] for row in rows[1:2]] == ["Bram Brandsma"]
    assert rows[-1] == ["Total", "30", "0:30", "30"]


# Refusals


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime.date(2026, 5, 1), datetime.date(2026, 4, 30), "The first day is after the last"),
        (
            datetime.date(2020, 1, 1),
            datetime.date(2025, 1, 1),
            "An export covers at most 5 years: choose a shorter period.",
        ),
        (
            datetime.date(2000, 2, 29),
            datetime.date(2005, 2, 28),
            "An export covers at most 5 years: choose a shorter period.",
        ),
    ],
)
def test_a_period_that_cannot_be_exported_says_why(coach, entries, start, end, message):
    response = _login(coach).post(EXPORT, _data("csv", start=start, end=end))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in page_text(response)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_five_whole_years_can_be_exported(coach, entries):
    start = datetime.date(2020, 1, 1)
    response = _login(coach).post(
        EXPORT, _data("csv", start=start, end=datetime.date(2024, 12, 31))
    )
    assert response.status_code == 200 and response.streaming


@pytest.mark.parametrize("missing", ["start", "end", "format"])
def test_a_missing_field_is_asked_for(coach, missing):
    data = _data("csv")
    del data[missing]
    response = _login(coach).post(EXPORT, data)
    assert response.status_code == 200 and "This field is required." in page_text(response)


# Password and audit


def test_an_export_asks_for_the_password_again_first(coach, entries):
    client = _login(coach, reauthenticated=False)
    assert client.get(EXPORT).status_code == 200  # the form itself
    response = client.post(EXPORT, _data("csv"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_every_export_is_in_the_audit_trail_without_names(coach, entries):
    client = _login(coach)
    client.post(EXPORT, _data("pdf", names=True))
    b"".join(client.post(EXPORT, _data("csv")).streaming_content)
    events = AuditEvent.objects.filter(action=Action.EXPORT).order_by("at")
    period = f"{_start().isoformat()}..{dates.today().isoformat()}"
    assert [(e.actor_id, e.subject_uuid, e.detail) for e in events] == [
        (coach.pk, None, f"timesheet {period} pdf with names"),
        (coach.pk, None, f"timesheet {period} csv without names"),
    ]


def test_labels_number_coachees_in_order_of_first_appearance(coach, entries):
    labels = exports.Labels(coach, _start(), dates.today(), include_names=False)
    first, second = entries[1].coachee_id, entries[0].coachee_id
    assert [labels(first), labels(second), labels(first)] == [
        "Coachee 1",
        "Coachee 2",
        "Coachee 1",
    ]
