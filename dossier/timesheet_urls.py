from django.urls import path

from dossier import timesheet_views as views

app_name = "timesheet"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add, name="add"),
    path("<uuid:entry_id>/edit/", views.edit, name="edit"),
    path("<uuid:entry_id>/delete/", views.delete, name="delete"),
    path("from-report/<uuid:report_id>/", views.from_report, name="from_report"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/accept/", views.accept, name="accept"),
    path("suggestions/dismiss/", views.dismiss, name="dismiss"),
    path("suggestions/rule/", views.rule, name="rule"),
    path("export/", views.export, name="export"),
]
