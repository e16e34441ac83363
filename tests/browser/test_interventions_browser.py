"""A coach builds a weekly check-in, the coachee answers it three weeks running, the coach
gives feedback, and both follow the answers on a chart: the whole journey in a real browser.

The weeks pass by patching ``pluform.dates.today``: the live server runs in a thread of this
process and every module calls ``dates.today()`` through the module, so one patch moves the
app's "today". ``timezone.now`` is left alone: it only stamps saved/submitted/reviewed times,
and moving it would expire the sessions (30 minutes idle) and the TOTP window.
"""

import datetime
import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from interventions.models import Assignment, Status
from pluform import dates
from tests.browser.axe import (
    Audit,
    csp_violations,
    require_axe,
    serve_axe,
)
from tests.browser.helpers import (
    DESKTOP,
    follow_nav,
    heading,
    horizontal_overflow,
    local_page,
    log_in,
    log_in_with_totp,
    press,
    snapshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 390, "height": 844}
TITLE = "Weekly check-in"
STEP_TEXT = "Look back on the past week before you answer."
SCALE_QUESTION = "How did this week go?"
OPEN_QUESTION = "What helped you most this week?"
MESSAGE = "Eva, one minute a week is enough: we will look at the trend together."
OPEN_ANSWER = "Walking to work and writing things down in the evening."
STEP_FEEDBACK = "A 7 is a good start; let us see what makes the difference."
OVERALL_FEEDBACK = "Thank you for filling it in so carefully."


@pytest.fixture
def coach_page(browser, live_server):
    """A second browser context, so the coach and the coachee are logged in side by side."""
    with local_page(browser, live_server) as page:
        yield page


def _submit_to_coach(page):
    press(page, "button", "Submit to my coach")
    expect(page.get_by_role("status")).to_contain_text("Submitted. Your coach will read it.")
    expect(page.get_by_text("Submitted. Your coach has not reviewed it yet.")).to_be_visible()


def _scale(page):
    return page.get_by_role("group", name=re.compile(re.escape(SCALE_QUESTION)))


def _answer_a_later_week(page, value, opens_on):
    """The coachee opens this week's occurrence, answers the scale, finishes and submits."""
    follow_nav(page, "Interventions")
    expect(heading(page)).to_have_text("Interventions")
    open_items = page.locator("ul.cards > li")
    expect(open_items).to_have_count(1)
    open_items.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    press(page, "link", "Start")
    expect(heading(page)).to_have_text("Step 1 of 1")
    _scale(page).get_by_role("radio", name=str(value), exact=True).check()
    press(page, "button", "Save and finish")
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("Step 1 has been saved.")
    _submit_to_coach(page)
    assert Assignment.objects.get(available_on=opens_on).status == Status.SUBMITTED


def test_a_weekly_check_in_from_the_library_to_the_progress_chart(
    page, coach_page, coach, coachee, trajectory
):
    require_axe()
    refused = csp_violations(page)
    refused_by_coach = csp_violations(coach_page)
    serve_axe(page)
    serve_axe(coach_page)
    page.set_viewport_size(DESKTOP)
    coach_page.set_viewport_size(DESKTOP)
    audit = Audit(serious_only=True)
    start = dates.today()
    until = start + datetime.timedelta(weeks=3)

    # 1. The coach makes the intervention in the library.
    cp = coach_page
    log_in_with_totp(cp, coach)
    follow_nav(cp, "Interventions")
    expect(heading(cp)).to_have_text("Interventions")
    press(cp, "link", "Library")
    expect(heading(cp)).to_have_text("Library")
    audit.check(cp, "library")
    press(cp, "link", "New intervention")
    expect(heading(cp)).to_have_text("New intervention")
    cp.get_by_label("Title").fill(TITLE)
    press(cp, "button", "Save")
    expect(heading(cp)).to_have_text("New step")
    expect(cp.get_by_role("status")).to_contain_text("Now add its steps.")

    cp.get_by_label("Text for the coachee").fill(STEP_TEXT)
    first = cp.get_by_role("group", name="Question 1", exact=True)
    first.get_by_label("Kind of answer").select_option(label="Scale")
    first.get_by_label("Question", exact=True).fill(SCALE_QUESTION)
    first.get_by_label("An answer is required").check()
    first.get_by_label("Scale from").fill("1")
    first.get_by_label("Scale to").fill("10")
    first.get_by_label("Label of the lowest point").fill("Low")
    first.get_by_label("Label of the highest point").fill("High")
    audit.check(cp, "step form (new)")
    press(cp, "button", "Save and add a question")
    expect(heading(cp)).to_have_text("Edit step")
    expect(cp.get_by_role("status")).to_contain_text("The step has been saved.")
    expect(cp.locator("fieldset.question-form")).to_have_count(2)
    first = cp.get_by_role("group", name="Question 1", exact=True)
    expect(first.get_by_label("Question", exact=True)).to_have_value(SCALE_QUESTION)
    expect(first.get_by_label("Label of the highest point")).to_have_value("High")

    second = cp.get_by_role("group", name="Question 2", exact=True)
    expect(second.get_by_label("Question", exact=True)).to_have_value("")
    second.get_by_label("Kind of answer").select_option(label="Long text")
    second.get_by_label("Question", exact=True).fill(OPEN_QUESTION)
    audit.check(cp, "step form (edit)")
    press(cp, "button", "Save step")
    expect(heading(cp)).to_have_text(TITLE)
    questions = cp.locator("ol.steps ul.questions > li")
    expect(questions).to_have_count(2)
    expect(questions.nth(0)).to_contain_text(SCALE_QUESTION)
    expect(questions.nth(0)).to_contain_text("Scale 1\u201310, required")
    expect(questions.nth(1)).to_contain_text(OPEN_QUESTION)
    expect(questions.nth(1)).to_contain_text("Long text")
    audit.check(cp, "template page")

    # 2. The coach assigns it weekly for three weeks, with a personal message.
    press(cp, "link", "Assign")
    expect(heading(cp)).to_have_text(f"Assign “{TITLE}”")
    cp.get_by_label(coachee.get_full_name()).check()
    cp.get_by_label("Personal message").fill(MESSAGE)
    expect(cp.locator("input[type=date][name=starts_on]")).to_have_value(start.isoformat())
    cp.fill("input[type=date][name=starts_on]", start.isoformat())
    cp.get_by_label("Every week").check()
    cp.fill("input[type=date][name=until]", until.isoformat())
    audit.check(cp, "assign form")
    press(cp, "button", "Assign")
    expect(heading(cp)).to_have_text("Interventions")
    expect(cp.get_by_role("status")).to_contain_text("Assigned: 4 assignments in all.")
    rows = cp.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(coachee.get_full_name())
    expect(rows.first).to_contain_text(TITLE)
    expect(rows.first).to_contain_text("Assigned")
    expect(cp.get_by_role("link", name=re.compile(r"^Planned"))).to_contain_text("3")
    audit.check(cp, "review list")

    # 3. The coachee answers the scale on a first visit and the open question on a second.
    log_in(page, coachee)
    follow_nav(page, "Interventions")
    expect(heading(page)).to_have_text("Interventions")
    open_items = page.locator("ul.cards > li")
    expect(open_items).to_have_count(1)
    audit.check(page, "coachee list")
    open_items.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    message = page.locator(".card", has=page.get_by_role("heading", name="Personal message"))
    expect(message).to_contain_text(MESSAGE)
    press(page, "link", "Start")
    expect(heading(page)).to_have_text("Step 1 of 1")
    expect(page.get_by_text(STEP_TEXT)).to_be_visible()
    scale = _scale(page)
    expect(scale).to_contain_text("(required)")
    expect(scale).to_contain_text("1 = Low, 10 = High")
    expect(scale.get_by_role("radio")).to_have_count(10)
    audit.check(page, "fill-in step")
    for size, suffix in ((DESKTOP, "desktop"), (NARROW, "phone")):
        page.set_viewport_size(size)
        snapshot(page, f"interventions-step-{suffix}")
        assert horizontal_overflow(page) == 0, f"the step page scrolls sideways at {size}"
    page.set_viewport_size(DESKTOP)
    scale.get_by_role("radio", name="7", exact=True).check()
    press(page, "button", "Save")
    expect(page.get_by_role("status")).to_contain_text("Step 1 has been saved.")
    expect(heading(page)).to_have_text("Step 1 of 1")
    expect(_scale(page).get_by_role("radio", name="7", exact=True)).to_be_checked()
    press(page, "button", "Log out")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    log_in(page, coachee)
    follow_nav(page, "Interventions")
    page.locator("ul.cards > li").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("ol.step-list")).to_contain_text("saved")
    press(page, "link", "Continue")
    expect(heading(page)).to_have_text("Step 1 of 1")
    expect(_scale(page).get_by_role("radio", name="7", exact=True)).to_be_checked()
    page.get_by_label(OPEN_QUESTION).fill(OPEN_ANSWER)
    press(page, "button", "Save and finish")
    expect(heading(page)).to_have_text(TITLE)
    _submit_to_coach(page)

    # 4. The coach reviews it.
    follow_nav(cp, "Interventions")
    cp.get_by_role("link", name=re.compile(r"^Waiting for review")).click()
    expect(cp.get_by_role("heading", level=2, name="Waiting for review")).to_be_visible()
    rows = cp.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=TITLE).click()
    expect(heading(cp)).to_have_text(TITLE)
    expect(cp.locator(".step-answers")).to_contain_text(OPEN_ANSWER)
    cp.get_by_label("Feedback on step 1").fill(STEP_FEEDBACK)
    cp.get_by_label("Overall feedback").fill(OVERALL_FEEDBACK)
    press(cp, "button", "Save and mark as reviewed")
    expect(cp.get_by_role("status")).to_contain_text("Your feedback has been saved.")
    expect(cp.locator(".status")).to_have_text("Reviewed")

    # 5. The coachee reads the feedback.
    page.reload()
    overall = page.get_by_role("region", name="Feedback from your coach")
    expect(overall).to_contain_text(OVERALL_FEEDBACK)
    step_one = page.get_by_role("region", name="Step 1")
    expect(step_one).to_contain_text("7")
    expect(step_one).to_contain_text(OPEN_ANSWER)
    expect(step_one.locator(".feedback")).to_contain_text(STEP_FEEDBACK)
    audit.check(page, "assignment with feedback")

    # 6. Two weeks later, and the week after, the coachee answers again.
    week_2, week_3 = (start + datetime.timedelta(weeks=n) for n in (1, 2))
    with mock.patch("pluform.dates.today", return_value=week_2):
        _answer_a_later_week(page, 5, week_2)
    with mock.patch("pluform.dates.today", return_value=week_3):
        _answer_a_later_week(page, 8, week_3)

        # 7. Both follow the progress over time. (Inside the patch: to the coachee, the
        # later occurrences exist from their own dates on.)
        press(page, "link", "Progress over time")
        expect(heading(page)).to_have_text("Progress over time")
        _expect_chart(page)
        audit.check(page, "series chart (coachee)")
        for size, suffix in ((DESKTOP, "desktop"), (NARROW, "phone")):
            page.set_viewport_size(size)
            snapshot(page, f"interventions-chart-{suffix}")
            assert horizontal_overflow(page) == 0, f"the chart page scrolls sideways at {size}"

        follow_nav(cp, "Interventions")
        cp.locator("table.inbox tbody tr").first.get_by_role("link", name=TITLE).click()
        expect(heading(cp)).to_have_text(TITLE)
        press(cp, "link", "Progress over time")
        expect(heading(cp)).to_have_text("Progress over time")
        expect(cp.get_by_text(coachee.get_full_name())).to_be_visible()
        _expect_chart(cp)
        audit.check(cp, "series chart (coach)")

    # 8. No serious or critical accessibility problem, and no refusal by the CSP.
    problems = audit.problems + refused + refused_by_coach
    assert not problems, "\n".join(problems)


def _expect_chart(page):
    chart = page.get_by_role("region", name=SCALE_QUESTION)
    expect(chart.locator("svg.chart circle")).to_have_count(3)
    expect(chart.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"3 answers from .+ on a scale of 1 to 10\.")
    )
    expect(chart.locator("table.chart-table tbody td.number")).to_have_text(["7", "5", "8"])
    expect(chart).to_contain_text("1 = Low, 10 = High")


def test_a_step_with_only_a_text_is_saved_with_the_empty_question_left_as_it_is(page, coach):
    log_in_with_totp(page, coach)
    follow_nav(page, "Interventions")
    press(page, "link", "Library")
    press(page, "link", "New intervention")
    page.get_by_label("Title").fill(TITLE)
    press(page, "button", "Save")
    expect(heading(page)).to_have_text("New step")
    expect(page.locator("fieldset.question-form")).to_have_count(1)
    page.get_by_label("Text for the coachee").fill(STEP_TEXT)
    press(page, "button", "Save step")
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("ol.steps > li")).to_have_count(1)
    expect(page.locator("ol.steps > li").first).to_contain_text(STEP_TEXT)
