"""The coachee fills in an intervention through its pages: step by step, without losing what
was typed, in two tabs, with files, and not at all while restricted or after the end."""

import datetime
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.services import restrict_processing
from interventions.models import AnswerFile, Assignment, Status, StepAnswer
from pluform import dates
from pluform.notices.models import Notice
from privacy.audit_models import AuditEvent
from tests.factories.interventions import (
    assign,
    choice,
    date_question,
    file_question,
    open_question,
    scale,
    template,
)

pytestmark = pytest.mark.django_db

STEPS = [
    (
        "Look back on your week.",
        [scale("How was your week?", required=True), open_question("What went well?", long=False)],
    ),
    (
        "Look ahead.",
        [open_question("What will you try?", required=True), date_question("When will you try?")],
    ),
    ("Show it.", [file_question("Add a drawing")]),
]

SAVED_ELSEWHERE = "This step was saved in another window or tab after you opened it."


@pytest.fixture
def assignment(coach, trajectory):
    made = template(coach, "Weekly reflection", steps=STEPS)
    return assign(made, coach, trajectory)[0]


def _steps(assignment):
    return assignment.version.parsed.steps


def _key(assignment, step, question):
    """The key of question ``question`` of step ``step`` (both counted from 1)."""
    return _steps(assignment)[step - 1].questions[question - 1].key


def _field(assignment, step, question):
    return f"q_{_key(assignment, step, question)}"


def _step_url(assignment, number):
    return reverse("interventions:step", args=[assignment.pk, _steps(assignment)[number - 1].key])


def _assignment_url(assignment):
    return reverse("interventions:assignment", args=[assignment.pk])


def _answer(assignment, number):
    step_key = _steps(assignment)[number - 1].key
    return StepAnswer.objects.filter(assignment=assignment, step_key=step_key).first()


def _status(assignment):
    return Assignment.objects.get(pk=assignment.pk).status


def _png(name="drawing.png", colour="blue"):
    buffer = io.BytesIO()
    Image.new("RGB", (5, 4), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _stored_bytes(item):
    with default_storage.open(item.file.name, "rb") as handle:
        return handle.read()


def _download(client, item):
    response = client.get(reverse("interventions:answer_file", args=[item.assignment_id, item.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _fill_step_1(client, assignment, *, button="next", rating="7", went_well="The walk"):
    return client.post(
        _step_url(assignment, 1),
        {
            "revision": _revision(assignment, 1),
            _field(assignment, 1, 1): rating,
            _field(assignment, 1, 2): went_well,
            button: "1",
        },
    )


def _fill_step_2(client, assignment, *, plan="Ask for help", when="2030-05-01", button="stay"):
    return client.post(
        _step_url(assignment, 2),
        {
            "revision": _revision(assignment, 2),
            _field(assignment, 2, 1): plan,
            _field(assignment, 2, 2): when,
            button: "1",
        },
    )


def _revision(assignment, number):
    answer = _answer(assignment, number)
    return answer.revision if answer else 0


def _upload(client, assignment, upload, **extra):
    data = {"revision": _revision(assignment, 3), _field(assignment, 3, 1): upload, "stay": "1"}
    data.update(extra)
    return client.post(_step_url(assignment, 3), data)


# Step by step


def test_step_one_shows_its_questions_and_next_saves_and_goes_to_step_two(
    client, coachee, assignment
):
    client.force_login(coachee)
    page = client.get(_step_url(assignment, 1))
    assert page.status_code == 200
    assert "Step 1 of 3" in page.text
    assert "Look back on your week." in page.text
    assert "How was your week?" in page.text
    assert "What went well?" in page.text
    assert "What will you try?" not in page.text  # step 2's question
    assert _status(assignment) == Status.ASSIGNED

    response = _fill_step_1(client, assignment)
    assert response.status_code == 302
    assert response["Location"] == _step_url(assignment, 2)
    assert _answer(assignment, 1).value_map == {
        _key(assignment, 1, 1): 7,
        _key(assignment, 1, 2): "The walk",
    }
    assert _answer(assignment, 2) is None  # each step is saved on its own
    assert _status(assignment) == Status.IN_PROGRESS

    back = client.get(_step_url(assignment, 1))
    assert back.context["form"][_field(assignment, 1, 1)].value() == 7
    checked = re.findall(r'<input type="radio"[^>]*value="(\d+)"[^>]*checked', back.text)
    assert checked == ["7"]
    assert 'value="The walk"' in back.text
    assert back.context["form"]["revision"].value() == 1


def test_previous_saves_and_goes_back_and_save_on_the_last_step_leads_to_the_overview(
    client, coachee, assignment
):
    client.force_login(coachee)
    response = _fill_step_2(client, assignment, button="previous")
    assert response["Location"] == _step_url(assignment, 1)
    assert _answer(assignment, 2).value_map[_key(assignment, 2, 1)] == "Ask for help"

    response = client.post(_step_url(assignment, 3), {"revision": "0", "done": "1"})
    assert response.status_code == 302
    assert response["Location"] == _assignment_url(assignment)


def test_answers_persist_over_two_visits_and_each_step_keeps_its_own(client, coachee, assignment):
    client.force_login(coachee)
    _fill_step_1(client, assignment, rating="4", went_well="Slept well")
    client.logout()

    client.force_login(coachee)
    assert "Slept well" in client.get(_step_url(assignment, 1)).text
    _fill_step_2(client, assignment, plan="Walk daily", when="2030-06-02")
    client.logout()

    client.force_login(coachee)
    first = client.get(_step_url(assignment, 1))
    assert first.context["form"][_field(assignment, 1, 1)].value() == 4
    assert "Slept well" in first.text
    assert "Walk daily" not in first.text
    second = client.get(_step_url(assignment, 2))
    assert "Walk daily" in second.text
    assert 'value="2030-06-02"' in second.text
    assert "Slept well" not in second.text
    overview = client.get(_assignment_url(assignment))
    assert [step.saved_at is not None for step in overview.context["steps"]] == [
        True,
        True,
        False,
    ]
    assert _answer(assignment, 1).revision == 1
    assert _answer(assignment, 2).revision == 1


def test_an_emptied_answer_is_removed_and_the_other_kept(client, coachee, assignment):
    client.force_login(coachee)
    _fill_step_1(client, assignment, rating="6", went_well="Cooking")
    _fill_step_1(client, assignment, rating="6", went_well="")
    assert _answer(assignment, 1).value_map == {_key(assignment, 1, 1): 6}


def test_choices_are_saved_shown_again_and_read_by_the_coach(client, coach, coachee, trajectory):
    made = template(
        coach,
        "Choices",
        steps=[
            (
                "Choose.",
                [
                    choice("Which day?", ("Monday", "Friday")),
                    choice("Which helps?", ("Sleep", "Sport", "Friends"), multiple=True),
                ],
            )
        ],
    )
    assignment = assign(made, coach, trajectory)[0]
    client.force_login(coachee)
    data = {
        "revision": "0",
        _field(assignment, 1, 1): "Friday",
        _field(assignment, 1, 2): ["Sleep", "Friends"],
        "stay": "1",
    }
    assert client.post(_step_url(assignment, 1), data).status_code == 302
    assert _answer(assignment, 1).value_map == {
        _key(assignment, 1, 1): "Friday",
        _key(assignment, 1, 2): ["Sleep", "Friends"],
    }
    page = client.get(_step_url(assignment, 1))
    checked = re.findall(
        r'<input type="(?:radio|checkbox)"[^>]*value="(\w+)"[^>]*checked', page.text
    )
    assert checked == ["Friday", "Sleep", "Friends"]
    refused = dict(data, **{_field(assignment, 1, 1): "Sunday"})
    response = client.post(_step_url(assignment, 1), dict(refused, revision="1"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert _answer(assignment, 1).revision == 1

    client.force_login(coach)
    page = client.get(_assignment_url(assignment))
    assert "<li>Sleep</li>" in page.text and "<li>Friends</li>" in page.text
    assert "Friday" in page.text and "Sport" not in page.text


def test_a_step_of_another_intervention_or_for_the_coach_is_not_found(
    client, coach, coachee, trajectory, assignment
):
    other = assign(template(coach, "Other", steps=STEPS), coach, trajectory)[0]
    client.force_login(coachee)
    foreign_step = _steps(other)[0].key
    url = reverse("interventions:step", args=[assignment.pk, foreign_step])
    # Keys are the draft's step ids: another template's step is not a step of this one.
    assert client.get(url).status_code == 404
    client.force_login(coach)
    assert client.get(_step_url(assignment, 1)).status_code == 404
    assert client.post(_step_url(assignment, 1), {"revision": "0"}).status_code == 404
    assert client.post(reverse("interventions:submit", args=[assignment.pk])).status_code == 404
    assert not StepAnswer.objects.exists()


# Nothing typed is lost


def test_an_invalid_date_keeps_what_was_typed_and_stores_nothing_for_the_step(
    client, coachee, assignment
):
    client.force_login(coachee)
    _fill_step_1(client, assignment, rating="8", went_well="Friends")
    saved = _answer(assignment, 1)

    response = _fill_step_2(client, assignment, plan="Call my sister first", when="31-31-2030")
    assert response.status_code == 200
    assert "Enter a valid date." in response.text
    assert "Call my sister first" in response.text
    assert 'value="31-31-2030"' in response.text
    assert _answer(assignment, 2) is None
    untouched = _answer(assignment, 1)
    assert (untouched.values, untouched.revision) == (saved.values, saved.revision)


def test_a_text_longer_than_its_maximum_keeps_what_was_typed_and_stores_nothing(
    client, coachee, assignment
):
    client.force_login(coachee)
    _fill_step_1(client, assignment, rating="8", went_well="Friends")
    _fill_step_2(client, assignment, plan="Keep this plan")
    before = {n: (_answer(assignment, n).values, _answer(assignment, n).revision) for n in (1, 2)}

    too_long = "Long story " + "x" * 500
    response = _fill_step_1(client, assignment, rating="3", went_well=too_long)
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in response.text
    assert too_long in response.text
    assert response.context["form"][_field(assignment, 1, 1)].value() == "3"
    after = {n: (_answer(assignment, n).values, _answer(assignment, n).revision) for n in (1, 2)}
    assert after == before


# Two tabs


def test_a_save_from_an_older_tab_is_refused_and_then_saved_with_the_new_revision(
    client, coachee, assignment
):
    client.force_login(coachee)
    url = _step_url(assignment, 1)
    first_tab = client.get(url)
    second_tab = client.get(url)
    assert first_tab.context["form"]["revision"].value() == 0
    assert second_tab.context["form"]["revision"].value() == 0
    rating, went_well = _field(assignment, 1, 1), _field(assignment, 1, 2)

    saved = client.post(url, {"revision": "0", rating: "9", went_well: "First tab", "stay": "1"})
    assert saved.status_code == 302
    stale = client.post(url, {"revision": "0", rating: "2", went_well: "Second tab", "stay": "1"})
    assert stale.status_code == 200
    assert SAVED_ELSEWHERE in stale.text
    assert "Second tab" in stale.text  # what was typed in this tab is still on the page
    assert stale.context["form"]["revision"].value() == 1
    assert 'name="revision" value="1"' in stale.text
    answer = _answer(assignment, 1)
    assert answer.revision == 1
    assert answer.value_map == {_key(assignment, 1, 1): 9, _key(assignment, 1, 2): "First tab"}

    again = client.post(url, {"revision": "1", rating: "2", went_well: "Second tab", "stay": "1"})
    assert again.status_code == 302
    answer = _answer(assignment, 1)
    assert answer.revision == 2
    assert answer.value_map == {_key(assignment, 1, 1): 2, _key(assignment, 1, 2): "Second tab"}


# Submitting


def test_submit_with_a_required_question_open_names_the_step_and_changes_nothing(
    client, coachee, coach, assignment
):
    client.force_login(coachee)
    _fill_step_1(client, assignment)
    response = client.post(reverse("interventions:submit", args=[assignment.pk]))
    assert response.status_code == 200
    assert "Answer the required questions first." in response.text
    assert "Steps with a required question left open: 2." in response.text
    assert _status(assignment) == Status.IN_PROGRESS
    assert not Notice.objects.filter(user=coach, kind="interventions.submitted").exists()


def test_submit_when_all_required_are_answered_tells_the_coach_and_closes_the_steps(
    client, coachee, coach, assignment, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(coachee)
    _fill_step_1(client, assignment)
    _fill_step_2(client, assignment)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interventions:submit", args=[assignment.pk]), follow=True)
    assert response.status_code == 200
    assert "Submitted. Your coach will read it." in response.text
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.status == Status.SUBMITTED
    assert fresh.submitted_at is not None
    assert Notice.objects.filter(
        user=coach, kind="interventions.submitted", object_id=assignment.pk
    ).exists()
    assert [email.to for email in mailoutbox] == [[coach.email]]
    assert "waiting for your review" in mailoutbox[0].subject

    before = _answer(assignment, 1).values
    page = client.get(_step_url(assignment, 1))
    assert '<form method="post" enctype' not in page.text
    refused = _fill_step_1(client, assignment, rating="1", went_well="Changed afterwards")
    assert refused.status_code in (200, 404)
    if refused.status_code == 200:
        assert "This intervention has been submitted: it can no longer change." in refused.text
    assert _answer(assignment, 1).values == before
    again = client.post(reverse("interventions:submit", args=[assignment.pk]))
    assert "This intervention has already been submitted." in again.text


# Files


def test_an_image_answer_is_stored_encrypted_linked_and_downloaded_with_an_audit(
    client, coachee, coach, assignment
):
    client.force_login(coachee)
    response = _upload(client, assignment, _png("my drawing.png"))
    assert response.status_code == 302
    item = AnswerFile.objects.get()
    assert item.kind == "image" and item.content_type == "image/png"
    assert item.original_name == "my_drawing.png"
    assert _answer(assignment, 3).value_map == {_key(assignment, 3, 1): str(item.pk)}
    stored = _stored_bytes(item)
    assert b"\x89PNG" not in stored
    assert b"IHDR" not in stored
    assert "drawing" not in item.file.name

    url = reverse("interventions:answer_file", args=[assignment.pk, item.pk])
    step_page = client.get(_step_url(assignment, 3))
    assert url in step_page.text and "my_drawing.png" in step_page.text
    original = _download(client, item)
    assert original.startswith(b"\x89PNG")
    assert original[:64] not in stored
    image = Image.open(io.BytesIO(original))
    assert (image.format, image.size) == ("PNG", (5, 4))

    client.force_login(coach)
    coach_page = client.get(_assignment_url(assignment))
    assert url in coach_page.text and "my_drawing.png" in coach_page.text
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == original
    downloads = AuditEvent.objects.filter(object_uuid=item.pk, action="download")
    assert [(event.actor, event.subject_uuid) for event in downloads.order_by("at")] == [
        (coachee, coachee.uuid),
        (coach, coachee.uuid),
    ]


def test_an_image_preview_is_inline_and_audited_as_a_view(client, coachee, assignment):
    client.force_login(coachee)
    _upload(client, assignment, _png())
    item = AnswerFile.objects.get()
    url = reverse("interventions:answer_file", args=[assignment.pk, item.pk])
    response = client.get(url, {"preview": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    event = AuditEvent.objects.get(object_uuid=item.pk)
    assert (event.action, event.subject_uuid) == ("view", coachee.uuid)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("drawing.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("drawing.png", b"<html><body><script>alert(1)</script></body></html>"),
        ("drawing.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    ],
)
def test_a_file_refused_by_its_content_gives_a_message_and_stores_nothing(
    client, coachee, assignment, name, content
):
    client.force_login(coachee)
    response = _upload(client, assignment, SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 200
    assert "This type of file is not allowed here." in response.text
    assert not AnswerFile.objects.exists()
    assert _answer(assignment, 3) is None
    assert _status(assignment) == Status.ASSIGNED


def test_text_named_png_is_judged_by_its_content_not_its_name(client, coachee, assignment):
    """Plain text is an allowed document: it is kept as text, never served as an image."""
    client.force_login(coachee)
    upload = SimpleUploadedFile("drawing.png", b"just some words\n", "image/png")
    assert _upload(client, assignment, upload).status_code == 302
    item = AnswerFile.objects.get()
    assert (item.kind, item.content_type) == ("document", "text/plain")
    assert item.original_name == "drawing.txt"
    assert not item.has_preview


def test_replacing_the_file_removes_the_old_one_and_remove_removes_it(
    client, coachee, assignment, django_capture_on_commit_callbacks
):
    client.force_login(coachee)
    _upload(client, assignment, _png("first.png", "red"))
    first = AnswerFile.objects.get()
    first_name = first.file.name
    assert default_storage.exists(first_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, assignment, _png("second.png", "green")).status_code == 302
    second = AnswerFile.objects.get()
    assert second.pk != first.pk
    assert second.original_name == "second.png"
    assert not default_storage.exists(first_name)
    assert _answer(assignment, 3).value_map == {_key(assignment, 3, 1): str(second.pk)}
    old_url = reverse("interventions:answer_file", args=[assignment.pk, first.pk])
    assert client.get(old_url).status_code == 404
    page = client.get(_step_url(assignment, 3))
    assert "second.png" in page.text and "first.png" not in page.text
    assert f'name="remove_{_key(assignment, 3, 1)}"' in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _step_url(assignment, 3),
            {
                "revision": _revision(assignment, 3),
                f"remove_{_key(assignment, 3, 1)}": "on",
                "stay": "1",
            },
        )
    assert response.status_code == 302
    assert not AnswerFile.objects.exists()
    assert not default_storage.exists(second.file.name)
    assert _answer(assignment, 3).value_map == {}


def test_saving_a_step_without_a_new_file_keeps_the_stored_file(client, coachee, assignment):
    client.force_login(coachee)
    _upload(client, assignment, _png())
    item = AnswerFile.objects.get()
    response = client.post(
        _step_url(assignment, 3), {"revision": _revision(assignment, 3), "stay": "1"}
    )
    assert response.status_code == 302
    assert AnswerFile.objects.get() == item
    assert _answer(assignment, 3).value_map == {_key(assignment, 3, 1): str(item.pk)}


# Read-only: restricted, ended


def _stop_processing(coachee, trajectory):
    restrict_processing(coachee, "The coachee asked for it")


def _end_trajectory(coachee, trajectory):
    trajectory.ended_on = dates.today() - datetime.timedelta(days=1)
    trajectory.save()


@pytest.mark.parametrize(
    ("stop", "message"),
    [
        (_stop_processing, "Processing is restricted for this coachee"),
        (_end_trajectory, "This trajectory has ended: the intervention can only be read."),
    ],
    ids=["restricted", "ended"],
)
def test_a_stopped_assignment_stays_readable_but_refuses_every_change(
    client, coachee, trajectory, assignment, stop, message
):
    client.force_login(coachee)
    _fill_step_1(client, assignment, rating="5", went_well="Before the stop")
    _fill_step_2(client, assignment)
    before = list(StepAnswer.objects.values_list("step_key", "values", "revision"))
    stop(coachee, trajectory)

    overview = client.get(_assignment_url(assignment))
    assert overview.status_code == 200
    assert "Before the stop" in overview.text
    assert "nothing can be" in overview.text  # the banner says it can only be read
    step_page = client.get(_step_url(assignment, 1))
    assert step_page.status_code == 200
    assert "Nothing can be changed here now." in step_page.text
    assert "Save and continue" not in step_page.text

    refused = _fill_step_1(client, assignment, rating="1", went_well="After the stop")
    assert refused.status_code in (200, 404)
    if refused.status_code == 200:
        assert message in refused.text
    upload = _upload(client, assignment, _png())
    assert upload.status_code in (200, 404)
    submit = client.post(reverse("interventions:submit", args=[assignment.pk]))
    assert submit.status_code == 200
    assert message in submit.text
    assert list(StepAnswer.objects.values_list("step_key", "values", "revision")) == before
    assert not AnswerFile.objects.exists()
    assert _status(assignment) == Status.IN_PROGRESS


# Audit


def test_each_look_at_the_assignment_or_a_step_is_a_view_of_the_coachee(
    client, coachee, assignment
):
    client.force_login(coachee)
    views = AuditEvent.objects.filter(action="view", object_uuid=assignment.pk)
    client.get(_assignment_url(assignment))
    client.get(_step_url(assignment, 1))
    client.get(_step_url(assignment, 2))
    client.get(_step_url(assignment, 1))
    assert views.count() == 4
    for event in views:
        assert (event.actor, event.subject_uuid, event.subject_kind) == (
            coachee,
            coachee.uuid,
            "user:coachee",
        )
    _fill_step_1(client, assignment)
    changes = AuditEvent.objects.filter(action="change", object_uuid=assignment.pk)
    assert changes.count() == 1
    assert views.count() == 4  # a save is a change, not another view
