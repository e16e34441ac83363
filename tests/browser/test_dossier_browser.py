"""A coach writes a session report, accepts two suggested time entries and exports the month
as a PDF (the test opens the PDF and finds the totals); the coachee's home page shows an
unread message and an open intervention: the whole journey in a real browser.

The dates are the real ones (the suggestions follow ``timezone.localdate``, the rest
``dates.today``, so patching one would split them). The coach's messages fall on yesterday
and today, or on Saturday and Sunday of last week when today is a Monday; when yesterday is
in last month, "this month" holds today's entries only and the expected totals follow.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from dialogue.models import Message
from dossier.models import Activity
from dossier.suggestions import week_of
from dossier.timesheet import duration_text
from pluform import dates
from tests.browser.axe import Audit, csp_violations, require_axe, serve_axe
from tests.browser.helpers import (
    DESKTOP,
    PASSWORD,
    follow_nav,
    heading,
    local_page,
    log_in,
    log_in_with_totp,
    press,
)
from tests.documents import pdf_everything, pdf_strings
from tests.factories.dialogue import one_to_one, post
from tests.factories.dossier import session_report, time_entry
from tests.factories.interventions import assign, template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERVENTION = "Sleep diary"
DUE_IN = 5
REPORT_TEXT = "Eva slept badly after the late shifts; we looked at an evening routine."
AGREEMENTS = "Eva keeps the sleep diary for two weeks and tries the routine."
NOTE = "Prepared the evening-routine worksheet for Eva."
EARLIER_MESSAGES = ("How did the first night go?", "And did the breathing exercise help?")
TODAY_MESSAGE = "Looking forward to our call today."
PER_MESSAGE = 10  # the default rule: minutes per message written
NOTE_MINUTES = 30  # a preparation entry with a note, not billable, recorded today
EDITED_MINUTES = 25  # today's messages, accepted after changing the suggested minutes


@pytest.fixture
def coachee_page(browser, live_server):
    """A second browser context, so the coach and the coachee are logged in side by side."""
    with local_page(browser, live_server) as page:
        yield page


def _status(page):
    return page.get_by_role("status")


def _date(day) -> str:
    return dateformat.format(day, "j F Y")  # DATE_FORMAT of pluform/formats/en


def _at(day, hour):
    """``day`` at ``hour`` o'clock in the practice's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _after(lines, first, count):
    """The ``count`` strings that follow the (first) string ``first``."""
    assert first in lines, (first, lines)
    start = lines.index(first) + 1
    return lines[start : start + count]


def test_a_coach_reports_a_session_fills_in_the_timesheet_and_exports_it(
    page, coachee_page, coach, coachee, trajectory
):
    require_axe()
    refused = csp_violations(page)
    refused_by_coachee = csp_violations(coachee_page)
    serve_axe(page)
    serve_axe(coachee_page)
    page.set_viewport_size(DESKTOP)
    coachee_page.set_viewport_size(DESKTOP)
    audit = Audit()

    # 0. What happened before: messages on two days of one week (a suggestion per day), an
    # open intervention, and a preparation entry with a note, recorded today.
    today = dates.today()
    day_b = today if today.weekday() else today - datetime.timedelta(days=1)
    day_a = day_b - datetime.timedelta(days=1)
    week = week_of(day_b)
    dialogue = one_to_one(trajectory)
    earlier = [post(dialogue, coach, body) for body in EARLIER_MESSAGES]
    Message.objects.filter(pk__in=[m.pk for m in earlier]).update(created_at=_at(day_a, 10))
    latest = post(dialogue, coach, TODAY_MESSAGE)
    if day_b != today:
        Message.objects.filter(pk=latest.pk).update(created_at=_at(day_b, 15))
    assignment = assign(template(coach, INTERVENTION), coach, trajectory, due_in=DUE_IN)[0]
    time_entry(
        coach,
        trajectory,
        minutes=NOTE_MINUTES,
        activity=Activity.PREPARATION,
        billable=False,
        note=NOTE,
    )
    suggested_a = len(EARLIER_MESSAGES) * PER_MESSAGE
    name = coachee.get_full_name()

    # 1. From the dashboard to the coachee's dossier.
    log_in_with_totp(page, coach)
    expect(heading(page)).to_have_text(f"Welcome, {coach.first_name}")
    hours = page.locator(".stats a.stat").filter(has_text="hours this month")
    expect(hours.locator(".stat-number")).to_have_text("0.5")
    expect(page.get_by_role("region", name="Unread messages")).to_contain_text(
        "You have read every message."
    )
    audit.check(page, "coach dashboard")
    page.locator("ul.tiles").get_by_role("link", name=re.compile(r"^My coachees")).click()
    expect(heading(page)).to_have_text("My coachees")
    expect(page).to_have_url(re.compile(r"/dossier/$"))
    press(page, "link", name)
    expect(heading(page)).to_have_text(f"Dossier of {name}")
    dossier_url = page.url
    reports = page.get_by_role("region", name="Session reports")
    expect(reports).to_contain_text("No session reports yet.")
    expect(page.get_by_role("region", name="Interventions")).to_contain_text(INTERVENTION)
    audit.check(page, "dossier")

    # 2. A new session report: saved, shown on its page and in the dossier.
    press(page, "link", "New session report")
    expect(heading(page)).to_have_text("New session report")
    expect(page.get_by_label("Date", exact=True)).to_have_value(today.isoformat())
    audit.check(page, "report form")
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Duration in minutes").fill("50")
    page.get_by_label("Kind of session").select_option(label="Video call")
    page.get_by_label("Report", exact=True).fill(REPORT_TEXT)
    page.get_by_label("Agreements and next steps").fill(AGREEMENTS)
    press(page, "button", "Save")
    expect(_status(page)).to_contain_text("The session report has been saved.")
    expect(heading(page)).to_have_text(f"Session of {_date(today)}")
    expect(page).to_have_url(re.compile(r"/dossier/reports/[0-9a-f-]{36}/$"))
    report_url = page.url
    main = page.get_by_role("main")
    expect(main).to_contain_text("Video call · 50 minutes")
    expect(main).to_contain_text(REPORT_TEXT)
    expect(main).to_contain_text(AGREEMENTS)
    press(page, "link", f"Back to the dossier of {name}")
    expect(page).to_have_url(dossier_url)
    rows = reports.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Video call")
    expect(rows).to_contain_text("50 min")
    expect(rows).to_contain_text(coach.get_full_name())
    expect(main).not_to_contain_text(REPORT_TEXT)  # the dossier lists reports, not their text
    rows.get_by_role("link", name=_date(today), exact=True).click()
    expect(page).to_have_url(report_url)

    # 3. This week's suggestions: the report and the messages of two days; two are accepted,
    # one as suggested and one with other minutes.
    follow_nav(page, "Timesheet")
    expect(heading(page)).to_have_text("Timesheet")
    press(page, "link", "Suggestions")
    expect(heading(page)).to_have_text("Suggestions for your timesheet")
    if week != week_of(today):  # today is a Monday: the messages were last week
        press(page, "link", "Previous week")
    cards = page.locator("ul.cards > li.card")
    card_a = cards.filter(has_text=f"{_date(day_a)} · {name}").filter(
        has_text=f"{len(EARLIER_MESSAGES)} messages written in the dialogue"
    )
    card_b = cards.filter(has_text=f"{_date(day_b)} · {name}").filter(
        has_text="1 message written in the dialogue"
    )
    expect(card_a).to_have_count(1)
    expect(card_b).to_have_count(1)
    if week == week_of(today):
        expect(cards).to_have_count(3)
        expect(cards.filter(has=page.get_by_role("link", name="Session report"))).to_contain_text(
            _date(today)
        )
    expect(card_a.get_by_label("Minutes")).to_have_value(str(suggested_a))
    expect(card_b.get_by_label("Minutes")).to_have_value(str(PER_MESSAGE))
    expect(card_a.get_by_label("Activity")).to_have_value(Activity.WRITTEN)
    expect(card_b.get_by_label("Billable")).to_be_checked()
    audit.check(page, "suggestions")

    card_a.get_by_role("button", name="Add to my timesheet").click()
    expect(_status(page)).to_contain_text(
        f"{duration_text(suggested_a)} for {name} has been added to your timesheet."
    )
    expect(card_a).to_have_count(0)
    card_b.get_by_label("Minutes").fill(str(EDITED_MINUTES))
    card_b.get_by_role("button", name="Add to my timesheet").click()
    expect(_status(page)).to_contain_text(
        f"{duration_text(EDITED_MINUTES)} for {name} has been added to your timesheet."
    )
    expect(card_b).to_have_count(0)
    expect(cards.filter(has_text="written in the dialogue")).to_have_count(0)

    # 4. The timesheet, from the month of the first accepted day to this month.
    press(page, "link", "Back to the timesheet")
    expect(heading(page)).to_have_text("Timesheet")
    page.get_by_label("From month").fill(day_a.strftime("%Y-%m"))
    page.get_by_label("To month").fill(today.strftime("%Y-%m"))
    press(page, "button", "Show")
    expect(page).to_have_url(re.compile(r"\?start=\d{4}-\d{2}&end=\d{4}-\d{2}$"))
    entries = page.locator("table.inbox").first.locator("tbody tr")
    expect(entries).to_have_count(3)
    for day, activity, minutes, billable in (
        (day_a, "Written coaching", suggested_a, "yes"),
        (day_b, "Written coaching", EDITED_MINUTES, "yes"),
        (today, "Preparation", NOTE_MINUTES, "no"),
    ):
        row = entries.filter(has_text=activity).filter(has_text=_date(day))
        expect(row.locator("td")).to_have_text(
            [_date(day), name, activity, duration_text(minutes), billable, re.compile("Edit")]
        )
    total = suggested_a + EDITED_MINUTES + NOTE_MINUTES
    billable_total = suggested_a + EDITED_MINUTES
    totals = page.get_by_role("region", name="Totals")
    expect(totals).to_contain_text(
        f"{duration_text(total)} hours in this period, of which "
        f"{duration_text(billable_total)} billable."
    )
    expect(totals.get_by_role("table", name="Per coachee")).to_contain_text(
        f"{name}{duration_text(total)}{duration_text(billable_total)}"
    )
    expect(page.get_by_role("main")).not_to_contain_text(NOTE)
    audit.check(page, "timesheet list")

    # 5. This month as a PDF, without names; the export asks for the password again.
    press(page, "link", "Export")
    expect(heading(page)).to_have_text("Export the timesheet")
    first_day = today.replace(day=1)
    expect(page.get_by_label("First day")).to_have_value(first_day.isoformat())
    expect(page.get_by_label("Last day")).to_have_value(today.isoformat())
    expect(page.get_by_label("PDF, to send to the organisation that pays")).to_be_checked()
    names = page.get_by_label("Include the names of my coachees")
    expect(names).not_to_be_checked()
    audit.check(page, "export form")
    press(page, "button", "Export")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_label("Password").press("Enter")
    download = download_info.value
    assert download.suggested_filename == (
        f"timesheet-{first_day.isoformat()}-{today.isoformat()}.pdf"
    )
    data = Path(download.path()).read_bytes()
    lines = pdf_strings(data)
    text = "\n".join(lines)

    in_month = [
        (day, minutes)
        for day, minutes in ((day_a, suggested_a), (day_b, EDITED_MINUTES))
        if day >= first_day
    ]
    written = sum(minutes for _day, minutes in in_month)
    month_total = written + NOTE_MINUTES
    assert f"Timesheet of {coach.get_full_name()}" in lines
    assert f"{_date(first_day)} to {_date(today)}" in lines
    for day, minutes in in_month:
        row = [day.strftime("%d/%m/%Y"), "Coachee 1", "Written coaching", str(minutes), "yes"]
        assert row in [lines[i : i + 5] for i in range(len(lines))], (row, lines)
    assert _after(lines, "Billable hours", 4) == [
        "Preparation",
        duration_text(NOTE_MINUTES),
        str(NOTE_MINUTES),
        "0:00",
    ]
    assert lines[lines.index("Total") :][:4] == [
        "Total",
        duration_text(month_total),
        str(month_total),
        duration_text(written),
    ], lines
    written_row = ["Written coaching", duration_text(written), str(written), duration_text(written)]
    if written:
        assert written_row in [lines[i : i + 4] for i in range(len(lines))], lines
    else:  # today is Monday the 1st: both days were last month
        assert "Written coaching" not in lines, lines
    raw = pdf_everything(data)
    for secret in (REPORT_TEXT, AGREEMENTS, NOTE, coachee.last_name, coachee.first_name):
        assert secret not in text, secret
        assert secret not in raw, secret

    # 6. The coachee's home: the unread messages, linked into the dialogue, and the open
    # intervention with its due date.
    cp = coachee_page
    log_in(cp, coachee)
    expect(heading(cp)).to_have_text(f"Welcome, {coachee.first_name}")
    unread = cp.get_by_role("region", name="Unread messages")
    link = unread.get_by_role("link", name=f"Dialogue with {coach.first_name}", exact=True)
    dialogue_path = reverse("dialogue:detail", args=[dialogue.pk])
    expect(link).to_have_attribute("href", dialogue_path)
    expect(unread.locator(".badge")).to_have_text("3 unread messages")
    due = today + datetime.timedelta(days=DUE_IN)
    open_ = cp.get_by_role("region", name="Open interventions")
    item = open_.locator("li").filter(has=cp.get_by_role("link", name=INTERVENTION, exact=True))
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"due {_date(due)}")
    expect(item.get_by_role("link")).to_have_attribute(
        "href", reverse("interventions:assignment", args=[assignment.pk])
    )
    audit.check(cp, "coachee home")
    link.click()
    expect(cp).to_have_url(re.compile(f"{re.escape(dialogue_path)}$"))
    expect(cp.get_by_text(TODAY_MESSAGE)).to_be_visible()

    # 7. No accessibility problem at all, and no refusal by the CSP.
    problems = audit.problems + refused + refused_by_coachee
    assert not problems, "\n".join(problems)


def test_the_date_fields_of_the_dossier_keep_their_value_in_dutch(page, coach, coachee, trajectory):
    today = dates.today()
    held_on = today - datetime.timedelta(days=3)
    report = session_report(coach, trajectory, held_on=held_on)
    coach.language = "nl"
    coach.save(update_fields=["language"])
    log_in_with_totp(page, coach)
    values = []
    for url, field in (
        (reverse("dossier:report_add", args=[coachee.pk]), "held_on"),
        (reverse("dossier:report_edit", args=[report.pk]), "held_on"),
        (reverse("dossier:end_trajectory", args=[trajectory.pk]), "ended_on"),
    ):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "nl"
        values.append(page.locator(f"input[name={field}]").input_value())
    assert values == [today.isoformat(), held_on.isoformat(), today.isoformat()]
