"""A coachee erases their own account (regulation 1.2.6.3): after their password, and after
a page that says what goes and offers the export first. The erasure receipt is the answer."""

import base64

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import coaches_of
from accounts.roles import Role
from privacy import departures, emails, erasure, receipts
from privacy.erasure_models import Ground
from privacy.view_guards import only_for


class ConfirmErasureForm(forms.Form):
    understood = forms.BooleanField(
        label=_("I understand that my account and all my data will be erased for good."),
        error_messages={"required": _("Tick the box to confirm that you want this.")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@only_for(lambda user: user.role == Role.COACHEE)
@reauthentication_required
def erase(request):
    user = request.user
    refused = erasure.refusal(user)
    form = ConfirmErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refused and form.is_valid():
        coaches = list(coaches_of(user))
        name, email = user.get_full_name(), user.email
        try:
            done = erasure.erase(user, ground=Ground.SELF_SERVICE, http_request=request)
        except ValidationError as error:
            refused = " ".join(error.messages)
        else:
            emails.send_erasure_receipt(done, user)
            departures.tell_coaches(done, coaches)
            logout(request)
            copy = receipts.subject_copy(done, name=name, email=email)
            context = {
                "erasure": done,
                "rows": receipts.rows(done.counts),
                "receipt_href": "data:application/json;base64," + base64.b64encode(copy).decode(),
                "receipt_name": receipts.file_name(done),
            }
            return render(request, "privacy/erased.html", context)
    planned = erasure.plan(user)
    context = {
        "form": form,
        "refused": refused,
        "rows": receipts.rows(planned.counts),
        "files": len(set(planned.files)),
    }
    return render(request, "privacy/erase.html", context, status=409 if refused else 200)


@login_required
@require_POST
@only_for(lambda user: user.role == Role.COACH)
def departures_seen(request):
    """The coach has read that coachees left: the notice leaves their home page."""
    departures.mark_seen(request.user)
    return redirect("home")
