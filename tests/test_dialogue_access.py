import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import CONTENT_ROLES, Role
from accounts.services import add_coach, start_trajectory, unassign_coach
from dialogue import access
from dialogue.models import Dialogue, DialogueUserObjectPermission, Participant
from tests.factories.accounts import CoacheeFactory, UserFactory
from tests.factories.dialogue import group, one_to_one, post
from tests.matrix import ACTORS

pytestmark = pytest.mark.django_db

# Everyone but the dialogue's own coach and coachee (and anonymous, who is sent to log in).
OUTSIDERS = [actor for actor in ACTORS if actor not in {"anonymous", "coach", "coachee"}]


def _perm_rows(user):
    return DialogueUserObjectPermission.objects.filter(user=user)


def test_starting_a_trajectory_opens_its_one_to_one_dialogue(organisation, coach, coachee):
    trajectory = start_trajectory(coachee=coachee, coaches=[coach], organisation=organisation)
    dialogue = Dialogue.objects.get(trajectory=trajectory)
    assert dialogue.kind == Dialogue.Kind.ONE_TO_ONE
    assert dialogue.encryption_scope() == f"coachee:{coachee.uuid}"
    assert set(dialogue.participants.values_list("user", flat=True)) == {coach.pk, coachee.pk}
    assert set(access.dialogues_for(coach)) == {dialogue}
    assert set(access.dialogues_for(coachee)) == {dialogue}


def test_assigning_a_second_coach_lets_them_into_the_dialogue(trajectory, other_coach):
    dialogue = one_to_one(trajectory)
    add_coach(trajectory, other_coach)
    assert access.get_dialogue_for(other_coach, dialogue.pk).can_lead


def test_unassigned_coach_loses_access_at_once(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Before the change")
    client.force_login(coach)
    assert client.get(reverse("dialogue:detail", args=[dialogue.pk])).status_code == 200

    unassign_coach(trajectory, coach)

    assert not _perm_rows(coach).exists()
    assert not Participant.objects.filter(dialogue=dialogue, user=coach).exists()
    assert client.get(reverse("dialogue:detail", args=[dialogue.pk])).status_code == 404
    response = client.post(reverse("dialogue:post_message", args=[dialogue.pk]), {"body": "x"})
    assert response.status_code == 404
    assert dialogue.messages.count() == 1
    assert (
        reverse("dialogue:detail", args=[dialogue.pk])
        not in client.get(reverse("dialogue:inbox")).text
    )


def test_a_missing_dialogue_is_created_when_the_inbox_is_opened(client, coach, organisation):
    from accounts.models import Trajectory, TrajectoryCoach

    coachee = CoacheeFactory(organisation=organisation)
    # Rows made without the services (as by an import): no signal, no dialogue yet.
    trajectory = Trajectory.objects.create(coachee=coachee, organisation=organisation)
    TrajectoryCoach.objects.create(trajectory=trajectory, coach=coach)
    assert not Dialogue.objects.filter(trajectory=trajectory).exists()

    client.force_login(coachee)
    response = client.get(reverse("dialogue:inbox"))

    dialogue = Dialogue.objects.get(trajectory=trajectory)
    assert reverse("dialogue:detail", args=[dialogue.pk]) in response.text
    assert access.get_dialogue_for(coach, dialogue.pk)


@pytest.mark.parametrize("role", sorted(set(Role) - CONTENT_ROLES))
def test_access_refuses_to_grant_to_a_role_that_never_sees_content(role, trajectory):
    dialogue = one_to_one(trajectory)
    user = UserFactory(role=role)
    with pytest.raises(access.NotAContentRole):
        access.add_participant(dialogue, user)
    assert not _perm_rows(user).exists()


def test_a_coachee_can_never_lead_a_dialogue(trajectory, coachee):
    dialogue = one_to_one(trajectory)
    with pytest.raises(access.NotAContentRole):
        access.add_participant(dialogue, coachee, lead=True)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_and_see_no_dialogue(client, actors, outsider):
    dialogue = one_to_one(actors["coachee"].trajectories.get())
    message = post(dialogue, actors["coachee"], "Private")
    user = actors[outsider]
    client.force_login(user)
    for url in (
        reverse("dialogue:detail", args=[dialogue.pk]),
        reverse("dialogue:edit_message", args=[dialogue.pk, message.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("dialogue:withdraw_message", "dialogue:remove_message"):
        assert client.post(reverse(name, args=[dialogue.pk, message.pk])).status_code == 404
    assert dialogue not in access.dialogues_for(user)
    with pytest.raises(Exception, match="No Dialogue matches"):
        access.get_dialogue_for(user, dialogue.pk)


def test_no_flow_grants_a_content_permission_to_other_roles(client, actors, organisation):
    coach, coachee = actors["coach"], actors["coachee"]
    trajectory = coachee.trajectories.get()
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Hello")
    crew = group(coach, [coachee, actors["other_coach"]])
    extra = CoacheeFactory(organisation=organisation)
    second = start_trajectory(coachee=extra, coaches=[coach], organisation=organisation)
    add_coach(second, actors["other_coach"])
    unassign_coach(second, actors["other_coach"])
    # Every actor visits every page: nothing along the way grants them anything.
    for user in actors.values():
        client.force_login(user)
        client.get(reverse("dialogue:inbox"))
        client.get(reverse("dialogue:detail", args=[dialogue.pk]))
        client.get(reverse("dialogue:participants", args=[crew.pk]))
        client.post(reverse("dialogue:add_participant", args=[crew.pk]), {"member": str(user.uuid)})
        client.post(
            reverse("dialogue:create_group"), {"title": "G", "members": [str(coachee.uuid)]}
        )

    holders = set(
        DialogueUserObjectPermission.objects.values_list("user__role", flat=True).distinct()
    )
    assert holders <= set(CONTENT_ROLES)
    for name in ("org_manager", "customer_service", "account_manager", "it_admin"):
        assert not _perm_rows(actors[name]).exists()
        assert not Participant.objects.filter(user=actors[name]).exists()


def test_permissions_live_in_the_direct_foreign_key_table(trajectory, coach):
    dialogue = one_to_one(trajectory)
    codenames = set(
        DialogueUserObjectPermission.objects.filter(
            user=coach, content_object=dialogue
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {access.PARTICIPATE, access.LEAD}
    assert coach.has_perm(f"dialogue.{access.PARTICIPATE}", dialogue)
    assert Permission.objects.filter(codename=access.LEAD).exists()


def test_views_load_dialogues_only_through_access():
    from pathlib import Path

    source = Path("dialogue/views.py").read_text()
    for model in ("Dialogue", "Message", "Attachment", "Participant"):
        assert f"{model}.objects" not in source
