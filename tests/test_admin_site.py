import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actor",
    ["coach", "coachee", "org_manager", "customer_service", "ict_line_manager", "account_manager"],
)
def test_only_it_admins_reach_the_django_admin(client, actors, actor):
    client.force_login(actors[actor])
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_anonymous_visitor_is_sent_to_the_normal_login(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_it_admin_is_not_a_superuser_but_sees_the_accounts(client, it_admin):
    assert not it_admin.is_superuser
    client.force_login(it_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    for name in [
        "user",
        "organisation",
        "coachprofile",
        "trajectory",
        "invitation",
        "loginattempt",
    ]:
        assert reverse(f"admin:accounts_{name}_changelist") in response.text


def test_it_admin_sees_no_content_or_secret_models(client, it_admin):
    client.force_login(it_admin)
    response = client.get(reverse("admin:index"))
    assert "/admin/mfa/" not in response.text
    assert "/admin/dialogue/" not in response.text
    assert "/admin/auth/" not in response.text


def test_restriction_is_shown_but_changed_only_through_a_request(client, it_admin, coachee):
    """Lifting in the admin would skip telling the subject first (privacy.requests.lift)."""
    from accounts import services

    services.restrict_processing(coachee, "Disputed accuracy", ground="contested")
    client.force_login(it_admin)
    url = reverse("admin:accounts_user_change", args=[coachee.pk])
    page = client.get(url)
    assert "restricted" not in page.context["adminform"].form.fields
    assert "restriction request" in page.text
    data = {**page.context["adminform"].form.initial}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(organisation=coachee.organisation_id, restriction_reason="", restricted="")
    data.pop("birth_date", None)
    response = client.post(url, data)
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.processing_restricted
    assert coachee.restriction_reason == "Disputed accuracy"


def test_it_admin_cannot_delete_users(client, it_admin, coachee):
    client.force_login(it_admin)
    response = client.post(
        reverse("admin:accounts_user_delete", args=[coachee.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=coachee.pk).exists()


def test_it_admin_resets_two_factor_authentication(client, it_admin, coach):
    client.force_login(it_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_mfa", "_selected_action": [coach.pk]},
    )
    assert not Authenticator.objects.filter(user=coach).exists()


def test_it_admin_sees_coach_billing_data(client, it_admin, coach):
    coach.coach_profile.iban = "NL91ABNA0417164300"
    coach.coach_profile.save()
    client.force_login(it_admin)
    response = client.get(
        reverse("admin:accounts_coachprofile_change", args=[coach.coach_profile.pk])
    )
    assert "NL91ABNA0417164300" in response.text


def test_new_user_made_by_it_admin_has_no_usable_password(client, it_admin, organisation):
    client.force_login(it_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "manager2@example.com",
            "first_name": "Mia",
            "last_name": "Manager",
            "role": "org_manager",
            "organisation": organisation.pk,
            "is_active": "on",
            "language": "nl",
            "message_notifications": "immediate",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="manager2@example.com")
    assert not user.has_usable_password()


def test_restriction_set_and_lifted_are_in_the_audit_trail(it_admin, coachee, rf):
    from accounts import services
    from privacy.audit_models import AuditEvent

    request = rf.post("/admin/")
    request.user = it_admin
    services.restrict_processing(coachee, "disputed accuracy", request=request)
    services.lift_restriction(coachee, request=request)
    events = AuditEvent.objects.filter(subject_uuid=coachee.uuid, action="restrict")
    assert [event.detail for event in events.order_by("at", "pk")] == [
        "restriction set",
        "restriction lifted",
    ]
    assert {event.actor_uuid for event in events} == {it_admin.uuid}
    assert "disputed" not in " ".join(event.detail for event in events)


def test_it_admin_cannot_filter_users_by_password_hash(client, it_admin):
    client.force_login(it_admin)
    response = client.get(reverse("admin:accounts_user_changelist") + "?password__startswith=md5")
    assert response.status_code == 400


def test_it_admin_never_sees_a_trajectory_title(client, it_admin, trajectory):
    trajectory.title = "Burn-out after the divorce"
    trajectory.save(update_fields=["title"])
    client.force_login(it_admin)
    pages = [
        reverse("admin:accounts_trajectory_changelist"),
        reverse("admin:accounts_trajectory_change", args=[trajectory.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert "divorce" not in response.text
