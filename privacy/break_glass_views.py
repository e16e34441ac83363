"""Break-glass pages: the ICT line manager asks and reads; an IT administrator decides."""

import itertools
import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pluform.forms import add_errors
from privacy import access, break_glass, subject_data
from privacy.break_glass_forms import BreakGlassRequestForm
from privacy.break_glass_models import BreakGlassGrant
from privacy.view_guards import only_for

PER_PAGE = 25


def _staff_involved(user) -> bool:
    return break_glass.may_request(user) or break_glass.may_decide(user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@only_for(_staff_involved)
def index(request):
    user = request.user
    form = None
    if break_glass.may_request(user):
        form = BreakGlassRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                grant = break_glass.request_grant(
                    user,
                    subject=form.subject,
                    reason=form.cleaned_data["reason"],
                    minutes=form.cleaned_data["minutes"],
                    http_request=request,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your request waits for an IT administrator."))
                return redirect("privacy:break_glass_grant", grant.uuid)
    elif request.method == "POST":
        raise Http404
    grants = list(access.grants_for(user)[:50])
    context = {"form": form, "grants": grants, "State": BreakGlassGrant.State}
    return render(
        request, "privacy/break_glass.html", context, status=400 if form and form.errors else 200
    )


@never_cache
@login_required
@require_GET
@only_for(_staff_involved)
def grant(request, grant_id):
    found = access.get_grant_for(request.user, grant_id)
    active = found.is_active()
    context = {
        "grant": found,
        "active": active,
        "State": BreakGlassGrant.State,
        "may_decide": break_glass.may_decide(request.user)
        and found.state == BreakGlassGrant.State.REQUESTED,
        "may_read": break_glass.may_request(request.user) and active,
        "sections": subject_data.sections() if active else [],
    }
    return render(request, "privacy/break_glass_grant.html", context)


def _decision(action):
    @never_cache
    @login_required
    @require_http_methods(["GET", "POST"])
    @only_for(break_glass.may_decide)
    @reauthentication_required
    def view(request, grant_id):
        found = access.get_grant_for(request.user, grant_id)
        if request.method == "GET":
            # Back from the password page: the decision is taken with the button again.
            return redirect("privacy:break_glass_grant", found.uuid)
        try:
            action(found, request.user, http_request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("privacy:break_glass_grant", found.uuid)

    return view


approve = _decision(break_glass.approve)
refuse = _decision(break_glass.refuse)


@never_cache
@login_required
@require_POST
@only_for(_staff_involved)
def end(request, grant_id):
    found = access.get_grant_for(request.user, grant_id)
    try:
        break_glass.end(found, request.user, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("privacy:break_glass_grant", found.uuid)


@never_cache
@login_required
@require_GET
@only_for(break_glass.may_request)
def read(request, grant_id, section_name):
    """One section of the subject's data, read-only, a page at a time; every page read is
    a break-glass audit event."""
    found = access.get_active_grant_for(request.user, grant_id)
    section = subject_data.section(section_name)
    if section is None:
        raise Http404
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    start = (number - 1) * PER_PAGE
    records = list(itertools.islice(section.records(found.subject), start, start + PER_PAGE + 1))
    break_glass.record_read(request, found, section.name)
    context = {
        "grant": found,
        "section": section,
        "records": [json.dumps(r, indent=2, ensure_ascii=False) for r in records[:PER_PAGE]],
        "number": number,
        "has_next": len(records) > PER_PAGE,
        "first": start + 1,
    }
    return render(request, "privacy/break_glass_read.html", context)
