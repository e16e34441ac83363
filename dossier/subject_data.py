"""What the dossier holds about a coachee: the session reports their coaches wrote (every
earlier version included) and the time entries about them. Nothing for any other role."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from dossier.models import SessionReport, SessionReportVersion, TimeEntry
from privacy import erasure
from privacy.subject_data import Section, full_name, iso, register


def _report_records(subject):
    if subject.role != Role.COACHEE:
        return
    versions = SessionReportVersion.objects.select_related("written_by").order_by("revision")
    reports = (
        SessionReport.objects.filter(coachee_id=subject.pk)
        .select_related("author", "edited_by")
        .prefetch_related(Prefetch("versions", versions))
        .order_by("held_on", "created_at", "id")
    )
    for report in reports.iterator(chunk_size=100):
        yield {
            "id": str(report.pk),
            "trajectory": str(report.trajectory_id),
            "held_on": iso(report.held_on),
            "minutes": report.minutes,
            "kind": report.kind,
            "report": report.report,
            "agreements": report.agreements or None,
            "author": full_name(report.author),
            "written_at": iso(report.created_at),
            "changed_at": iso(report.changed_at),
            "changed_by": full_name(report.edited_by),
            "revision": report.revision,
            "earlier_versions": [
                {
                    "revision": version.revision,
                    "held_on": iso(version.held_on),
                    "minutes": version.minutes,
                    "kind": version.kind,
                    "report": version.report_text,
                    "agreements": version.agreements or None,
                    "written_at": iso(version.written_at),
                    "written_by": full_name(version.written_by),
                }
                for version in report.versions.all()
            ],
        }


_KIND = _("The kind of session: face_to_face, video, phone or written")

SESSION_REPORTS = Section(
    name="dossier.session_reports",
    title=_("Session reports"),
    description=_(
        "The reports your coaches wrote of your sessions, with the agreements made. When a "
        "report was changed, what it said before is kept as an earlier version."
    ),
    fields={
        "id": _("Identifier of the report"),
        "trajectory": _("Identifier of the trajectory the session belongs to"),
        "held_on": _("The date of the session"),
        "minutes": _("How long the session took, in minutes"),
        "kind": _KIND,
        "report": _("The report"),
        "agreements": _("The agreements and next steps"),
        "author": _("The coach who wrote the report"),
        "written_at": _("When the report was written"),
        "changed_at": _("When the report was last changed"),
        "changed_by": _("Who last changed the report"),
        "revision": _("How many times the report was saved"),
        "earlier_versions": _("What the report said before each change"),
        "earlier_versions.revision": _("The number of the earlier version"),
        "earlier_versions.held_on": _("The date of the session in that version"),
        "earlier_versions.minutes": _("The duration in that version, in minutes"),
        "earlier_versions.kind": _KIND,
        "earlier_versions.report": _("The report in that version"),
        "earlier_versions.agreements": _("The agreements in that version"),
        "earlier_versions.written_at": _("When that version was written"),
        "earlier_versions.written_by": _("Who wrote that version"),
    },
    records=_report_records,
)


def _entry_records(subject):
    if subject.role != Role.COACHEE:
        return
    entries = (
        TimeEntry.objects.filter(coachee_id=subject.pk)
        .select_related("coach")
        .order_by("worked_on", "created_at", "id")
    )
    for entry in entries.iterator(chunk_size=200):
        yield {
            "id": str(entry.pk),
            "trajectory": str(entry.trajectory_id),
            "worked_on": iso(entry.worked_on),
            "minutes": entry.minutes,
            "activity": entry.activity,
            "billable": entry.billable,
            "note": entry.note or None,
            "coach": full_name(entry.coach),
            "recorded_at": iso(entry.created_at),
        }


TIME_ENTRIES = Section(
    name="dossier.time_entries",
    title=_("Time spent on your coaching"),
    description=_("The time your coaches recorded for their work with you."),
    fields={
        "id": _("Identifier of the time entry"),
        "trajectory": _("Identifier of the trajectory the work belongs to"),
        "worked_on": _("The date of the work"),
        "minutes": _("How long, in minutes"),
        "activity": _(
            "The kind of work: session, preparation, written (written coaching), reporting or other"
        ),
        "billable": _("Whether the time is billed"),
        "note": _("The coach's note"),
        "coach": _("The coach who did the work"),
        "recorded_at": _("When the entry was made"),
    },
    records=_entry_records,
)

register(SESSION_REPORTS)
register(TIME_ENTRIES)


erasure.register(
    titles={
        "dossier.sessionreport": _("Session reports"),
        "dossier.sessionreportversion": _("Earlier versions of session reports"),
        "dossier.timeentry": _("Time entries"),
        "dossier.dismissedsuggestion": _("Dismissed time suggestions"),
        "dossier.suggestionrule": _("Rules for time suggestions"),
    }
)
