from django.urls import path

from accounts import support_views

app_name = "support"

urlpatterns = [
    path("", support_views.users, name="users"),
    path("users/<uuid:uuid>/", support_views.user_detail, name="user"),
    path("users/<uuid:uuid>/unlock/", support_views.unlock, name="unlock"),
    path(
        "users/<uuid:uuid>/reset-two-factor/",
        support_views.reset_two_factor,
        name="reset_two_factor",
    ),
    path(
        "invitations/<uuid:invitation_id>/send-again/",
        support_views.send_invitation_again,
        name="send_invitation_again",
    ),
    path("monitoring/", support_views.monitoring, name="monitoring"),
]
