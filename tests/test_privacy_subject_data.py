"""Everything about a data subject, gathered from every app into one ZIP (privacy.archive):
every marker of theirs is in data.json and index.html, their files are the originals, every
key is documented in schema.json, and nobody else's data is in it."""

import io
import json
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from interventions import services as intervention_services
from pluform.uploads import validate_upload
from privacy import audit, subject_data
from privacy.archive import SCHEMA_VERSION, write_archive
from privacy.models import Action
from privacy.subject_data import FILES_KEY, Section, SubjectFile, safe_file_name
from tests.factories import dossier as dossier_factories
from tests.factories.dialogue import group, one_to_one, post
from tests.factories.interventions import assign as assign_template
from tests.factories.interventions import open_question, template
from tests.factories.toolbox import file_item, link_item
from toolbox import media

pytestmark = pytest.mark.django_db

# Lower case letters, digits and dashes: the same in JSON, in HTML and case-folded.
MARKERS = {
    "one_to_one": "subj-7c21-one-to-one",
    "group": "subj-7c21-group",
    "attachment_name": "subj-7c21-attachment",
    "answer": "subj-7c21-answer",
    "feedback": "subj-7c21-feedback",
    "step_feedback": "subj-7c21-step-feedback",
    "shared_item": "subj-7c21-shared-item",
    "own_item": "subj-7c21-own-item",
    "report_before": "subj-7c21-report-before",
    "report_after": "subj-7c21-report-after",
    "agreements": "subj-7c21-agreements",
    "time_note": "subj-7c21-time-note",
    "audit": "subj-7c21-audit",
    "trajectory": "subj-7c21-trajectory",
}
# Written by the coach and theirs: in the coach's archive too.
COACH_OWN = {"shared_item"}
SCRIPT = "<script>alert('subj-7c21')</script>"
ATTACHMENT_BYTES = "Notes of subj-7c21.\nAttached as plain text, with ünïcode.\n".encode()
SHARED_PDF = media.pdf_page(["Werkblad subj-7c21"])
STRANGER = "subj-7c21-stranger"
ANSWER_QUESTION = "What went well?"


def _clean_upload(name, data, content_type):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return validate_upload(upload, kinds=("image", "document"))


@pytest.fixture
def seeded(coach, coachee, trajectory, customer_service, stranger_coachee):
    """The coachee's data in every app, a marker in each, and a stranger's data beside it."""
    trajectory.title = f"Trajectory {MARKERS['trajectory']}"
    trajectory.save()

    dialogue = one_to_one(trajectory)
    post(
        dialogue,
        coachee,
        f"Hello {MARKERS['one_to_one']} {SCRIPT}",
        uploads=[
            _clean_upload(f"{MARKERS['attachment_name']}.txt", ATTACHMENT_BYTES, "text/plain")
        ],
    )
    post(dialogue, coach, "Hello Eva, how are you?")
    crew = group(coach, [coachee], title="Walking group")
    post(crew, coachee, f"In the group: {MARKERS['group']}")

    made = template(coach, "Weekly look back", steps=[("Look back.", [open_question()])])
    (assignment,) = assign_template(made, coach, trajectory)
    step = assignment.version.parsed.steps[0]
    question = step.questions[0]
    intervention_services.save_step(
        assignment, step, {question.key: f"It went {MARKERS['answer']}"}, {}, 0
    )
    intervention_services.submit(assignment)
    assignment.refresh_from_db()
    intervention_services.save_feedback(
        assignment,
        overall=f"Well done {MARKERS['feedback']}",
        per_step={step.key: f"On this step {MARKERS['step_feedback']}"},
        reviewed=True,
        by=coach,
    )

    shared = file_item(
        coach,
        name="werkblad.pdf",
        data=SHARED_PDF,
        title=f"Worksheet {MARKERS['shared_item']}",
        recipients=[coachee],
    )
    own = link_item(coachee, title=f"My link {MARKERS['own_item']}")

    report = dossier_factories.session_report(
        coach,
        trajectory,
        report=f"We talked {MARKERS['report_before']}",
        agreements=f"Agreed {MARKERS['agreements']}",
    )
    dossier_factories.edit_report(report, coach, report=f"We talked {MARKERS['report_after']}")
    dossier_factories.time_entry(coach, trajectory, note=f"Prepared {MARKERS['time_note']}")

    audit.record(
        None, Action.VIEW, subject=coachee, obj=report, actor=coach, detail=MARKERS["audit"]
    )
    audit.record(None, Action.VIEW, subject=coachee, actor=customer_service, detail="support")

    # Someone else's data, in every app.
    stranger_trajectory = stranger_coachee.trajectories.get()
    stranger_coach = stranger_trajectory.coaches.get()
    post(one_to_one(stranger_trajectory), stranger_coachee, f"Mine: {STRANGER}")
    link_item(stranger_coachee, title=f"Theirs {STRANGER}")
    dossier_factories.session_report(stranger_coach, stranger_trajectory, report=STRANGER)
    dossier_factories.time_entry(stranger_coach, stranger_trajectory, note=STRANGER)
    audit.record(None, Action.VIEW, subject=stranger_coachee, actor=stranger_coach, detail=STRANGER)
    return {"shared": shared, "own": own, "assignment": assignment, "staff": customer_service}


def _archive(subject):
    out = io.BytesIO()
    counts = write_archive(subject, out)
    out.seek(0)
    archive = zipfile.ZipFile(out)
    assert archive.testzip() is None
    data = json.loads(archive.read("data.json"))
    schema = json.loads(archive.read("schema.json"))
    html = archive.read("index.html").decode("utf-8")
    return archive, counts, data, schema, html


def _key_paths(value, prefix=""):
    """Every key in a record, nested ones as dotted paths (lists passed through)."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from _key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from _key_paths(item, prefix)


def _files_listed(data):
    for records in data["sections"].values():
        for record in records:
            yield from record.get(FILES_KEY, [])


def test_a_coachees_archive_holds_all_their_data_and_nobody_elses(coachee, seeded):
    archive, counts, data, schema, html = _archive(coachee)
    text = json.dumps(data, ensure_ascii=False)

    for name, marker in MARKERS.items():
        assert marker in text, name
        assert marker in html, name
    assert STRANGER not in text
    assert STRANGER not in html
    assert all(STRANGER not in name for name in archive.namelist())

    assert data["schema_version"] == SCHEMA_VERSION == schema["schema_version"]
    assert data["subject"] == {"uuid": str(coachee.uuid), "role": "coachee"}
    sections = data["sections"]
    assert [section.name for section in subject_data.sections()] == list(sections)
    assert sections["accounts.profile"][0]["email"] == coachee.email
    assert sections["accounts.trajectories"][0]["coaches"] == ["Carla Ravestein"]
    messages = sections["dialogue.messages"]
    assert {m["dialogue_kind"] for m in messages} == {"one_to_one", "group"}
    assert len(messages) == 3
    [reply] = [m for m in messages if not m["by_you"]]
    assert reply["author"] == "Carla"  # as the coachee sees names in the dialogue
    [report] = sections["dossier.session_reports"]
    assert MARKERS["report_after"] in report["report"]
    assert MARKERS["report_before"] in report["earlier_versions"][0]["report"]
    [entry] = sections["dossier.time_entries"]
    assert entry["coach"] == "Carla Ravestein"
    [item_shared] = [i for i in sections["toolbox.items"] if not i["yours"]]
    assert item_shared["shared_with_you"][0]["shared_by"] == "Carla Ravestein"
    assert {i["yours"] for i in sections["toolbox.items"]} == {True, False}
    [assignment] = sections["interventions.assignments"]
    assert assignment["status"] == "reviewed"
    assert assignment["steps"][0]["questions"][0]["text"] == ANSWER_QUESTION
    assert sections["interventions.templates"] == []
    events = sections["privacy.audit_events"]
    assert {(e["actor_role"], e["actor"]) for e in events} == {
        ("coach", "Carla Ravestein"),
        ("customer_service", None),  # Pluform's staff by role only
    }
    assert seeded["staff"].last_name not in text
    assert seeded["staff"].last_name not in html

    # The files are the originals, where the records say they are, and linked.
    listed = {entry["path"]: entry for entry in _files_listed(data)}
    in_zip = {name for name in archive.namelist() if name.startswith("files/")}
    assert set(listed) == in_zip
    [attachment] = [p for p in in_zip if p.startswith("files/dialogue/")]
    assert attachment.endswith(f"/{MARKERS['attachment_name']}.txt")
    assert archive.read(attachment) == ATTACHMENT_BYTES
    [worksheet] = [p for p in in_zip if p.startswith("files/toolbox/")]
    assert worksheet == f"files/toolbox/{seeded['shared'].pk}/werkblad.pdf"
    assert archive.read(worksheet) == SHARED_PDF
    assert listed[worksheet]["size"] == len(SHARED_PDF)
    for path in in_zip:
        assert f'href="{path}"' in html

    # Counts as returned are what was written.
    assert counts == {
        **{name: len(records) for name, records in sections.items()},
        "files": len(in_zip),
    }

    # Every key of every record is documented, in the subject's language.
    for name, records in sections.items():
        documented = schema["sections"][name]["fields"]
        assert schema["sections"][name]["title"]
        assert schema["sections"][name]["description"]
        for record in records:
            for path in _key_paths(record):
                assert documented.get(path), (name, path)

    # The page escapes what people wrote, and loads and runs nothing.
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "src=" not in html
    assert "http" not in html.split("<body>", 1)[0].replace("http-equiv", "")
    assert '<html lang="en">' in html


def test_the_profile_lists_the_addresses_used_before(coachee, seeded):
    old = coachee.email
    account_services.change_email(coachee, "new.address@example.org", by_the_user=True)
    _zip, _counts, data, schema, _html = _archive(coachee)
    [profile] = data["sections"]["accounts.profile"]
    assert profile["email"] == "new.address@example.org"
    assert [former["email"] for former in profile["former_emails"]] == [old]
    assert schema["sections"]["accounts.profile"]["fields"]["former_emails.until"]


def test_a_coachs_archive_holds_only_their_own_data(coach, seeded):
    archive, counts, data, schema, html = _archive(coach)
    text = json.dumps(data, ensure_ascii=False)

    for name, marker in MARKERS.items():
        if name in COACH_OWN:
            assert marker in text, name
            assert marker in html, name
        else:
            assert marker not in text, name
            assert marker not in html, name
    assert STRANGER not in text
    sections = data["sections"]
    [item] = sections["toolbox.items"]
    assert item["id"] == str(seeded["shared"].pk)
    assert item["yours"] is True
    assert "shared_by_you" not in item  # a coach's recipients are their coachees
    assert archive.read(f"files/toolbox/{seeded['shared'].pk}/werkblad.pdf") == SHARED_PDF
    assert sections["accounts.profile"][0]["licence_started_on"]
    [made] = sections["interventions.templates"]
    assert made["title"] == "Weekly look back"
    assert made["steps"][0]["questions"][0]["text"] == ANSWER_QUESTION
    for name in (
        "accounts.trajectories",
        "dialogue.messages",
        "interventions.assignments",
        "dossier.session_reports",
        "dossier.time_entries",
        "privacy.audit_events",
    ):
        assert sections[name] == [], name
    assert counts["files"] == 1
    for name, records in sections.items():
        for record in records:
            for path in _key_paths(record):
                assert schema["sections"][name]["fields"].get(path), (name, path)


def test_any_other_role_gets_only_the_profile_and_the_audit_trail(org_manager, coachee, seeded):
    audit.record(None, Action.CHANGE, subject=org_manager, actor=org_manager, detail="profile")
    _, counts, data, _, _ = _archive(org_manager)
    filled = {name for name, records in data["sections"].items() if records}
    assert filled == {"accounts.profile", "privacy.audit_events"}
    assert counts["files"] == 0
    assert all(marker not in json.dumps(data) for marker in MARKERS.values())


def test_the_profile_photo_is_in_the_archive(coachee):
    account_services.set_photo(coachee, _clean_upload("me.png", media.png_image(8, 8), "image/png"))
    archive, counts, data, _schema, html = _archive(coachee)
    [photo] = data["sections"]["accounts.profile"][0][FILES_KEY]
    assert photo["path"].startswith("files/accounts/photo/") and photo["path"].endswith(".png")
    stored = archive.read(photo["path"])
    assert stored.startswith(b"\x89PNG") and len(stored) == photo["size"]
    assert counts["files"] == 1
    assert f'href="{photo["path"]}"' in html


def test_a_dutch_subject_gets_a_dutch_page(coachee):
    coachee.language = "nl"
    coachee.save()
    _, _, _, schema, html = _archive(coachee)
    assert '<html lang="nl">' in html
    assert schema["language"] == "nl"


def _many(subject):
    for number in range(20_000):
        yield {"number": number, "text": f"record {number} of a long section", "ok": True}


def test_the_archive_is_written_while_it_streams(coachee, tmp_path, monkeypatch):
    """20,000 records and a file go through a few hundred kB at most: nothing is held whole."""
    section = Section(
        name="tests.many",
        title="Many",
        description="A long section",
        fields={"number": "A number", "text": "A text", "ok": "A flag"},
        records=_many,
        files=lambda subject: [
            SubjectFile(
                path="files/tests/big.bin",
                open=lambda: io.BytesIO(b"\0" * 1024),
                size=1024,
            )
        ],
    )
    # Only this section: the test is about the writer, not the apps' queries.
    monkeypatch.setattr(subject_data, "_sections", {section.name: section})
    started = time.monotonic()
    tracemalloc.start()
    try:
        with open(tmp_path / "archive.zip", "wb") as out:
            counts = write_archive(coachee, out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    took = time.monotonic() - started

    assert counts == {"tests.many": 20_000, "files": 1}
    assert peak < 2 * 1024 * 1024, peak
    assert took < 10, took  # about 1 s, tracing included, on an idle machine
    with zipfile.ZipFile(tmp_path / "archive.zip") as archive:
        data = json.loads(archive.read("data.json"))
        assert len(data["sections"]["tests.many"]) == 20_000
        assert data["sections"]["tests.many"][-1]["number"] == 19_999
        html = archive.read("index.html").decode()
        assert html.count('<dl class="record">') == 20_000
        assert archive.read("files/tests/big.bin") == b"\0" * 1024


def test_a_name_is_registered_once():
    def nothing(subject):
        return iter(())

    first = Section("tests.once", "Once", "Once", {}, nothing)
    subject_data.register(first)
    try:
        subject_data.register(first)  # the same again: fine
        with pytest.raises(ValueError, match="another"):
            subject_data.register(Section("tests.once", "Other", "Other", {}, nothing))
        with pytest.raises(ValueError, match="named"):
            subject_data.register(Section("no-dot", "Bad", "Bad", {}, nothing))
    finally:
        subject_data.unregister("tests.once")
    assert "tests.once" not in {section.name for section in subject_data.sections()}


def test_a_file_outside_the_files_folder_is_refused(coachee):
    section = Section(
        name="tests.escape",
        title="Escape",
        description="Escape",
        fields={},
        records=lambda subject: iter(()),
        files=lambda subject: [SubjectFile("files/../../etc/passwd", lambda: io.BytesIO(b"x"))],
    )
    subject_data.register(section)
    try:
        with pytest.raises(ValueError, match="files/"):
            write_archive(coachee, io.BytesIO())
    finally:
        subject_data.unregister("tests.escape")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("werkblad.pdf", "werkblad.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\eva\\notes.txt", "notes.txt"),
        ("..", "file"),
        (".hidden", "hidden"),
        ('a<b>c:"d|e?f*.txt', "a_b_c_d_e_f_.txt"),
        ("CON.txt", "_CON.txt"),
        ("x" * 300 + ".docx", "x" * 115 + ".docx"),
        ("", "file"),
    ],
)
def test_file_names_are_made_safe(name, safe):
    assert safe_file_name(name) == safe
