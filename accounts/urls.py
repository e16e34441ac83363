from django.urls import path
from django.views.generic import RedirectView

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/email/", views.change_email, name="change_email"),
    path("photo/<uuid:user_uuid>/", views.photo, name="photo"),
    # allauth's e-mail page would let users add addresses; the profile changes the one we have.
    path("email/", RedirectView.as_view(pattern_name="accounts:change_email"), name="email"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<uuid:uuid>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("join/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
