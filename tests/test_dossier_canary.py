"""A marker written into a session report, its agreements, an earlier version of either, or the
note of a time entry is stored only as ciphertext and never reaches an e-mail, a log record,
the timesheet's CSV or PDF export, the organisation admin, the IT admin, a support page, or
any page that the coachee, an organisation manager, a Pluform staff member, a colleague or a
stranger can open."""

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from dossier.models import Activity, SessionReport, SessionReportVersion, TimeEntry
from pluform import dates
from privacy.models import AuditEvent
from tests.documents import body, pdf_everything, plain_routes, shows

pytestmark = pytest.mark.django_db

# Lower case: compared with case-folded text.
MARKER = "canary-9b4d-dossier"
PASSWORD = "correct horse battery staple"
NOT_ALLOWED_ROLES = [
    "coachee",
    "other_coach",
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "account_manager",
    "it_admin",
    "stranger_coach",
    "stranger_coachee",
]
COACHES = {"other_coach", "stranger_coach"}


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


def _post(client, url, data=None):
    response = client.post(url, data or {})
    assert response.status_code == 302, (url, response.status_code, body(response)[:2000])
    return response


@pytest.fixture
def written(client, actors, trajectory, django_capture_on_commit_callbacks):
    """Everything written through the pages where there are pages, the marker in every field
    that is content: a report with agreements, edited twice (two earlier versions), a
    second report deleted, a save refused as out of date, the session put in the timesheet,
    and a time entry with a note stored through the model."""
    coach = actors["coach"]
    coachee = actors["coachee"]
    today = dates.today().isoformat()
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        add = reverse("dossier:report_add", args=[coachee.pk])
        form = {"held_on": today, "minutes": 50, "kind": "video", "revision": 0}
        _post(client, add, {**form, "report": f"Verslag {MARKER}", "agreements": f"Af {MARKER}"})
        report = SessionReport.objects.get()
        assert client.get(reverse("dossier:report", args=[report.pk])).status_code == 200
        edit = reverse("dossier:report_edit", args=[report.pk])
        for revision in (1, 2):
            _post(
                client,
                edit,
                {
                    **form,
                    "report": f"Verslag {revision} {MARKER}",
                    "agreements": f"Afspraak {revision} {MARKER}",
                    "revision": revision,
                },
            )
        stale = client.post(edit, {**form, "report": f"Oud {MARKER}", "revision": 1})
        assert stale.status_code == 200 and MARKER in body(stale)
        _post(client, add, {**form, "report": f"Weg {MARKER}", "agreements": f"Weg {MARKER}"})
        gone = SessionReport.objects.exclude(pk=report.pk).get()
        _post(client, reverse("dossier:report_delete", args=[gone.pk]))
        _post(client, reverse("timesheet:from_report", args=[report.pk]))
    entry = TimeEntry.objects.create(
        trajectory=trajectory,
        coachee=coachee,
        coach=coach,
        worked_on=dates.today(),
        minutes=30,
        activity=Activity.PREPARATION,
        note=f"Notitie {MARKER}",
    )
    client.logout()
    assert SessionReportVersion.objects.filter(report=report).count() == 2
    return {"report": report, "entry": entry}


def test_the_coach_reads_every_canary(client, actors, written):
    """Positive control: the marker is really there, for the coach who may read it."""
    client.force_login(actors["coach"])
    page = client.get(reverse("dossier:report", args=[written["report"].pk])).text
    for text in ("Verslag 2", "Afspraak 2", "Verslag 1", "Afspraak 1", "Verslag", "Af"):
        assert f"{text} {MARKER}" in page, text
    edit = client.get(reverse("dossier:report_edit", args=[written["report"].pk])).text
    assert f"Afspraak 2 {MARKER}" in edit
    assert TimeEntry.objects.get(pk=written["entry"].pk).note == f"Notitie {MARKER}"


def test_canaries_are_stored_encrypted_and_stay_out_of_e_mails_and_logs(actors, caplog, request):
    caplog.set_level(logging.DEBUG)
    request.getfixturevalue("written")

    database = _raw_database_text().casefold()
    assert "zwanenburg" in database  # the scan does read plain columns
    assert MARKER not in database

    for email in mail.outbox:
        text = email.subject + email.body + "".join(part for part, _ in email.alternatives)
        assert MARKER not in text.casefold(), email.subject
    assert caplog.records
    for record in caplog.records:
        assert MARKER not in record.getMessage().casefold()
        assert MARKER not in str(record.args).casefold()
    for event in AuditEvent.objects.all():
        assert MARKER not in event.detail.casefold()


def _dossier_pages(written, actors, trajectory) -> list[str]:
    report, entry, coachee = written["report"], written["entry"], actors["coachee"]
    pages = [
        reverse("dossier:coachees"),
        reverse("dossier:coachees") + "?ended=1",
        reverse("dossier:coachees") + "?q=Zwanenburg",
        reverse("dossier:coachee", args=[coachee.pk]),
        reverse("dossier:report_add", args=[coachee.pk]),
        *(
            reverse(f"dossier:{name}", args=[report.pk])
            for name in ("report", "report_edit", "report_delete")
        ),
        reverse("dossier:end_trajectory", args=[trajectory.pk]),
    ]
    pages += [reverse(f"timesheet:{name}", args=[entry.pk]) for name in ("edit", "delete")]
    return pages


def _admin_pages(actors, trajectory) -> list[str]:
    coach, coachee = actors["coach"], actors["coachee"]
    return [
        "/organisation/",
        f"/organisation/accounts/trajectory/{trajectory.pk}/change/",
        f"/organisation/accounts/trajectory/{trajectory.pk}/history/",
        f"/organisation/accounts/organisationcoach/{coach.pk}/change/",
        f"/organisation/accounts/organisationcoachee/{coachee.pk}/change/",
        "/admin/",
        "/admin/accounts/trajectory/",
        f"/admin/accounts/user/{coach.pk}/change/",
        f"/admin/accounts/user/{coachee.pk}/change/",
        f"/admin/accounts/trajectory/{trajectory.pk}/change/",
        "/admin/privacy/auditevent/",
        *(f"/admin/privacy/auditevent/{event.pk}/change/" for event in AuditEvent.objects.all()),
        reverse("support:user", args=[coach.uuid]),
        reverse("support:user", args=[coachee.uuid]),
        reverse("support:users") + "?q=" + coachee.email,
    ]


@pytest.mark.parametrize("role", NOT_ALLOWED_ROLES)
def test_no_page_anyone_but_the_coach_opens_shows_a_canary(
    client, actors, trajectory, written, django_capture_on_commit_callbacks, caplog, role
):
    caplog.set_level(logging.DEBUG)
    report, entry = written["report"], written["entry"]
    dossier = _dossier_pages(written, actors, trajectory)
    pages = [*plain_routes(), *dossier, *_admin_pages(actors, trajectory)]
    assert AuditEvent.objects.filter(object_uuid=report.pk).count() >= 4
    client.force_login(actors[role])
    with django_capture_on_commit_callbacks(execute=True):
        for url in pages:
            response = client.get(url, follow=True)
            assert not shows(response, MARKER), (role, url)
        for url in dossier:
            response = client.get(url)
            # Only a coach has a list of coachees (their own); every other dossier page is
            # the coach's alone.
            if url.split("?")[0] != reverse("dossier:coachees") or role not in COACHES:
                assert response.status_code == 404, (role, url)
        posts = [
            reverse("dossier:report_edit", args=[report.pk]),
            reverse("dossier:report_delete", args=[report.pk]),
        ]
        posts += [
            reverse("timesheet:from_report", args=[report.pk]),
            reverse("timesheet:delete", args=[entry.pk]),
        ]
        for url in posts:
            response = client.post(url, {"report": "x", "revision": 99})
            assert response.status_code == 404 and not shows(response, MARKER), (role, url)
    assert SessionReport.objects.filter(pk=report.pk).exists()
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    for email in mail.outbox:
        assert MARKER not in (email.subject + email.body).casefold()
    for record in caplog.records:
        assert MARKER not in (record.getMessage() + str(record.args)).casefold()
    # Nothing these visits recorded (audit events, notices, sessions) holds it either.
    assert MARKER not in _raw_database_text().casefold()


# The timesheet's exports


@pytest.mark.parametrize("file_format", ["csv", "pdf"])
def test_the_timesheet_exports_hold_no_canary(client, actors, written, file_format):
    export = reverse("timesheet:export")
    cache.clear()  # rate limits of the re-authentication
    client.force_login(actors["coach"])
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, body(response)[:2000]
    today = dates.today()
    response = client.post(
        export,
        {
            "start": today.replace(day=1).isoformat(),
            "end": today.isoformat(),
            "format": file_format,
            "include_names": "on",
        },
    )
    assert response.status_code == 200, body(response)[:2000]
    if file_format == "pdf":
        assert response["Content-Type"] == "application/pdf"
        text = pdf_everything(response.content)
    else:
        text = body(response)
    # Positive control: the coachee's name and the entry's minutes are in the file.
    assert "Zwanenburg" in text
    assert MARKER not in text.casefold()
    assert MARKER not in "".join(f"{k}: {v}" for k, v in response.headers.items()).casefold()
