"""Reference pages that exist only while `make bench` runs (PLUFORM_BENCH=1)."""

from django.urls import path

from bench import views

app_name = "bench"

urlpatterns = [
    path("bench/bare/", views.bare, name="bare"),
    path("bench/naive/", views.naive, name="naive"),
]
