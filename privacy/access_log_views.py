from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from privacy.access_log import PER_PAGE, describe, events_for, require_reader


@never_cache
@login_required
@require_GET
def access_log(request):
    """What was done with the signed-in coach's or coachee's own data, newest first."""
    require_reader(request.user)
    include_own = request.GET.get("mine") == "1"
    events = events_for(request.user, include_own=include_own)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": describe(page.object_list, request.user),
        "include_own": include_own,
        "page_query": "mine=1&" if include_own else "",
    }
    return render(request, "privacy/access_log.html", context)
