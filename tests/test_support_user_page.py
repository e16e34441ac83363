"""A user's page for staff: identification data and login attempts, audited, no photo or billing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import services
from accounts.models import LoginAttempt
from pluform.uploads import validate_upload
from privacy.audit_models import Action, AuditEvent
from tests.factories.accounts import CoacheeFactory
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = pytest.mark.django_db

Outcome = LoginAttempt.Outcome


def _page(client, user, **params):
    return client.get(reverse("support:user", args=[user.uuid]), params)


def test_page_shows_every_identification_field(client, customer_service, coachee):
    coachee.first_name, coachee.last_name = "Eva", "Jansen"
    coachee.birth_date = datetime.date(1990, 3, 14)
    coachee.gender = "female"
    coachee.phone = "+31 6 1234 5678"
    coachee.language = "nl"
    coachee.last_activity_at = timezone.now()
    coachee.save()
    client.force_login(customer_service)
    text = _page(client, coachee).text
    for expected in [
        "coachee@example.com",
        "Eva",
        "Jansen",
        "Dutch",
        "14 March 1990",
        "Female",
        "+31 6 1234 5678",
        "Coachee",
        "Praktijk De Linde",
        "Active",
        "Not set up",  # coachees have no authenticator from the factory
        "Not restricted",
    ]:
        assert expected in text, expected


def test_page_says_when_two_factor_is_set_up_and_processing_is_restricted(client, it_admin, coach):
    coach.processing_restricted_at = timezone.now()
    coach.restriction_reason = "objection filed about the dossier"
    coach.save()
    client.force_login(it_admin)
    text = _page(client, coach).text
    assert "Set up" in text and "Not set up" not in text
    assert "Restricted" in text
    assert "objection filed" not in text  # the reason is the request's business, not support's


def test_opening_a_user_page_writes_an_audit_event(client, customer_service, coachee):
    client.force_login(customer_service)
    _page(client, coachee)
    event = AuditEvent.objects.filter(action=Action.VIEW).get()
    assert event.actor == customer_service
    assert event.actor_role == "customer_service"
    assert event.subject_uuid == coachee.uuid
    assert event.subject_kind == "user:coachee"
    assert event.object_type == "accounts.user"
    assert event.object_uuid == coachee.uuid
    assert event.detail == "support view"


def test_account_manager_opening_a_user_page_is_audited_too(client, account_manager, coachee):
    client.force_login(account_manager)
    _page(client, coachee)
    assert AuditEvent.objects.filter(
        action=Action.VIEW, actor_uuid=account_manager.uuid, subject_uuid=coachee.uuid
    ).exists()


def test_refused_page_writes_no_audit_event(client, org_manager, coachee):
    client.force_login(org_manager)
    assert _page(client, coachee).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_page_never_shows_the_photo_or_coach_billing_data(client, ict_line_manager, coach):
    services.set_photo(coach, validate_upload(_png(), kinds=("image",)))
    profile = coach.coach_profile
    profile.iban = "NL91ABNA0417164300"
    profile.billing_address = "Kerkstraat 1, Utrecht"
    profile.invoice_email = "invoices@carla.example"
    profile.product = "Pluform Pro"
    profile.save()
    client.force_login(ict_line_manager)
    text = _page(client, coach).text
    assert reverse("accounts:photo", args=[coach.uuid]) not in text
    assert "<img" not in text
    for billing in ["NL91ABNA0417164300", "Kerkstraat", "invoices@carla.example", "Pluform Pro"]:
        assert billing not in text


def test_login_attempts_show_time_outcome_network_and_browser(client, customer_service, coachee):
    LoginAttemptFactory(
        user=coachee,
        outcome=Outcome.BAD_CREDENTIALS,
        ip_network="198.51.100.0/24",
        user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    )
    # A refused attempt carries only the address as typed.
    LoginAttemptFactory(email=coachee.email, outcome=Outcome.RATE_LIMITED, ip_network="")
    LoginAttemptFactory(email="someone-else@example.com", ip_network="192.0.2.0/24")
    client.force_login(customer_service)
    response = _page(client, coachee)
    attempts = list(response.context["attempts"])
    assert [attempt.outcome for attempt in attempts] == [
        Outcome.RATE_LIMITED,
        Outcome.BAD_CREDENTIALS,
    ]
    assert "198.51.100.0/24" in response.text
    assert "Safari · macOS" in response.text
    assert "Wrong e-mail address or password" in response.text
    assert "Refused: too many attempts" in response.text
    assert "192.0.2.0/24" not in response.text


def test_login_attempts_come_25_to_a_page(client, customer_service, coachee):
    for minutes in range(30):
        LoginAttemptFactory(user=coachee, at=timezone.now() - datetime.timedelta(minutes=minutes))
    client.force_login(customer_service)
    first = _page(client, coachee)
    assert len(first.context["attempts"]) == 25
    assert "?page=2" in first.text
    second = _page(client, coachee, page=2)
    assert len(second.context["attempts"]) == 5
    assert first.context["attempts"][0].at > second.context["attempts"][0].at


def test_times_are_shown_in_the_readers_language(client, customer_service, coachee):
    coachee.date_joined = datetime.datetime(2024, 3, 14, 9, 30, tzinfo=datetime.UTC)
    coachee.save()
    customer_service.language = "nl"
    customer_service.save()
    client.force_login(customer_service)
    text = _page(client, coachee).text
    assert "14 maart 2024 10:30" in text  # Amsterdam time, Dutch month


def test_user_page_query_count_is_the_same_for_1_and_30_attempts(
    client, customer_service, django_assert_num_queries
):
    person = CoacheeFactory()
    LoginAttemptFactory(user=person)
    client.force_login(customer_service)
    _page(client, person)  # the session's first-request work and the audit chain head exist
    with CaptureQueriesContext(connection) as one:
        response = _page(client, person)
    assert len(response.context["attempts"]) == 1
    for _ in range(29):
        LoginAttemptFactory(user=person)
    with django_assert_num_queries(len(one)):
        response = _page(client, person)
    assert len(response.context["attempts"]) == 25
