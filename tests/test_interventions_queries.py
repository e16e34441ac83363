"""The review list, the coachee's list, the fill-in page and the assignment page cost the same
number of queries whatever the number of assignments or steps."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from interventions import services
from interventions.models import Assignment
from pluform import dates
from pluform.uploads import validate_upload
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.interventions import assign, file_question, open_question, scale, template

pytestmark = pytest.mark.django_db

STEPS = [
    ("Look back.", [scale("How was your week?", required=False), open_question("Went well?")]),
    ("Look ahead.", [open_question("What will you try?")]),
]


def _count(client, url) -> int:
    client.get(url)  # session and activity writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _more(made, coach, trajectory, count) -> list[Assignment]:
    """``count`` more assignments of ``made``, all available today: one daily series, moved."""
    created = assign(made, coach, trajectory, every_days=1, until_in=count - 1)
    assert len(created) == count
    Assignment.objects.filter(pk__in=[a.pk for a in created]).update(available_on=dates.today())
    return created


def _answer(assignment):
    steps = assignment.version.parsed.steps
    for step in steps:
        values = {q.key: 5 if q.kind == "scale" else "Fine" for q in step.questions}
        services.save_step(assignment, step, values, {}, 0)


def _submit(assignment, *, feedback=""):
    services.submit(assignment)
    if feedback:
        services.save_feedback(assignment, overall=feedback, per_step={}, reviewed=True)


def _spread(assignments):
    """A mix of what the default tab shows: submitted, overdue, in progress, not started."""
    yesterday = dates.today() - datetime.timedelta(days=1)
    for index, assignment in enumerate(assignments):
        kind = index % 4
        if kind == 0:
            _answer(assignment)
            _submit(assignment)
        elif kind == 1:
            Assignment.objects.filter(pk=assignment.pk).update(due_on=yesterday)
        elif kind == 2:
            services.save_step(assignment, assignment.version.parsed.steps[0], {}, {}, 0)


def test_review_list_costs_the_same_with_1_and_50_assignments(
    client, coach, coachee, trajectory, organisation, django_assert_num_queries
):
    made = template(coach, "Sleep diary", steps=STEPS)
    first = assign(made, coach, trajectory)[0]
    _submit(first)
    client.force_login(coach)
    url = reverse("interventions:index")
    filtered = f"{url}?coachee={coachee.uuid}&state=review"
    expected = _count(client, url)
    expected_filtered = _count(client, filtered)  # one more: the chosen coachee

    second = TrajectoryFactory(
        coachee=CoacheeFactory(organisation=organisation, first_name="Bram"), coaches=[coach]
    )
    other = template(coach, "Values card", steps=STEPS)
    more = _more(made, coach, trajectory, 25) + _more(other, coach, second, 24)
    _spread(more)
    with django_assert_num_queries(expected):
        response = client.get(url)
    page = response.context["page"]
    assert len(page.object_list) == 50
    assert {row.status_text for row in page.object_list} == {
        "Submitted",
        "Overdue",
        "In progress",
        "Assigned",
    }
    with django_assert_num_queries(expected_filtered):
        response = client.get(filtered)
    assert len(response.context["page"].object_list) == 1 + 7  # the first and 7 of the 25
    assert expected <= 12, expected


@pytest.mark.parametrize("kind", ["open", "finished"])
def test_coachee_list_costs_the_same_with_1_and_50_assignments(
    client, coach, coachee, trajectory, kind, django_assert_num_queries
):
    made = template(coach, "Sleep diary", steps=STEPS)
    first = assign(made, coach, trajectory)[0]
    if kind == "finished":
        _submit(first, feedback="Nice")
    client.force_login(coachee)
    url = reverse("interventions:index")
    expected = _count(client, url)

    more = _more(made, coach, trajectory, 49)
    for index, assignment in enumerate(more):
        if kind == "finished":
            _submit(assignment, feedback="Nice" if index % 2 else "")
        elif index % 2:
            services.save_step(assignment, assignment.version.parsed.steps[0], {}, {}, 0)
    with django_assert_num_queries(expected):
        response = client.get(url)
    if kind == "open":
        assert len(response.context["open_items"]) == 50
    else:
        assert len(response.context["page"].object_list) == 50
        assert "Your coach gave feedback" in response.text
    assert expected <= 12, expected


def test_fill_in_page_costs_the_same_with_1_and_50_assignments(
    client, coach, coachee, trajectory, django_assert_num_queries
):
    made = template(coach, "Sleep diary", steps=STEPS)
    first = assign(made, coach, trajectory)[0]
    _answer(first)
    client.force_login(coachee)
    step = first.version.parsed.steps[0]
    url = reverse("interventions:step", args=[first.pk, step.key])
    expected = _count(client, url)

    for assignment in _more(made, coach, trajectory, 49):
        _answer(assignment)
    with django_assert_num_queries(expected):
        client.get(url)
    assert expected <= 12, expected


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buffer, format="PNG")
    return validate_upload(
        SimpleUploadedFile("drawing.png", buffer.getvalue(), content_type="image/png"),
        ("image",),
    )


def _answered_assignment(coach, trajectory, step_count):
    """An assignment of ``step_count`` steps, each answered; the first has a file too."""
    steps = [
        (f"Step text {n}.", [scale(f"Rate {n}", required=False), open_question(f"Say {n}")])
        for n in range(step_count)
    ]
    steps[0] = (steps[0][0], [*steps[0][1], file_question("A drawing")])
    made = template(coach, f"{step_count} steps", steps=steps)
    assignment = assign(made, coach, trajectory)[0]
    parsed = assignment.version.parsed.steps
    for step in parsed:
        values = {q.key: 4 if q.kind == "scale" else "Words" for q in step.questions}
        uploads = {q.key: _png() for q in step.questions if q.kind == "file"}
        services.save_step(assignment, step, values, uploads, 0)
    return assignment


@pytest.mark.parametrize(
    "page", ["step", "assignment-coachee-open", "assignment-coachee-submitted", "assignment-coach"]
)
def test_fill_in_and_assignment_pages_cost_the_same_with_1_and_20_steps(
    client, coach, coachee, trajectory, page, django_assert_num_queries
):
    def url_of(assignment):
        if page == "step":
            last = assignment.version.parsed.steps[-1]
            return reverse("interventions:step", args=[assignment.pk, last.key])
        return reverse("interventions:assignment", args=[assignment.pk])

    small = _answered_assignment(coach, trajectory, 1)
    large = _answered_assignment(coach, trajectory, 20)
    if page.endswith("submitted") or page.endswith("coach"):
        for assignment in (small, large):
            services.submit(assignment)
    client.force_login(coach if page.endswith("coach") else coachee)
    expected = _count(client, url_of(small))
    client.get(url_of(large))
    with django_assert_num_queries(expected):
        response = client.get(url_of(large))
    if page == "step":
        assert "Step 20 of 20" in response.text
    elif page.endswith("open"):
        assert "Step 20</a>" in response.text
    else:
        assert response.text.count("Words") == 20
    assert expected <= 12, expected
