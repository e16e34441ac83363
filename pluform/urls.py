from django.contrib import admin
from django.urls import include, path

from accounts import organisation_admin
from pluform import views
from pluform.env import envbool

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("organisation/", organisation_admin.site.urls),
    path("dialogue/", include("dialogue.urls")),
    path("support/", include("accounts.support_urls")),
]

if envbool("PLUFORM_BENCH", False):  # `make bench` only: reference pages, see bench/views.py
    urlpatterns.append(path("", include("bench.urls")))
