from django.contrib import admin
from django.urls import include, path

from accounts import organisation_admin
from accounts import views as accounts_views
from pluform import views
from pluform.env import envbool

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # Django's set_language, which also stores a signed-in user's choice in their profile.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("organisation/", organisation_admin.site.urls),
    path("dialogue/", include("dialogue.urls")),
    path("interventions/", include("interventions.urls")),
    path("toolbox/", include("toolbox.urls")),
    path("dossier/", include("dossier.urls")),
    path("timesheet/", include("dossier.timesheet_urls")),
    path("support/", include("accounts.support_urls")),
    path("privacy/", include("privacy.urls")),
]

if envbool("PLUFORM_BENCH", False):  # `make bench` only: reference pages, see bench/views.py
    urlpatterns.append(path("", include("bench.urls")))
