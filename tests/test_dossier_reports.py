"""Session reports in a coachee's dossier, through the pages: writing, editing (every edit keeps
the earlier version, shown with its date), deleting, a save from a page that is out of date,
refused input, restriction of processing, the audit trail and encryption at rest."""

import base64
import datetime
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from accounts.services import add_coach, lift_restriction, restrict_processing, unassign_coach
from dossier import services
from dossier.models import SessionKind, SessionReport, SessionReportVersion
from pluform import dates
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope
from privacy.audit_models import Action, AuditEvent
from tests.crypto_support import raw_column, raw_table_text
from tests.factories.accounts import TrajectoryFactory
from tests.factories.dossier import edit_report, session_report
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

TODAY = dates.today
REPORT = "Eva vertelde over haar slaap: Spreeuwenzang."
AGREEMENTS = "Elke ochtend tien minuten Boomklever-wandeling."
RESTRICTED = "Processing of this coachee"
STALE = "This report was changed in the meantime"


# Helpers


def _data(**fields) -> dict:
    data = {
        "held_on": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "minutes": 50,
        "kind": SessionKind.FACE_TO_FACE,
        "report": REPORT,
        "agreements": AGREEMENTS,
        "revision": 0,
    }
    data.update(fields)
    return data


def _edit_data(session, /, **fields) -> dict:
    """The edit form of ``session`` as opened now, with ``fields`` changed."""
    data = {
        "held_on": session.held_on.isoformat(),
        "minutes": session.minutes,
        "kind": session.kind,
        "report": session.report,
        "agreements": session.agreements,
        "revision": session.revision,
    }
    data.update(fields)
    return data


def _add_url(coachee):
    return reverse("dossier:report_add", args=[coachee.pk])


def _url(name, report):
    return reverse(f"dossier:{name}", args=[report.pk])


def _shown(moment) -> str:
    """A date and time as the pages show it to an English reader in Amsterdam."""
    local = timezone.localtime(moment, zoneinfo.ZoneInfo("Europe/Amsterdam"))
    return formats.date_format(local, "DATETIME_FORMAT")


def _events(**filters) -> list:
    return list(AuditEvent.objects.filter(**filters).order_by("at"))


def _column_key(model, column, pk) -> uuid.UUID:
    """The key id named by the stored ciphertext of one column."""
    sealed = raw_column(model, column, pk)
    return uuid.UUID(bytes=base64.b64decode(sealed)[1:17])


# Writing a report


def test_the_coach_writes_a_report_and_reads_it_back(coach, coachee, trajectory):
    client = signed_in(coach)
    form = client.get(_add_url(coachee))
    assert form.status_code == 200
    assert form.context["form"]["held_on"].value() == TODAY()  # today, unless changed

    response = client.post(_add_url(coachee), _data())

    report = SessionReport.objects.get()
    assert response.status_code == 302 and response.url == _url("report", report)
    assert (report.trajectory_id, report.coachee_id) == (trajectory.pk, coachee.pk)
    assert (report.author_id, report.edited_by_id, report.revision) == (coach.pk, coach.pk, 1)
    assert report.held_on == TODAY() - datetime.timedelta(days=2)
    assert (report.minutes, report.kind) == (50, SessionKind.FACE_TO_FACE)
    assert (report.report, report.agreements) == (REPORT, AGREEMENTS)

    page = page_text(client.get(response.url))
    assert REPORT in page and AGREEMENTS in page
    assert "Face to face" in page and "50 minutes" in page
    assert "This report has not been changed since it was written." in page
    dossier = page_text(client.get(reverse("dossier:coachee", args=[coachee.pk])))
    assert _url("report", report) in dossier
    assert REPORT not in dossier  # the list shows date, kind and duration only


@pytest.mark.parametrize("kind", list(SessionKind))
def test_every_kind_of_session(coach, coachee, trajectory, kind):
    response = signed_in(coach).post(_add_url(coachee), _data(kind=kind.value, agreements=""))
    assert response.status_code == 302
    report = SessionReport.objects.get()
    assert (report.kind, report.agreements) == (kind, "")


def test_a_report_goes_into_the_running_trajectory(coach, coachee, trajectory):
    """A coachee with a running trajectory and a later, short one that has ended: a new
    report belongs to the running one."""
    later = TrajectoryFactory(
        coachee=coachee,
        coaches=[coach],
        started_on=TODAY() - datetime.timedelta(days=30),
        ended_on=TODAY() - datetime.timedelta(days=5),
    )
    signed_in(coach).post(_add_url(coachee), _data())
    assert SessionReport.objects.get().trajectory_id == trajectory.pk != later.pk


# Editing and history


def test_every_edit_keeps_the_earlier_version_with_its_date(coach, coachee, trajectory):
    client = signed_in(coach)
    report = session_report(coach, trajectory, report="Eerste versie", agreements="Afspraak 1")
    first_saved = timezone.now() - datetime.timedelta(days=9, hours=3)
    SessionReport.objects.filter(pk=report.pk).update(changed_at=first_saved)

    form = client.get(_url("report_edit", report))
    assert form.status_code == 200
    assert form.context["form"]["report"].value() == "Eerste versie"
    assert form.context["form"]["revision"].value() == 1
    response = client.post(
        _url("report_edit", report),
        _edit_data(report, report="Tweede versie", minutes=75, agreements="Afspraak 2"),
    )
    assert response.status_code == 302 and response.url == _url("report", report)

    second_saved = timezone.now() - datetime.timedelta(days=2, hours=5)
    SessionReport.objects.filter(pk=report.pk).update(changed_at=second_saved)
    report.refresh_from_db()
    response = client.post(
        _url("report_edit", report),
        _edit_data(report, report="Derde versie", kind=SessionKind.PHONE, revision=2),
    )
    assert response.status_code == 302

    report.refresh_from_db()
    assert (report.report, report.revision, report.kind) == ("Derde versie", 3, "phone")
    versions = list(report.versions.all())
    assert [v.revision for v in versions] == [2, 1]  # newest first
    assert [v.report_text for v in versions] == ["Tweede versie", "Eerste versie"]
    assert [v.agreements for v in versions] == ["Afspraak 2", "Afspraak 1"]
    assert [v.minutes for v in versions] == [75, 60]
    assert [v.written_at for v in versions] == [second_saved, first_saved]
    assert all(v.written_by_id == coach.pk and v.coachee_id == coachee.pk for v in versions)

    page = page_text(client.get(_url("report", report)))
    assert "Derde versie" in page
    assert f"This version was saved on {_shown(report.changed_at)}" in page
    for text, saved in (("Tweede versie", second_saved), ("Eerste versie", first_saved)):
        assert text in page
        assert f"Earlier version, saved on {_shown(saved)} by Carla Ravestein" in page
    assert page.index(_shown(second_saved)) < page.index(_shown(first_saved))


def test_saving_without_a_change_keeps_no_version(coach, coachee, trajectory):
    report = session_report(coach, trajectory)
    response = signed_in(coach).post(_url("report_edit", report), _edit_data(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1 and not report.versions.exists()


def test_a_second_coach_of_the_trajectory_edits_and_the_history_says_who(
    coach, coachee, trajectory, other_coach
):
    add_coach(trajectory, other_coach)
    report = session_report(coach, trajectory)
    client = signed_in(other_coach)
    response = client.post(_url("report_edit", report), _edit_data(report, report="Door Otto"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.author_id, report.edited_by_id) == (coach.pk, other_coach.pk)
    page = page_text(client.get(_url("report", report)))
    assert "by Otto Quakkelaar." in page  # who saved this version
    assert "by Carla Ravestein" in page  # and who wrote the one before


# Deleting


def test_the_coach_deletes_a_report_with_its_versions(coach, coachee, trajectory):
    report = session_report(coach, trajectory)
    edit_report(report, coach, report="Nieuwer")
    other = session_report(coach, trajectory, report="Blijft staan")
    client = signed_in(coach)

    confirm = client.get(_url("report_delete", report))
    assert confirm.status_code == 200
    assert "This cannot be undone." in page_text(confirm)
    assert SessionReport.objects.filter(pk=report.pk).exists()  # a GET deletes nothing

    response = client.post(_url("report_delete", report))
    assert response.status_code == 302
    assert response.url == reverse("dossier:coachee", args=[coachee.pk])
    assert list(SessionReport.objects.values_list("pk", flat=True)) == [other.pk]
    assert not SessionReportVersion.objects.exists()
    assert client.get(_url("report", report)).status_code == 404
    assert client.post(_url("report_delete", report)).status_code == 404


# A save from a page that is out of date


def test_a_save_from_an_out_of_date_tab_is_refused_and_shows_the_other_change(
    coach, coachee, trajectory
):
    report = session_report(coach, trajectory, report="Origineel", agreements="Oud")
    client = signed_in(coach)
    opened = client.get(_url("report_edit", report)).context["form"]["revision"].value()
    assert opened == 1

    # Another tab saves first.
    other_tab = client.post(
        _url("report_edit", report),
        _edit_data(report, report="Uit het andere tabblad", agreements="Nieuwe afspraak"),
    )
    assert other_tab.status_code == 302

    # Then this tab, opened before that save.
    typed = "Wat ik in dit tabblad typte"
    response = client.post(
        _url("report_edit", report),
        _edit_data(report, report=typed, agreements="Mijn afspraak", revision=opened),
    )
    assert response.status_code == 200
    page = page_text(response)
    assert STALE in page
    assert "The report as it is now" in page
    assert "Uit het andere tabblad" in page and "Nieuwe afspraak" in page  # the other change
    form = response.context["form"]
    assert form["report"].value() == typed and form["agreements"].value() == "Mijn afspraak"
    assert f"{typed}</textarea>" in page  # the typed text is kept in the form
    # Nothing was overwritten: the other tab's text is the report, one version (the original).
    report.refresh_from_db()
    assert (report.report, report.revision) == ("Uit het andere tabblad", 2)
    assert [v.report_text for v in report.versions.all()] == ["Origineel"]

    # Saving again from the page as shown overwrites knowingly, and keeps the other change.
    assert int(form["revision"].value()) == 2
    again = client.post(
        _url("report_edit", report),
        _edit_data(report, report=typed, agreements="Mijn afspraak", revision=2),
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert (report.report, report.revision) == (typed, 3)
    assert [v.report_text for v in report.versions.all()] == ["Uit het andere tabblad", "Origineel"]


def test_two_coaches_of_one_trajectory_cannot_overwrite_each_other(
    coach, coachee, trajectory, other_coach
):
    add_coach(trajectory, other_coach)
    report = session_report(coach, trajectory, report="Origineel")
    carla, otto = signed_in(coach), signed_in(other_coach)
    assert carla.get(_url("report_edit", report)).status_code == 200
    assert otto.get(_url("report_edit", report)).status_code == 200
    saved = otto.post(_url("report_edit", report), _edit_data(report, report="Otto"))
    assert saved.status_code == 302
    response = carla.post(_url("report_edit", report), _edit_data(report, report="Carla"))
    assert response.status_code == 200 and STALE in page_text(response)
    report.refresh_from_db()
    assert report.report == "Otto"


def test_the_service_refuses_a_stale_revision(coach, coachee, trajectory):
    report = session_report(coach, trajectory)
    edit_report(report, coach, report="Nieuw")
    fields = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    with pytest.raises(services.StaleReport) as refused:
        services.update_report(report, coach, revision=1, **{**fields, "report": "Oud"})
    assert refused.value.current.report == "Nieuw"
    report.refresh_from_db()
    assert report.report == "Nieuw" and report.revision == 2


def test_a_form_without_its_revision_is_treated_as_out_of_date(coach, coachee, trajectory):
    report = session_report(coach, trajectory)
    data = _edit_data(report, report="Zonder revisie")
    del data["revision"]
    response = signed_in(coach).post(_url("report_edit", report), data)
    assert response.status_code == 200 and STALE in page_text(response)
    report.refresh_from_db()
    assert report.report != "Zonder revisie"


# Refused input


REFUSED = {
    "zero minutes": ({"minutes": 0}, "A session lasts at least one minute."),
    "negative minutes": ({"minutes": -30}, "A session lasts at least one minute."),
    "over a day": ({"minutes": 24 * 60 + 1}, "A session cannot last more than 24 hours."),
    "not a number": ({"minutes": "een uur"}, "Enter a whole number."),
    "tomorrow": (
        {"held_on": lambda: (TODAY() + datetime.timedelta(days=1)).isoformat()},
        "A session report cannot be dated in the future.",
    ),
    "no date": ({"held_on": ""}, "This field is required."),
    "no report": ({"report": ""}, "This field is required."),
    "unknown kind": ({"kind": "telepathy"}, "Select a valid choice."),
}


def _resolved(fields) -> dict:
    return {key: value() if callable(value) else value for key, value in fields.items()}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_refused_input_on_a_new_report_stores_nothing(coach, coachee, trajectory, case):
    fields, message = REFUSED[case]
    response = signed_in(coach).post(_add_url(coachee), _data(**_resolved(fields)))
    assert response.status_code == 200
    assert message in page_text(response)
    assert response.context["form"].errors
    if "report" not in fields:
        assert response.context["form"]["report"].value() == REPORT  # what was typed stays
    assert not SessionReport.objects.exists()
    assert not _events(action=Action.CREATE, object_type="dossier.sessionreport")


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_refused_input_on_an_edit_changes_nothing(coach, coachee, trajectory, case):
    report = session_report(coach, trajectory, report="Origineel")
    fields, message = REFUSED[case]
    data = _edit_data(report, **{"report": "Gewijzigd", **_resolved(fields)})
    response = signed_in(coach).post(_url("report_edit", report), data)
    assert response.status_code == 200
    assert message in page_text(response)
    report.refresh_from_db()
    assert (report.report, report.revision, report.minutes) == ("Origineel", 1, 60)
    assert not report.versions.exists()


@pytest.mark.parametrize("minutes", [1, 24 * 60])
def test_the_limits_of_a_duration_are_accepted(coach, coachee, trajectory, minutes):
    response = signed_in(coach).post(
        _add_url(coachee), _data(minutes=minutes, held_on=TODAY().isoformat())
    )
    assert response.status_code == 302
    assert SessionReport.objects.get().minutes == minutes


def test_the_service_refuses_a_report_dated_in_the_future(coach, coachee, trajectory):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        session_report(coach, trajectory, held_on=tomorrow)
    assert "held_on" in refused.value.error_dict
    report = session_report(coach, trajectory)
    with pytest.raises(ValidationError):
        edit_report(report, coach, held_on=tomorrow)
    assert SessionReport.objects.get().held_on != tomorrow
    assert not SessionReportVersion.objects.exists()


# Restriction of processing


@pytest.fixture
def restricted(coach, coachee, trajectory):
    report = session_report(coach, trajectory, report="Voor de beperking")
    restrict_processing(coachee, "Bezwaar tegen verwerking")
    coachee.refresh_from_db()
    return report


def test_a_restricted_coachee_is_read_only_and_the_pages_say_why(
    client, coach, coachee, restricted
):
    report = restricted
    client.force_login(coach)
    dossier = client.get(reverse("dossier:coachee", args=[coachee.pk]))
    assert dossier.status_code == 200
    page = page_text(dossier)
    assert RESTRICTED in page and "restricted at their request" in page
    assert "nothing can be added or changed" in page
    assert _add_url(coachee) not in page

    page = page_text(client.get(_url("report", report)))
    assert "Voor de beperking" in page  # still readable
    assert RESTRICTED in page
    assert _url("report_edit", report) not in page and _url("report_delete", report) not in page

    for url in (_add_url(coachee), _url("report_edit", report), _url("report_delete", report)):
        response = client.get(url)
        assert response.status_code == 200 and RESTRICTED in page_text(response), url
        assert '<form method="post" class="card"' not in response.text, url


def test_a_restricted_coachee_gets_no_new_changed_or_deleted_report(
    client, coach, coachee, trajectory, restricted
):
    report = restricted
    client.force_login(coach)
    response = client.post(_add_url(coachee), _data())
    assert response.status_code == 200 and RESTRICTED in page_text(response)
    response = client.post(_url("report_edit", report), _edit_data(report, report="Toch"))
    assert response.status_code == 200 and RESTRICTED in page_text(response)
    response = client.post(_url("report_delete", report))
    assert response.status_code == 200 and RESTRICTED in page_text(response)

    assert list(SessionReport.objects.all()) == [report]
    report.refresh_from_db()
    assert (report.report, report.revision) == ("Voor de beperking", 1)
    assert not SessionReportVersion.objects.exists()
    for call in (
        lambda: session_report(coach, trajectory),
        lambda: edit_report(report, coach, report="Toch"),
        lambda: services.delete_report(report),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "restricted"

    lift_restriction(coachee)
    assert client.post(_add_url(coachee), _data()).status_code == 302


# Audit trail


def test_every_read_and_change_is_in_the_audit_trail(coach, coachee, trajectory):
    client = signed_in(coach)
    client.get(reverse("dossier:coachee", args=[coachee.pk]))
    [event] = _events(action=Action.VIEW)
    assert (event.actor_id, event.subject_uuid) == (coach.pk, coachee.pk)
    assert (event.object_type, event.object_uuid) == ("accounts.user", coachee.pk)
    assert event.detail == "dossier"

    client.post(_add_url(coachee), _data())
    report = SessionReport.objects.get()
    client.get(_url("report", report))
    client.get(_url("report", report))
    client.post(_url("report_edit", report), _edit_data(report, report="Nieuw"))
    client.post(_url("report_delete", report))

    events = _events(object_uuid=report.pk)
    assert [e.action for e in events] == [
        Action.CREATE,
        Action.VIEW,
        Action.VIEW,
        Action.CHANGE,
        Action.DELETE,
    ]
    for event in events:
        assert (event.actor_id, event.subject_uuid) == (coach.pk, coachee.pk)
        assert event.object_type == "dossier.sessionreport"
        assert REPORT not in event.detail and "Nieuw" not in event.detail


def test_a_refused_request_records_no_read(coach, coachee, trajectory, other_coach, org_manager):
    report = session_report(coach, trajectory)
    for person in (other_coach, org_manager, coachee):
        client = signed_in(person)
        assert client.get(reverse("dossier:coachee", args=[coachee.pk])).status_code == 404
        assert client.get(_url("report", report)).status_code == 404
    assert not _events(action=Action.VIEW)


def test_opening_the_edit_form_is_a_recorded_read(coach, coachee, trajectory):
    report = session_report(coach, trajectory, report=REPORT)
    response = signed_in(coach).get(_url("report_edit", report))
    assert REPORT in page_text(response)
    assert [e.action for e in _events(object_uuid=report.pk)] == [Action.VIEW]


# Access follows the trajectory


def test_a_removed_coach_loses_every_report_at_once(coach, coachee, trajectory, other_coach):
    add_coach(trajectory, other_coach)
    report = session_report(coach, trajectory)
    client = signed_in(other_coach)
    assert client.get(_url("report", report)).status_code == 200
    unassign_coach(trajectory, other_coach)
    for name in ("report", "report_edit", "report_delete"):
        assert client.get(_url(name, report)).status_code == 404, name
    assert client.post(_url("report_edit", report), _edit_data(report)).status_code == 404
    assert client.post(_url("report_delete", report)).status_code == 404
    assert client.post(_add_url(coachee), _data()).status_code == 404
    assert SessionReport.objects.filter(pk=report.pk).exists()


# Encryption at rest


def test_report_and_agreements_are_stored_under_the_coachee_data_key(coach, coachee, trajectory):
    report = session_report(coach, trajectory, report=REPORT, agreements=AGREEMENTS)
    edit_report(report, coach, report="Nieuwe tekst Koolmees", agreements="Nieuwe Vink")
    key = DataKey.objects.get(scope=coachee_scope(coachee)).id
    assert _column_key(SessionReport, "report", report.pk) == key
    assert _column_key(SessionReport, "agreements", report.pk) == key
    version = report.versions.get()
    assert _column_key(SessionReportVersion, "report_text", version.pk) == key
    assert _column_key(SessionReportVersion, "agreements", version.pk) == key

    stored = raw_table_text(SessionReport, SessionReportVersion)
    assert str(coachee.pk.hex) in stored.replace("-", "")  # the scan reads plain columns
    for text in ("Spreeuwenzang", "Boomklever", "Koolmees", "Vink"):
        assert text not in stored, text
