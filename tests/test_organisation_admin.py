import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Trajectory
from accounts.signals import coach_assigned, coach_unassigned
from privacy import consent
from privacy.consent_models import Consent
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

COACHES = "organisation:accounts_organisationcoach_changelist"
COACHEES = "organisation:accounts_organisationcoachee_changelist"
TRAJECTORIES = "organisation:accounts_trajectory_changelist"
INVITATIONS = "organisation:accounts_invitation_changelist"


@pytest.fixture
def manager_client(client, org_manager, trajectory, stranger_coachee):
    client.force_login(org_manager)
    return client


@pytest.mark.parametrize(
    "actor",
    ["coach", "coachee", "customer_service", "ict_line_manager", "account_manager", "it_admin"],
)
def test_only_org_managers_reach_the_organisation_admin(client, actors, actor):
    client.force_login(actors[actor])
    assert client.get(reverse("organisation:index")).status_code == 403
    assert client.get(reverse(COACHEES)).status_code == 403


def test_org_manager_gets_no_access_to_the_django_admin(client, org_manager):
    client.force_login(org_manager)
    assert client.get(reverse("admin:index")).status_code == 403


def test_index_shows_counts_of_own_organisation(manager_client):
    response = manager_client.get(reverse("organisation:index"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["coaches"], counts["coachees"], counts["active_coachees"]) == (1, 1, 1)


def test_lists_show_only_own_organisation(
    manager_client, coach, coachee, stranger_coach, stranger_coachee
):
    coaches = manager_client.get(reverse(COACHES)).text
    coachees = manager_client.get(reverse(COACHEES)).text
    trajectories = manager_client.get(reverse(TRAJECTORIES)).text
    assert coach.email in coaches and stranger_coach.email not in coaches
    assert coachee.email in coachees and stranger_coachee.email not in coachees
    assert coachee.last_name in trajectories
    assert stranger_coachee.last_name not in trajectories


def test_search_does_not_find_other_organisations(manager_client, stranger_coachee):
    response = manager_client.get(reverse(COACHEES), {"q": stranger_coachee.email})
    assert response.context["cl"].result_count == 0
    assert stranger_coachee.last_name not in response.text


def test_filters_do_not_reveal_other_organisations(manager_client, stranger_coachee):
    response = manager_client.get(reverse(COACHEES), {"is_active__exact": "1"})
    assert stranger_coachee.email not in response.text


@pytest.mark.parametrize("model", ["organisationcoachee", "organisationcoach"])
def test_change_view_of_another_organisations_user_is_refused(
    manager_client, stranger_coach, stranger_coachee, model
):
    target = stranger_coachee if model == "organisationcoachee" else stranger_coach
    url = reverse(f"organisation:accounts_{model}_change", args=[target.pk])
    response = manager_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:index")
    manager_client.post(url, {"first_name": "Hacked", "last_name": "X", "email": "h@x.nl"})
    target.refresh_from_db()
    assert target.first_name != "Hacked"


def test_change_view_of_another_organisations_trajectory_is_refused(
    manager_client, stranger_coachee
):
    other = Trajectory.objects.get(coachee=stranger_coachee)
    response = manager_client.get(
        reverse("organisation:accounts_trajectory_change", args=[other.pk])
    )
    assert response.status_code == 302


def test_autocomplete_is_not_open(manager_client, stranger_coachee):
    response = manager_client.get(
        reverse("organisation:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "trajectory",
            "field_name": "coachee",
            "term": stranger_coachee.last_name,
        },
    )
    assert response.status_code == 403


def test_org_manager_edits_name_and_email_only(manager_client, coachee):
    url = reverse("organisation:accounts_organisationcoachee_change", args=[coachee.pk])
    form = manager_client.get(url).context["adminform"].form
    assert list(form.fields) == ["first_name", "last_name", "email"]
    response = manager_client.post(
        url,
        {"first_name": "Evi", "last_name": "Jong", "email": "evi@example.com", "role": "it_admin"},
    )
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert (coachee.first_name, coachee.email, coachee.role) == (
        "Evi",
        "evi@example.com",
        "coachee",
    )


def test_add_coachee_opens_the_invitation_form(manager_client):
    response = manager_client.get(reverse("organisation:accounts_organisationcoachee_add"))
    assert response.status_code == 302
    assert "role=coachee" in response["Location"]


def test_org_manager_invites_from_the_admin(
    manager_client, org_manager, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("organisation:accounts_invitation_add"),
            {"email": "fresh@example.com", "role": "coachee", "coach": coach.pk, "language": "nl"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.organisation == org_manager.organisation
    assert invitation.invited_by == org_manager
    assert invitation.coach == coach
    assert mail.outbox[0].to == ["fresh@example.com"]


def test_org_manager_cannot_invite_a_coachee_without_a_coach(manager_client):
    response = manager_client.post(
        reverse("organisation:accounts_invitation_add"),
        {"email": "alone@example.com", "role": "coachee", "coach": "", "language": "en"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["coach"]
    assert errors == [
        "Choose the coach of this coachee's trajectory: a coachee always starts with a coach."
    ]
    assert "always starts with a coach" in response.text
    assert not Invitation.objects.exists()


def test_org_manager_invites_a_coach_without_choosing_one(
    manager_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("organisation:accounts_invitation_add"),
            {"email": "coach2@example.com", "role": "coach", "coach": coach.pk, "language": "nl"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.coach) == ("coach", None)


def test_org_manager_revokes_invitations_in_bulk(
    manager_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("one@example.com", "two@example.com"):
            manager_client.post(
                reverse("organisation:accounts_invitation_add"),
                {"email": email, "role": "coachee", "coach": coach.pk, "language": "en"},
            )
    chosen = [str(pk) for pk in Invitation.objects.values_list("pk", flat=True)]
    response = manager_client.post(
        reverse(INVITATIONS),
        {"action": "revoke_invitations", "_selected_action": chosen},
        follow=True,
    )
    assert "2 invitations revoked." in response.text
    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()


def test_invitation_form_offers_only_own_coaches(manager_client, coach, stranger_coach):
    form = (
        manager_client.get(reverse("organisation:accounts_invitation_add"))
        .context["adminform"]
        .form
    )
    assert list(form.fields["coach"].queryset) == [coach]


def test_assigning_coaches_goes_through_the_services(
    manager_client, trajectory, coach, coachee, other_coach
):
    """A coach added to a running trajectory joins only once the coachee consents."""
    received = []

    def listen(signal):
        def handler(sender, trajectory, coach, **kwargs):
            received.append((signal, coach))

        return handler

    on_assign, on_unassign = listen("assigned"), listen("unassigned")
    coach_assigned.connect(on_assign)
    coach_unassigned.connect(on_unassign)
    try:
        url = reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])
        response = manager_client.post(
            url, {"assigned_coaches": [other_coach.pk], "started_on": "2026-01-01", "ended_on": ""}
        )
    finally:
        coach_assigned.disconnect(on_assign)
        coach_unassigned.disconnect(on_unassign)
    assert response.status_code == 302
    assert list(trajectory.coaches.all()) == []
    assert received == [("unassigned", coach)]
    question = Consent.objects.get(trajectory=trajectory, coach=other_coach)
    assert question.state == Consent.State.PENDING and question.requested_by.role == "org_manager"

    coach_assigned.connect(on_assign)
    try:
        consent.grant(question, coachee)
    finally:
        coach_assigned.disconnect(on_assign)
    assert list(trajectory.coaches.all()) == [other_coach]
    assert ("assigned", other_coach) in received


def test_org_manager_cannot_assign_a_coach_of_another_organisation(
    manager_client, trajectory, stranger_coach
):
    url = reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])
    response = manager_client.post(
        url, {"assigned_coaches": [stranger_coach.pk], "started_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert stranger_coach not in trajectory.coaches.all()


def test_org_manager_starts_a_trajectory_for_own_coachee(manager_client, org_manager, coach):
    newcomer = CoacheeFactory(organisation=org_manager.organisation)
    response = manager_client.post(
        reverse("organisation:accounts_trajectory_add"),
        {"coachee": newcomer.pk, "assigned_coaches": [coach.pk], "started_on": "2026-02-01"},
    )
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(coachee=newcomer)
    assert trajectory.organisation == org_manager.organisation
    assert list(trajectory.coaches.all()) == [coach]


def test_org_manager_cannot_start_a_trajectory_for_a_stranger(manager_client, stranger_coachee):
    response = manager_client.post(
        reverse("organisation:accounts_trajectory_add"),
        {"coachee": stranger_coachee.pk, "started_on": "2026-02-01"},
    )
    assert response.status_code == 200
    assert Trajectory.objects.filter(coachee=stranger_coachee).count() == 1


def test_trajectory_title_never_shows_to_the_org_manager(manager_client, trajectory):
    trajectory.title = "Burn-out recovery"
    trajectory.save()
    url = reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])
    assert "Burn-out" not in manager_client.get(url).text
    assert "Burn-out" not in manager_client.get(reverse(TRAJECTORIES)).text


@pytest.mark.parametrize("url_name", [COACHES, COACHEES, TRAJECTORIES])
def test_list_query_count_does_not_grow_with_the_list(manager_client, org_manager, coach, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager_client.get(reverse(url_name))  # session setup and activity write happen once
    with CaptureQueriesContext(connection) as one:
        manager_client.get(reverse(url_name))
    for _ in range(10):
        TrajectoryFactory(
            coachee=CoacheeFactory(organisation=org_manager.organisation), coaches=[coach]
        )
    with CaptureQueriesContext(connection) as many:
        manager_client.get(reverse(url_name))
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("url_name", "lookup"),
    [
        (TRAJECTORIES, "title__icontains=depress"),
        (COACHEES, "birth_date__year=1990"),
        (COACHEES, "phone__startswith=06"),
        (COACHEES, "restriction_reason__icontains=therapy"),
        (COACHEES, "password__startswith=md5"),
    ],
)
def test_a_filter_on_a_field_the_page_does_not_show_is_refused(manager_client, url_name, lookup):
    response = manager_client.get(f"{reverse(url_name)}?{lookup}")
    assert response.status_code == 400


def test_the_lists_own_filters_still_work(manager_client):
    assert manager_client.get(f"{reverse(COACHEES)}?is_active__exact=1").status_code == 200
