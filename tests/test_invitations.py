import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation, Trajectory, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and fine pass phrase"


def invite_as(client, inviter, **data):
    client.force_login(inviter)
    payload = {"email": "New.Person@Example.com", "language": "en", **data}
    return client.post(reverse("accounts:invitations"), payload)


def token_from_mail():
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/accounts/join/" in word)
    return link.rstrip("/").rsplit("/", 1)[-1]


def accept(client, token, **data):
    payload = {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "language": "nl",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **data,
    }
    return client.post(reverse("accounts:accept_invitation", args=[token]), payload)


def test_coach_invites_a_coachee_by_email(client, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_as(client, coach)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert invitation.role == Role.COACHEE
    assert invitation.coach == coach
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert "/accounts/join/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives  # an HTML part too


def test_token_is_stored_only_as_a_hash(client, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    token = token_from_mail()
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.token_hash == invitations.hash_token(token)


def test_invitation_email_is_in_the_invitees_language(
    client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach, language="en")
    assert "Open this link" in mail.outbox[0].body


def test_accepting_creates_the_coachee_with_a_trajectory_and_logs_in(
    client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    client.logout()
    response = accept(client, token_from_mail())
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert (user.role, user.organisation, user.language) == (
        Role.COACHEE,
        coach.organisation,
        "nl",
    )
    assert user.check_password(NEW_PASSWORD)
    trajectory = Trajectory.objects.get(coachee=user)
    assert list(trajectory.coaches.all()) == [coach]
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("home")).context["user"] == user
    assert Invitation.objects.get().accepted_user == user


def test_weak_password_is_refused_and_nothing_is_created(
    client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    client.logout()
    response = accept(client, token_from_mail(), password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="new.person@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


def test_used_link_shows_a_clear_page_and_changes_nothing(
    client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    client.logout()
    token = token_from_mail()
    accept(client, token)
    client.logout()
    response = accept(client, token, first_name="Mallory")
    assert response.status_code == 410
    assert User.objects.filter(email="new.person@example.com").get().first_name == "Nina"


def test_expired_link_shows_a_clear_page(client, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.logout()
    token = token_from_mail()
    assert client.get(reverse("accounts:accept_invitation", args=[token])).status_code == 410
    assert accept(client, token).status_code == 410
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_invitation_expires_after_the_configured_days(client, coach, settings):
    settings.PLUFORM_INVITATION_DAYS = 3
    invite_as(client, coach)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_unknown_token_is_not_found(client):
    response = client.get(reverse("accounts:accept_invitation", args=["nonsense"]))
    assert response.status_code == 404


def test_org_manager_invites_a_coach(client, org_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, org_manager, role=Role.COACH)
    client.logout()
    accept(client, token_from_mail())
    user = User.objects.get(email="new.person@example.com")
    assert user.role == Role.COACH
    assert user.coach_profile is not None
    assert not Trajectory.objects.filter(coachee=user).exists()


def test_org_manager_cannot_pick_a_coach_of_another_organisation(
    client, org_manager, stranger_coach
):
    response = invite_as(client, org_manager, role=Role.COACHEE, coach=stranger_coach.pk)
    assert response.status_code == 200
    assert "coach" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_org_manager_must_choose_a_coach_for_a_coachee(client, org_manager):
    response = invite_as(client, org_manager, role=Role.COACHEE)
    assert response.status_code == 200
    assert "always starts with a coach" in response.context["form"].errors["coach"][0]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("coach_of", [None, "stranger_coach", "org_manager", "coachee"])
def test_no_path_invites_a_coachee_without_a_coach_of_the_organisation(
    request, organisation, org_manager, coach_of
):
    coach = request.getfixturevalue(coach_of) if coach_of else None
    with pytest.raises(ValueError, match="coach"):
        invitations.invite(
            organisation=organisation,
            email="alone@example.com",
            role=Role.COACHEE,
            language="en",
            invited_by=org_manager,
            coach=coach,
        )
    assert not Invitation.objects.exists()


def test_an_inactive_coach_cannot_take_a_new_coachee(organisation, org_manager, coach):
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    with pytest.raises(invitations.CoachRequired):
        invitations.invite(
            organisation=organisation,
            email="alone@example.com",
            role=Role.COACHEE,
            language="en",
            invited_by=org_manager,
            coach=coach,
        )


def test_address_with_an_account_elsewhere_is_not_revealed_to_the_inviter(
    client, coach, stranger_coachee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_as(client, coach, email=stranger_coachee.email)
    assert response.status_code == 302
    client.logout()
    response = accept(client, token_from_mail())
    assert response.status_code == 409
    assert Invitation.objects.get().accepted_at is None
    stranger_coachee.refresh_from_db()
    assert stranger_coachee.first_name == "Saar"


def test_address_of_own_organisation_member_is_refused(client, coach, other_coach):
    response = invite_as(client, coach, email=other_coach.email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_coachee_cannot_invite(client, coachee):
    response = invite_as(client, coachee)
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_coach_revokes_an_invitation(client, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    invitation = Invitation.objects.get()
    url = reverse("accounts:revoke_invitation", args=[invitation.uuid])
    assert client.get(url).status_code == 405
    client.post(url)
    client.logout()
    assert accept(client, token_from_mail()).status_code == 410


def test_coach_cannot_revoke_another_coachs_invitation(client, coach, other_coach):
    invite_as(client, other_coach)
    invitation = Invitation.objects.get()
    client.force_login(coach)
    response = client.post(reverse("accounts:revoke_invitation", args=[invitation.uuid]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_list_shows_only_own_invitations(client, coach, other_coach):
    invite_as(client, other_coach, email="for-otto@example.com")
    client.force_login(coach)
    response = client.get(reverse("accounts:invitations"))
    assert "for-otto@example.com" not in response.text


def test_logged_in_user_is_asked_to_log_out_first(
    client, coach, coachee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_as(client, coach)
    client.force_login(coachee)
    response = client.post(
        reverse("accounts:accept_invitation", args=[token_from_mail()]),
        {"first_name": "X"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new.person@example.com").exists()
