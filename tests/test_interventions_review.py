"""The coach reviews: the review list, reading answers, feedback, marking reviewed, reopening,
a series' progress chart, and what a restriction stops."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.services import restrict_processing
from interventions import services
from interventions.models import Assignment, Status, StepAnswer
from pluform import dates
from pluform.notices.models import Notice
from tests.crypto_support import raw_column, raw_table_text
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.interventions import assign, open_question, scale, template

pytestmark = pytest.mark.django_db

STEPS = [
    ("Look back.", [scale("How was your week?", required=True)]),
    ("Look ahead.", [open_question("What will you try?")]),
]


@pytest.fixture
def reflection(coach):
    return template(coach, "Weekly reflection", steps=STEPS)


def _assign(made, coach, trajectory, **kwargs):
    return assign(made, coach, trajectory, **kwargs)[0]


def _answer_all(assignment, rating=6, plan="Walk every morning"):
    steps = assignment.version.parsed.steps
    services.save_step(assignment, steps[0], {steps[0].questions[0].key: rating}, {}, 0)
    services.save_step(assignment, steps[1], {steps[1].questions[0].key: plan}, {}, 0)


def _submitted(made, coach, trajectory, **kwargs):
    assignment = _assign(made, coach, trajectory, **kwargs)
    _answer_all(assignment)
    services.submit(assignment)
    return assignment


def _status(assignment):
    return Assignment.objects.get(pk=assignment.pk).status


def _url(name, assignment):
    return reverse(f"interventions:{name}", args=[assignment.pk])


def _feedback_data(assignment, overall="", per_step=("", ""), **extra):
    data = {"overall": overall}
    for step, text in zip(assignment.version.parsed.steps, per_step, strict=True):
        data[f"step_{step.key}"] = text
    data.update(extra)
    return data


def _step_feedback() -> list:
    return [answer.feedback for answer in StepAnswer.objects.all() if answer.feedback]


def _tabs(response) -> dict:
    return {name: count for name, _label, count, _url, _current in response.context["tabs"]}


def _rows(response) -> list:
    return list(response.context["page"].object_list)


# The review list


def test_the_review_list_shows_submitted_overdue_and_in_progress_with_tab_counts(
    client, coach, trajectory
):
    submitted = _submitted(template(coach, "Sleep diary", steps=STEPS), coach, trajectory)
    overdue = _assign(template(coach, "Values card", steps=STEPS), coach, trajectory, due_in=3)
    Assignment.objects.filter(pk=overdue.pk).update(
        due_on=dates.today() - datetime.timedelta(days=2)
    )
    started = _assign(template(coach, "Energy list", steps=STEPS), coach, trajectory)
    steps = started.version.parsed.steps
    services.save_step(started, steps[1], {steps[1].questions[0].key: "Half"}, {}, 0)
    reviewed = _submitted(template(coach, "Old letter", steps=STEPS), coach, trajectory)
    services.save_feedback(reviewed, overall="Good", per_step={}, reviewed=True)

    client.force_login(coach)
    page = client.get(reverse("interventions:index"))
    assert page.status_code == 200
    assert [row.pk for row in _rows(page)] == [submitted.pk, overdue.pk, started.pk]
    assert [row.status_text for row in _rows(page)] == ["Submitted", "Overdue", "In progress"]
    for title in ("Sleep diary", "Values card", "Energy list"):
        assert title in page.text
    assert "Old letter" not in page.text
    assert "status-overdue" in page.text
    assert "Eva Zwanenburg" in page.text
    assert _tabs(page) == {
        "open": 3,
        "review": 1,
        "overdue": 1,
        "in_progress": 1,
        "not_started": 1,
        "planned": 0,
        "reviewed": 1,
    }

    waiting = client.get(reverse("interventions:index"), {"state": "review"})
    assert "Waiting for review" in waiting.text
    assert [row.pk for row in _rows(waiting)] == [submitted.pk]
    overdue_tab = client.get(reverse("interventions:index"), {"state": "overdue"})
    assert [row.pk for row in _rows(overdue_tab)] == [overdue.pk]
    progress_tab = client.get(reverse("interventions:index"), {"state": "in_progress"})
    assert [row.pk for row in _rows(progress_tab)] == [started.pk]
    done_tab = client.get(reverse("interventions:index"), {"state": "reviewed"})
    assert [row.pk for row in _rows(done_tab)] == [reviewed.pk]
    unknown = client.get(reverse("interventions:index"), {"state": "nonsense"})
    assert [row.pk for row in _rows(unknown)] == [submitted.pk, overdue.pk, started.pk]


def test_the_review_list_filters_by_coachee(client, coach, coachee, trajectory, organisation):
    other = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Beukema")
    other_trajectory = TrajectoryFactory(coachee=other, coaches=[coach])
    mine = _submitted(template(coach, "Sleep diary", steps=STEPS), coach, trajectory)
    theirs = _submitted(template(coach, "Values card", steps=STEPS), coach, other_trajectory)

    client.force_login(coach)
    everyone = client.get(reverse("interventions:index"))
    assert {row.pk for row in _rows(everyone)} == {mine.pk, theirs.pk}
    assert _tabs(everyone)["review"] == 2

    filtered = client.get(reverse("interventions:index"), {"coachee": str(coachee.uuid)})
    assert [row.pk for row in _rows(filtered)] == [mine.pk]
    assert "Sleep diary" in filtered.text and "Values card" not in filtered.text
    assert _tabs(filtered)["review"] == 1
    assert f"?coachee={coachee.uuid}&amp;state=review" in filtered.text
    assert "Show all" in filtered.text


def test_a_coachee_of_another_coach_cannot_be_chosen_as_filter(
    client, coach, trajectory, reflection, stranger_coachee
):
    _submitted(reflection, coach, trajectory)
    client.force_login(coach)
    page = client.get(reverse("interventions:index"), {"coachee": str(stranger_coachee.uuid)})
    assert page.status_code == 200
    assert "Saar Stellingwerf" not in page.text
    assert page.context["coachee"] is None


# Reading and feedback


def test_the_coach_reads_gives_feedback_and_the_coachee_sees_it_only_once_reviewed(
    client, coach, coachee, trajectory, reflection
):
    assignment = _submitted(reflection, coach, trajectory)
    client.force_login(coach)
    page = client.get(_url("assignment", assignment))
    assert "Walk every morning" in page.text
    assert "How was your week?" in page.text
    assert "Save and mark as reviewed" in page.text

    draft = _feedback_data(
        assignment, overall="Draft overall words", per_step=("Draft on one", ""), save="1"
    )
    response = client.post(_url("feedback", assignment), draft)
    assert response.status_code == 302
    assert _status(assignment) == Status.SUBMITTED

    client.force_login(coachee)
    page = client.get(_url("assignment", assignment))
    assert "Draft overall words" not in page.text
    assert "Draft on one" not in page.text
    assert "Submitted. Your coach has not reviewed it yet." in page.text
    finished = client.get(reverse("interventions:index"))
    assert "Your coach gave feedback" not in finished.text

    client.force_login(coach)
    final = _feedback_data(
        assignment,
        overall="Well done this week",
        per_step=("Nice rating", "Good plan"),
        reviewed="1",
    )
    response = client.post(_url("feedback", assignment), final, follow=True)
    assert "Your feedback has been saved." in response.text
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.feedback) == (Status.REVIEWED, "Well done this week")
    assert fresh.reviewed_at is not None
    assert sorted(_step_feedback()) == ["Good plan", "Nice rating"]

    client.force_login(coachee)
    page = client.get(_url("assignment", assignment))
    assert "Feedback from your coach" in page.text
    for text in ("Well done this week", "Nice rating", "Good plan"):
        assert text in page.text
    finished = client.get(reverse("interventions:index"))
    assert "Your coach gave feedback" in finished.text
    assert "Weekly reflection" in finished.text


def test_feedback_on_a_step_without_answers_is_kept(client, coach, trajectory, coachee):
    made = template(coach, "Two steps", steps=[*STEPS, ("Extra.", [open_question("More?")])])
    assignment = _submitted(made, coach, trajectory)
    client.force_login(coach)
    data = _feedback_data(assignment, per_step=("", "", "Try the extra next time"), reviewed="1")
    assert client.post(_url("feedback", assignment), data).status_code == 302
    client.force_login(coachee)
    assert "Try the extra next time" in client.get(_url("assignment", assignment)).text


@pytest.mark.parametrize("state", ["assigned", "in_progress"])
def test_feedback_before_submission_is_refused_and_stores_nothing(
    client, coach, trajectory, reflection, state
):
    assignment = _assign(reflection, coach, trajectory)
    if state == "in_progress":
        _answer_all(assignment)
    client.force_login(coach)
    data = _feedback_data(assignment, overall="Too early", per_step=("Early", "Early"))
    response = client.post(_url("feedback", assignment), {**data, "reviewed": "1"})
    assert response.status_code in (200, 404)
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.feedback, fresh.reviewed_at) == (state, "", None)
    assert _step_feedback() == []


def test_feedback_longer_than_allowed_is_refused(client, coach, trajectory, reflection):
    assignment = _submitted(reflection, coach, trajectory)
    client.force_login(coach)
    data = _feedback_data(assignment, overall="x" * 20_001, reviewed="1")
    response = client.post(_url("feedback", assignment), data)
    assert response.status_code == 200
    assert "Ensure this value has at most 20000 characters" in response.text
    assert _status(assignment) == Status.SUBMITTED


def test_feedback_on_the_steps_alone_shows_in_the_finished_list(
    client, coach, coachee, trajectory, reflection
):
    assignment = _submitted(reflection, coach, trajectory)
    services.save_feedback(
        assignment,
        overall="",
        per_step={assignment.version.parsed.steps[0].key: "Look at your rating"},
        reviewed=True,
    )
    client.force_login(coachee)
    assert "Look at your rating" in client.get(_url("assignment", assignment)).text
    assert "Your coach gave feedback" in client.get(reverse("interventions:index")).text


def test_the_coachee_cannot_post_feedback_nor_reopen(
    client, coachee, coach, trajectory, reflection
):
    assignment = _submitted(reflection, coach, trajectory)
    client.force_login(coachee)
    data = _feedback_data(assignment, overall="Self praise", reviewed="1")
    assert client.post(_url("feedback", assignment), data).status_code == 404
    assert client.post(_url("reopen", assignment), {"note": "Again"}).status_code == 404
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.feedback) == (Status.SUBMITTED, "")


# Reopening


def test_reopen_gives_it_back_with_a_note_and_tells_the_coachee(
    client, coach, coachee, trajectory, reflection, django_capture_on_commit_callbacks, mailoutbox
):
    assignment = _submitted(reflection, coach, trajectory)
    mailoutbox.clear()
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("reopen", assignment), {"note": "Please add a plan for the weekend"}, follow=True
        )
    assert "The intervention is open again for your coachee." in response.text
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.submitted_at) == (Status.IN_PROGRESS, None)
    assert Notice.objects.filter(
        user=coachee, kind="interventions.reopened", object_id=assignment.pk
    ).exists()
    assert [email.to for email in mailoutbox] == [[coachee.email]]
    assert "Please add a plan" not in mailoutbox[0].body

    client.force_login(coachee)
    page = client.get(_url("assignment", assignment))
    assert "Opened again by your coach" in page.text
    assert "Please add a plan for the weekend" in page.text
    assert "Submit to my coach" in page.text
    step = assignment.version.parsed.steps[1]
    answer = StepAnswer.objects.get(assignment=assignment, step_key=step.key)
    response = client.post(
        reverse("interventions:step", args=[assignment.pk, step.key]),
        {"revision": answer.revision, f"q_{step.questions[0].key}": "Weekend hike", "stay": "1"},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.value_map == {step.questions[0].key: "Weekend hike"}
    assert client.post(_url("submit", assignment)).status_code == 302
    assert _status(assignment) == Status.SUBMITTED


def test_reopen_without_a_note_is_refused_with_a_clear_error(
    client, coach, coachee, trajectory, reflection
):
    assignment = _submitted(reflection, coach, trajectory)
    client.force_login(coach)
    for note in ("", "   "):
        response = client.post(_url("reopen", assignment), {"note": note})
        assert response.status_code == 200
        assert "This field is required." in response.text
    assert _status(assignment) == Status.SUBMITTED
    assert not Notice.objects.filter(user=coachee, kind="interventions.reopened").exists()


@pytest.mark.parametrize("state", ["in_progress", "reviewed"])
def test_reopen_of_an_assignment_that_is_not_submitted_is_refused(
    client, coach, coachee, trajectory, reflection, state
):
    assignment = _assign(reflection, coach, trajectory)
    _answer_all(assignment)
    if state == "reviewed":
        services.submit(assignment)
        services.save_feedback(assignment, overall="Fine", per_step={}, reviewed=True)
    client.force_login(coach)
    response = client.post(_url("reopen", assignment), {"note": "Look again"})
    assert response.status_code in (200, 404)
    assert _status(assignment) == state
    assert Assignment.objects.get(pk=assignment.pk).reopen_note == ""
    assert not Notice.objects.filter(user=coachee, kind="interventions.reopened").exists()


def _in_progress(made, coach, trajectory):
    assignment = _assign(made, coach, trajectory)
    _answer_all(assignment)
    return assignment


def _reviewed(made, coach, trajectory):
    assignment = _submitted(made, coach, trajectory)
    services.save_feedback(assignment, overall="Fine", per_step={}, reviewed=True)
    return assignment


@pytest.mark.parametrize(
    ("make", "name", "data", "reason"),
    [
        (
            _in_progress,
            "feedback",
            {"overall": "Too early", "reviewed": "1"},
            "Feedback can be given once the coachee has submitted.",
        ),
        (
            _reviewed,
            "reopen",
            {"note": "Look again"},
            "Only a submitted intervention can be reopened.",
        ),
    ],
    ids=["feedback-before-submit", "reopen-after-review"],
)
def test_a_refused_feedback_or_reopen_says_why(
    client, coach, trajectory, reflection, make, name, data, reason
):
    """E.g. a second coach of the trajectory, on a page opened before the first coach marked
    it reviewed (or reopened it), presses a button: the page comes back without a reason."""
    assignment = make(reflection, coach, trajectory)
    client.force_login(coach)
    response = client.post(_url(name, assignment), data)
    assert response.status_code == 200
    assert reason in response.text


# Restriction


def test_a_restricted_coachee_gets_no_feedback_review_or_reopen_and_no_notices(
    client, coach, coachee, trajectory, reflection, django_capture_on_commit_callbacks, mailoutbox
):
    assignment = _submitted(reflection, coach, trajectory)
    restrict_processing(coachee, "Objection")
    notices_before = Notice.objects.filter(user=coachee).count()
    mailoutbox.clear()
    client.force_login(coach)
    page = client.get(_url("assignment", assignment))
    assert page.status_code == 200
    assert "Processing of personal data is restricted" in page.text
    assert "Walk every morning" in page.text  # still readable
    assert "Save and mark as reviewed" not in page.text

    data = _feedback_data(assignment, overall="Blocked words", per_step=("Blocked", ""))
    with django_capture_on_commit_callbacks(execute=True):
        feedback = client.post(_url("feedback", assignment), {**data, "reviewed": "1"})
        reopen = client.post(_url("reopen", assignment), {"note": "Blocked note"})
    for response in (feedback, reopen):
        assert response.status_code == 200
        assert "Processing of personal data is restricted" in response.text
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.feedback, fresh.reopen_note) == (Status.SUBMITTED, "", "")
    assert _step_feedback() == []
    assert Notice.objects.filter(user=coachee).count() == notices_before
    assert mailoutbox == []


def test_an_ended_trajectory_refuses_feedback(client, coach, trajectory, reflection):
    assignment = _submitted(reflection, coach, trajectory)
    trajectory.ended_on = dates.today() - datetime.timedelta(days=1)
    trajectory.save()
    client.force_login(coach)
    data = _feedback_data(assignment, overall="Too late", reviewed="1")
    response = client.post(_url("feedback", assignment), data)
    assert response.status_code == 200
    assert "This trajectory has ended." in response.text
    assert Assignment.objects.get(pk=assignment.pk).feedback == ""


# Progress over time


@pytest.fixture
def move_today(monkeypatch):
    """Moves the business date (pluform.dates.today) that every module asks."""
    real_today = dates.today()

    def move(days):
        monkeypatch.setattr(dates, "today", lambda: real_today + datetime.timedelta(days=days))

    return move


def test_a_weekly_series_shows_its_answers_as_a_chart_with_a_text_alternative(
    client, coach, coachee, trajectory, stranger_coach, move_today
):
    checkin = template(coach, "Weekly check-in", steps=[("How was it?", [scale("Mood?")])])
    occurrences = assign(checkin, coach, trajectory, every_days=7, until_in=14)
    assert len(occurrences) == 3
    first_day = dates.today()
    assert [a.available_on for a in occurrences] == [
        first_day + datetime.timedelta(days=7 * week) for week in range(3)
    ]
    series = occurrences[0].series
    step = checkin.versions.get().parsed.steps[0]
    client.force_login(coachee)
    for week, (assignment, rating) in enumerate(zip(occurrences, (3, 6, 8), strict=True)):
        move_today(7 * week)
        url = reverse("interventions:step", args=[assignment.pk, step.key])
        data = {"revision": "0", f"q_{step.questions[0].key}": str(rating), "done": "1"}
        assert client.post(url, data).status_code == 302
        assert client.post(_url("submit", assignment)).status_code == 302
    assert set(Assignment.objects.values_list("status", flat=True)) == {Status.SUBMITTED}

    series_url = reverse("interventions:series", args=[series.pk])
    for reader in (coachee, coach):
        client.force_login(reader)
        page = client.get(series_url)
        assert page.status_code == 200
        svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S).group(0)
        assert 'role="img"' in svg
        assert svg.count("<circle") == 3
        label = re.search(r'aria-label="([^"]*)"', svg).group(1)
        assert label.startswith("Mood?. 3 answers from ")
        assert "on a scale of 1 to 10" in label
        table = re.search(r'<table class="chart-table">.*?</table>', page.text, re.S).group(0)
        assert re.findall(r'<td class="number">(\d+)</td>', table) == ["3", "6", "8"]

    client.force_login(stranger_coach)
    assert client.get(series_url).status_code == 404


def test_a_series_chart_with_one_answer_says_so_in_the_singular(client, coach, coachee, trajectory):
    checkin = template(coach, "Weekly check-in", steps=[("How was it?", [scale("Mood?")])])
    first = assign(checkin, coach, trajectory, every_days=7, until_in=14)[0]
    step = first.version.parsed.steps[0]
    services.save_step(first, step, {step.questions[0].key: 5}, {}, 0)
    client.force_login(coachee)
    page = client.get(reverse("interventions:series", args=[first.series_id]))
    assert page.text.count("<circle") == 1
    assert "1 answer, on " in page.text


# At rest


def test_feedback_and_the_reopen_note_are_encrypted_at_rest(client, coach, trajectory, reflection):
    assignment = _submitted(reflection, coach, trajectory)
    client.force_login(coach)
    client.post(_url("reopen", assignment), {"note": "Plaintext reopen note"})
    services.submit(Assignment.objects.get(pk=assignment.pk))
    data = _feedback_data(
        assignment,
        overall="Plaintext overall feedback",
        per_step=("Plaintext step feedback", ""),
        reviewed="1",
    )
    assert client.post(_url("feedback", assignment), data).status_code == 302
    (answer,) = [answer for answer in StepAnswer.objects.all() if answer.feedback]
    assert answer.feedback == "Plaintext step feedback"
    assert "Plaintext" not in str(raw_column(Assignment, "feedback", assignment.pk))
    assert "Plaintext" not in str(raw_column(StepAnswer, "feedback", answer.pk))
    dump = raw_table_text(Assignment, StepAnswer)
    for text in ("Plaintext", "Walk every morning"):
        assert text not in dump
