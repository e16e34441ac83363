from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView


@never_cache
@login_required
def home(request):
    return render(request, "home.html", {"role": request.user.role})


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on pages without an icon link (the admin sites)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")  # at request time: the manifest names the hashed file
