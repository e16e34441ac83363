"""Self-service data export (portability, regulation 1.2.6.5 and 1.3.5.5): a coach or coachee
downloads what they provided themselves, as a ZIP of JSON with its schema, their files and a
readable page. Starting and downloading ask for the password again; the link expires after 7
days; every download is recorded; a portability request starts the same export."""

import datetime
import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interventions import services as intervention_services
from pluform.celery import app as celery_app
from privacy import archive as archive_module
from privacy import requests, subject_data, tasks
from privacy.archive import write_archive
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from privacy.request_models import AccessArchive, ArchiveDownload, Kind, Status
from privacy.subject_data import Section, SubjectFile
from tests import pages
from tests.factories import dossier as dossier_factories
from tests.factories.dialogue import one_to_one, post
from tests.factories.interventions import assign as assign_template
from tests.factories.interventions import open_question, template
from tests.factories.toolbox import file_item

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
EXPORT = reverse("privacy:export")
MINE = "port-3f9a-mine"
THEIRS = "port-3f9a-coach-wrote"
REPORT = "port-3f9a-report"
ANSWER = "port-3f9a-answer"
QUESTION = "What went well?"
TOOL_BYTES = b"%PDF-1.4 port-3f9a toolbox bytes"
OTHERS = [
    "org_manager",
    "customer_service",
    "it_admin",
    "account_manager",
    "other_coach",
    "stranger_coachee",
]


def _client(user, *, reauthenticated=True) -> Client:
    return pages.reauthenticated(user) if reauthenticated else pages.signed_in(user)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def seeded(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, f"I wrote this: {MINE}")
    post(dialogue, coach, f"The coach wrote this: {THEIRS}")
    dossier_factories.session_report(coach, trajectory, report=f"Report {REPORT}")
    made = template(coach, "Weekly look back", steps=[("Look back.", [open_question()])])
    (assignment,) = assign_template(made, coach, trajectory)
    step = assignment.version.parsed.steps[0]
    intervention_services.save_step(
        assignment, step, {step.questions[0].key: f"It went {ANSWER}"}, {}, 0
    )
    item = file_item(coachee, name="mine.pdf", data=TOOL_BYTES, title="My worksheet")
    return {"item": item, "question": step.questions[0].text}


def _start(client, committed):
    with committed():
        response = client.post(EXPORT)
    assert response.status_code == 302
    return AccessArchive.objects.order_by("-created_at").first()


def _zip(client, archive):
    response = client.get(reverse("privacy:archive", args=[archive.uuid]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _key_paths(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from _key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from _key_paths(item, prefix)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# Starting


def test_starting_needs_the_password_again(coachee, seeded, committed):
    client = _client(coachee, reauthenticated=False)
    assert client.get(EXPORT).status_code == 200
    with committed():
        response = client.post(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not AccessArchive.objects.exists()


def test_a_coachee_exports_only_what_they_provided(coachee, seeded, committed):
    client = _client(coachee)
    archive = _start(client, committed)
    archive.refresh_from_db()
    assert archive.purpose == AccessArchive.Purpose.PORTABILITY
    assert archive.request is None
    assert archive.subject == coachee
    assert archive.state == AccessArchive.State.READY
    assert archive.progress == 100
    assert archive.expires_at - archive.ready_at == datetime.timedelta(days=7)
    assert list(archive.recipients.all()) == [coachee]

    with _zip(client, archive) as zf:
        data_text = zf.read("data.json").decode()
        data = json.loads(data_text)
        schema = json.loads(zf.read("schema.json"))
        html = zf.read("index.html").decode()
        assert zf.read(f"files/toolbox/{seeded['item'].pk}/mine.pdf") == TOOL_BYTES
    assert data["purpose"] == schema["purpose"] == "portability"
    assert "portability" in schema["format"]["purpose"]
    assert data["schema_version"] == archive_module.SCHEMA_VERSION
    assert set(data["sections"]) == {
        "accounts.profile",
        "dialogue.messages",
        "interventions.assignments",
        "toolbox.items",
    }
    assert MINE in data_text and MINE in html
    assert ANSWER in data_text and seeded["question"] in data_text
    for marker in (THEIRS, REPORT):
        assert marker not in data_text
        assert marker not in html
    assert all(message["by_you"] for message in data["sections"]["dialogue.messages"])
    # Every key is documented.
    for name, records in data["sections"].items():
        documented = set(schema["sections"][name]["fields"])
        for record in records:
            assert set(_key_paths(record)) <= documented, name


def test_the_page_shows_progress_and_refreshes_while_building(coachee, seeded):
    archive = AccessArchive.objects.create(
        subject=coachee, purpose=AccessArchive.Purpose.PORTABILITY, progress=40
    )
    archive.recipients.set([coachee])
    client = _client(coachee)
    text = client.get(EXPORT).content.decode()
    assert "Being prepared (40 %)." in text
    assert '<meta http-equiv="refresh" content="3">' in text
    assert "<script" not in text
    # Not started twice.
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert AccessArchive.objects.count() == 1


def test_the_requests_page_links_the_export(coachee):
    text = _client(coachee, reauthenticated=False).get(reverse("privacy:requests")).content
    assert EXPORT.encode() in text


def test_a_restricted_subject_may_export(coachee, seeded, committed):
    from accounts.services import restrict_processing

    restrict_processing(coachee, "Contested")
    archive = _start(_client(coachee), committed)
    archive.refresh_from_db()
    assert archive.state == AccessArchive.State.READY


def test_a_coach_exports_their_own_data(coach, coachee, seeded, committed):
    client = _client(coach)
    archive = _start(client, committed)
    with _zip(client, archive) as zf:
        data = json.loads(zf.read("data.json"))
        text = zf.read("data.json").decode()
    assert data["subject"]["uuid"] == str(coach.uuid)
    assert data["sections"]["accounts.profile"][0]["email"] == coach.email
    assert MINE not in text and THEIRS not in text and REPORT not in text


# Downloading


def test_the_download_needs_the_password_again_and_is_recorded(coachee, seeded, committed):
    archive = _start(_client(coachee), committed)
    url = reverse("privacy:archive", args=[archive.uuid])
    response = _client(coachee, reauthenticated=False).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not ArchiveDownload.objects.exists()

    _zip(_client(coachee), archive)
    assert ArchiveDownload.objects.filter(archive=archive, user=coachee).count() == 1
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.detail == "portability"
    assert event.subject_uuid == coachee.uuid


def test_an_expired_export_is_gone(coachee, seeded, committed):
    client = _client(coachee)
    archive = _start(client, committed)
    AccessArchive.objects.filter(pk=archive.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("privacy:archive", args=[archive.uuid])).status_code == 404
    assert "Expired" in client.get(EXPORT).content.decode()


@pytest.mark.parametrize("actor", OTHERS)
def test_nobody_else_downloads_it(actor, request, coachee, seeded, committed):
    archive = _start(_client(coachee), committed)
    other = request.getfixturevalue(actor)
    response = _client(other).get(reverse("privacy:archive", args=[archive.uuid]))
    assert response.status_code == 404
    assert not ArchiveDownload.objects.exists()


@pytest.mark.parametrize("actor", ["org_manager", "customer_service", "it_admin"])
def test_other_roles_have_no_export_page(actor, request):
    client = _client(request.getfixturevalue(actor), reauthenticated=False)
    assert client.get(EXPORT).status_code == 404
    assert client.post(EXPORT).status_code == 404


# A portability request


def test_a_portability_request_yields_the_export(
    coach, coachee, seeded, account_manager, it_admin, committed
):
    made = requests.file(coachee, kind=Kind.PORTABILITY, coach=coach)
    requests.forward(made, coach)
    requests.pass_on(made, account_manager)
    with committed():
        response = _client(it_admin, reauthenticated=False).post(
            reverse("privacy:request_execute", args=[made.uuid]), {"note": "", "decision": ""}
        )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.DONE
    archive = AccessArchive.objects.get(request=made)
    assert archive.purpose == AccessArchive.Purpose.PORTABILITY
    assert archive.state == AccessArchive.State.READY
    assert list(archive.recipients.all()) == [coachee]
    client = _client(coachee)
    assert f'href="{reverse("privacy:archive", args=[archive.uuid])}"' in (
        client.get(EXPORT).content.decode()
    )
    with _zip(client, archive) as zf:
        assert json.loads(zf.read("data.json"))["purpose"] == "portability"
    assert _client(coach).get(reverse("privacy:archive", args=[archive.uuid])).status_code == 404


# Failing


def test_a_failing_build_stores_nothing_and_ends_failed(monkeypatch, coachee, seeded, committed):
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    calls = []

    def broken(subject, out, *, progress=None, purpose="access"):
        calls.append(purpose)
        out.write(b"PK\x03\x04 half a zip " + MINE.encode())
        raise OSError("disk full")

    monkeypatch.setattr(archive_module, "write_archive", broken)
    before = _stored_files()  # the toolbox file
    archive = _start(_client(coachee), committed)
    archive.refresh_from_db()
    assert calls == ["portability"] * 4  # the first attempt and three retries
    assert archive.state == AccessArchive.State.FAILED
    assert not archive.file
    assert _stored_files() == before
    assert "Preparing the export failed" in _client(coachee).get(EXPORT).content.decode()


def test_a_worker_killed_after_storing_leaves_no_second_copy(coachee, seeded, committed):
    """The copy was stored, then the worker died before marking it ready: the task runs
    again (acks_late) and replaces it, so storage holds one copy, not an orphan."""
    archive = _start(_client(coachee), committed)
    archive.refresh_from_db()
    first = archive.file.name
    AccessArchive.objects.filter(pk=archive.pk).update(state=AccessArchive.State.BUILDING)
    before = {path.name for path in _stored_files()}
    tasks.build_access_archive.delay(str(archive.uuid))
    archive.refresh_from_db()
    assert archive.state == AccessArchive.State.READY
    assert archive.file.name != first
    after = {path.name for path in _stored_files()}
    assert first.rsplit("/", 1)[-1] not in after
    assert len(after) == len(before)


# Streaming


def _many(subject):
    for number in range(20_000):
        yield {"number": number, "text": f"record {number} of a long section", "ok": True}


def test_a_portability_export_is_written_while_it_streams(coachee, tmp_path, monkeypatch):
    section = Section(
        name="tests.many",
        title="Many",
        description="A long section",
        fields={"number": "A number", "text": "A text", "ok": "A flag"},
        records=lambda subject: iter(()),
        provided=_many,
        provided_files=lambda subject: [
            SubjectFile(
                path="files/tests/big.bin", open=lambda: io.BytesIO(b"\0" * 1024), size=1024
            )
        ],
    )
    monkeypatch.setattr(subject_data, "_sections", {section.name: section})
    started = time.monotonic()
    tracemalloc.start()
    try:
        with open(tmp_path / "export.zip", "wb") as out:
            counts = write_archive(coachee, out, purpose="portability")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts == {"tests.many": 20_000, "files": 1}
    assert peak < 2 * 1024 * 1024, peak
    assert time.monotonic() - started < 10
    with zipfile.ZipFile(tmp_path / "export.zip") as zf:
        data = json.loads(zf.read("data.json"))
        assert data["purpose"] == "portability"
        assert len(data["sections"]["tests.many"]) == 20_000
        assert zf.read("files/tests/big.bin") == b"\0" * 1024
