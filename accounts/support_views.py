"""Support pages for Pluform staff: find a user, their identification data, login monitoring,
and customer service's steps (send an invitation again, lift a login limit, reset two-factor).

The pages that only show are GET; anyone whose role may not use a page gets a 404, whatever
the method.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import support, support_actions, support_monitoring
from accounts.models import Invitation
from accounts.support_forms import TwoFactorResetForm, UserSearchForm
from privacy.audit import Action, record


def _staff_page(may_use):
    def decorator(view):
        only_get = require_GET(view)

        @wraps(view)
        def checked(request, *args, **kwargs):
            if not may_use(request.user):
                raise Http404
            return only_get(request, *args, **kwargs)

        return never_cache(login_required(checked))

    return decorator


@_staff_page(support.may_find_users)
def users(request):
    form = UserSearchForm(request.GET if "q" in request.GET else None)
    page, page_query = None, ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        paginator = Paginator(support.find_users(query), support.USERS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        page_query = urlencode({"q": query}) + "&"
    acting = support_actions.may_act(request.user)
    found = page is not None
    pending = list(support_actions.invitations_matching(query)) if acting and found else []
    context = {
        "form": form,
        "page": page,
        "page_query": page_query,
        "invitations": pending,
        "query": form.cleaned_data["q"] if found else "",
    }
    return render(request, "accounts/support/users.html", context)


@_staff_page(support.may_find_users)
def user_detail(request, uuid):
    subject = support.get_user_for(request.user, uuid)
    activity = support.may_see_activity(request.user)
    attempts = None
    if activity:
        paginator = Paginator(support.login_attempts_of(subject), support.ATTEMPTS_PER_PAGE)
        attempts = paginator.get_page(request.GET.get("page"))
    record(request, Action.VIEW, subject=subject, obj=subject, detail="support view")
    context = {
        "subject": subject,
        "two_factor": support.has_two_factor(subject),
        "show_activity": activity,
        "attempts": attempts,
        "may_act": support_actions.may_act(request.user),
    }
    return render(request, "accounts/support/user.html", context)


@_staff_page(support.may_see_activity)
def monitoring(request):
    context = {"overview": support_monitoring.overview()}
    return render(request, "accounts/support/monitoring.html", context)


def _acting(view):
    """A support step that changes something: POST (the reset form also GET), for the roles
    that may act, after the password again; a 404 for everyone else."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not support_actions.may_act(request.user):
            raise Http404
        return reauthentication_required(view)(request, *args, **kwargs)

    return never_cache(login_required(checked))


@_acting
@require_http_methods(["GET", "POST"])
def unlock(request, uuid):
    subject = support.get_user_for(request.user, uuid)
    if request.method == "GET":
        # Back from the password page: the step is taken with the button again.
        return redirect("support:user", subject.pk)
    support_actions.unlock(subject, http_request=request)
    messages.success(request, _("The login limits on this address are lifted."))
    return redirect("support:user", subject.pk)


@_acting
@require_http_methods(["GET", "POST"])
def reset_two_factor(request, uuid):
    subject = support.get_user_for(request.user, uuid)
    form = TwoFactorResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        support_actions.reset_two_factor(
            subject, check=form.cleaned_data["check"], http_request=request
        )
        messages.success(
            request, _("Two-factor authentication is reset; the user was told by e-mail.")
        )
        return redirect("support:user", subject.pk)
    context = {"subject": subject, "form": form, "two_factor": support.has_two_factor(subject)}
    status = 400 if form.errors else 200
    return render(request, "accounts/support/reset_two_factor.html", context, status=status)


@_acting
@require_http_methods(["GET", "POST"])
def send_invitation_again(request, invitation_id):
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if request.method == "GET":
        # Back from the password page: sent with the button again, from the search.
        return redirect(f"{reverse('support:users')}?{urlencode({'q': invitation.email})}")
    try:
        support_actions.send_invitation_again(invitation, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was sent again, valid for 7 more days."))
    query = request.POST.get("q", "")
    return redirect(f"{reverse('support:users')}?{urlencode({'q': query})}")
