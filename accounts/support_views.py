"""Support pages for Pluform staff: find a user, their identification data, login monitoring.

Read-only (GET); anyone whose role may not use a page gets a 404, whatever the method.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import support, support_monitoring
from accounts.support_forms import UserSearchForm
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
    context = {"form": form, "page": page, "page_query": page_query}
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
    }
    return render(request, "accounts/support/user.html", context)


@_staff_page(support.may_see_activity)
def monitoring(request):
    context = {"overview": support_monitoring.overview()}
    return render(request, "accounts/support/monitoring.html", context)
