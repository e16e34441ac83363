from django.urls import path

from interventions import views

app_name = "interventions"

urlpatterns = [
    path("", views.index, name="index"),
    path("library/", views.library_index, name="library"),
    path("library/new/", views.template_create, name="template_create"),
    path("library/<uuid:template_id>/", views.template_detail, name="template"),
    path("library/<uuid:template_id>/edit/", views.template_edit, name="template_edit"),
    path("library/<uuid:template_id>/copy/", views.template_copy, name="template_copy"),
    path("library/<uuid:template_id>/archive/", views.template_archive, name="template_archive"),
    path("library/<uuid:template_id>/assign/", views.template_assign, name="template_assign"),
    path("library/<uuid:template_id>/steps/new/", views.step_create, name="step_create"),
    path("library/<uuid:template_id>/steps/<uuid:step_id>/", views.step_edit, name="step_edit"),
    path(
        "library/<uuid:template_id>/steps/<uuid:step_id>/move/",
        views.step_move,
        name="step_move",
    ),
    path(
        "library/<uuid:template_id>/steps/<uuid:step_id>/delete/",
        views.step_delete,
        name="step_delete",
    ),
    path("assignments/<uuid:assignment_id>/", views.assignment_detail, name="assignment"),
    path("assignments/<uuid:assignment_id>/steps/<uuid:step_key>/", views.step, name="step"),
    path("assignments/<uuid:assignment_id>/submit/", views.submit, name="submit"),
    path("assignments/<uuid:assignment_id>/feedback/", views.feedback, name="feedback"),
    path("assignments/<uuid:assignment_id>/reopen/", views.reopen, name="reopen"),
    path(
        "assignments/<uuid:assignment_id>/files/<uuid:file_id>/",
        views.answer_file,
        name="answer_file",
    ),
    path("series/<uuid:series_id>/", views.series, name="series"),
]
