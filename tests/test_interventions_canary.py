"""A marker written into an intervention never reaches a role that must not see content, an
e-mail or a log record: not as a template, a question, an answer, a file name, a personal
message, a reopen note nor as feedback."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from interventions.models import AnswerFile, Assignment, Status, StepAnswer
from pluform import dates
from tests.factories.interventions import file_question, open_question, scale, template

pytestmark = pytest.mark.django_db

MARKER = "CANARY-5d1e-intervention"
NO_CONTENT_ROLES = [
    "org_manager",
    "customer_service",
    "account_manager",
    "ict_line_manager",
    "it_admin",
    "other_coach",
    "stranger_coach",
    "stranger_coachee",
]


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def _write_everything(client, coach, coachee, trajectory, capture):
    """The coach builds and sends; the coachee answers, uploads and submits; the coach reopens,
    the coachee submits again, the coach gives feedback: the marker everywhere, via the pages.
    Each notice is delivered right after its page, while it is still news."""
    made = template(
        coach,
        f"Plan {MARKER}",
        steps=[
            (
                f"Think about {MARKER}.",
                [
                    scale(f"Rate {MARKER}"),
                    open_question(f"What about {MARKER}?"),
                    file_question(f"Draw {MARKER}"),
                ],
            )
        ],
    )
    made.introduction = f"Intro {MARKER}"
    made.save()
    client.force_login(coach)
    today = dates.today()
    with capture(execute=True):
        response = client.post(
            reverse("interventions:template_assign", args=[made.pk]),
            {
                "trajectories": [str(trajectory.pk)],
                "message": f"Dear Eva, {MARKER}",
                "starts_on": today.isoformat(),
                "repeat": "weekly",
                "until": (today + datetime.timedelta(days=14)).isoformat(),
            },
        )
    assert response.status_code == 302, response.content
    assignment = Assignment.objects.order_by("available_on").first()
    step = assignment.version.parsed.steps[0]
    rate, say, draw = (f"q_{q.key}" for q in step.questions)
    step_url = reverse("interventions:step", args=[assignment.pk, step.key])

    client.force_login(coachee)
    response = client.post(
        step_url,
        {"revision": "0", rate: "6", say: f"My answer {MARKER}", draw: _png(f"{MARKER}.png")},
    )
    assert response.status_code == 302, response.content
    submit_url = reverse("interventions:submit", args=[assignment.pk])
    with capture(execute=True):
        assert client.post(submit_url).status_code == 302

    client.force_login(coach)
    with capture(execute=True):
        response = client.post(
            reverse("interventions:reopen", args=[assignment.pk]), {"note": f"Again {MARKER}"}
        )
    assert response.status_code == 302
    client.force_login(coachee)
    with capture(execute=True):
        assert client.post(submit_url).status_code == 302

    client.force_login(coach)
    response = client.post(
        reverse("interventions:feedback", args=[assignment.pk]),
        {
            "overall": f"Overall {MARKER}",
            f"step_{step.key}": f"On the step {MARKER}",
            "reviewed": "1",
        },
    )
    assert response.status_code == 302
    return made, assignment, step_url


def _urls(made, assignment, step_url, item, coachee, coach):
    template_step = made.steps.get()
    series = assignment.series
    return {
        "get": [
            reverse("home"),
            reverse("interventions:index"),
            reverse("interventions:index") + "?state=reviewed",
            reverse("interventions:index") + f"?coachee={coachee.uuid}&state=reviewed",
            reverse("interventions:library"),
            reverse("interventions:library") + "?archived=1",
            reverse("interventions:template_create"),
            reverse("interventions:template", args=[made.pk]),
            reverse("interventions:template_edit", args=[made.pk]),
            reverse("interventions:template_assign", args=[made.pk]),
            reverse("interventions:step_create", args=[made.pk]),
            reverse("interventions:step_edit", args=[made.pk, template_step.pk]),
            reverse("interventions:assignment", args=[assignment.pk]),
            step_url,
            reverse("interventions:answer_file", args=[assignment.pk, item.pk]),
            reverse("interventions:answer_file", args=[assignment.pk, item.pk]) + "?preview=1",
            reverse("interventions:series", args=[series.pk]),
            "/organisation/",
            "/organisation/accounts/trajectory/",
            f"/organisation/accounts/trajectory/{assignment.trajectory_id}/change/",
            "/organisation/accounts/organisationcoachee/",
            "/organisation/accounts/organisationcoach/",
            "/admin/",
            "/admin/interventions/",
            "/admin/privacy/auditevent/",
            f"/admin/accounts/user/{coachee.pk}/change/",
            reverse("support:users") + "?q=" + coachee.email,
            reverse("support:user", args=[coachee.uuid]),
            reverse("support:user", args=[coach.uuid]),
        ],
        "post": [
            reverse("interventions:template_create"),
            reverse("interventions:template_edit", args=[made.pk]),
            reverse("interventions:template_copy", args=[made.pk]),
            reverse("interventions:template_archive", args=[made.pk]),
            reverse("interventions:template_assign", args=[made.pk]),
            reverse("interventions:step_create", args=[made.pk]),
            reverse("interventions:step_edit", args=[made.pk, template_step.pk]),
            reverse("interventions:step_move", args=[made.pk, template_step.pk]),
            reverse("interventions:step_delete", args=[made.pk, template_step.pk]),
            step_url,
            reverse("interventions:submit", args=[assignment.pk]),
            reverse("interventions:feedback", args=[assignment.pk]),
            reverse("interventions:reopen", args=[assignment.pk]),
        ],
    }


def test_marker_never_reaches_roles_without_content_nor_e_mails_nor_logs(
    client, actors, trajectory, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    coach, coachee = actors["coach"], actors["coachee"]
    made, assignment, step_url = _write_everything(
        client, coach, coachee, trajectory, django_capture_on_commit_callbacks
    )
    item = AnswerFile.objects.get()
    assert item.original_name == f"{MARKER}.png"

    # Positive control: the coach and the coachee do read it.
    assignment_url = reverse("interventions:assignment", args=[assignment.pk])
    file_url = reverse("interventions:answer_file", args=[assignment.pk, item.pk])
    for reader in (coach, coachee):
        client.force_login(reader)
        page = client.get(assignment_url).text
        for text in ("Plan ", "Intro ", "Dear Eva, ", "Rate ", "My answer ", "Overall "):
            assert text + MARKER in page, (reader, text)
        assert f"On the step {MARKER}" in page
        assert f"{MARKER}.png" in page and file_url in page
        assert MARKER in client.get(reverse("interventions:index") + "?state=reviewed").text
        series_url = reverse("interventions:series", args=[assignment.series_id])
        assert MARKER in client.get(series_url).text
    client.force_login(coach)
    assert MARKER in client.get(reverse("interventions:template", args=[made.pk])).text
    assert MARKER in client.get(reverse("interventions:library")).text

    urls = _urls(made, assignment, step_url, item, coachee, coach)
    data = {
        "title": "x",
        "note": "x",
        "overall": "x",
        "revision": "0",
        "trajectories": [str(trajectory.pk)],
        "starts_on": dates.today().isoformat(),
        "repeat": "once",
    }
    with django_capture_on_commit_callbacks(execute=True):
        for role in NO_CONTENT_ROLES:
            client.force_login(actors[role])
            for url in urls["get"]:
                response = client.get(url, follow=True)
                assert MARKER not in _body(response), (role, url)
            for url in urls["post"]:
                response = client.post(url, data, follow=True)
                assert MARKER not in _body(response), (role, url)
                if url != reverse("interventions:template_create"):  # any coach may create
                    assert response.status_code in (403, 404, 405), (role, url)

    # Assigned, submitted, reopened, submitted again: four e-mails, none with content.
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(
        [coachee.email, coach.email, coachee.email, coach.email]
    )
    for email in mail.outbox:
        text = email.subject + email.body + "".join(part for part, _ in email.alternatives)
        assert MARKER not in text
    assert caplog.records
    for record in caplog.records:
        assert MARKER not in record.getMessage()
        assert MARKER not in str(record.args)

    # Nothing the other roles posted changed anything.
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.feedback) == (Status.REVIEWED, f"Overall {MARKER}")
    answer = StepAnswer.objects.get(assignment=assignment)
    assert answer.revision == 1 and answer.feedback == f"On the step {MARKER}"
    made.refresh_from_db()
    assert (made.title, made.archived_at, made.steps.count()) == (f"Plan {MARKER}", None, 1)
    assert Assignment.objects.count() == 3
