import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Message
from privacy.audit_models import AuditEvent
from tests.factories.dialogue import MessageFactory, one_to_one, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


def _detail(dialogue, page=None):
    url = reverse("dialogue:detail", args=[dialogue.pk])
    return f"{url}?page={page}" if page else url


def _post(client, dialogue, body, **extra):
    return client.post(
        reverse("dialogue:post_message", args=[dialogue.pk]), {"body": body, **extra}
    )


def _raw_body(message_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body FROM dialogue_message WHERE id = %s",
            [Message._meta.pk.get_db_prep_value(message_id, connection)],
        )
        return cursor.fetchone()[0]


def test_coachee_writes_and_coach_reads_the_message(client, dialogue, coach, coachee):
    client.force_login(coachee)
    response = _post(client, dialogue, "I slept badly\nall week")
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#m-{message.pk}")

    client.force_login(coach)
    page = client.get(_detail(dialogue))
    assert "I slept badly<br>all week" in page.text
    assert "Eva" in page.text


def test_the_write_form_labels_its_fields_like_every_other_form(client, dialogue, coachee):
    client.force_login(coachee)
    page = client.get(_detail(dialogue)).text
    assert '<label for="id_body">Your message</label>' in page
    assert ">Attach files</label>" in page


def test_message_is_stored_encrypted_under_the_coachees_key(client, dialogue, coachee):
    client.force_login(coachee)
    _post(client, dialogue, "Marker in the database")
    message = Message.objects.get()
    raw = _raw_body(message.pk)
    assert "Marker" not in raw
    assert message.body == "Marker in the database"
    assert message.encryption_scope() == f"coachee:{coachee.uuid}"


def test_html_from_users_is_escaped_and_links_become_clickable(client, dialogue, coachee):
    client.force_login(coachee)
    _post(client, dialogue, "<script>alert(1)</script> see https://example.org/x")
    text = client.get(_detail(dialogue)).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'href="https://example.org/x"' in text


def test_dialogue_page_shows_the_newest_fifty_messages_by_default(client, dialogue, coach):
    MessageFactory.create_batch(120, dialogue=dialogue, author=coach)
    client.force_login(coach)
    newest = client.get(_detail(dialogue))
    ids = list(dialogue.messages.values_list("pk", flat=True))
    assert newest.context["data"].page.number == 3
    assert f'id="m-{ids[-1]}"' in newest.text
    assert f'id="m-{ids[69]}"' not in newest.text
    assert "?page=2" in newest.text
    older = client.get(_detail(dialogue, page=1))
    assert f'id="m-{ids[0]}"' in older.text
    assert f'id="m-{ids[49]}"' in older.text
    assert len(older.context["data"].page.object_list) == 50


def test_new_since_last_visit_marker_points_at_the_first_unseen_message(
    client, dialogue, coach, coachee
):
    post(dialogue, coach, "Seen before")
    client.force_login(coachee)
    client.get(_detail(dialogue))
    fresh = post(dialogue, coach, "Written after the visit")
    page = client.get(_detail(dialogue))
    assert page.context["data"].first_new_id == fresh.pk
    assert "New since your last visit" in page.text
    again = client.get(_detail(dialogue))
    assert again.context["data"].first_new_id is None


def test_every_read_of_the_dialogue_page_is_audited(client, dialogue, coach, coachee):
    client.force_login(coach)
    client.get(_detail(dialogue))
    client.get(_detail(dialogue))
    events = AuditEvent.objects.filter(action="view", object_uuid=dialogue.pk)
    assert events.count() == 2
    assert {e.subject_uuid for e in events} == {coachee.uuid}
    assert {e.actor_id for e in events} == {coach.pk}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message or attach a file."),
        ("   \n  ", "Write a message or attach a file."),
        ("x" * 20_001, "A message can be at most 20,000 characters long."),
    ],
)
def test_bad_message_is_refused_and_the_text_kept(client, dialogue, coachee, body, error):
    client.force_login(coachee)
    response = _post(client, dialogue, body)
    assert response.status_code == 200
    assert error in response.text
    assert not Message.objects.exists()
    if body.strip():
        assert response.context["form"]["body"].value() == body


def test_a_message_of_exactly_20000_characters_is_accepted(client, dialogue, coachee):
    client.force_login(coachee)
    assert _post(client, dialogue, "y" * 20_000).status_code == 302
    assert len(Message.objects.get().body) == 20_000


def test_a_double_submit_is_stored_once(client, dialogue, coachee):
    client.force_login(coachee)
    first = _post(client, dialogue, "Pressed twice")
    second = _post(client, dialogue, "Pressed twice")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1


def test_the_same_text_a_while_later_is_a_new_message(client, dialogue, coachee):
    client.force_login(coachee)
    _post(client, dialogue, "Thanks")
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=5))
    _post(client, dialogue, "Thanks")
    assert Message.objects.count() == 2


def test_an_ended_trajectory_makes_the_dialogue_read_only(client, dialogue, trajectory, coachee):
    post(dialogue, coachee, "Earlier")
    trajectory.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    trajectory.save()
    client.force_login(coachee)
    page = client.get(_detail(dialogue))
    assert "This trajectory has ended" in page.text
    assert "Earlier" in page.text
    assert 'name="body"' not in page.text
    response = _post(client, dialogue, "Too late")
    assert "the dialogue can only be read" in response.text
    assert Message.objects.count() == 1


def test_restricted_subject_keeps_read_access_but_nobody_can_post(client, dialogue, coach, coachee):
    post(dialogue, coach, "Before the restriction")
    coachee.processing_restricted_at = timezone.now()
    coachee.save()
    client.force_login(coachee)
    page = client.get(_detail(dialogue))
    assert "Before the restriction" in page.text
    assert "Processing of personal data is restricted" in page.text
    client.force_login(coach)
    response = _post(client, dialogue, "Anything new")
    assert "Processing is restricted" in response.text
    assert Message.objects.count() == 1


def test_coach_edits_own_message_within_fifteen_minutes(client, dialogue, coach, coachee):
    message = post(dialogue, coach, "Typo herr")
    client.force_login(coach)
    url = reverse("dialogue:edit_message", args=[dialogue.pk, message.pk])
    assert "Typo herr" in client.get(url).text
    response = client.post(url, {"body": "Typo here"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Typo here"
    assert message.edited_at is not None
    client.force_login(coachee)
    assert "edited" in client.get(_detail(dialogue)).text


def test_coach_cannot_edit_after_fifteen_minutes(client, dialogue, coach):
    message = post(dialogue, coach, "Old words")
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    client.force_login(coach)
    url = reverse("dialogue:edit_message", args=[dialogue.pk, message.pk])
    assert client.post(url, {"body": "New words"}).status_code == 302
    message.refresh_from_db()
    assert message.body == "Old words"
    withdraw = reverse("dialogue:withdraw_message", args=[dialogue.pk, message.pk])
    client.post(withdraw)
    message.refresh_from_db()
    assert message.withdrawn_at is None


def test_coachee_cannot_edit_or_withdraw_and_coach_not_someone_elses(
    client, dialogue, coach, coachee
):
    message = post(dialogue, coachee, "Mine")
    for user in (coachee, coach):
        client.force_login(user)
        url = reverse("dialogue:edit_message", args=[dialogue.pk, message.pk])
        assert client.get(url).status_code == 404
        withdraw = reverse("dialogue:withdraw_message", args=[dialogue.pk, message.pk])
        client.post(withdraw)
    message.refresh_from_db()
    assert message.body == "Mine"
    assert message.withdrawn_at is None


def test_withdrawn_message_shows_as_withdrawn_and_its_content_is_gone(
    client, dialogue, coach, coachee
):
    message = post(dialogue, coach, "Regret this")
    client.force_login(coach)
    client.post(reverse("dialogue:withdraw_message", args=[dialogue.pk, message.pk]))
    assert _raw_body(message.pk) is None
    client.force_login(coachee)
    page = client.get(_detail(dialogue))
    assert "This message was withdrawn" in page.text
    assert "Regret this" not in page.text


def test_coach_removes_a_message_from_the_wrong_dialogue_for_good(
    client, dialogue, coach, coachee, it_admin
):
    message = post(dialogue, coach, "Meant for another client")
    before = _raw_body(message.pk)
    assert before and "Meant" not in before
    client.force_login(coach)
    response = client.post(reverse("dialogue:remove_message", args=[dialogue.pk, message.pk]))
    assert response.status_code == 302

    assert _raw_body(message.pk) is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM dialogue_message")
        assert before not in repr(cursor.fetchall())
    tombstone = Message.objects.get(pk=message.pk)
    assert tombstone.body is None
    assert tombstone.removed_by == coach
    event = AuditEvent.objects.get(action="delete", object_uuid=message.pk)
    assert event.actor == coach
    assert event.subject_uuid == coachee.uuid
    client.force_login(coachee)
    assert "This message was removed" in client.get(_detail(dialogue)).text


def test_a_coachee_cannot_remove_a_message(client, dialogue, coach, coachee):
    message = post(dialogue, coach, "Stays")
    client.force_login(coachee)
    url = reverse("dialogue:remove_message", args=[dialogue.pk, message.pk])
    assert client.post(url).status_code == 404
    message.refresh_from_db()
    assert message.body == "Stays"


@pytest.mark.parametrize(
    "name",
    [
        "dialogue:post_message",
        "dialogue:withdraw_message",
        "dialogue:add_participant",
    ],
)
def test_changes_need_post(client, dialogue, coach, name):
    message = post(dialogue, coach, "x")
    args = (
        [dialogue.pk]
        if name in ("dialogue:post_message", "dialogue:add_participant")
        else [
            dialogue.pk,
            message.pk,
        ]
    )
    client.force_login(coach)
    assert client.get(reverse(name, args=args)).status_code == 405


def test_removing_a_message_asks_first_and_destroys_nothing_on_get(client, dialogue, coach):
    message = post(dialogue, coach, "Sent to the wrong dialogue")
    client.force_login(coach)
    url = reverse("dialogue:remove_message", args=[dialogue.pk, message.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be brought back" in page.text
    assert "Sent to the wrong dialogue" not in page.text
    message.refresh_from_db()
    assert message.removed_at is None and message.body == "Sent to the wrong dialogue"


def test_dialogue_pages_are_never_cached(client, dialogue, coach):
    client.force_login(coach)
    response = client.get(_detail(dialogue))
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(reverse("dialogue:inbox"))["Cache-Control"]


def test_times_are_shown_in_the_readers_language(client, dialogue, coach, coachee):
    message = post(dialogue, coach, "Hallo")
    Message.objects.filter(pk=message.pk).update(
        created_at=datetime.datetime(2026, 3, 14, 9, 5, tzinfo=datetime.UTC)
    )
    coachee.language = "nl"
    coachee.save()
    client.force_login(coachee)
    text = client.get(_detail(dialogue)).text
    # 09:05 UTC is 10:05 in Amsterdam, written the Dutch way.
    assert "14 maart 2026 10:05" in text


@pytest.mark.parametrize("destroy", ["withdraw", "remove"])
def test_an_edit_that_lost_the_race_cannot_bring_content_back(dialogue, coach, destroy):
    from dialogue import access, services

    message = post(dialogue, coach, "First version")
    stale = access.get_message_for(coach, dialogue.pk, message.pk)  # the edit form's copy
    fresh = access.get_message_for(coach, dialogue.pk, message.pk)
    if destroy == "withdraw":
        services.withdraw_message(fresh, coach)
    else:
        services.remove_message(fresh, coach)
    with pytest.raises(ValidationError):
        services.edit_message(stale, coach, "SENSITIVE edited text")
    assert _raw_body(message.pk) is None


def test_the_end_of_a_trajectory_does_not_move_with_the_readers_time_zone(
    client, dialogue, trajectory, coachee
):
    from pluform import dates

    trajectory.ended_on = dates.today() - datetime.timedelta(days=1)
    trajectory.save(update_fields=["ended_on"])
    coachee.time_zone = "Etc/GMT+12"  # twelve hours behind: still "yesterday" there for a while
    coachee.save(update_fields=["time_zone"])
    client.force_login(coachee)
    response = client.post(
        reverse("dialogue:post_message", args=[dialogue.pk]), {"body": "Still here?"}
    )
    assert response.status_code == 200
    assert not Message.objects.filter(dialogue=dialogue).exists()
