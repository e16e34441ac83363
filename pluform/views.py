from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView

from accounts.roles import Role
from dossier import dashboard
from privacy import queues


@never_cache
@login_required
def home(request):
    """The start page: a coach's dashboard, a coachee's overview, or links for other roles."""
    user = request.user
    context = {"role": user.role, "privacy": queues.waiting_for(user)}
    if user.role == Role.COACH:
        context["dashboard"] = dashboard.for_coach(user)
    elif user.role == Role.COACHEE:
        context["start"] = dashboard.for_coachee(user)
    return render(request, "home.html", context)


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on pages without an icon link (the admin sites)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")  # at request time: the manifest names the hashed file
