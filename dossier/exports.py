"""A period of the timesheet for the organisation that pays: a CSV file (streamed row by row,
so memory stays flat however long the period) or a PDF (fpdf2 with a core font, so no font
files are needed).

Each carries dates, minutes, activities and billable, with totals per activity and overall,
and the coachee's name only when the coach asks for it: otherwise "Coachee 1", "Coachee 2"
in the order they first appear. Never a note, a report or anything else that was written.
Entries of coachees whose processing is restricted are left out: sending them to someone
else would process their data further.
"""

import csv
import datetime
import unicodedata
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf import FPDF

from accounts.models import User
from dossier import access
from dossier.timesheet import activity_labels, duration_text, period_entries

EXPORT_FIELDS = ("worked_on", "coachee_id", "activity", "minutes", "billable")
CHUNK = 1000
# What a spreadsheet would run as a formula at the start of a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_entries(coach, start, end):
    return (
        period_entries(coach, start, end)
        .filter(coachee__processing_restricted_at__isnull=True)
        .order_by("worked_on", "created_at", "pk")
        .values_list(*EXPORT_FIELDS)
    )


def restricted_coachees(coach) -> int:
    """How many of the coach's coachees are restricted: exports leave their time out."""
    return access.coachees_for(coach).filter(processing_restricted_at__isnull=False).count()


def period_text(start, end) -> str:
    return _("%(start)s to %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }


class Labels:
    """The coachee's name, or a neutral label numbered in order of first appearance."""

    def __init__(self, coach, start, end, *, include_names: bool):
        self.names = None
        if include_names:
            coachees = User.objects.filter(
                pk__in=export_entries(coach, start, end).values("coachee_id")
            ).values_list("pk", "first_name", "last_name")
            self.names = {pk: f"{first} {last}".strip() for pk, first, last in coachees}
        self.numbers: dict = {}

    def __call__(self, coachee_id) -> str:
        if self.names is not None:
            return self.names.get(coachee_id, "")
        number = self.numbers.setdefault(coachee_id, len(self.numbers) + 1)
        return _("Coachee %(number)d") % {"number": number}


@dataclass
class Tally:
    """Minutes per activity (all and billable), added up while the rows go by."""

    minutes: dict = field(default_factory=dict)
    billable: dict = field(default_factory=dict)

    def add(self, activity, minutes, billable) -> None:
        self.minutes[activity] = self.minutes.get(activity, 0) + minutes
        if billable:
            self.billable[activity] = self.billable.get(activity, 0) + minutes

    def rows(self, labels) -> list[tuple[str, int, int]]:
        """(activity label, minutes, billable minutes), in the order of the activities."""
        return [
            (label, self.minutes[key], self.billable.get(key, 0))
            for key, label in labels.items()
            if key in self.minutes
        ]

    @property
    def total(self) -> int:
        return sum(self.minutes.values())

    @property
    def billable_total(self) -> int:
        return sum(self.billable.values())


@dataclass
class Export:
    coach: User
    start: datetime.date
    end: datetime.date
    include_names: bool

    def rows(self, tally: Tally):
        """(date, coachee label, activity label, minutes, billable) per entry, in date order."""
        labels = Labels(self.coach, self.start, self.end, include_names=self.include_names)
        activities = activity_labels()
        entries = export_entries(self.coach, self.start, self.end)
        for worked_on, coachee_id, activity, minutes, billable in entries.iterator(CHUNK):
            tally.add(activity, minutes, billable)
            yield worked_on, labels(coachee_id), activities[activity], minutes, billable

    def filename(self, extension: str) -> str:
        return f"timesheet-{self.start.isoformat()}-{self.end.isoformat()}.{extension}"

    def period_text(self) -> str:
        return period_text(self.start, self.end)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# CSV


class _Echo:
    """What csv.writer writes to: each row is handed straight back instead of kept."""

    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(export: Export):
    writer = csv.writer(_Echo())
    yes, no = _("yes"), _("no")
    yield writer.writerow([_("Date"), _("Coachee"), _("Activity"), _("Minutes"), _("Billable")])
    tally = Tally()
    for worked_on, label, activity, minutes, billable in export.rows(tally):
        yield writer.writerow(
            [worked_on.isoformat(), _cell(label), _cell(activity), minutes, yes if billable else no]
        )
    yield writer.writerow([])
    yield writer.writerow([_("Activity"), _("Minutes"), _("Hours"), _("Billable minutes")])
    for label, minutes, billable in tally.rows(activity_labels()):
        yield writer.writerow([_cell(label), minutes, duration_text(minutes), billable])
    yield writer.writerow(
        [_("Total"), tally.total, duration_text(tally.total), tally.billable_total]
    )


def csv_response(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(export), content_type="text/csv; charset=utf-8")
    return _attachment(response, export.filename("csv"))


# PDF

# Typography a core font lacks, as its nearest latin-1 text.
LATIN1_STAND_INS = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
    }
)
# Widths (mm, 190 in all: A4 less its margins) and alignments of the entries and the totals.
ENTRY_COLUMNS = ((28, "L"), (66, "L"), (50, "L"), (24, "R"), (22, "L"))
TOTAL_COLUMNS = ((70, "L"), (40, "R"), (40, "R"), (40, "R"))
ROW_HEIGHT = 6


def latin1(text: str) -> str:
    """``text`` as a core PDF font can show it: composed, stand-ins, the rest as "?"."""
    text = unicodedata.normalize("NFC", str(text)).translate(LATIN1_STAND_INS)
    return text.encode("latin-1", "replace").decode("latin-1")


class TimesheetPDF(FPDF):
    """A4 with the title, the period and the column headings on every page."""

    def __init__(self, *, title: str, subtitle: str):
        super().__init__(format="A4")
        self.title_text, self.subtitle = latin1(title), latin1(subtitle)
        self.page_template = latin1(_("Page %(page)s of %(pages)s"))
        self.heading: tuple = ()
        self.columns = ENTRY_COLUMNS
        self.set_title(self.title_text)
        self.set_creator("Pluform")

    def header(self):
        self.set_font("Helvetica", style="B", size=14)
        self.cell(0, 8, self.title_text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=10)
        self.cell(0, 6, self.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        if self.heading:
            self.heading_row()

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        pages = {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 10, self.page_template % pages, align="C")

    def heading_row(self):
        self.set_font("Helvetica", style="B", size=10)
        self.row(self.heading, border="B")
        self.set_font("Helvetica", size=10)

    def fit(self, text: str, width: float) -> str:
        while text and self.get_string_width(text) > width - 2:
            text = text[:-1]
        return text

    def row(self, values, border=0):
        for (width, align), value in zip(self.columns, values, strict=True):
            self.cell(width, ROW_HEIGHT, self.fit(latin1(value), width), border, align=align)
        self.ln(ROW_HEIGHT)


def pdf_bytes(export: Export) -> bytes:
    pdf = TimesheetPDF(
        title=_("Timesheet of %(name)s") % {"name": export.coach.get_full_name()},
        subtitle=export.period_text(),
    )
    yes, no = _("yes"), _("no")
    pdf.heading = (_("Date"), _("Coachee"), _("Activity"), _("Minutes"), _("Billable"))
    pdf.add_page()
    tally = Tally()
    for worked_on, label, activity, minutes, billable in export.rows(tally):
        pdf.row(
            (
                date_format(worked_on, "SHORT_DATE_FORMAT"),
                label,
                activity,
                str(minutes),
                yes if billable else no,
            )
        )
    if not tally.minutes:
        pdf.cell(0, ROW_HEIGHT, latin1(_("No time was recorded in this period.")))
        pdf.ln(ROW_HEIGHT)
    _totals(pdf, tally)
    return bytes(pdf.output())


def _totals(pdf: TimesheetPDF, tally: Tally) -> None:
    """Per activity: hours, minutes and billable hours; then the overall total."""
    pdf.ln(ROW_HEIGHT)
    pdf.columns = TOTAL_COLUMNS
    pdf.heading = (_("Activity"), _("Hours"), _("Minutes"), _("Billable hours"))
    if pdf.will_page_break(ROW_HEIGHT * (len(tally.minutes) + 3)):
        pdf.add_page()
    else:
        pdf.heading_row()
    for label, minutes, billable in tally.rows(activity_labels()):
        pdf.row((label, duration_text(minutes), str(minutes), duration_text(billable)))
    pdf.set_font("Helvetica", style="B", size=10)
    total = tally.total
    pdf.row(
        (_("Total"), duration_text(total), str(total), duration_text(tally.billable_total)),
        border="T",
    )


def pdf_response(export: Export) -> HttpResponse:
    response = HttpResponse(pdf_bytes(export), content_type="application/pdf")
    return _attachment(response, export.filename("pdf"))
