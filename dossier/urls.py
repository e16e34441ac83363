from django.urls import path

from dossier import views

app_name = "dossier"

urlpatterns = [
    path("", views.coachees, name="coachees"),
    path("<uuid:coachee_id>/", views.coachee, name="coachee"),
    path("<uuid:coachee_id>/reports/new/", views.report_add, name="report_add"),
    path("reports/<uuid:report_id>/", views.report, name="report"),
    path("reports/<uuid:report_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:report_id>/delete/", views.report_delete, name="report_delete"),
    path("trajectories/<uuid:trajectory_id>/end/", views.end_trajectory, name="end_trajectory"),
    path("trajectories/<uuid:trajectory_id>/undo-end/", views.undo_end, name="undo_end"),
]
