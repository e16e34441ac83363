from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossier import access, queries, services
from dossier.forms import CoacheeSearchForm, EndTrajectoryForm, ReportForm
from pluform import dates
from pluform.forms import add_errors
from privacy import audit
from privacy.audit import Action


def _coach(request):
    access.require_coach(request.user)
    return request.user


# My coachees


@never_cache
@login_required
@require_GET
def coachees(request):
    coach = _coach(request)
    form = CoacheeSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    ended = request.GET.get("ended") == "1"
    page = Paginator(queries.coachee_rows(coach, q=q, ended=ended), queries.PER_PAGE).get_page(
        request.GET.get("page")
    )
    queries.decorate_coachees(page.object_list)
    query = {"q": q} if q else {}
    if ended:
        query["ended"] = "1"
    context = {
        "page": page,
        "form": form,
        "ended": ended,
        "page_query": f"&{urlencode(query)}" if query else "",
    }
    return render(request, "dossier/coachees.html", context)


# One coachee's dossier


@never_cache
@login_required
@require_GET
def coachee(request, coachee_id):
    coach = _coach(request)
    person = access.get_coachee_for(coach, coachee_id)
    audit.record(request, Action.VIEW, subject=person, obj=person, detail="dossier")
    for trajectory in person.shared_trajectories:
        trajectory.may_undo_end = services.may_undo_end(trajectory)
    context = {
        "dossier": queries.dossier(coach, person),
        "restriction": services.restriction_error(person),
    }
    return render(request, "dossier/coachee.html", context)


def _running_trajectory(coach, person):
    running = [t for t in person.shared_trajectories if t.is_active]
    return running[0] if running else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_add(request, coachee_id):
    coach = _coach(request)
    person = access.get_coachee_for(coach, coachee_id)
    trajectory = _running_trajectory(coach, person) or person.shared_trajectories[0]
    form = ReportForm(
        request.POST or None, initial={"held_on": dates.today(), "minutes": 60, "revision": 0}
    )
    restriction = services.restriction_error(person)
    if request.method == "POST" and form.is_valid() and restriction is None:
        try:
            report = services.add_report(coach, trajectory, **form.report_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CREATE, subject=person, obj=report)
            messages.success(request, _("The session report has been saved."))
            return redirect("dossier:report", report.pk)
    context = {"form": form, "coachee": person, "report": None, "restriction": restriction}
    return render(request, "dossier/report_form.html", context)


@never_cache
@login_required
@require_GET
def report(request, report_id):
    coach = _coach(request)
    item = access.get_report_for(coach, report_id)
    audit.record(request, Action.VIEW, subject=item.coachee, obj=item)
    context = {
        "report": item,
        "history": services.history(item),
        "restriction": services.restriction_error(item.coachee),
    }
    return render(request, "dossier/report.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, report_id):
    coach = _coach(request)
    item = access.get_report_for(coach, report_id)
    initial = {
        "held_on": item.held_on,
        "minutes": item.minutes,
        "kind": item.kind,
        "report": item.report,
        "agreements": item.agreements,
        "revision": item.revision,
    }
    form = ReportForm(request.POST or None, initial=initial)
    restriction = services.restriction_error(item.coachee)
    current = None
    if request.method == "POST" and form.is_valid() and restriction is None:
        try:
            services.update_report(
                item, coach, revision=form.cleaned_data["revision"] or 0, **form.report_fields()
            )
        except services.StaleReport as stale:
            current = stale.current
            form.add_error(None, stale)
            # The next save overwrites knowingly: it is made against the report as shown.
            form.data = form.data.copy()
            form.data["revision"] = current.revision
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(request, Action.CHANGE, subject=item.coachee, obj=item)
            messages.success(request, _("Your changes have been saved."))
            return redirect("dossier:report", item.pk)
    # The form shows the report (and a refused save the other change): a read of content.
    audit.record(request, Action.VIEW, subject=item.coachee, obj=item, detail="edit form")
    context = {
        "form": form,
        "coachee": item.coachee,
        "report": item,
        "current": current,
        "restriction": restriction,
    }
    return render(request, "dossier/report_form.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_delete(request, report_id):
    coach = _coach(request)
    item = access.get_report_for(coach, report_id)
    restriction = services.restriction_error(item.coachee)
    if request.method == "POST" and restriction is None:
        audit.record(request, Action.DELETE, subject=item.coachee, obj=item)
        services.delete_report(item)
        messages.success(request, _("The session report has been deleted."))
        return redirect("dossier:coachee", item.coachee_id)
    context = {"report": item, "restriction": restriction}
    return render(request, "dossier/report_delete.html", context)


# Ending a trajectory


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def end_trajectory(request, trajectory_id):
    coach = _coach(request)
    trajectory = access.get_trajectory_for(coach, trajectory_id)
    form = EndTrajectoryForm(request.POST or None, initial={"ended_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_trajectory(trajectory, coach, form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            audit.record(
                request, Action.CHANGE, subject=trajectory.coachee, obj=trajectory, detail="ended"
            )
            messages.success(
                request,
                _("The trajectory ends on the date you chose. You can undo this for %(days)d days.")
                % {"days": services.END_UNDO_DAYS},
            )
            return redirect("dossier:coachee", trajectory.coachee_id)
    context = {"form": form, "trajectory": trajectory, "undo_days": services.END_UNDO_DAYS}
    return render(request, "dossier/end_trajectory.html", context)


@never_cache
@login_required
@require_POST
def undo_end(request, trajectory_id):
    coach = _coach(request)
    trajectory = access.get_trajectory_for(coach, trajectory_id)
    try:
        services.undo_end(trajectory)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        audit.record(
            request, Action.CHANGE, subject=trajectory.coachee, obj=trajectory, detail="end undone"
        )
        messages.success(request, _("The end of the trajectory has been undone."))
    return redirect("dossier:coachee", trajectory.coachee_id)
