"""The copy of a subject's data for an access request (regulation 1.2.6.1 and 1.3.5.1): built
by a Celery task once the IT administrator starts it, stored encrypted, downloadable by the
subject and the coach only (the subject only, if they restricted processing), through a
login-only link that expires after 7 days; every download is recorded."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import RestrictionGround
from accounts.services import restrict_processing
from pluform.celery import app as celery_app
from privacy import archive as archive_module
from privacy import requests, tasks
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from privacy.request_models import AccessArchive, ArchiveDownload, Kind, Status, Step
from tests.factories.dialogue import one_to_one, post
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

MARKER = "copy-8d41-dialogue-marker"
OTHERS = [
    "it_admin",
    "account_manager",
    "other_coach",
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "stranger_coach",
    "stranger_coachee",
]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def like_a_worker(monkeypatch):
    """Eager tasks that fail are retried in turn, as a worker would, instead of raising the
    first ``Retry`` into the test (the project's eager setting propagates)."""
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


@pytest.fixture
def dialogue_marker(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, f"Something only I wrote: {MARKER}")
    post(dialogue, coach, "Thank you for telling me.")
    return MARKER


def _with_it_admin(subject, coach, account_manager):
    made = requests.file(subject, kind=Kind.ACCESS, coach=coach)
    if coach is not None:
        requests.forward(made, coach)
    requests.pass_on(made, account_manager)
    return made


@pytest.fixture
def access_request(dialogue_marker, coach, coachee, account_manager):
    return _with_it_admin(coachee, coach, account_manager)


def _start(it_admin, made, committed):
    mail.outbox.clear()
    with committed():
        response = signed_in(it_admin).post(
            reverse("privacy:request_execute", args=[made.uuid]), {"note": "", "decision": ""}
        )
    assert response.status_code == 302
    return AccessArchive.objects.filter(request=made).order_by("-created_at").first()


def _link(archive):
    return reverse("privacy:archive", args=[archive.uuid])


def _download(user, archive):
    return signed_in(user).get(_link(archive))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# Building


def test_executing_an_access_request_builds_an_encrypted_copy(
    access_request, coach, coachee, it_admin, committed
):
    archive = _start(it_admin, access_request, committed)
    archive.refresh_from_db()
    access_request.refresh_from_db()
    assert archive.state == AccessArchive.State.READY
    assert archive.progress == 100
    assert archive.size > 0
    assert archive.counts["dialogue.messages"] >= 1
    assert archive.expires_at - archive.ready_at == datetime.timedelta(days=7)
    assert set(archive.recipients.all()) == {coach, coachee}
    assert access_request.status == Status.DONE
    assert access_request.closed_at is not None
    steps = [step.step for step in access_request.steps.all()]
    assert steps[-2:] == [Step.ARCHIVE_STARTED, Step.ARCHIVE_READY]
    # Subject and coach are told it is ready, without content; the IT administrator is not.
    ready = [message for message in mail.outbox if "is ready" in message.subject]
    assert sorted(address for message in ready for address in message.to) == sorted(
        [coach.email, coachee.email]
    )
    for message in mail.outbox:
        assert MARKER not in message.body

    # What is stored is ciphertext: no marker, no ZIP structure, nothing readable.
    with archive.file.storage.open(archive.file.name) as stored:
        raw = stored.read()
    assert raw.startswith(b"PLFE")
    assert MARKER.encode() not in raw
    assert b"data.json" not in raw
    assert not raw.startswith(b"PK")
    assert len(_stored_files()) == 1


def test_the_build_reports_its_progress(monkeypatch, access_request, it_admin, committed):
    seen = []
    real = archive_module.write_archive

    def watched(subject, out, *, progress=None, purpose="access"):
        def watch(done, total):
            progress(done, total)
            seen.append(AccessArchive.objects.get().progress)

        return real(subject, out, progress=watch, purpose=purpose)

    monkeypatch.setattr(archive_module, "write_archive", watched)
    archive = _start(it_admin, access_request, committed)
    archive.refresh_from_db()
    assert seen
    assert seen == sorted(seen)
    assert max(seen) <= 99
    assert archive.progress == 100


def test_a_copy_being_prepared_shows_its_progress_and_is_not_started_twice(
    access_request, coachee, it_admin
):
    AccessArchive.objects.create(request=access_request, progress=40)
    text = page_text(signed_in(coachee).get(reverse("privacy:request", args=[access_request.uuid])))
    assert "Being prepared (40 %)." in text
    response = signed_in(it_admin).post(
        reverse("privacy:request_execute", args=[access_request.uuid]),
        {"note": "", "decision": ""},
    )
    assert response.status_code == 400
    assert "The copy is already being prepared." in page_text(response)
    assert AccessArchive.objects.count() == 1


# Downloading


@pytest.mark.parametrize("recipient", ["coachee", "coach"])
def test_subject_and_coach_download_the_copy(
    recipient, request, access_request, coachee, it_admin, committed
):
    archive = _start(it_admin, access_request, committed)
    person = request.getfixturevalue(recipient)
    page = page_text(signed_in(person).get(reverse("privacy:request", args=[access_request.uuid])))
    assert _link(archive) in page

    response = _download(person, archive)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert (
        f"pluform-copy-{access_request.received_on:%Y-%m-%d}.zip" in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(_body(response))) as copy:
        assert copy.testzip() is None
        assert {"data.json", "schema.json", "index.html"} <= set(copy.namelist())
        data_text = copy.read("data.json").decode()
    assert MARKER in data_text
    data = json.loads(data_text)
    assert data["subject"]["uuid"] == str(coachee.uuid)

    # Recorded: who and when, a step in the request's history, an audit event.
    download = ArchiveDownload.objects.get(archive=archive)
    assert download.user == person
    assert access_request.steps.filter(step=Step.DOWNLOADED, actor=person).count() == 1
    events = AuditEvent.objects.filter(action=Action.DOWNLOAD, object_uuid=archive.uuid)
    assert [(event.actor, event.subject_uuid) for event in events] == [(person, coachee.uuid)]


def test_every_download_is_recorded(access_request, coach, coachee, it_admin, committed):
    archive = _start(it_admin, access_request, committed)
    for person in (coachee, coach, coachee):
        assert _download(person, archive).status_code == 200
    assert [download.user for download in archive.downloads.all()] == [coachee, coach, coachee]
    assert access_request.steps.filter(step=Step.DOWNLOADED).count() == 3
    assert AuditEvent.objects.filter(action=Action.DOWNLOAD, object_uuid=archive.uuid).count() == 3


@pytest.mark.parametrize("actor", OTHERS)
def test_nobody_else_downloads_the_copy(actor, request, access_request, it_admin, committed):
    archive = _start(it_admin, access_request, committed)
    person = request.getfixturevalue(actor)
    assert _download(person, archive).status_code == 404
    assert signed_in(person).post(_link(archive)).status_code in (404, 405)
    assert not ArchiveDownload.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()
    assert not access_request.steps.filter(step=Step.DOWNLOADED).exists()


def test_the_it_administrator_sees_it_is_ready_but_gets_no_link(
    access_request, it_admin, committed
):
    archive = _start(it_admin, access_request, committed)
    response = signed_in(it_admin).get(reverse("privacy:request", args=[access_request.uuid]))
    text = page_text(response)
    assert _link(archive) not in text
    assert "Only they can open it." in text


def test_the_link_needs_a_login(client, access_request, it_admin, committed):
    archive = _start(it_admin, access_request, committed)
    response = client.get(_link(archive))
    assert response.status_code == 302
    assert "login" in response.url
    assert not ArchiveDownload.objects.exists()


def test_the_link_expires_after_7_days(access_request, coach, coachee, it_admin, committed):
    archive = _start(it_admin, access_request, committed)
    archive.refresh_from_db()
    # A minute before it expires it still opens.
    AccessArchive.objects.filter(pk=archive.pk).update(
        expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert _download(coachee, archive).status_code == 200
    # Seven days after it was ready, it is gone for everyone.
    AccessArchive.objects.filter(pk=archive.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for person in (coachee, coach):
        assert _download(person, archive).status_code == 404
    assert ArchiveDownload.objects.count() == 1
    page = page_text(signed_in(coachee).get(reverse("privacy:request", args=[access_request.uuid])))
    assert "The copy has expired." in page
    assert _link(archive) not in page


def test_a_restricted_subjects_copy_goes_to_the_subject_only(
    dialogue_marker, coach, coachee, account_manager, it_admin, committed
):
    restrict_processing(coachee, "test", ground=RestrictionGround.CONTESTED)
    made = _with_it_admin(coachee, coach, account_manager)
    archive = _start(it_admin, made, committed)
    assert list(archive.recipients.all()) == [coachee]
    ready = [message for message in mail.outbox if "is ready" in message.subject]
    assert [message.to for message in ready] == [[coachee.email]]
    assert _download(coach, archive).status_code == 404
    response = _download(coachee, archive)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(_body(response))) as copy:
        assert MARKER in copy.read("data.json").decode()


def test_a_coachs_own_copy_goes_to_the_coach(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _with_it_admin(coach, None, account_manager)
    archive = _start(it_admin, made, committed)
    assert list(archive.recipients.all()) == [coach]
    response = _download(coach, archive)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(_body(response))) as copy:
        assert json.loads(copy.read("data.json"))["subject"]["uuid"] == str(coach.uuid)
    assert _download(coachee, archive).status_code == 404


# Failing


def test_a_failing_build_stores_nothing_and_ends_failed_after_the_retries(
    monkeypatch, like_a_worker, access_request, coachee, it_admin, committed
):
    calls = []
    failing = [True]
    real = archive_module.write_archive

    def broken(subject, out, *, progress=None, purpose="access"):
        calls.append(subject)
        if failing[0]:
            out.write(b"PK\x03\x04 half a zip " + MARKER.encode())
            raise OSError("disk full")
        return real(subject, out, progress=progress)

    monkeypatch.setattr(archive_module, "write_archive", broken)
    archive = _start(it_admin, access_request, committed)
    archive.refresh_from_db()
    access_request.refresh_from_db()
    # The first attempt and three retries, then it gives up.
    assert len(calls) == 4
    assert archive.state == AccessArchive.State.FAILED
    assert not archive.file
    assert _stored_files() == []
    # The request still waits for the IT administrator, who is told.
    assert access_request.status == Status.WITH_IT_ADMIN
    assert access_request.steps.filter(step=Step.ARCHIVE_FAILED).count() == 1
    assert [message.to for message in mail.outbox] == [[it_admin.email]]
    assert _download(coachee, archive).status_code == 404
    text = page_text(signed_in(coachee).get(reverse("privacy:request", args=[access_request.uuid])))
    assert "Preparing the copy failed" in text

    # Started again, it succeeds.
    failing[0] = False
    again = _start(it_admin, access_request, committed)
    again.refresh_from_db()
    assert again.pk != archive.pk
    assert again.state == AccessArchive.State.READY
    assert _download(coachee, again).status_code == 200
    assert len(_stored_files()) == 1


def test_a_build_that_fails_after_storing_removes_the_stored_file(
    monkeypatch, like_a_worker, access_request, it_admin, committed
):
    def refuse(archive):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(requests, "archive_built", refuse)
    archive = _start(it_admin, access_request, committed)
    archive.refresh_from_db()
    assert archive.state == AccessArchive.State.FAILED
    assert not archive.file
    assert _stored_files() == []
    access_request.refresh_from_db()
    assert access_request.status == Status.WITH_IT_ADMIN


def test_a_request_withdrawn_while_its_copy_is_built_stays_withdrawn(
    access_request, coach, coachee, committed
):
    archive = AccessArchive.objects.create(request=access_request)
    archive.recipients.set([coachee, coach])
    requests.withdraw(access_request, coachee)
    access_request.refresh_from_db()
    withdrawn_at = access_request.closed_at
    with committed():
        tasks.build_access_archive.delay(str(archive.uuid))
    access_request.refresh_from_db()
    assert access_request.status == Status.WITHDRAWN
    assert access_request.closed_at == withdrawn_at
