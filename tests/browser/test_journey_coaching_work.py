"""Journeys 3, 4 and 5 of issue 16: a coach's everyday work with a coachee, in a real browser,
in English and in Dutch.

3. An intervention built in the library, assigned, filled in over two visits, submitted,
   reviewed with feedback, and the feedback read.
4. Toolbox items (a recording and a worksheet) shared, played, downloaded, and one withdrawn.
5. A session report written, the timesheet's suggestion for it accepted, and the month
   exported (the export asks for the password again).

After the set-up (the people, through the factories) everything happens through the pages:
one browser, the coach and the coachee logging in and out in turn. The database is only read,
to assert. Every page reached is checked by ``Journey.visit`` (axe-core, screenshots at 390
and 1280 px, sideways scrolling, no English on Dutch pages). What the test types is Dutch in
both languages, so it never counts as English on a Dutch page.
"""

import csv
import io
import re
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from dossier.models import SessionReport, TimeEntry
from interventions.models import Assignment, Status
from interventions.starter_content import STARTER_SET
from pluform import dates
from tests.browser.helpers import PASSWORD, heading, log_in, log_in_with_totp
from tests.browser.journey import Journey
from toolbox import media
from toolbox.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "nl")


def _finish(journey):
    journey.finish()


# What the coach and the coachee type (Dutch in both journeys' languages).
TITLE = "Wekelijkse terugblik"
STEP_TEXT = "Kijk terug op de afgelopen week voordat je antwoordt."
SCALE_QUESTION = "Hoe ging deze week?"
OPEN_QUESTION = "Wat heeft je deze week het meest geholpen?"
OPEN_ANSWER = "Naar mijn werk wandelen en 's avonds dingen opschrijven."
STEP_FEEDBACK = "Een 7 is een goed begin; we kijken samen wat het verschil maakt."
OVERALL_FEEDBACK = "Dank je wel dat je het zo zorgvuldig hebt ingevuld."

ENGLISH_STARTER_TITLES = [item["title"] for item in STARTER_SET if item.get("language") == "en"]

AUDIO_TITLE = "Ademhalingsoefening"
PDF_TITLE = "Slaapdagboek"
PDF = media.pdf_page(["Slaapdagboek", "Schrijf op wanneer je naar bed ging en opstond."])
AUDIO_SECONDS = 2

REPORT_MINUTES = 50
REPORT_TEXT = "Eva sliep slecht na de late diensten; we keken naar een avondritueel."
AGREEMENTS = "Eva houdt twee weken een slaapdagboek bij en probeert het ritueel."


class Words:
    """The page's words in the journey's language, from the app's own catalogue."""

    def __init__(self, language):
        self.language = language

    def __call__(self, text, **values):
        with translation.override(self.language):
            translated = gettext(text)
        return translated % values if values else translated


def _browser_page(request, language):
    """A browser that asks for the journey's language (Accept-Language, navigator.language)."""
    return request.getfixturevalue("page_nl" if language == "nl" else "page")


def _people(language, *users):
    for user in users:
        user.language = language
        user.save(update_fields=["language"])


def _nav(page, t, name):
    main = page.get_by_role("navigation", name=t("Main"))
    main.get_by_role("link", name=t(name), exact=True).click()


def _press(page, role, name):
    page.get_by_role(role, name=name, exact=True).click()


_TOTP_PERIODS_USED: list[float] = []


def _log_in_with_totp(page, user):
    """allauth takes each TOTP code once: a second login waits for the next code."""
    period = app_settings.TOTP_PERIOD
    while _TOTP_PERIODS_USED and time.time() // period <= _TOTP_PERIODS_USED[-1]:
        time.sleep(0.5)
    log_in_with_totp(page, user)
    _TOTP_PERIODS_USED.append(time.time() // period)


def _log_out(page, t):
    _press(page, "button", t("Log out"))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _status(page):
    return page.get_by_role("status")


# Journey 3 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language",
    [
        "en",
        # In Dutch the review list's column headings are longer: 68-77 px too wide.
        "nl",
    ],
)
def test_journey_3_an_intervention_built_assigned_filled_in_twice_submitted_and_reviewed(
    request, language, coach, coachee, trajectory
):
    page = _browser_page(request, language)
    _people(language, coach, coachee)
    t = Words(language)
    # The library's starter set lists the templates of every language, each marked with its
    # language ("EN · ..."): their English titles are content, not an untranslated page.
    journey = Journey(
        "3-intervention", page, language=language, allowed_english=ENGLISH_STARTER_TITLES
    )

    # The coach builds the intervention in the library: one step, two questions.
    _log_in_with_totp(page, coach)
    expect(heading(page)).to_have_text(t("Welcome, %(name)s", name=coach.first_name))
    journey.visit("coach-home")
    _nav(page, t, "Interventions")
    expect(heading(page)).to_have_text(t("Interventions"))
    journey.visit("coach-interventions")
    _press(page, "link", t("Library"))
    expect(heading(page)).to_have_text(t("Library"))
    journey.visit("library")
    _press(page, "link", t("New intervention"))
    expect(heading(page)).to_have_text(t("New intervention"))
    journey.visit("new-intervention")
    page.get_by_label(t("Title")).fill(TITLE)
    _press(page, "button", t("Save"))
    expect(heading(page)).to_have_text(t("New step"))
    journey.visit("new-step")

    page.get_by_label(t("Text for the coachee")).fill(STEP_TEXT)
    first = page.get_by_role("group", name=t("Question %(number)s", number=1), exact=True)
    # Only the fields of the chosen kind of answer show.
    expect(first.get_by_label(t("Scale from"))).to_be_hidden()
    expect(first.get_by_label(t("Options"))).to_be_hidden()
    first.get_by_label(t("Kind of answer")).select_option(label=t("Single choice"))
    expect(first.get_by_label(t("Options"))).to_be_visible()
    first.get_by_label(t("Kind of answer")).select_option(label=t("Scale"))
    expect(first.get_by_label(t("Options"))).to_be_hidden()
    first.get_by_label(t("Question"), exact=True).fill(SCALE_QUESTION)
    first.get_by_label(t("An answer is required")).check()
    first.get_by_label(t("Scale from")).fill("1")
    first.get_by_label(t("Scale to")).fill("10")
    first.get_by_label(t("Label of the lowest point")).fill("Slecht")
    first.get_by_label(t("Label of the highest point")).fill("Uitstekend")
    _press(page, "button", t("Save and add a question"))
    expect(heading(page)).to_have_text(t("Edit step"))
    expect(page.locator("fieldset.question-form")).to_have_count(2)
    journey.visit("edit-step")
    second = page.get_by_role("group", name=t("Question %(number)s", number=2), exact=True)
    second.get_by_label(t("Kind of answer")).select_option(label=t("Long text"))
    second.get_by_label(t("Question"), exact=True).fill(OPEN_QUESTION)
    _press(page, "button", t("Save step"))
    expect(heading(page)).to_have_text(TITLE)
    questions = page.locator("ol.steps ul.questions > li")
    expect(questions).to_have_count(2)
    expect(questions.nth(0)).to_contain_text(SCALE_QUESTION)
    expect(questions.nth(1)).to_contain_text(OPEN_QUESTION)
    journey.visit("template")

    # ... and assigns it to the coachee, once, from today.
    _press(page, "link", t("Assign"))
    journey.visit("assign-form")
    # A repeat's fields show only for a repeat.
    expect(page.get_by_label(t("Repeat until"))).to_be_hidden()
    page.get_by_label(t("Every number of days")).check()
    expect(page.get_by_label(t("Number of days between two times"))).to_be_visible()
    page.get_by_label(t("Every week")).check()
    expect(page.get_by_label(t("Repeat until"))).to_be_visible()
    expect(page.get_by_label(t("Number of days between two times"))).to_be_hidden()
    page.get_by_label(t("Once")).check()
    page.get_by_label(coachee.get_full_name()).check()
    page.get_by_label(t("Personal message")).fill("Eva, neem er rustig de tijd voor.")
    _press(page, "button", t("Assign"))
    expect(heading(page)).to_have_text(t("Interventions"))
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(coachee.get_full_name())
    expect(rows.first).to_contain_text(TITLE)
    journey.visit("assigned")
    assert Assignment.objects.get().status == Status.ASSIGNED
    _log_out(page, t)

    # First visit: the coachee answers the scale and leaves.
    log_in(page, coachee)
    expect(heading(page)).to_have_text(t("Welcome, %(name)s", name=coachee.first_name))
    journey.visit("coachee-home")
    _nav(page, t, "Interventions")
    expect(heading(page)).to_have_text(t("Interventions"))
    journey.visit("coachee-interventions")
    page.locator("ul.cards > li").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    journey.visit("assignment-new")
    _press(page, "link", t("Start"))
    expect(heading(page)).to_have_text(t("Step %(number)s of %(count)s", number=1, count=1))
    expect(page.get_by_text(STEP_TEXT)).to_be_visible()
    scale = page.get_by_role("group", name=re.compile(re.escape(SCALE_QUESTION)))
    expect(scale.get_by_role("radio")).to_have_count(10)
    journey.visit("step-first-visit")
    scale.get_by_role("radio", name="7", exact=True).check()
    _press(page, "button", t("Save"))
    expect(_status(page)).to_contain_text(t("Step %(number)d has been saved.", number=1))
    journey.visit("step-saved")
    _log_out(page, t)

    # Second visit: the answer is still there; the coachee answers the rest and submits.
    log_in(page, coachee)
    _nav(page, t, "Interventions")
    page.locator("ul.cards > li").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("ol.step-list")).to_contain_text(t("saved"))
    journey.visit("assignment-in-progress")
    _press(page, "link", t("Continue"))
    scale = page.get_by_role("group", name=re.compile(re.escape(SCALE_QUESTION)))
    expect(scale.get_by_role("radio", name="7", exact=True)).to_be_checked()
    expect(page.get_by_label(OPEN_QUESTION)).to_have_value("")
    journey.visit("step-second-visit")
    page.get_by_label(OPEN_QUESTION).fill(OPEN_ANSWER)
    _press(page, "button", t("Save and finish"))
    expect(heading(page)).to_have_text(TITLE)
    _press(page, "button", t("Submit to my coach"))
    expect(page.get_by_text(t("Submitted. Your coach has not reviewed it yet."))).to_be_visible()
    journey.visit("submitted")
    assert Assignment.objects.get().status == Status.SUBMITTED
    _log_out(page, t)

    # The coach reviews it, with feedback on the step and overall.
    _log_in_with_totp(page, coach)
    _nav(page, t, "Interventions")
    page.get_by_role("link", name=re.compile("^" + re.escape(t("Waiting for review")))).click()
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    journey.visit("waiting-for-review")
    rows.first.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator(".step-answers")).to_contain_text(OPEN_ANSWER)
    journey.visit("review")
    page.get_by_label(t("Feedback on step %(number)d", number=1)).fill(STEP_FEEDBACK)
    page.get_by_label(t("Overall feedback")).fill(OVERALL_FEEDBACK)
    _press(page, "button", t("Save and mark as reviewed"))
    expect(_status(page)).to_contain_text(t("Your feedback has been saved."))
    journey.visit("reviewed")
    assert Assignment.objects.get().status == Status.REVIEWED
    _log_out(page, t)

    # The coachee reads the feedback, from the finished interventions.
    log_in(page, coachee)
    _nav(page, t, "Interventions")
    expect(page.locator("ul.cards > li")).to_have_count(0)
    page.get_by_role("table").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    overall = page.get_by_role("region", name=t("Feedback from your coach"))
    expect(overall).to_contain_text(OVERALL_FEEDBACK)
    step_one = page.get_by_role("region", name=t("Step %(number)s", number=1))
    expect(step_one).to_contain_text(OPEN_ANSWER)
    expect(step_one.locator(".feedback")).to_contain_text(STEP_FEEDBACK)
    journey.visit("feedback")

    _finish(journey)


# Journey 4 ------------------------------------------------------------------------------------


def _row(page, title):
    return page.locator("table.toolbox-list tbody tr").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def _add_file(page, t, path, title, share_with):
    page.get_by_label(t("File"), exact=True).set_input_files(path)
    page.get_by_label(t("Title"), exact=True).fill(title)
    share = page.get_by_role("group", name=t("Share with"))
    share.get_by_label(share_with.get_full_name(), exact=True).check()
    _press(page, "button", t("Save"))
    expect(heading(page)).to_have_text(title)
    expect(_status(page)).to_contain_text(t("The item has been added."))


@pytest.mark.parametrize("language", LANGUAGES)
def test_journey_4_toolbox_items_shared_played_downloaded_and_withdrawn(
    request, language, coach, coachee, trajectory, tmp_path
):
    page = _browser_page(request, language)
    _people(language, coach, coachee)
    t = Words(language)
    journey = Journey("4-toolbox", page, language=language)
    wav = tmp_path / "ademhalingsoefening.wav"
    wav.write_bytes(media.wav_tone(seconds=AUDIO_SECONDS))
    pdf = tmp_path / "slaapdagboek.pdf"
    pdf.write_bytes(PDF)

    # The coach adds a recording and a worksheet, each shared with the coachee at once.
    _log_in_with_totp(page, coach)
    _nav(page, t, "Toolbox")
    expect(heading(page)).to_have_text(t("Toolbox"))
    journey.visit("coach-toolbox-empty")
    _press(page, "link", t("Add an item"))
    expect(heading(page)).to_have_text(t("Add an item"))
    journey.visit("add-form")
    _add_file(page, t, wav, AUDIO_TITLE, coachee)
    audio_url = page.url
    expect(page.locator("audio")).to_have_count(1)
    journey.visit("audio-item-coach")
    _press(page, "link", t("Back to the toolbox"))
    _press(page, "link", t("Add an item"))
    _add_file(page, t, pdf, PDF_TITLE, coachee)
    journey.visit("document-item-coach")
    _press(page, "link", t("Back to the toolbox"))
    expect(page.locator("table.toolbox-list tbody tr")).to_have_count(2)
    journey.visit("coach-toolbox")
    assert Share.objects.filter(user=coachee).count() == 2
    _log_out(page, t)

    # The coachee sees both as new, plays the recording and downloads the worksheet.
    log_in(page, coachee)
    _nav(page, t, "Toolbox")
    expect(heading(page)).to_have_text(t("Toolbox"))
    for title in (AUDIO_TITLE, PDF_TITLE):
        expect(_row(page, title).locator(".badge")).to_have_text(t("new"))
        expect(_row(page, title)).to_contain_text(coach.get_full_name())
    journey.visit("coachee-toolbox-new")
    _row(page, AUDIO_TITLE).get_by_role("link", name=AUDIO_TITLE).click()
    expect(heading(page)).to_have_text(AUDIO_TITLE)
    page.wait_for_function(
        "() => { const audio = document.querySelector('audio');"
        " return audio.readyState >= 1 && isFinite(audio.duration); }"
    )
    played = page.evaluate(
        """async () => {
            const audio = document.querySelector("audio");
            audio.muted = true;  // no autoplay policy stands in the way of a muted play()
            await audio.play();
            await new Promise((resolve) => setTimeout(resolve, 300));
            audio.pause();
            return {duration: audio.duration, currentTime: audio.currentTime,
                    readyState: audio.readyState, error: audio.error && audio.error.code};
        }"""
    )
    assert played["error"] is None, played
    assert played["duration"] == pytest.approx(AUDIO_SECONDS, abs=0.1), played
    assert played["currentTime"] > 0, played
    journey.visit("audio-item-coachee")
    _press(page, "link", t("Back to the toolbox"))
    _row(page, PDF_TITLE).get_by_role("link", name=PDF_TITLE).click()
    expect(heading(page)).to_have_text(PDF_TITLE)
    journey.visit("document-item-coachee")
    with page.expect_download() as download_info:
        _press(page, "link", t("Download"))
    download = download_info.value
    assert download.suggested_filename == "slaapdagboek.pdf"
    assert Path(download.path()).read_bytes() == PDF
    _press(page, "link", t("Back to the toolbox"))
    journey.visit("coachee-toolbox-seen")
    _log_out(page, t)

    # The coach stops sharing the recording.
    _log_in_with_totp(page, coach)
    _nav(page, t, "Toolbox")
    _row(page, AUDIO_TITLE).get_by_role("link", name=AUDIO_TITLE).click()
    _press(page, "button", t("Stop sharing with %(name)s", name=coachee.get_full_name()))
    expect(_status(page)).to_contain_text(t("The share has been withdrawn."))
    journey.visit("share-withdrawn")
    assert Share.objects.filter(user=coachee).count() == 1
    _log_out(page, t)

    # The coachee no longer sees it, and neither its page nor its file is there for them.
    log_in(page, coachee)
    _nav(page, t, "Toolbox")
    expect(page.locator("table.toolbox-list tbody tr")).to_have_count(1)
    expect(_row(page, PDF_TITLE)).to_have_count(1)
    expect(page.get_by_role("link", name=AUDIO_TITLE)).to_have_count(0)
    journey.visit("coachee-toolbox-after")
    assert page.goto(audio_url).status == 404
    expect(page.get_by_text(AUDIO_TITLE)).to_have_count(0)
    journey.visit("withdrawn-item-404")
    assert page.request.get(f"{audio_url}file/").status == 404

    _finish(journey)


# Journey 5 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_journey_5_a_session_report_its_time_suggestion_and_the_month_exported(
    request, language, coach, coachee, trajectory
):
    page = _browser_page(request, language)
    _people(language, coach, coachee)
    t = Words(language)
    journey = Journey("5-timesheet", page, language=language)
    today = dates.today()
    name = coachee.get_full_name()

    # The coach writes a session report in the coachee's dossier.
    _log_in_with_totp(page, coach)
    expect(heading(page)).to_have_text(t("Welcome, %(name)s", name=coach.first_name))
    journey.visit("coach-home")
    page.locator("ul.tiles").get_by_role(
        "link", name=re.compile("^" + re.escape(t("My coachees")))
    ).click()
    expect(heading(page)).to_have_text(t("My coachees"))
    journey.visit("coachees")
    _press(page, "link", name)
    expect(heading(page)).to_have_text(t("Dossier of %(name)s", name=name))
    reports = page.get_by_role("region", name=t("Session reports"))
    expect(reports).to_contain_text(t("No session reports yet."))
    journey.visit("dossier")
    _press(page, "link", t("New session report"))
    expect(heading(page)).to_have_text(t("New session report"))
    expect(page.get_by_label(t("Date"), exact=True)).to_have_value(today.isoformat())
    journey.visit("report-form")
    page.get_by_label(t("Duration in minutes")).fill(str(REPORT_MINUTES))
    page.get_by_label(t("Kind of session")).select_option(label=t("Video call"))
    page.get_by_label(t("Report"), exact=True).fill(REPORT_TEXT)
    page.get_by_label(t("Agreements and next steps")).fill(AGREEMENTS)
    _press(page, "button", t("Save"))
    expect(_status(page)).to_contain_text(t("The session report has been saved."))
    expect(page.get_by_role("main")).to_contain_text(REPORT_TEXT)
    journey.visit("report")
    report = SessionReport.objects.get()
    assert report.minutes == REPORT_MINUTES and report.held_on == today
    _press(page, "link", t("Back to the dossier of %(name)s", name=name))
    expect(reports.locator("tbody tr")).to_have_count(1)
    journey.visit("dossier-with-report")

    # The timesheet suggests the session; the coach accepts the suggestion.
    _nav(page, t, "Timesheet")
    expect(heading(page)).to_have_text(t("Timesheet"))
    journey.visit("timesheet-empty")
    _press(page, "link", t("Suggestions"))
    expect(heading(page)).to_have_text(t("Suggestions for your timesheet"))
    cards = page.locator("ul.cards > li.card")
    card = cards.filter(has=page.get_by_role("link", name=t("Session report")))
    expect(card).to_have_count(1)
    expect(card.get_by_label(t("Minutes"))).to_have_value(str(REPORT_MINUTES))
    journey.visit("suggestions")
    card.get_by_role("button", name=t("Add to my timesheet")).click()
    expect(_status(page)).to_be_visible()
    expect(card).to_have_count(0)
    journey.visit("suggestion-accepted")
    entry = TimeEntry.objects.get()
    assert entry.minutes == REPORT_MINUTES and entry.worked_on == today

    _press(page, "link", t("Back to the timesheet"))
    expect(heading(page)).to_have_text(t("Timesheet"))
    expect(page.locator("table.inbox").first.locator("tbody tr")).to_have_count(1)
    journey.visit("timesheet")

    # The month as CSV: the export asks for the password again.
    _press(page, "link", t("Export"))
    expect(heading(page)).to_have_text(t("Export the timesheet"))
    first_day = today.replace(day=1)
    expect(page.get_by_label(t("First day"))).to_have_value(first_day.isoformat())
    expect(page.get_by_label(t("Last day"))).to_have_value(today.isoformat())
    journey.visit("export-form")
    page.get_by_label(t("CSV, for a spreadsheet")).check()
    _press(page, "button", t("Export"))
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    journey.visit("reauthenticate")
    page.get_by_label(t("Password")).fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_label(t("Password")).press("Enter")
    download = download_info.value
    assert download.suggested_filename == (
        f"timesheet-{first_day.isoformat()}-{today.isoformat()}.csv"
    )
    data = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == [t("Date"), t("Coachee"), t("Activity"), t("Minutes"), t("Billable")]
    assert rows[1][0] == today.isoformat(), rows
    assert rows[1][1] != name and coachee.last_name not in data  # without names by default
    assert rows[1][3:] == [str(REPORT_MINUTES), t("yes")], rows
    assert [t("Total"), str(REPORT_MINUTES)] == rows[-1][:2], rows
    assert REPORT_TEXT not in data and AGREEMENTS not in data
    journey.visit("after-export")

    _finish(journey)
