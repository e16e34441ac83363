import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def profile_data(**changes):
    return {
        "first_name": "Eva",
        "last_name": "de Wit",
        "language": "en",
        "time_zone": "Europe/Amsterdam",
        "birth_date": "1990-04-01",
        "gender": "female",
        "phone": "+31 6 12345678",
        "message_notifications": "daily",
        **changes,
    }


def test_profile_page_shows_own_details(client, coachee):
    client.force_login(coachee)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert coachee.email in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_coachee_corrects_their_own_details(client, coachee):
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.last_name == "de Wit"
    assert str(coachee.birth_date) == "1990-04-01"
    assert coachee.phone == "+31 6 12345678"
    assert coachee.message_notifications == "daily"


def test_profile_cannot_change_role_or_organisation(client, coachee, other_organisation):
    client.force_login(coachee)
    client.post(
        reverse("accounts:profile"),
        profile_data(role="it_admin", organisation=other_organisation.pk, email="x@y.z"),
    )
    coachee.refresh_from_db()
    assert coachee.role == "coachee"
    assert coachee.organisation != other_organisation
    assert coachee.email == "coachee@example.com"


def test_invalid_input_re_renders_and_stores_nothing(client, coachee):
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data(birth_date="not a date"))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    coachee.refresh_from_db()
    assert coachee.last_name != "de Wit"


def test_language_switches_immediately(client, coachee):
    coachee.language = "en"
    coachee.save()
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data(language="nl"), follow=True)
    assert '<html lang="nl">' in response.text


def test_email_change_requires_reauthentication(client, coachee):
    client.force_login(coachee)
    response = client.get(reverse("accounts:change_email"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("accounts:change_email"), {"email": "eva@new.example"})
    coachee.refresh_from_db()
    assert coachee.email == "coachee@example.com"


def reauthenticate(client):
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def test_email_change_after_reauthentication_warns_the_old_address(
    client, coachee, django_capture_on_commit_callbacks
):
    client.force_login(coachee)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:change_email"), {"email": "Eva@New.Example"})
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.email == "eva@new.example"
    assert list(EmailAddress.objects.filter(user=coachee).values_list("email", flat=True)) == [
        "eva@new.example"
    ]
    assert mail.outbox[-1].to == ["coachee@example.com"]


def test_old_address_no_longer_logs_in_after_the_change(client, coachee):
    client.force_login(coachee)
    reauthenticate(client)
    client.post(reverse("accounts:change_email"), {"email": "eva@new.example"})
    client.logout()
    client.post(reverse("account_login"), {"login": "coachee@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(reverse("account_login"), {"login": "eva@new.example", "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_email_already_in_use_is_refused(client, coachee, coach):
    client.force_login(coachee)
    reauthenticate(client)
    response = client.post(reverse("accounts:change_email"), {"email": coach.email})
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert coachee.email == "coachee@example.com"


def test_allauths_email_page_leads_to_our_email_change(client, coachee):
    client.force_login(coachee)
    response = client.get("/accounts/email/")
    assert response["Location"] == reverse("accounts:change_email")


def test_nav_links_to_the_profile(client, coachee):
    client.force_login(coachee)
    assert reverse("accounts:profile") in client.get(reverse("home")).text


def test_coachee_abroad_chooses_a_time_zone_and_sees_times_in_it(client, coachee, trajectory):
    from dialogue.models import Message
    from dialogue.services import ensure_trajectory_dialogue

    dialogue = ensure_trajectory_dialogue(trajectory)
    message = Message.objects.create(dialogue=dialogue, author=coachee, body="hello")
    Message.objects.filter(pk=message.pk).update(
        created_at=datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    )
    client.force_login(coachee)
    client.post(reverse("accounts:profile"), profile_data(time_zone="America/Curacao"))
    coachee.refresh_from_db()
    assert coachee.time_zone == "America/Curacao"
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    assert "1 July 2026, 08:00" in page  # 12:00 UTC is 08:00 on Curaçao


def test_an_unknown_time_zone_is_refused(client, coachee):
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert coachee.time_zone == "Europe/Amsterdam"
