"""Markers written into data-subject requests (the motivation, the coach's question and the
coachee's answer, the coach's advice, the account manager's note, the reason for an
extension, the IT administrator's note on the execution and the reason a restriction ends)
are stored only as ciphertext and never reach a column of any table, a log record, an
e-mail, the audit trail, or any page the organisation manager, customer service or the ICT
line manager can open. The subject, the coach, the account manager and the IT administrator
read them on the request's page."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from privacy.audit_models import AuditEvent
from privacy.request_models import DataRequest, Kind, Status
from tests.documents import body, plain_routes, shows
from tests.pages import page_text

pytestmark = pytest.mark.django_db

# Lower case: compared with case-folded text.
MARKER = "canary-6b1e-request"
TEXTS = {
    name: f"{name} {MARKER}-{name}"
    for name in (
        "motivation",
        "question",
        "answer",
        "advice",
        "handover",
        "extension",
        "execution",
        "lifting",
        "objection",
        "decision",
    )
}
# The steps of the coachee's restriction request, and of the coach's own objection.
RESTRICTION_TEXTS = [
    TEXTS[name]
    for name in (
        "motivation",
        "question",
        "answer",
        "advice",
        "handover",
        "extension",
        "execution",
        "lifting",
    )
]
OBJECTION_TEXTS = [TEXTS["objection"], TEXTS["decision"]]
NO_CONTENT_ROLES = ["org_manager", "customer_service", "ict_line_manager"]
STEPS = [
    "request_ask",
    "request_answer",
    "request_forward",
    "request_pass_on",
    "request_extend",
    "request_execute",
    "request_withdraw",
    "request_announce_lift",
    "request_lift",
]


def _url(name, data_request):
    return reverse(f"privacy:{name}", args=[data_request.uuid])


def _raw_database_text() -> str:
    """Every column of every row of every table, as an attacker with the database sees it."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("latin-1")
                    parts.append(str(value))
    return "\n".join(parts)


def _everything(email) -> str:
    parts = [email.subject, email.body]
    parts += [content for content, _type in getattr(email, "alternatives", [])]
    return "\n".join(str(part) for part in parts)


@pytest.fixture
def written(client, actors, django_capture_on_commit_callbacks):
    """Both requests moved through the pages, with what each step schedules (the e-mails)
    sent at once: the coachee's restriction request (motivation, a question and its answer,
    the coach's advice, the account manager's note, an extension, the execution with a note,
    the lifting announced with a reason) and the coach's own objection (motivation, the
    decision with its reasons)."""
    coach, coachee = actors["coach"], actors["coachee"]
    account_manager, it_admin = actors["account_manager"], actors["it_admin"]

    def step(user, url, data):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code, body(response)[:3000])

    new = reverse("privacy:request_new")
    step(
        coachee,
        new,
        {"kind": Kind.RESTRICTION, "ground": "contested", "motivation": TEXTS["motivation"]},
    )
    restriction = DataRequest.objects.get(subject=coachee)
    step(coach, _url("request_ask", restriction), {"question": TEXTS["question"]})
    step(coachee, _url("request_answer", restriction), {"answer": TEXTS["answer"]})
    step(coach, _url("request_forward", restriction), {"advice": TEXTS["advice"]})
    step(account_manager, _url("request_pass_on", restriction), {"note": TEXTS["handover"]})
    restriction.refresh_from_db()
    until = restriction.due_on + datetime.timedelta(days=14)
    step(
        account_manager,
        _url("request_extend", restriction),
        {"until": until.isoformat(), "reason": TEXTS["extension"]},
    )
    step(it_admin, _url("request_execute", restriction), {"note": TEXTS["execution"]})
    step(it_admin, _url("request_announce_lift", restriction), {"reason": TEXTS["lifting"]})

    step(coach, new, {"kind": Kind.OBJECTION, "motivation": TEXTS["objection"]})
    objection = DataRequest.objects.get(subject=coach)
    step(account_manager, _url("request_pass_on", objection), {"note": ""})
    step(
        it_admin,
        _url("request_execute", objection),
        {"decision": "rejected", "note": TEXTS["decision"]},
    )
    client.logout()

    restriction.refresh_from_db()
    objection.refresh_from_db()
    coachee.refresh_from_db()
    assert (restriction.status, objection.status) == (Status.DONE, Status.DONE)
    assert restriction.extended_due_on == until
    assert coachee.processing_restricted
    return {"restriction": restriction, "objection": objection}


def test_the_people_who_handle_a_request_read_every_canary(client, actors, written):
    """Positive control: the markers are really there, on the request's page, for the subject,
    the coach it was filed with, the account manager and the IT administrator."""
    readers = {
        "restriction": ["coachee", "coach", "account_manager", "it_admin"],
        "objection": ["coach", "account_manager", "it_admin"],
    }
    texts = {"restriction": RESTRICTION_TEXTS, "objection": OBJECTION_TEXTS}
    for name, roles in readers.items():
        for role in roles:
            client.force_login(actors[role])
            response = client.get(_url("request", written[name]))
            assert response.status_code == 200, (name, role)
            page = page_text(response)
            for text in texts[name]:
                assert text in page, (name, role, text)
    # Stored as written, read back through the encrypted fields.
    restriction = written["restriction"]
    assert (restriction.motivation, restriction.advice) == (TEXTS["motivation"], TEXTS["advice"])
    notes = {step.note for step in restriction.steps.all()}
    assert {TEXTS[name] for name in ("question", "answer", "execution", "lifting")} <= notes


def test_canaries_are_stored_encrypted_and_stay_out_of_e_mails_logs_and_the_audit_trail(
    actors, caplog, request
):
    caplog.set_level(logging.DEBUG)
    request.getfixturevalue("written")

    database = _raw_database_text().casefold()
    assert "zwanenburg" in database  # the scan does read plain columns
    assert MARKER not in database

    # Told at every hand-over: the coach, the coachee, the account manager, the IT admin.
    recipients = {address for email in mail.outbox for address in email.to}
    for role in ("coach", "coachee", "account_manager", "it_admin"):
        assert actors[role].email in recipients, role
    assert any(email.alternatives for email in mail.outbox)
    for email in mail.outbox:
        assert MARKER not in _everything(email).casefold(), email.subject

    events = list(AuditEvent.objects.all())
    assert len(events) >= 12  # every step of both requests, and the restriction itself
    for event in events:
        assert MARKER not in event.detail.casefold(), event.detail

    assert caplog.records
    for record in caplog.records:
        assert MARKER not in record.getMessage().casefold()
        assert MARKER not in str(record.args).casefold()


def _pages(written, actors, trajectory):
    coach, coachee = actors["coach"], actors["coachee"]
    requests = list(written.values())
    privacy = [
        reverse("privacy:requests"),
        reverse("privacy:requests") + "?status=done",
        reverse("privacy:consents"),
        reverse("privacy:access_log"),
        *(_url("request", data_request) for data_request in requests),
    ]
    organisation = [
        "/organisation/",
        "/organisation/accounts/trajectory/",
        "/organisation/accounts/organisationcoachee/",
        "/organisation/accounts/organisationcoach/",
        f"/organisation/accounts/trajectory/{trajectory.pk}/change/",
        f"/organisation/accounts/trajectory/{trajectory.pk}/history/",
        f"/organisation/accounts/organisationcoach/{coach.pk}/change/",
        f"/organisation/accounts/organisationcoachee/{coachee.pk}/change/",
        f"/organisation/accounts/organisationcoachee/{coachee.pk}/history/",
    ]
    support = [
        reverse("support:users"),
        reverse("support:users") + "?q=" + coachee.email,
        reverse("support:users") + "?q=" + coach.email,
        reverse("support:user", args=[coach.uuid]),
        reverse("support:user", args=[coachee.uuid]),
        reverse("support:monitoring"),
    ]
    return [reverse("home"), *plain_routes(), *privacy, *organisation, *support]


@pytest.mark.parametrize("role", NO_CONTENT_ROLES)
def test_no_page_a_manager_or_support_member_opens_shows_a_canary(
    client, actors, trajectory, written, django_capture_on_commit_callbacks, caplog, role
):
    caplog.set_level(logging.DEBUG)
    pages = _pages(written, actors, trajectory)
    client.force_login(actors[role])
    opened = 0
    with django_capture_on_commit_callbacks(execute=True):
        for url in pages:
            response = client.get(url, follow=True)
            assert not shows(response, MARKER), (role, url)
            opened += response.status_code == 200
        for data_request in written.values():
            assert client.get(_url("request", data_request)).status_code == 404, role
            for name in STEPS:
                response = client.post(
                    _url(name, data_request),
                    {"question": "x", "answer": "x", "advice": "x", "note": "x", "reason": "x"},
                )
                assert response.status_code == 404 and not shows(response, MARKER), (role, name)
    assert opened >= 5, opened  # the role's own pages opened: their home, their work
    for email in mail.outbox:
        assert MARKER not in _everything(email).casefold()
    for record in caplog.records:
        assert MARKER not in (record.getMessage() + str(record.args)).casefold()
    # Nothing these visits recorded (audit events, sessions) holds it either.
    assert MARKER not in _raw_database_text().casefold()
