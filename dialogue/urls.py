from django.urls import path

from dialogue import views

app_name = "dialogue"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("groups/new/", views.create_group, name="create_group"),
    path("<uuid:dialogue_id>/", views.detail, name="detail"),
    path("<uuid:dialogue_id>/messages/", views.post_message, name="post_message"),
    path(
        "<uuid:dialogue_id>/messages/<uuid:message_id>/edit/",
        views.edit_message,
        name="edit_message",
    ),
    path(
        "<uuid:dialogue_id>/messages/<uuid:message_id>/withdraw/",
        views.withdraw_message,
        name="withdraw_message",
    ),
    path(
        "<uuid:dialogue_id>/messages/<uuid:message_id>/remove/",
        views.remove_message,
        name="remove_message",
    ),
    path(
        "<uuid:dialogue_id>/attachments/<uuid:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "<uuid:dialogue_id>/attachments/<uuid:attachment_id>/preview/",
        views.attachment_preview,
        name="attachment_preview",
    ),
    path("<uuid:dialogue_id>/participants/", views.participants, name="participants"),
    path(
        "<uuid:dialogue_id>/participants/add/",
        views.add_participant,
        name="add_participant",
    ),
    path(
        "<uuid:dialogue_id>/participants/<uuid:participant_id>/remove/",
        views.remove_participant,
        name="remove_participant",
    ),
]
