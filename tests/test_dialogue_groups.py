import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue import access
from dialogue.models import Dialogue, Message, Participant
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_coachee(coach, organisation):
    coachee = CoacheeFactory(
        organisation=organisation, first_name="Bram", last_name="Visser", email="bram@example.com"
    )
    TrajectoryFactory(coachee=coachee, coaches=[coach])
    return coachee


def test_coach_starts_a_group_with_own_coachees_and_a_colleague(
    client, trajectory, coach, coachee, second_coachee, other_coach
):
    client.force_login(coach)
    form = client.get(reverse("dialogue:create_group"))
    assert second_coachee.get_full_name() in form.text
    response = client.post(
        reverse("dialogue:create_group"),
        {
            "title": "Sleep group",
            "members": [str(coachee.uuid), str(second_coachee.uuid), str(other_coach.uuid)],
        },
    )
    crew = Dialogue.objects.get(kind=Dialogue.Kind.GROUP)
    assert response.status_code == 302
    assert crew.encryption_scope() == f"dialogue:{crew.pk}"
    assert set(access.dialogues_for(second_coachee)) >= {crew}
    assert access.get_dialogue_for(other_coach, crew.pk).can_lead
    assert not access.get_dialogue_for(coachee, crew.pk).can_lead


def test_coach_cannot_add_someone_elses_coachee(client, coach, stranger_coachee, trajectory):
    client.force_login(coach)
    response = client.post(
        reverse("dialogue:create_group"),
        {"title": "Sneaky", "members": [str(stranger_coachee.uuid)]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Dialogue.objects.filter(kind=Dialogue.Kind.GROUP).exists()


def test_coachee_sees_first_names_only_and_no_email_addresses(
    client, trajectory, coach, coachee, second_coachee
):
    crew = group(coach, [coachee, second_coachee])
    post(crew, second_coachee, "Hello all")
    client.force_login(coachee)
    text = client.get(reverse("dialogue:detail", args=[crew.pk])).text
    assert "Bram" in text
    for hidden in ("Visser", "bram@example.com", coach.email, coach.last_name):
        assert hidden not in text


def test_group_messages_use_the_groups_own_key(coach, coachee, second_coachee, trajectory):
    crew = group(coach, [coachee, second_coachee])
    message = post(crew, coachee, "In the group")
    assert message.encryption_scope() == f"dialogue:{crew.pk}"


def test_coach_adds_and_removes_a_participant(client, trajectory, coach, coachee, second_coachee):
    crew = group(coach, [coachee])
    client.force_login(coach)
    page = client.get(reverse("dialogue:participants", args=[crew.pk]))
    assert "Bram Visser" in page.text
    client.post(
        reverse("dialogue:add_participant", args=[crew.pk]), {"member": str(second_coachee.uuid)}
    )
    assert crew in access.dialogues_for(second_coachee)

    member = Participant.objects.get(dialogue=crew, user=second_coachee)
    client.post(reverse("dialogue:remove_participant", args=[crew.pk, member.uuid]))
    assert crew not in access.dialogues_for(second_coachee)
    client.force_login(second_coachee)
    assert client.get(reverse("dialogue:detail", args=[crew.pk])).status_code == 404


def test_a_removed_member_can_no_longer_post(client, trajectory, coach, coachee):
    crew = group(coach, [coachee])
    member = Participant.objects.get(dialogue=crew, user=coachee)
    client.force_login(coach)
    client.post(reverse("dialogue:remove_participant", args=[crew.pk, member.uuid]))
    client.force_login(coachee)
    response = client.post(reverse("dialogue:post_message", args=[crew.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_a_coachee_cannot_manage_participants(client, trajectory, coach, coachee):
    crew = group(coach, [coachee])
    client.force_login(coachee)
    assert client.get(reverse("dialogue:participants", args=[crew.pk])).status_code == 404
    me = Participant.objects.get(dialogue=crew, user=coach)
    response = client.post(reverse("dialogue:remove_participant", args=[crew.pk, me.uuid]))
    assert response.status_code == 404
    assert Participant.objects.filter(dialogue=crew, user=coach).exists()


def test_the_last_coach_cannot_leave_the_group(client, trajectory, coach, coachee):
    crew = group(coach, [coachee])
    me = Participant.objects.get(dialogue=crew, user=coach)
    client.force_login(coach)
    response = client.post(
        reverse("dialogue:remove_participant", args=[crew.pk, me.uuid]), follow=True
    )
    assert "A group needs at least one coach." in response.text
    assert crew in access.dialogues_for(coach)


def test_nobody_posts_in_a_group_with_a_restricted_member(
    client, trajectory, coach, coachee, second_coachee
):
    crew = group(coach, [coachee, second_coachee])
    second_coachee.processing_restricted_at = timezone.now()
    second_coachee.save()
    client.force_login(coachee)
    page = client.get(reverse("dialogue:detail", args=[crew.pk]))
    assert "Processing of personal data is restricted" in page.text
    client.post(reverse("dialogue:post_message", args=[crew.pk]), {"body": "Hi"})
    assert not Message.objects.exists()


def test_coachee_cannot_start_a_group(client, coachee):
    client.force_login(coachee)
    assert client.get(reverse("dialogue:create_group")).status_code == 404


def test_a_late_member_reads_only_what_was_written_after_joining(
    client, trajectory, coach, coachee, second_coachee, django_capture_on_commit_callbacks
):
    import datetime
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from dialogue import services
    from dialogue.models import Attachment
    from pluform.uploads import validate_upload

    crew = group(coach, [coachee], title="Sleep")
    Participant.objects.filter(dialogue=crew).update(
        joined_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    early_file = validate_upload(SimpleUploadedFile("early.png", buffer.getvalue()), ("image",))
    services.post_message(crew, coachee, "Before Bram came: about my nights", [early_file])
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    services.add_to_group(crew, coach, second_coachee)
    post(crew, coach, "Welcome, Bram")

    client.force_login(second_coachee)
    inbox = client.get(reverse("dialogue:inbox"))
    [row] = [d for d in inbox.context["page"] if d.pk == crew.pk]
    assert row.unread == 1  # the welcome, not the history
    page = client.get(reverse("dialogue:detail", args=[crew.pk])).text
    assert "Welcome, Bram" in page
    assert "about my nights" not in page
    early = Attachment.objects.get()
    url = reverse("dialogue:attachment", args=[crew.pk, early.pk])
    assert client.get(url).status_code == 404

    client.force_login(coachee)
    assert "about my nights" in client.get(reverse("dialogue:detail", args=[crew.pk])).text
    assert client.get(url).status_code == 200
