"""Erasure end to end (regulation 1.2.6.3): a coachee with data in every app erases their
account through the pages, and afterwards nothing of them is left that leads to them.

A coachee, signed up through their coach's invitation, writes one-to-one and group messages
with attachments, answers an intervention (a file too), keeps a toolbox file, has a profile
photo, session reports (one edited) and time entries, a consent, a privacy request, an export
of their data, admin log entries, login attempts and an ended legal hold; a unique marker sits
in each and in the bytes of each file. They log in, enter their password again, see what goes
and erase it. Then:

- a ``pg_dump --data-only`` of the whole database (PostgreSQL only) holds none of their
  markers, names, e-mail address or phone number, nor their file bytes;
- the storage holds none of their files; their data keys are destroyed;
- the receipt counts what there was, the downloadable copy hashes to the manifest, and the IT
  administrator's copy names nobody;
- the audit trail keeps their events, with no link to an account, and the erasure itself;
- they cannot log in, their coaches are told without their name, they get the receipt;
- what the coach wrote to them goes with the trajectory; a group keeps the others' messages.

And the resumable steps: a worker killed after the records' transaction leaves a receipt in
``files_pending`` that ``finish_pending`` completes (again harmlessly); an error inside that
transaction changes nothing. And what leads to them from elsewhere: a session on another
device, a login attempt with an address they used before, an admin log entry under a name they
had before. Other tests of the erasure: tests/test_privacy_erasure.py.
"""

import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache, caches
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from accounts import invitations
from accounts import services as account_services
from accounts.models import (
    Invitation,
    LoginAttempt,
    OrganisationCoachee,
    ProfilePhoto,
    Trajectory,
    User,
)
from accounts.roles import Role
from dialogue.models import Attachment, Message, Participant
from dossier.models import SessionReport, SessionReportVersion, TimeEntry
from interventions import services as intervention_services
from interventions.models import AnswerFile, Assignment, StepAnswer
from pluform import dates
from pluform.crypto.files import EncryptedFileField
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope, owner_scope
from pluform.uploads import validate_upload
from privacy import consent, erasure, requests
from privacy.audit import Action, sequence_pending, verify_chain
from privacy.audit_models import AuditEvent
from privacy.consent_models import Consent
from privacy.erasure_models import Erasure, ErasureFile, Ground, LegalHold
from privacy.request_models import AccessArchive, ArchiveDownload, DataRequest, Kind, RequestStep
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post
from tests.factories.dossier import edit_report, session_report, time_entry
from tests.factories.interventions import assign as assign_template
from tests.factories.interventions import file_question, open_question, template
from tests.factories.toolbox import file_item, png_bytes
from tests.pages import PASSWORD, page_text
from toolbox import media
from toolbox.models import Item, ItemFile, Share

# The test's transaction holds everything and is rolled back; what waits for a commit (e-mails,
# the export, file deletions) runs inside ``committed()``. The raw dump reads over a connection
# of its own and the failing transaction must really roll back: those tests really commit.
pytestmark = pytest.mark.django_db

PG_DUMP = shutil.which("pg_dump")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql" or PG_DUMP is None,
    reason="needs PostgreSQL (set DATABASE_URL) and pg_dump",
)

LOGIN = reverse("account_login")
REAUTHENTICATE = reverse("account_reauthenticate")
ERASE = reverse("privacy:erase")

# Found nowhere else: long enough that no ciphertext or hash in a dump holds them by chance.
FIRST_NAME = "Ermelinde"
LAST_NAME = "Tjallingii"
EMAIL = "ermelinde.tjallingii@example.org"
PHONE = "+31 6 4718 2953"
# Lower case letters, digits and dashes: the same in SQL text, JSON and HTML.
MARK = "erz-5d1c"
MARKERS = {
    name: f"{MARK}-{name.replace('_', '-')}"
    for name in (
        "trajectory_title",
        "one_to_one",
        "coach_wrote",
        "attachment_name",
        "group",
        "group_attachment_name",
        "answer",
        "answer_file_name",
        "feedback",
        "own_item",
        "own_item_file_name",
        "report_before",
        "report_after",
        "agreements",
        "time_note",
        "request",
        "clarification",
        "legal_hold",
        "admin_log",
    )
}
FILE_MARKERS = {
    "attachment": f"{MARK}-bytes-of-the-attachment".encode(),
    "group_attachment": f"{MARK}-bytes-of-the-group-attachment".encode(),
    "answer_file": f"{MARK}-bytes-of-the-answer-file".encode(),
    "toolbox": f"{MARK}-bytes-of-the-toolbox-file".encode(),
}
# What others wrote or hold, which stays.
GROUP_COACH = "kept-7b3e-the-coach-in-the-group"
GROUP_FELLOW = "kept-7b3e-a-fellow-in-the-group"
FELLOW_HOLD = "kept-7b3e-a-fellows-ended-hold"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test logs in (with a typo): the rate limits count in a cache that outlives tests."""
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The people


@pytest.fixture
def coachee(organisation, coach):
    """Invited by their coach and signed up through the link, as every coachee is: the
    invitation, the confirmed address and the trajectory exist as they would. The names and
    address are found nowhere else, so a scan can look for them."""
    invitation = invitations.invite(
        organisation=organisation,
        email=EMAIL,
        role=Role.COACHEE,
        language="en",
        invited_by=coach,
        coach=coach,
    )
    user = invitations.accept(
        invitation, first_name=FIRST_NAME, last_name=LAST_NAME, language="en", password=PASSWORD
    )
    user.phone = PHONE
    user.save(update_fields=["phone"])
    return user


@pytest.fixture
def trajectory(coachee):
    """The trajectory the invitation started, with the coach in it."""
    return coachee.trajectories.get()


@pytest.fixture
def fellow(organisation, coach):
    """Another coachee of the coach, in the same group."""
    person = CoacheeFactory(
        organisation=organisation,
        first_name="Fenna",
        last_name="Groeneveldt",
        email="fenna.groeneveldt@example.org",
    )
    TrajectoryFactory(coachee=person, coaches=[coach])
    return person


# Their life in Pluform


def _upload(name, data, content_type="text/plain", kinds=("image", "document")):
    return validate_upload(SimpleUploadedFile(name, data, content_type=content_type), kinds=kinds)


@pytest.fixture
def lived_in(coach, coachee, trajectory, other_coach, fellow, it_admin):
    """Their data in every app, a marker in each; others' data beside it."""
    trajectory.title = f"Coaching {MARKERS['trajectory_title']}"
    trajectory.save()
    account_services.set_photo(coachee, _upload("me.png", png_bytes(), "image/png", ("image",)))

    dialogue = one_to_one(trajectory)
    attachment = _upload(f"{MARKERS['attachment_name']}.txt", FILE_MARKERS["attachment"])
    post(dialogue, coachee, f"Hello {MARKERS['one_to_one']}", uploads=[attachment])
    coach_wrote = post(dialogue, coach, f"Hello, {MARKERS['coach_wrote']}")

    crew = group(coach, [coachee, fellow], title="Walking group")
    group_attachment = _upload(
        f"{MARKERS['group_attachment_name']}.txt", FILE_MARKERS["group_attachment"]
    )
    post(crew, coachee, f"In the group: {MARKERS['group']}", uploads=[group_attachment])
    kept = [post(crew, coach, GROUP_COACH), post(crew, fellow, GROUP_FELLOW)]

    made = template(
        coach, "Weekly look back", steps=[("Look back.", [open_question(), file_question()])]
    )
    (assignment,) = assign_template(made, coach, trajectory)
    step = assignment.version.parsed.steps[0]
    said, drawn = step.questions
    answer_file = _upload(f"{MARKERS['answer_file_name']}.txt", FILE_MARKERS["answer_file"])
    intervention_services.save_step(
        assignment, step, {said.key: f"It went {MARKERS['answer']}"}, {drawn.key: answer_file}, 0
    )
    intervention_services.submit(assignment)
    assignment.refresh_from_db()
    intervention_services.save_feedback(
        assignment,
        overall=f"Well done {MARKERS['feedback']}",
        per_step={step.key: f"On this step {MARKERS['feedback']}"},
        reviewed=True,
        by=coach,
    )

    toolbox_pdf = media.pdf_page([FILE_MARKERS["toolbox"].decode()])
    assert FILE_MARKERS["toolbox"] in toolbox_pdf
    file_item(
        coachee,
        name=f"{MARKERS['own_item_file_name']}.pdf",
        data=toolbox_pdf,
        title=f"My worksheet {MARKERS['own_item']}",
    )
    coach_item = file_item(coach, title="The coach's worksheet", recipients=[coachee])

    report = session_report(
        coach,
        trajectory,
        report=f"We talked {MARKERS['report_before']}",
        agreements=f"Agreed {MARKERS['agreements']}",
    )
    edit_report(report, coach, report=f"We talked {MARKERS['report_after']}")
    time_entry(coach, trajectory, note=f"Prepared {MARKERS['time_note']}")

    asked = consent.ask(trajectory, other_coach, requested_by=coach)
    consent.grant(asked, coachee)

    made_request = requests.file(
        coachee,
        kind=Kind.RECTIFICATION,
        motivation=f"My birth date is wrong {MARKERS['request']}",
        coach=coach,
    )
    requests.ask_clarification(made_request, coach, "Which date is right?")
    requests.clarify(made_request, coachee, f"The first of May {MARKERS['clarification']}")

    yesterday = dates.today() - datetime.timedelta(days=1)
    LegalHold.objects.create(
        subject=coachee,
        reason=f"Inquiry {MARKERS['legal_hold']}",
        ends_on=yesterday,
        set_by=it_admin,
    )
    LegalHold.objects.create(
        subject=fellow, reason=f"Inquiry {FELLOW_HOLD}", ends_on=yesterday, set_by=it_admin
    )

    # What the IT administrator and the organisation manager changed in the admin pages: the
    # account, the trajectory ("Trajectory of <name>"), the coachee as the manager sees them.
    admin_logs = LogEntry.objects.log_actions(
        user_id=it_admin.pk,
        queryset=[coachee, trajectory, OrganisationCoachee.objects.get(pk=coachee.pk)],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Phone number"]}}],
    )
    admin_logs.append(
        LogEntry.objects.log_actions(
            user_id=it_admin.pk,
            queryset=[Invitation.objects.get(accepted_user=coachee)],
            action_flag=CHANGE,
            change_message=f"Checked {MARKERS['admin_log']}",
            single_object=True,
        )
    )
    return SimpleNamespace(
        dialogue=dialogue,
        coach_wrote=coach_wrote,
        group=crew,
        kept=kept,
        coach_item=coach_item,
        admin_logs=admin_logs,
    )


# What there is of them


def _their_messages(coachee):
    """Their one-to-one dialogues (all of it, the coach's messages too) and what they wrote
    in groups."""
    return Message.objects.filter(Q(dialogue__trajectory__coachee=coachee) | Q(author=coachee))


# Every model with a stored file, and which of its rows are theirs.
FILE_ROWS = {
    ProfilePhoto: lambda coachee: ProfilePhoto.objects.filter(user=coachee),
    Attachment: lambda coachee: Attachment.objects.filter(message__in=_their_messages(coachee)),
    AnswerFile: lambda coachee: AnswerFile.objects.filter(assignment__coachee=coachee),
    ItemFile: lambda coachee: ItemFile.objects.filter(item__owner=coachee),
    AccessArchive: lambda coachee: AccessArchive.objects.filter(subject=coachee),
}


def _their_stored_names(coachee) -> set[str]:
    with_files = {
        model
        for model in apps.get_models()
        if model._meta.app_label != "cryptoapp"
        and any(isinstance(f, EncryptedFileField) for f in model._meta.concrete_fields)
    }
    assert with_files == set(FILE_ROWS), "a model with files is missing from FILE_ROWS"
    names = set()
    for model, rows in FILE_ROWS.items():
        for name in _file_fields(model):
            names.update(value for value in rows(coachee).values_list(name, flat=True) if value)
    return names


def _file_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedFileField)]


def _counts_of(coachee, admin_logs) -> dict[str, int]:
    """By hand, per class of data: what a receipt should say of them."""
    messages = _their_messages(coachee)
    return {
        "accounts.user": User.objects.filter(pk=coachee.pk).count(),
        "accounts.trajectory": Trajectory.objects.filter(coachee=coachee).count(),
        "accounts.profilephoto": ProfilePhoto.objects.filter(user=coachee).count(),
        "accounts.invitation": Invitation.objects.filter(email=coachee.email).count(),
        "accounts.loginattempt": LoginAttempt.objects.filter(
            Q(user=coachee) | Q(email__iexact=coachee.email)
        ).count(),
        "account.emailaddress": EmailAddress.objects.filter(user=coachee).count(),
        "admin.logentry": LogEntry.objects.filter(pk__in=[e.pk for e in admin_logs]).count(),
        "dialogue.message": messages.count(),
        "dialogue.attachment": Attachment.objects.filter(message__in=messages).count(),
        "interventions.assignment": Assignment.objects.filter(coachee=coachee).count(),
        "interventions.stepanswer": StepAnswer.objects.filter(assignment__coachee=coachee).count(),
        "interventions.answerfile": AnswerFile.objects.filter(assignment__coachee=coachee).count(),
        "toolbox.item": Item.objects.filter(owner=coachee).count(),
        "toolbox.itemfile": ItemFile.objects.filter(item__owner=coachee).count(),
        "toolbox.share": Share.objects.filter(Q(user=coachee) | Q(content_object__owner=coachee))
        .distinct()
        .count(),
        "dossier.sessionreport": SessionReport.objects.filter(coachee=coachee).count(),
        "dossier.sessionreportversion": SessionReportVersion.objects.filter(
            coachee=coachee
        ).count(),
        "dossier.timeentry": TimeEntry.objects.filter(coachee=coachee).count(),
        "privacy.consent": Consent.objects.filter(coachee=coachee).count(),
        "privacy.datarequest": DataRequest.objects.filter(subject=coachee).count(),
        "privacy.requeststep": RequestStep.objects.filter(request__subject=coachee).count(),
        "privacy.accessarchive": AccessArchive.objects.filter(subject=coachee).count(),
        "privacy.archivedownload": ArchiveDownload.objects.filter(archive__subject=coachee).count(),
        "privacy.legalhold": LegalHold.objects.filter(subject=coachee).count(),
    }


def _storage_names() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def _personal_texts() -> list[str]:
    """What no byte of the database may hold after the erasure, in lower case."""
    return [
        text.lower() for text in (FIRST_NAME, LAST_NAME, f"{FIRST_NAME} {LAST_NAME}", EMAIL, PHONE)
    ] + list(MARKERS.values())


# Erasing through the pages


@pytest.fixture
def erased(coach, coachee, trajectory, other_coach, fellow, it_admin, lived_in, committed):
    """They log in (a typo first), download their data as the erasure page advises, enter
    their password again, look at the erasure page and erase; what there was is noted first."""
    client = Client()
    typo = client.post(LOGIN, {"login": EMAIL, "password": "correct horse battery stable"})
    assert typo.status_code == 200 and "_auth_user_id" not in client.session
    assert client.post(LOGIN, {"login": EMAIL, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(coachee.pk)
    assert client.post(REAUTHENTICATE, {"password": PASSWORD}).status_code == 302

    with committed():
        assert client.post(reverse("privacy:export")).status_code == 302
    archive = AccessArchive.objects.get(subject=coachee)
    assert archive.state == AccessArchive.State.READY
    download = client.get(reverse("privacy:archive", args=[archive.uuid]))
    assert download.status_code == 200
    b"".join(download.streaming_content)

    before = SimpleNamespace(
        counts=_counts_of(coachee, lived_in.admin_logs),
        stored=_their_stored_names(coachee),
        storage=_storage_names(),
        audit=set(
            AuditEvent.objects.filter(subject_uuid=coachee.uuid).values_list("pk", flat=True)
        ),
        scopes=set(
            DataKey.objects.filter(
                scope__in=[coachee_scope(coachee), owner_scope(coachee)]
            ).values_list("scope", flat=True)
        ),
    )
    shown = client.get(ERASE)
    assert shown.status_code == 200
    mail.outbox.clear()
    with committed():
        response = client.post(ERASE, {"understood": "on"})
    assert response.status_code == 200
    assert "Your account has been erased" in page_text(response)
    return SimpleNamespace(
        client=client,
        subject_uuid=coachee.uuid,
        before=before,
        shown=shown,
        response=response,
        receipt=Erasure.objects.get(subject_uuid=coachee.uuid),
        outbox=list(mail.outbox),
        **vars(lived_in),
    )


def _pg_dump() -> bytes:
    db = connection.settings_dict
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else None
    done = subprocess.run(  # noqa: S603 - a fixed binary with arguments built here
        [
            PG_DUMP,
            "--data-only",
            "--no-password",
            f"--dbname=postgresql://{user}@{host}:{port}/{db['NAME']}",
        ],
        capture_output=True,
        check=True,
        timeout=60,
        env=env,
    )
    return done.stdout


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_raw_dump_of_every_table_holds_nothing_of_theirs(erased, coach, fellow):
    dump = _pg_dump()
    lowered = dump.lower()
    # The scan sees plain columns: the others' names, addresses and the fellow's hold.
    for kept in (coach.last_name, fellow.email, FELLOW_HOLD, str(erased.receipt.uuid)):
        assert kept.lower().encode() in lowered, kept
    found = [text for text in _personal_texts() if text.encode() in lowered]
    assert not found, f"the dump still holds {found}"
    for data in FILE_MARKERS.values():
        assert data not in dump
        assert data.hex().encode() not in lowered  # as bytea


def test_the_storage_holds_none_of_their_files(erased, settings):
    assert len(erased.before.stored) == 6  # photo, 2 attachments, answer file, toolbox, export
    assert erased.before.stored <= erased.before.storage
    after = _storage_names()
    assert not after & erased.before.stored
    for name in erased.before.stored:
        assert not default_storage.exists(name)
    # Only theirs went; a tombstone with nothing but their pseudonym came.
    tombstone = f"tombstones/{erased.subject_uuid}.json"
    assert after == (erased.before.storage - erased.before.stored) | {tombstone}
    with default_storage.open(tombstone) as body:
        assert set(json.loads(body.read())) == {"subject", "erased_at"}
    root = Path(settings.MEDIA_ROOT)
    for name in after:
        stored = (root / name).read_bytes()
        assert not any(data in stored for data in FILE_MARKERS.values()), name
        assert MARK.encode() not in stored, name


def test_their_data_keys_are_destroyed(erased, coachee):
    assert coachee_scope(coachee) in erased.before.scopes
    keys = DataKey.objects.filter(scope__in=erased.before.scopes)
    assert keys.count() == len(erased.before.scopes)
    for key in keys:
        assert key.destroyed_at is not None, key.scope
        assert bytes(key.wrapped) == b"", key.scope
    assert erased.receipt.keys == len(erased.before.scopes)


def test_the_receipt_counts_what_there_was_as_the_page_said(erased):
    counts = erased.before.counts
    # What the seeding made (the page flow added the login attempts, export and download).
    assert counts["dialogue.message"] == 3  # theirs and the coach's one-to-one, theirs in a group
    assert counts["dialogue.attachment"] == 2
    assert counts["interventions.stepanswer"] == counts["interventions.answerfile"] == 1
    assert counts["dossier.sessionreport"] == 1
    assert counts["dossier.sessionreportversion"] >= 1
    assert counts["dossier.timeentry"] >= 1
    assert counts["toolbox.item"] == counts["toolbox.itemfile"] == 1
    assert counts["toolbox.share"] == 1
    assert counts["privacy.consent"] == counts["privacy.datarequest"] == 1
    assert counts["privacy.requeststep"] == 3  # filed, clarification asked, clarified
    assert counts["privacy.accessarchive"] == counts["privacy.archivedownload"] == 1
    assert counts["accounts.loginattempt"] >= 2
    assert counts["admin.logentry"] == 4
    receipt = erased.receipt
    assert {label: receipt.counts.get(label, 0) for label in counts} == counts
    assert receipt.files == len(erased.before.stored)
    assert receipt.state == Erasure.State.DONE
    assert (receipt.ground, receipt.subject_kind) == (Ground.SELF_SERVICE, Role.COACHEE)
    # The page before showed the same classes and numbers as the receipt after.
    assert erased.shown.context["rows"] == erased.response.context["rows"]
    assert erased.shown.context["files"] == receipt.files
    shown = page_text(erased.shown)
    for title, count in erased.shown.context["rows"]:
        assert f'<td>{title}</td><td class="number">{count}</td>' in shown


def test_the_receipt_download_hashes_to_the_manifest(erased):
    text = erased.response.content.decode()
    link = re.search(
        r'<a\b[^>]*\bhref="data:application/json;base64,([^"]+)"[^>]*\bdownload="([^"]+)"', text
    )
    assert link is not None
    assert link.group(2) == f"pluform-erasure-receipt-{erased.receipt.uuid}.json"
    copy = json.loads(base64.b64decode(link.group(1)))
    assert copy["erased_person"] == {"name": f"{FIRST_NAME} {LAST_NAME}", "email": EMAIL}
    manifest = json.dumps(copy["manifest"], sort_keys=True, indent=2).encode() + b"\n"
    assert hashlib.sha256(manifest).hexdigest() == copy["manifest_sha256"]
    assert copy["manifest_sha256"] == erased.receipt.manifest_sha256
    assert copy["manifest"]["records"] == erased.receipt.counts
    # The IT administrator's copy: the same manifest, naming nobody.
    kept = erased.receipt.manifest_bytes()
    assert kept == manifest
    for personal in (FIRST_NAME, LAST_NAME, EMAIL, str(erased.subject_uuid)):
        assert personal.lower().encode() not in kept.lower()


def test_the_audit_trail_keeps_their_events_without_a_link_to_an_account(erased):
    events = AuditEvent.objects.filter(subject_uuid=erased.subject_uuid)
    assert erased.before.audit
    assert erased.before.audit < set(events.values_list("pk", flat=True))
    assert events.filter(action=Action.ERASE).count() == 1
    theirs = AuditEvent.objects.filter(
        Q(actor_uuid=erased.subject_uuid) | Q(on_behalf_of_uuid=erased.subject_uuid)
    )
    assert theirs.filter(action=Action.LOGIN).exists()
    assert not theirs.filter(Q(actor__isnull=False) | Q(on_behalf_of__isnull=False)).exists()
    # Nulling the links does not touch what the chain covers.
    sequence_pending()
    assert verify_chain().intact


def test_they_can_no_longer_log_in(erased):
    client = Client()
    response = client.post(LOGIN, {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
    # The erasing browser is logged out too.
    assert erased.client.get(reverse("home")).status_code == 302


def test_their_coaches_are_told_without_their_name_and_they_get_the_receipt(
    erased, coach, other_coach, it_admin
):
    def texts(message):
        return [message.subject, message.body, *(body for body, _ in message.alternatives)]

    for person in (coach, other_coach):
        (told,) = [message for message in erased.outbox if message.to == [person.email]]
        assert told.subject == "A coachee has left Pluform"
        for text in texts(told):
            for personal in (FIRST_NAME, LAST_NAME, EMAIL):
                assert personal not in text
    (receipt,) = [message for message in erased.outbox if message.to == [EMAIL]]
    assert receipt.subject == "Your data in Pluform has been erased"
    assert str(erased.receipt.uuid) in receipt.body
    assert erased.receipt.manifest_sha256 in receipt.body
    (admin,) = [message for message in erased.outbox if message.to == [it_admin.email]]
    assert str(erased.receipt.uuid) in admin.body
    for text in texts(admin):
        for personal in (FIRST_NAME, LAST_NAME, EMAIL):
            assert personal not in text


def test_what_the_coach_wrote_them_goes_and_what_others_hold_stays(erased, fellow, coach):
    assert not Message.objects.filter(pk=erased.coach_wrote.pk).exists()
    assert not Message.objects.filter(dialogue=erased.dialogue).exists()
    # The group: the others' messages, readable; the coach's shared worksheet, unshared.
    kept = Message.objects.filter(dialogue=erased.group).order_by("created_at")
    assert [message.body for message in kept] == [GROUP_COACH, GROUP_FELLOW]
    members = set(Participant.objects.filter(dialogue=erased.group).values_list("user", flat=True))
    assert members == {coach.pk, fellow.pk}
    item = Item.objects.get(pk=erased.coach_item.pk)
    assert item.title == "The coach's worksheet"
    assert not Share.objects.filter(content_object=item).exists()


def test_a_session_on_another_device_keeps_nothing_of_them(coachee, lived_in):
    elsewhere = Client()
    assert elsewhere.post(LOGIN, {"login": EMAIL, "password": PASSWORD}).status_code == 302
    erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert elsewhere.get(reverse("home")).status_code == 302
    left = [json.dumps(session.get_decoded()).lower() for session in Session.objects.all()]
    holding = [text for text in left if EMAIL in text or str(coachee.pk) in text]
    assert not holding


def test_no_cached_copy_of_their_sessions_outlives_the_erasure(coachee, lived_in, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    elsewhere = Client()
    assert elsewhere.post(LOGIN, {"login": EMAIL, "password": PASSWORD}).status_code == 302
    key = elsewhere.session.session_key
    cache_key = cached_db.SessionStore.cache_key_prefix + key
    assert caches[settings.SESSION_CACHE_ALIAS].get(cache_key) is not None
    erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert caches[settings.SESSION_CACHE_ALIAS].get(cache_key) is None
    assert not Session.objects.filter(session_key=key).exists()


# What they used before


def test_login_attempts_with_an_address_they_used_before_go_too(coachee):
    former = coachee.email
    account_services.change_email(coachee, "e.tjallingii@example.net", by_the_user=True)
    # Out of habit, the old address: an attempt that no account matches any more.
    Client().post(LOGIN, {"login": former, "password": PASSWORD})
    assert LoginAttempt.objects.filter(email=former, user__isnull=True).exists()

    erasure.erase(coachee, ground=Ground.SELF_SERVICE)

    assert not LoginAttempt.objects.filter(email__iexact=former).exists()


def test_admin_log_entries_under_a_name_they_had_before_go_too(coachee, trajectory, org_manager):
    # The organisation manager edits them in the organisation's admin pages, as
    # ModelAdmin.log_change records it: by the proxy model, under the name they have now.
    LogEntry.objects.log_actions(
        user_id=org_manager.pk,
        queryset=[OrganisationCoachee.objects.get(pk=coachee.pk), trajectory],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Phone number"]}}],
    )
    former = coachee.get_full_name()
    client = Client()
    client.force_login(coachee)
    profile = {
        "first_name": FIRST_NAME,
        "last_name": "Tjallingii-Boersma",
        "language": "en",
        "time_zone": "Europe/Amsterdam",
        "gender": "",
        "phone": "",
        "birth_date": "",
        "message_notifications": "immediate",
    }
    assert client.post(reverse("accounts:profile"), profile).status_code == 302
    coachee.refresh_from_db()
    assert coachee.last_name == "Tjallingii-Boersma"

    erasure.erase(coachee, ground=Ground.SELF_SERVICE)

    assert not LogEntry.objects.filter(object_repr__icontains=former).exists()
    assert not LogEntry.objects.filter(object_id=str(coachee.pk)).exists()


# A worker killed, a transaction that fails


def test_a_worker_killed_after_the_records_leaves_a_receipt_that_finish_pending_completes(
    coachee, lived_in
):
    """The records' transaction alone, as if the worker died right after its commit: the
    test's own transaction never commits, so even the file deletions that Django queues for
    after a commit do not run."""
    stored = _their_stored_names(coachee)
    scope = coachee_scope(coachee)
    assert stored and all(default_storage.exists(name) for name in stored)

    done = erasure._erase_records(coachee, ground="request", actor=None, http_request=None)

    assert not User.objects.filter(pk=coachee.pk).exists()
    assert not _their_messages(coachee).exists()
    assert not Trajectory.objects.filter(coachee_id=coachee.pk).exists()
    assert not Item.objects.filter(owner_id=coachee.pk).exists()
    assert not SessionReport.objects.filter(coachee_id=coachee.pk).exists()
    done.refresh_from_db()
    assert done.state == Erasure.State.FILES_PENDING
    assert done.finished_at is None
    pending = set(ErasureFile.objects.filter(erasure=done).values_list("name", flat=True))
    assert pending == stored
    assert all(default_storage.exists(name) for name in pending)
    assert DataKey.objects.get(scope=scope).destroyed_at is None

    assert erasure.finish_pending() == 1

    done.refresh_from_db()
    assert done.state == Erasure.State.DONE and done.finished_at is not None
    assert not ErasureFile.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    key = DataKey.objects.get(scope=scope)
    assert key.destroyed_at is not None and bytes(key.wrapped) == b""


def test_finishing_again_is_harmless(coachee, lived_in):
    done = erasure._erase_records(coachee, ground="request", actor=None, http_request=None)
    assert erasure.finish_pending() == 1
    done.refresh_from_db()
    finished_at, storage = done.finished_at, _storage_names()
    destroyed = DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at
    destructions = AuditEvent.objects.filter(action=Action.KEY_DESTRUCTION).count()

    assert erasure.finish_pending() == 0
    erasure.finish(done)  # a retry of the task itself

    done.refresh_from_db()
    assert done.state == Erasure.State.DONE
    assert done.finished_at >= finished_at
    assert _storage_names() == storage
    assert DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at == destroyed
    assert AuditEvent.objects.filter(action=Action.KEY_DESTRUCTION).count() == destructions
    assert Erasure.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_error_inside_the_records_transaction_changes_nothing(monkeypatch, coachee, lived_in):
    counts = _counts_of(coachee, lived_in.admin_logs)
    stored = _their_stored_names(coachee)
    events = AuditEvent.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ErasureFile.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError, match="went away"):
        erasure.erase(coachee, ground=Ground.SELF_SERVICE)

    assert User.objects.filter(pk=coachee.pk, email=EMAIL, first_name=FIRST_NAME).exists()
    assert _counts_of(coachee, lived_in.admin_logs) == counts
    assert not Erasure.objects.exists()
    assert not ErasureFile.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ERASE).exists()
    assert AuditEvent.objects.count() == events
    assert all(default_storage.exists(name) for name in stored)
    assert DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at is None
    # Their content still opens.
    assert Message.objects.get(author=coachee, dialogue=lived_in.group).body.endswith(
        MARKERS["group"]
    )


# A group dialogue


def test_in_a_group_their_messages_go_and_the_others_stay_readable(coach, coachee, fellow):
    crew = group(coach, [coachee, fellow], title="Walking group")
    post(crew, coach, GROUP_COACH)
    attachment = _upload("mine.txt", FILE_MARKERS["group_attachment"])
    theirs = post(crew, coachee, f"In the group: {MARKERS['group']}", uploads=[attachment])
    stored = theirs.attachments.get().file.name
    post(crew, fellow, GROUP_FELLOW)

    erasure.erase(coachee, ground=Ground.SELF_SERVICE)

    kept = list(Message.objects.filter(dialogue=crew).order_by("created_at"))
    assert [message.author_id for message in kept] == [coach.pk, fellow.pk]
    assert [message.body for message in kept] == [GROUP_COACH, GROUP_FELLOW]
    assert not Attachment.objects.filter(message__dialogue=crew).exists()
    assert not default_storage.exists(stored)
    members = set(Participant.objects.filter(dialogue=crew).values_list("user", flat=True))
    assert members == {coach.pk, fellow.pk}
    assert crew.scope.startswith("dialogue:")
    assert DataKey.objects.get(scope=crew.scope).destroyed_at is None
