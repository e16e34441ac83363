"""The coach's intervention library, through its pages: building, reordering, copying,
sharing, archiving and versioning templates, and the starter set."""

import pytest
from django.db import connection
from django.urls import reverse

from interventions import library
from interventions.models import Assignment, Question, Step, Template, TemplateVersion
from interventions.starter_content import STARTER_SET
from pluform import dates
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.interventions import assign, choice, open_question, scale, template

pytestmark = pytest.mark.django_db

TITLE = "Slaapdagboek Quokka"


# Helpers


def _question(kind, text, **fields):
    data = {"kind": kind, "text": text}
    data.update(fields)
    if data.pop("required", False):
        data["required"] = "on"
    return data


def _step_post(text, questions=(), *, initial=0):
    """The step form's POST data: the questions, then one empty extra form."""
    questions = list(questions)
    data = {
        "text": text,
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
    }
    for index, question in enumerate(questions):
        for name, value in question.items():
            data[f"questions-{index}-{name}"] = value
    extra = len(questions)
    data.update({f"questions-{extra}-kind": "", f"questions-{extra}-text": ""})
    return data


def _scale_post(text="How did you sleep?", low="1", high="10"):
    return _question(
        "scale",
        text,
        required=True,
        scale_min=low,
        scale_max=high,
        min_label="Badly",
        max_label="Deeply",
        ORDER="1",
    )


def _url(name, *args):
    return reverse(f"interventions:{name}", args=args)


def _rows():
    """What the draft tables hold, to compare before and after a refused change."""
    steps = [(s.pk, s.position, s.text) for s in Step.objects.order_by("pk")]
    questions = [
        (q.pk, q.step_id, q.position, q.kind, q.text, q.scale_min, q.scale_max, q.options)
        for q in Question.objects.order_by("pk")
    ]
    return steps, questions


def _step_texts(made):
    return [(s.text, s.position) for s in Step.objects.filter(template=made).order_by("position")]


def _step(made, text):
    """The step with this text (an encrypted column: no lookup by value)."""
    (found,) = [s for s in Step.objects.filter(template=made) if s.text == text]
    return found


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def colleague_trajectory(other_coach, organisation):
    coachee = CoacheeFactory(organisation=organisation, first_name="Iris", last_name="Ypma")
    return TrajectoryFactory(coachee=coachee, coaches=[other_coach])


# Building a template


def test_coach_builds_a_template_with_a_scale_and_an_open_question(client, coach):
    client.force_login(coach)
    response = client.post(
        _url("template_create"), {"title": TITLE, "introduction": "Five minutes each morning."}
    )
    made = Template.objects.get()
    assert made.owner == coach and made.organisation_id == coach.organisation_id
    assert not made.shared
    assert response.status_code == 302
    assert response.url == _url("step_create", made.pk)

    data = _step_post(
        "Think back to last night.",
        [
            _scale_post("How did you sleep?"),
            _question("long_text", "What kept you awake?", ORDER="2"),
        ],
    )
    response = client.post(_url("step_create", made.pk), data)
    assert response.status_code == 302
    assert response.url == _url("template", made.pk)

    step = Step.objects.get(template=made)
    assert (step.position, step.text) == (1, "Think back to last night.")
    first, second = step.questions.order_by("position")
    assert (first.kind, first.text, first.required) == ("scale", "How did you sleep?", True)
    assert (first.scale_min, first.scale_max, first.min_label, first.max_label) == (
        1,
        10,
        "Badly",
        "Deeply",
    )
    assert (second.kind, second.text, second.required) == (
        "long_text",
        "What kept you awake?",
        False,
    )

    page = client.get(_url("template", made.pk)).text
    assert TITLE in page
    assert "Five minutes each morning." in page
    assert "Think back to last night." in page
    assert "How did you sleep?" in page and "1\u201310" in page
    assert "What kept you awake?" in page and "Long text" in page
    assert page.index("How did you sleep?") < page.index("What kept you awake?")


def test_a_scale_of_exactly_one_hundred_points_is_accepted(client, coach):
    made = template(coach, title=TITLE, steps=[])
    client.force_login(coach)
    response = client.post(
        _url("step_create", made.pk), _step_post("", [_scale_post(low="1", high="100")])
    )
    assert response.status_code == 302
    assert Question.objects.get().scale_max == 100


def test_a_choice_question_keeps_its_options(client, coach):
    made = template(coach, title=TITLE, steps=[])
    client.force_login(coach)
    question = _question("single_choice", "Where did you sleep?", options="Home\n\n Away \n")
    client.post(_url("step_create", made.pk), _step_post("", [question]))
    assert Question.objects.get().option_list == ["Home", "Away"]
    page = client.get(_url("template", made.pk)).text
    assert "<li>Home</li>" in page and "<li>Away</li>" in page


# Bad input


BAD_QUESTIONS = [
    pytest.param(
        [_scale_post(low="5", high="5")],
        "The lowest point of a scale must be below the highest.",
        id="scale-min-not-below-max",
    ),
    pytest.param(
        [_scale_post(low="7", high="3")],
        "The lowest point of a scale must be below the highest.",
        id="scale-min-above-max",
    ),
    pytest.param(
        [_scale_post(low="1", high="101")],
        "A scale can have at most 100 points.",
        id="scale-of-101-points",
    ),
    pytest.param(
        [_scale_post(low="", high="10")],
        "A scale needs a lowest and a highest point.",
        id="scale-without-minimum",
    ),
    pytest.param(
        [_question("single_choice", "Pick", options="Only this")],
        "A choice question needs at least two options.",
        id="choice-with-one-option",
    ),
    pytest.param(
        [_question("multiple_choice", "Pick", options="\n  \n")],
        "A choice question needs at least two options.",
        id="choice-without-options",
    ),
    pytest.param(
        [_question("single_choice", "Pick", options="Yes\nYes")],
        "Each option can be listed only once.",
        id="choice-with-a-duplicate",
    ),
    pytest.param([], "A step needs a text for the coachee, a question, or both.", id="empty-step"),
]


@pytest.mark.parametrize(("questions", "error"), BAD_QUESTIONS)
def test_a_bad_new_step_is_shown_again_with_a_message_and_nothing_is_stored(
    client, coach, questions, error
):
    made = template(coach, title=TITLE, steps=[("Existing step.", [scale("Existing?")])])
    before = _rows()
    client.force_login(coach)
    text = "" if not questions else "New step text."
    response = client.post(_url("step_create", made.pk), _step_post(text, questions))
    assert response.status_code == 200
    assert error in response.text
    assert "New step" in response.text  # the step form, not another page
    assert _rows() == before


@pytest.mark.parametrize(("questions", "error"), BAD_QUESTIONS[:3])
def test_a_bad_change_to_a_step_changes_nothing(client, coach, questions, error):
    made = template(coach, title=TITLE, steps=[("Existing step.", [scale("Existing?")])])
    step = Step.objects.get()
    existing = step.questions.get()
    before = _rows()
    changed = dict(questions[0], id=str(existing.pk), text="Changed question?")
    client.force_login(coach)
    response = client.post(
        _url("step_edit", made.pk, step.pk), _step_post("Changed text.", [changed], initial=1)
    )
    assert response.status_code == 200
    assert error in response.text
    assert _rows() == before


def test_a_step_with_only_the_empty_extra_question_is_refused(client, coach):
    made = template(coach, title=TITLE, steps=[])
    client.force_login(coach)
    data = _step_post("   ")
    response = client.post(_url("step_create", made.pk), data)
    assert response.status_code == 200
    assert "A step needs a text for the coachee, a question, or both." in response.text
    assert not Step.objects.exists()


# Reordering and deleting steps


def test_moving_a_step_up_and_down_changes_the_order(client, coach):
    made = template(coach, title=TITLE, steps=[("Alpha.", []), ("Bravo.", []), ("Charlie.", [])])
    bravo = _step(made, "Bravo.")
    client.force_login(coach)

    response = client.post(_url("step_move", made.pk, bravo.pk), {"direction": "up"})
    assert response.status_code == 302
    assert response.url == f"{_url('template', made.pk)}#step-{bravo.pk}"
    assert _step_texts(made) == [("Bravo.", 1), ("Alpha.", 2), ("Charlie.", 3)]
    page = client.get(_url("template", made.pk)).text
    assert page.index("Bravo.") < page.index("Alpha.") < page.index("Charlie.")

    client.post(_url("step_move", made.pk, bravo.pk), {"direction": "down"})
    client.post(_url("step_move", made.pk, bravo.pk), {"direction": "down"})
    assert _step_texts(made) == [("Alpha.", 1), ("Charlie.", 2), ("Bravo.", 3)]


def test_moving_the_first_step_up_or_the_last_down_changes_nothing(client, coach):
    made = template(coach, title=TITLE, steps=[("Alpha.", []), ("Bravo.", [])])
    client.force_login(coach)
    client.post(_url("step_move", made.pk, _step(made, "Alpha.").pk), {"direction": "up"})
    client.post(_url("step_move", made.pk, _step(made, "Bravo.").pk), {"direction": "down"})
    assert _step_texts(made) == [("Alpha.", 1), ("Bravo.", 2)]


def test_deleting_a_step_renumbers_the_others(client, coach):
    made = template(
        coach,
        title=TITLE,
        steps=[("Alpha.", [scale("Gone?")]), ("Bravo.", []), ("Charlie.", [])],
    )
    alpha = _step(made, "Alpha.")
    client.force_login(coach)
    response = client.post(_url("step_delete", made.pk, alpha.pk))
    assert response.status_code == 302
    assert _step_texts(made) == [("Bravo.", 1), ("Charlie.", 2)]
    assert "Gone?" not in [q.text for q in Question.objects.all()]
    page = client.get(_url("template", made.pk)).text
    assert "Alpha." not in page
    assert "Step 2" in page and "Step 3" not in page


# Copies


def test_coach_copies_a_colleagues_shared_template(client, coach, other_coach):
    original = template(
        other_coach,
        title=TITLE,
        shared=True,
        steps=[("Look back.", [scale("Sleep?")]), ("Look ahead.", [open_question("Plan?")])],
    )
    original_rows = _rows()
    client.force_login(coach)
    response = client.post(_url("template_copy", original.pk))
    copy = Template.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert response.url == _url("template", copy.pk)
    assert copy.owner == coach and copy.copied_from == original and not copy.shared
    assert copy.title == f"{TITLE} (copy)"
    assert copy.introduction == original.introduction
    copied = [
        (
            s.position,
            s.text,
            [(q.kind, q.text, q.scale_min, q.scale_max) for q in s.questions.all()],
        )
        for s in library.steps_of(copy)
    ]
    assert copied == [
        (1, "Look back.", [("scale", "Sleep?", 1, 10)]),
        (2, "Look ahead.", [("long_text", "Plan?", None, None)]),
    ]

    # The copy is the coach's own: editable, and changing it leaves the original alone.
    assert client.get(_url("template_edit", copy.pk)).status_code == 200
    client.post(_url("template_edit", copy.pk), {"title": "Mine now", "introduction": ""})
    first_step = Step.objects.filter(template=copy).order_by("position").first()
    client.post(_url("step_delete", copy.pk, first_step.pk))
    client.post(_url("step_create", copy.pk), _step_post("Added to the copy."))
    copy.refresh_from_db()
    assert copy.title == "Mine now"
    assert _step_texts(copy) == [("Look ahead.", 1), ("Added to the copy.", 2)]
    original.refresh_from_db()
    assert original.title == TITLE and original.owner == other_coach
    steps, questions = _rows()
    assert set(original_rows[0]) <= set(steps)
    assert set(original_rows[1]) <= set(questions)


def test_coach_copies_a_starter_template(client, coach):
    client.force_login(coach)
    client.get(_url("library"))
    starter = Template.objects.get(starter="weekly_reflection", language="en")
    starter_steps = [
        (s.text, [q.text for q in s.questions.all()]) for s in library.steps_of(starter)
    ]
    response = client.post(_url("template_copy", starter.pk))
    copy = Template.objects.get(copied_from=starter)
    assert response.url == _url("template", copy.pk)
    assert copy.owner == coach and copy.starter == "" and not copy.is_starter
    assert copy.title == "Weekly reflection (copy)"
    assert [(s.text, [q.text for q in s.questions.all()]) for s in library.steps_of(copy)] == (
        starter_steps
    )
    assert client.get(_url("template_edit", copy.pk)).status_code == 200
    response = client.post(
        _url("template_edit", copy.pk), {"title": "My reflection", "introduction": "Short."}
    )
    assert response.status_code == 302
    starter.refresh_from_db()
    assert starter.title == "Weekly reflection" and starter.owner is None
    # The starter itself stays read-only for the coach.
    assert client.get(_url("template_edit", starter.pk)).status_code == 404


# Sharing


def _template_urls(made):
    step = Step.objects.filter(template=made).first()
    return {
        "edit": ("get", _url("template_edit", made.pk)),
        "edit_post": ("post", _url("template_edit", made.pk)),
        "step_create": ("get", _url("step_create", made.pk)),
        "step_create_post": ("post", _url("step_create", made.pk)),
        "step_edit": ("get", _url("step_edit", made.pk, step.pk)),
        "step_edit_post": ("post", _url("step_edit", made.pk, step.pk)),
        "step_move": ("post", _url("step_move", made.pk, step.pk)),
        "step_delete": ("post", _url("step_delete", made.pk, step.pk)),
        "archive": ("post", _url("template_archive", made.pk)),
    }


def _readable_urls(made):
    return {
        "detail": ("get", _url("template", made.pk)),
        "copy": ("post", _url("template_copy", made.pk)),
        "assign": ("get", _url("template_assign", made.pk)),
        "assign_post": ("post", _url("template_assign", made.pk)),
    }


def _status(client, method, url):
    return getattr(client, method)(url, {"title": "Hijacked", "text": "Hijacked"}).status_code


def test_colleague_reads_copies_and_assigns_a_shared_template(
    client, coach, other_coach, colleague_trajectory
):
    shared = template(coach, title=TITLE, shared=True, steps=[("Look back.", [scale("Sleep?")])])
    client.force_login(other_coach)
    library_page = client.get(_url("library")).text
    assert TITLE in library_page
    page = client.get(_url("template", shared.pk))
    assert page.status_code == 200
    assert "Sleep?" in page.text
    assert "Shared by Carla Ravestein" in page.text
    assert _url("template_edit", shared.pk) not in page.text

    client.post(_url("template_copy", shared.pk))
    assert Template.objects.filter(copied_from=shared, owner=other_coach).exists()

    assert client.get(_url("template_assign", shared.pk)).status_code == 200
    response = client.post(
        _url("template_assign", shared.pk),
        {
            "trajectories": [str(colleague_trajectory.pk)],
            "starts_on": dates.today().isoformat(),
            "repeat": "once",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.trajectory == colleague_trajectory
    assert assignment.assigned_by == other_coach
    assert assignment.version.template == shared


def test_colleague_cannot_change_a_shared_template(client, coach, other_coach):
    shared = template(coach, title=TITLE, shared=True, steps=[("Look back.", [scale("Sleep?")])])
    before = _rows()
    client.force_login(other_coach)
    for name, (method, url) in _template_urls(shared).items():
        assert _status(client, method, url) == 404, name
    assert _rows() == before
    shared.refresh_from_db()
    assert shared.title == TITLE and shared.archived_at is None


def test_an_unshared_template_is_not_found_for_a_colleague(client, coach, other_coach):
    private = template(coach, title=TITLE, steps=[("Look back.", [scale("Sleep?")])])
    client.force_login(other_coach)
    assert TITLE not in client.get(_url("library")).text
    urls = {**_template_urls(private), **_readable_urls(private)}
    for name, (method, url) in urls.items():
        assert _status(client, method, url) == 404, name
    assert Template.objects.count() == 1 + len(STARTER_SET)
    assert not TemplateVersion.objects.exists()


@pytest.mark.parametrize("shared", [True, False])
def test_a_coach_of_another_organisation_finds_nothing(client, coach, other_organisation, shared):
    made = template(coach, title=TITLE, shared=shared, steps=[("Look back.", [scale("Sleep?")])])
    stranger = CoachFactory(organisation=other_organisation)
    client.force_login(stranger)
    assert TITLE not in client.get(_url("library")).text
    urls = {**_template_urls(made), **_readable_urls(made)}
    for name, (method, url) in urls.items():
        assert _status(client, method, url) == 404, name
    assert not Template.objects.filter(copied_from=made).exists()
    assert not TemplateVersion.objects.exists()


def test_a_coachee_has_no_library(client, coachee, coach):
    made = template(coach, title=TITLE, shared=True)
    client.force_login(coachee)
    assert client.get(_url("library")).status_code == 404
    assert client.get(_url("template", made.pk)).status_code == 404
    assert client.get(_url("template_create")).status_code == 404


def test_starter_templates_of_another_organisation_are_not_found(client, coach, other_organisation):
    stranger = CoachFactory(organisation=other_organisation)
    client.force_login(stranger)
    client.get(_url("library"))
    theirs = Template.objects.filter(organisation=other_organisation).first()
    client.force_login(coach)
    assert client.get(_url("template", theirs.pk)).status_code == 404
    assert client.post(_url("template_copy", theirs.pk)).status_code == 404


# Archiving


def test_archiving_hides_a_template_and_unarchiving_brings_it_back(
    client, coach, coachee, trajectory
):
    made = template(coach, title=TITLE, steps=[("Look back.", [scale("Sleep?")])])
    (assignment,) = assign(made, coach, trajectory)
    client.force_login(coach)

    response = client.post(_url("template_archive", made.pk))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.archived_at is not None
    assert TITLE not in client.get(_url("library")).text
    assert TITLE in client.get(_url("library") + "?archived=1").text
    assert client.get(_url("template", made.pk)).status_code == 200
    assert client.get(_url("template_assign", made.pk)).status_code == 404
    response = client.post(
        _url("template_assign", made.pk),
        {
            "trajectories": [str(trajectory.pk)],
            "starts_on": dates.today().isoformat(),
            "repeat": "once",
        },
    )
    assert response.status_code == 404
    assert Assignment.objects.count() == 1

    # What was assigned stays with the coachee.
    client.force_login(coachee)
    page = client.get(_url("assignment", assignment.pk))
    assert page.status_code == 200 and TITLE in page.text
    step_key = assignment.version.parsed.steps[0].key
    assert "Sleep?" in client.get(_url("step", assignment.pk, step_key)).text

    client.force_login(coach)
    client.post(_url("template_archive", made.pk))
    made.refresh_from_db()
    assert made.archived_at is None
    assert TITLE in client.get(_url("library")).text
    assert TITLE not in client.get(_url("library") + "?archived=1").text
    assert client.get(_url("template_assign", made.pk)).status_code == 200


def test_a_colleagues_archived_shared_template_cannot_be_assigned(
    client, coach, other_coach, colleague_trajectory
):
    shared = template(coach, title=TITLE, shared=True)
    library.set_archived(shared, True)
    client.force_login(other_coach)
    assert TITLE not in client.get(_url("library")).text
    assert client.get(_url("template_assign", shared.pk)).status_code == 404


# Versions


def test_versions_follow_the_changes_of_the_draft(client, coach, coachee, trajectory):
    made = template(coach, title=TITLE, steps=[("Look back.", [scale("Old question?")])])
    (first,) = assign(made, coach, trajectory)
    assert first.version.number == 1
    (again,) = assign(made, coach, trajectory)
    assert again.version == first.version
    assert TemplateVersion.objects.count() == 1

    # The coach replaces the question on the step page.
    step = Step.objects.get()
    old = step.questions.get()
    client.force_login(coach)
    data = _step_post(
        "Look back.",
        [
            _question(
                "scale", "Old question?", id=str(old.pk), scale_min="1", scale_max="10", DELETE="on"
            ),
            _scale_post("New question?"),
        ],
        initial=1,
    )
    assert client.post(_url("step_edit", made.pk, step.pk), data).status_code == 302
    assert [q.text for q in Question.objects.all()] == ["New question?"]
    assert "the next assignment sends version 2" in client.get(_url("template", made.pk)).text

    (later,) = assign(made, coach, trajectory)
    assert later.version.number == 2
    assert TemplateVersion.objects.count() == 2

    client.force_login(coachee)
    first_step = first.version.parsed.steps[0].key
    old_page = client.get(_url("step", first.pk, first_step)).text
    assert "Old question?" in old_page and "New question?" not in old_page
    new_page = client.get(_url("step", later.pk, later.version.parsed.steps[0].key)).text
    assert "New question?" in new_page and "Old question?" not in new_page

    client.force_login(coach)
    coach_page = client.get(_url("assignment", first.pk)).text
    assert "version 1" in coach_page
    assert "Old question?" in coach_page and "New question?" not in coach_page
    assert "version 2" in client.get(_url("assignment", later.pk)).text


def test_changing_the_title_makes_a_new_version(client, coach, trajectory):
    made = template(coach, title=TITLE)
    (first,) = assign(made, coach, trajectory)
    client.force_login(coach)
    client.post(_url("template_edit", made.pk), {"title": "Renamed", "introduction": ""})
    (later,) = assign(made, coach, trajectory)
    assert (later.version.number, later.version.title) == (2, "Renamed")
    first.version.refresh_from_db()
    assert first.version.title == TITLE


def test_a_template_without_steps_cannot_be_assigned(client, coach, trajectory):
    made = template(coach, title=TITLE, steps=[])
    client.force_login(coach)
    response = client.post(
        _url("template_assign", made.pk),
        {
            "trajectories": [str(trajectory.pk)],
            "starts_on": dates.today().isoformat(),
            "repeat": "once",
        },
    )
    assert response.status_code == 200
    assert "This intervention has no steps yet: add at least one." in response.text
    assert 'class="form-errors"' in response.text
    assert not Assignment.objects.exists()
    assert not TemplateVersion.objects.exists()
    made.refresh_from_db()
    assert made.version_count == 0


# The starter set


STARTER_KEYS = {
    (key, language)
    for key in ("weekly_reflection", "values", "wellbeing_checkin", "goal_setting")
    for language in ("nl", "en")
}


def test_the_starter_set_is_installed_once_in_both_languages(client, coach, organisation):
    assert not Template.objects.exists()
    client.force_login(coach)
    client.get(_url("library"))
    page = client.get(_url("library")).text
    starters = Template.objects.filter(organisation=organisation, owner=None)
    assert set(starters.values_list("starter", "language")) == STARTER_KEYS
    assert starters.count() == 8
    assert {item["title"] for item in STARTER_SET} == {t.title for t in starters}
    for item in STARTER_SET:
        assert page.count(f">{item['title']}</a>") == 1, item["title"]
    assert "NL ·" in page and "EN ·" in page


def test_every_starter_template_can_be_assigned_as_it_is(client, coach, coachee, trajectory):
    client.force_login(coach)
    client.get(_url("library"))
    for starter in Template.objects.filter(owner=None):
        assert library.problems(starter, library.steps_of(starter)) == []
        version = library.version_to_send(starter, coach)
        assert version.number == 1
        assert version.parsed.steps
    (assignment,) = assign(Template.objects.get(starter="values", language="en"), coach, trajectory)
    client.force_login(trajectory.coachee)
    assert client.get(_url("assignment", assignment.pk)).status_code == 200


# Encryption at rest


def test_template_content_is_encrypted_at_rest(coach, trajectory):
    made = template(coach, title=TITLE, steps=[("Step text Kiwi.", [scale("Question Wombat?")])])
    question = Question.objects.get()
    step = Step.objects.get()
    assert TITLE not in _raw("interventions_template", "title", made.pk)
    assert "Take ten minutes." not in _raw("interventions_template", "introduction", made.pk)
    assert "Kiwi" not in _raw("interventions_step", "text", step.pk)
    assert "Wombat" not in _raw("interventions_question", "text", question.pk)
    (assignment,) = assign(made, coach, trajectory)
    version = assignment.version
    assert TITLE not in _raw("interventions_templateversion", "title", version.pk)
    assert "Wombat" not in _raw("interventions_templateversion", "content", version.pk)
    assert Template.objects.get().title == TITLE
    assert Question.objects.get().text == "Question Wombat?"


# Editing questions


def test_editing_a_question_keeps_it_and_its_key(client, coach):
    """The question keeps its id (the key that links the answers of a series) when changed."""
    made = template(coach, title=TITLE, steps=[("Look back.", [scale("Old question?")])])
    step = Step.objects.get()
    original = step.questions.get()
    client.force_login(coach)
    page = client.get(_url("step_edit", made.pk, step.pk)).text
    assert "Old question?" in page and str(original.pk) in page
    data = _step_post(
        "Look back, slowly.",
        [dict(_scale_post("New question?"), id=str(original.pk))],
        initial=1,
    )
    response = client.post(_url("step_edit", made.pk, step.pk), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.pk == original.pk and question.text == "New question?"
    step.refresh_from_db()
    assert step.text == "Look back, slowly."


def test_a_question_id_of_another_template_is_not_taken_over(client, coach, other_organisation):
    stranger = CoachFactory(organisation=other_organisation)
    theirs = template(stranger, title="Theirs", steps=[("Theirs.", [choice("Their question?")])])
    their_question = Question.objects.get()
    mine = template(coach, title=TITLE, steps=[])
    client.force_login(coach)
    data = _step_post("Mine.", [dict(_scale_post("Mine?"), id=str(their_question.pk))])
    response = client.post(_url("step_create", mine.pk), data)
    assert response.status_code == 302
    their_question.refresh_from_db()
    assert (their_question.text, their_question.kind) == ("Their question?", "single_choice")
    assert their_question.step.template == theirs
    (new,) = Question.objects.filter(step__template=mine)
    assert new.pk != their_question.pk and new.text == "Mine?"
