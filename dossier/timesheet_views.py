"""The coach's timesheet: entries of a period with totals, adding (also from the dossier and
from a session report), changing and deleting, suggestions from the week's work, exports.

Every page is a 404 for anyone but a coach, and another coach's entry is a 404 too.
"""

import datetime
from functools import wraps
from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossier import access, exports, suggestions, timesheet
from dossier.models import Activity
from dossier.services import restriction_error
from dossier.timesheet_forms import (
    AcceptForm,
    DismissForm,
    EntryForm,
    ExportForm,
    Format,
    PeriodForm,
    RuleForm,
)
from pluform import dates
from pluform.forms import add_errors
from privacy import audit
from privacy.audit import Action

ONE_DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def coach_only(view):
    """A 404 for anyone but a coach, before anything is looked up."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access.require_coach(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _month_url(day) -> str:
    month = day.strftime("%Y-%m")
    return reverse("timesheet:index") + "?" + urlencode({"start": month, "end": month})


# The entries of a period, with totals


@never_cache
@login_required
@require_GET
@coach_only
def index(request):
    coach = request.user
    this_month = dates.today().strftime("%Y-%m")
    chosen = "start" in request.GET or "end" in request.GET
    form = PeriodForm(
        request.GET if chosen else None, initial={"start": this_month, "end": this_month}
    )
    start, end = form.period()
    page = timesheet.entries_page(coach, start, end, request.GET.get("page"))
    period = {"start": start.strftime("%Y-%m"), "end": end.strftime("%Y-%m")}
    totals = timesheet.totals(coach, start, end)
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "totals_tables": [
            (_("Per activity"), totals.activities),
            (_("Per coachee"), totals.coachees),
            (_("Per month"), totals.months),
        ],
        "period_text": exports.period_text(start, end),
        "page_query": "&" + urlencode(period),
    }
    if start.replace(day=1) == end.replace(day=1):
        context["previous_month_url"] = _month_url(start.replace(day=1) - ONE_DAY)
        if end < dates.today():
            context["next_month_url"] = _month_url(end + ONE_DAY)
    return render(request, "dossier/timesheet/index.html", context)


# One entry


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@coach_only
def add(request):
    coach = request.user
    data = request.POST or None
    initial = {
        "worked_on": dates.today(),
        "activity": Activity.SESSION,
        "billable": True,
        "coachee": request.GET.get("coachee"),
        "next": _safe_next(request, request.GET.get("next")),
    }
    form = EntryForm(data, coachees=timesheet.entry_coachees(coach), initial=initial)
    if request.method == "POST" and form.is_valid():
        coachee = form.cleaned_data["coachee"]
        try:
            entry = timesheet.add_entry(coach, coachee, **form.entry_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CREATE, subject=coachee, obj=entry)
            messages.success(
                request,
                _("%(duration)s for %(name)s has been added to your timesheet.")
                % {
                    "duration": timesheet.duration_text(entry.minutes),
                    "name": coachee.get_full_name(),
                },
            )
            next_url = _safe_next(request, form.cleaned_data["next"])
            return redirect(next_url or _month_url(entry.worked_on))
    return render(request, "dossier/timesheet/entry_form.html", {"form": form, "entry": None})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@coach_only
def edit(request, entry_id):
    coach = request.user
    entry = access.get_entry_for(coach, entry_id)
    restriction = restriction_error(entry.coachee)
    initial = {name: getattr(entry, name) for name in timesheet.ENTRY_FIELDS}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and restriction is None and form.is_valid():
        try:
            timesheet.update_entry(entry, **form.entry_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CHANGE, subject=entry.coachee, obj=entry)
            messages.success(request, _("Your changes have been saved."))
            return redirect(_month_url(entry.worked_on))
    elif request.method == "GET":
        audit.record(request, Action.VIEW, subject=entry.coachee, obj=entry)
    context = {"form": form, "entry": entry, "restriction": restriction}
    return render(request, "dossier/timesheet/entry_form.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@coach_only
def delete(request, entry_id):
    coach = request.user
    entry = access.get_entry_for(coach, entry_id)
    restriction = restriction_error(entry.coachee)
    if request.method == "POST" and restriction is None:
        worked_on = entry.worked_on
        audit.record(request, Action.DELETE, subject=entry.coachee, obj=entry)
        timesheet.delete_entry(entry)
        messages.success(request, _("The entry has been deleted."))
        return redirect(_month_url(worked_on))
    timesheet.decorate([entry])
    context = {"entry": entry, "restriction": restriction}
    return render(request, "dossier/timesheet/delete.html", context)


@never_cache
@login_required
@require_POST
@coach_only
def from_report(request, report_id):
    """A session report's duration as a time entry (once)."""
    coach = request.user
    report = access.get_report_for(coach, report_id)
    try:
        entry = timesheet.add_from_report(coach, report)
    except timesheet.AlreadyEntered:
        messages.info(request, _("This session is in your timesheet already."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit.record(request, Action.CREATE, subject=report.coachee, obj=entry, detail="report")
        messages.success(
            request,
            _("The session (%(duration)s) has been added to your timesheet.")
            % {"duration": timesheet.duration_text(entry.minutes)},
        )
    next_url = _safe_next(request, request.POST.get("next"))
    return redirect(next_url or reverse("dossier:report", args=[report.pk]))


# Suggestions


def _week_url(monday) -> str:
    week = suggestions.week_text(monday)
    return reverse("timesheet:suggestions") + "?" + urlencode({"week": week})


def _what(suggestion) -> str:
    if suggestion.kind == suggestions.Kind.MESSAGES:
        return ngettext(
            "%(count)d message written in the dialogue",
            "%(count)d messages written in the dialogue",
            suggestion.count,
        ) % {"count": suggestion.count}
    if suggestion.kind == suggestions.Kind.REVIEW:
        return _("Intervention reviewed")
    return _("Session report")


def _render_suggestions(request, monday, *, failed=None, rule_form=None, bad_week=False):
    """The week's suggestions, each with its own form; ``failed`` is the bound form of a
    suggestion that could not be accepted, shown again with its errors."""
    coach = request.user
    rule = suggestions.rule_for(coach)
    found = suggestions.suggestions(coach, monday, rule)
    week = suggestions.week_text(monday)
    for number, suggestion in enumerate(found):
        auto_id = f"id_s{number}_%s"
        if failed is not None and failed.data.get("source") == suggestion.source:
            form = failed
            form.auto_id = auto_id
        else:
            form = AcceptForm(
                auto_id=auto_id,
                initial={
                    "source": suggestion.source,
                    "week": week,
                    "minutes": suggestion.minutes,
                    "activity": suggestion.activity,
                    "billable": True,
                },
            )
        suggestion.form = form
        suggestion.date_text = date_format(suggestion.worked_on, "DATE_FORMAT")
        suggestion.what = _what(suggestion)
    sunday = monday + datetime.timedelta(days=6)
    context = {
        "suggestions": found,
        "week": week,
        "week_text": exports.period_text(monday, sunday),
        "previous_url": _week_url(monday - WEEK),
        "next_url": _week_url(monday + WEEK) if monday < suggestions.this_week() else "",
        "rule": rule,
        "rule_form": rule_form or RuleForm(instance=rule),
        "bad_week": bad_week,
    }
    return render(request, "dossier/timesheet/suggestions.html", context)


@never_cache
@login_required
@require_GET
@coach_only
def suggestion_list(request):
    asked = request.GET.get("week")
    monday = suggestions.parse_week(asked) if asked else None
    return _render_suggestions(
        request, monday or suggestions.this_week(), bad_week=bool(asked) and monday is None
    )


def _open_suggestion(request, form_data):
    """The week and the open suggestion a POST is about, or a redirect that says why not."""
    monday = suggestions.parse_week(form_data.get("week"))
    if monday is None:
        messages.error(request, _("That week could not be read."))
        return None, None, redirect("timesheet:suggestions")
    try:
        found = suggestions.find(request.user, monday, form_data.get("source", ""))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return monday, None, redirect(_week_url(monday))
    return monday, found, None


@never_cache
@login_required
@require_POST
@coach_only
def accept(request):
    coach = request.user
    monday, suggestion, refused = _open_suggestion(request, request.POST)
    if refused is not None:
        return refused
    form = AcceptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = suggestions.accept(
                coach,
                suggestion,
                minutes=data["minutes"],
                activity=data["activity"],
                billable=data["billable"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(
                request, Action.CREATE, subject=entry.coachee, obj=entry, detail="suggestion"
            )
            messages.success(
                request,
                _("%(duration)s for %(name)s has been added to your timesheet.")
                % {
                    "duration": timesheet.duration_text(entry.minutes),
                    "name": suggestion.coachee_name,
                },
            )
            return redirect(_week_url(monday))
    return _render_suggestions(request, monday, failed=form)


@never_cache
@login_required
@require_POST
@coach_only
def dismiss(request):
    form = DismissForm(request.POST)
    if not form.is_valid():
        return redirect("timesheet:suggestions")
    monday, suggestion, refused = _open_suggestion(request, form.cleaned_data)
    if refused is not None:
        return refused
    suggestions.dismiss(request.user, suggestion)
    messages.success(request, _("The suggestion has been dismissed."))
    return redirect(_week_url(monday))


@never_cache
@login_required
@require_POST
@coach_only
def rule(request):
    coach = request.user
    monday = suggestions.parse_week(request.POST.get("week")) or suggestions.this_week()
    form = RuleForm(request.POST, instance=suggestions.rule_for(coach))
    if form.is_valid():
        suggestions.save_rule(coach, **form.cleaned_data)
        messages.success(request, _("Your rule has been saved: the suggestions follow it."))
        return redirect(_week_url(monday))
    return _render_suggestions(request, monday, rule_form=form)


# Export


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@coach_only
@reauthentication_required(allow_get=True)
def export(request):
    coach = request.user
    today = dates.today()
    form = ExportForm(
        request.POST or None,
        initial={"start": today.replace(day=1), "end": today, "format": Format.PDF},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = exports.Export(coach, data["start"], data["end"], data["include_names"])
        detail = "timesheet {}..{} {} {}".format(
            data["start"].isoformat(),
            data["end"].isoformat(),
            data["format"],
            "with names" if data["include_names"] else "without names",
        )
        audit.record(request, Action.EXPORT, subject=None, detail=detail)
        if data["format"] == Format.CSV:
            return exports.csv_response(made)
        return exports.pdf_response(made)
    context = {"form": form, "restricted": exports.restricted_coachees(coach)}
    return render(request, "dossier/timesheet/export.html", context)
