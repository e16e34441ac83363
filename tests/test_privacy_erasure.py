"""Erasure (regulation 1.2.6.3, 1.3.5.3): a coachee erases their own account after their
password and a confirmation that says what goes and offers the export first; a coach's
erasure runs on request; a legal hold stops both; the subject and the IT administrator get a
receipt whose manifest holds no personal data. The full scan of the database and storage
after an erasure is tests/test_privacy_erasure_e2e.py."""

import base64
import hashlib
import json
import re
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RestrictionGround, User
from accounts.services import restrict_processing
from dialogue.models import Message
from dossier.models import TimeEntry
from pluform import dates
from pluform.crypto.models import DataKey, ErasureTombstone
from pluform.crypto.scopes import coachee_scope, owner_scope
from privacy import erasure, requests
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from privacy.erasure_models import Departure, Erasure, Ground, LegalHold
from privacy.request_models import Kind
from tests import pages
from tests.factories import dossier as dossier_factories
from tests.factories.dialogue import group, one_to_one, post
from tests.factories.toolbox import file_item, share
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ERASE = reverse("privacy:erase")
DAY = dates.datetime.timedelta(days=1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _client(user, *, reauthenticated=True) -> Client:
    return pages.reauthenticated(user) if reauthenticated else pages.signed_in(user)


@pytest.fixture
def seeded(coach, coachee, trajectory):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Mine")
    post(dialogue, coach, "The coach's")
    dossier_factories.session_report(coach, trajectory, report="A report")
    dossier_factories.time_entry(coach, trajectory)
    file_item(coachee, name="mine.pdf", title="Mine")
    return dialogue


def _receipt_json(response) -> dict:
    href = re.search(r'href="data:application/json;base64,([^"]+)"', response.content.decode())
    return json.loads(base64.b64decode(href.group(1)))


# The confirmation page


def test_the_page_says_what_goes_and_offers_the_export_first(coachee, seeded):
    response = _client(coachee).get(ERASE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Download your data first" in text
    assert reverse("privacy:export") in text
    rows = dict(response.context["rows"])
    assert rows["Messages"] == 2
    assert rows["Session reports"] == 1
    assert rows["Time entries"] == TimeEntry.objects.filter(coachee=coachee).count() >= 1
    assert rows["Toolbox items"] == 1
    assert response.context["files"] == 1


def test_the_privacy_page_links_a_coachee_to_it_and_not_a_coach(coach, coachee):
    assert ERASE in signed_in(coachee).get(reverse("privacy:requests")).content.decode()
    assert ERASE not in signed_in(coach).get(reverse("privacy:requests")).content.decode()


def test_without_the_password_again_nothing_is_erased(coachee, seeded):
    client = _client(coachee, reauthenticated=False)
    # A login more than a few minutes ago: the page asks for the password first.
    session = client.session
    session["account_authentication_records"] = []
    session.save()
    response = client.post(ERASE, {"understood": "on"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert User.objects.filter(pk=coachee.pk).exists()
    assert not Erasure.objects.exists()


def test_without_the_confirmation_the_form_says_so_and_nothing_is_erased(coachee, seeded):
    response = _client(coachee).post(ERASE, {})
    assert response.status_code == 200
    assert "Tick the box to confirm that you want this." in page_text(response)
    assert User.objects.filter(pk=coachee.pk).exists()
    assert Message.objects.filter(dialogue=seeded).count() == 2


@pytest.mark.parametrize("why", ["legal_hold", "legal_claim"])
def test_a_legal_hold_or_claim_gives_a_clear_page_and_erases_nothing(
    why, coachee, it_admin, seeded
):
    if why == "legal_hold":
        LegalHold.objects.create(
            subject=coachee, reason="Court case", ends_on=dates.today(), set_by=it_admin
        )
        expected = "A legal hold keeps this data until the hold ends"
    else:
        restrict_processing(coachee, "Claim", ground=RestrictionGround.LEGAL_CLAIM)
        expected = "needed for a legal claim"
    client = _client(coachee)
    shown = client.get(ERASE)
    assert shown.status_code == 409
    assert expected in page_text(shown)
    assert "Erase my account now" not in page_text(shown)
    response = client.post(ERASE, {"understood": "on"})
    assert response.status_code == 409
    assert "Nothing has been erased." in page_text(response)
    assert User.objects.filter(pk=coachee.pk).exists()
    assert not Erasure.objects.exists()
    assert not ErasureTombstone.objects.exists()


def test_a_lifted_or_ended_legal_hold_no_longer_stops_it(coachee, it_admin):
    LegalHold.objects.create(
        subject=coachee, reason="Ended", ends_on=dates.today() - DAY, set_by=it_admin
    )
    LegalHold.objects.create(
        subject=coachee,
        reason="Lifted",
        ends_on=dates.today() + DAY,
        set_by=it_admin,
        lifted_at=dates.timezone.now(),
    )
    assert erasure.refusal(coachee) is None


# Erasing


def test_erasing_removes_the_account_logs_out_and_gives_the_receipt(
    coach, coachee, seeded, committed
):
    client = _client(coachee)
    scope = coachee_scope(coachee)
    assert DataKey.objects.filter(scope=scope).exists()
    mail.outbox.clear()
    with committed():
        response = client.post(ERASE, {"understood": "on"})
    assert response.status_code == 200
    assert "Your account has been erased" in page_text(response)
    assert not User.objects.filter(pk=coachee.pk).exists()
    assert not Message.objects.filter(dialogue=seeded).exists()
    # Logged out: the next page asks to log in.
    assert client.get(reverse("home")).status_code == 302
    key = DataKey.objects.get(scope=scope)
    assert key.destroyed_at is not None and bytes(key.wrapped) == b""
    receipt = Erasure.objects.get()
    assert (receipt.ground, receipt.state, receipt.subject_kind) == (
        Ground.SELF_SERVICE,
        "done",
        "coachee",
    )
    assert receipt.counts["dialogue.message"] == 2
    assert receipt.files == 1 and receipt.keys == 1
    assert ErasureTombstone.objects.filter(subject_uuid=coachee.uuid).exists()
    # The subject's copy names them and carries the manifest whose hash both copies show.
    copy = _receipt_json(response)
    assert copy["erased_person"] == {"name": coachee.get_full_name(), "email": coachee.email}
    manifest = json.dumps(copy["manifest"], sort_keys=True, indent=2).encode() + b"\n"
    assert manifest == receipt.manifest_bytes()
    assert hashlib.sha256(manifest).hexdigest() == copy["manifest_sha256"]
    assert copy["manifest_sha256"] == receipt.manifest_sha256
    assert receipt.manifest_sha256 in page_text(response)


def test_the_it_administrators_copy_holds_no_personal_data(coachee, seeded):
    done = erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    manifest = done.manifest_bytes().decode()
    for personal in (coachee.email, coachee.first_name, coachee.last_name, str(coachee.uuid)):
        assert personal not in manifest


def test_the_coach_hears_that_a_coachee_left_without_name_or_reason(
    coach, coachee, seeded, committed
):
    mail.outbox.clear()
    with committed():
        _client(coachee).post(ERASE, {"understood": "on"})
    (told,) = [message for message in mail.outbox if coach.email in message.to]
    assert told.subject == "A coachee has left Pluform"
    for personal in (coachee.first_name, coachee.last_name, coachee.email):
        assert personal not in told.body
    (receipt,) = [message for message in mail.outbox if coachee.email in message.to]
    assert str(Erasure.objects.get().uuid) in receipt.body


def test_the_coachs_home_page_says_a_coachee_left_until_the_coach_has_seen_it(
    coach, other_coach, coachee, seeded, committed
):
    with committed():
        _client(coachee).post(ERASE, {"understood": "on"})
    client = signed_in(coach)
    text = page_text(client.get(reverse("home")))
    assert "A coachee left Pluform" in text
    assert "the account of one of your coachees was erased" in text
    for personal in (coachee.first_name, coachee.last_name, coachee.email):
        assert personal not in text
    assert "A coachee left Pluform" not in page_text(signed_in(other_coach).get(reverse("home")))

    response = client.post(reverse("privacy:departures_seen"))
    assert response.status_code == 302
    assert "A coachee left Pluform" not in page_text(client.get(reverse("home")))


def test_an_erasure_on_request_tells_the_coach_on_their_home_page_too(
    coach, coachee, seeded, committed
):
    from privacy import tasks

    with committed():
        tasks.erase_subject.apply(args=[str(coachee.pk), Ground.REQUEST])
    assert "A coachee left Pluform" in page_text(signed_in(coach).get(reverse("home")))
    assert [m.subject for m in mail.outbox if coach.email in m.to] == ["A coachee has left Pluform"]


def test_the_home_page_shows_ten_departures_with_the_same_queries_as_one(
    coach, django_assert_max_num_queries
):
    def departures(number):
        for _ in range(number):
            receipt = Erasure.objects.create(
                subject_uuid=uuid.uuid4(), subject_kind="coachee", ground=Ground.SELF_SERVICE
            )
            Departure.objects.create(coach=coach, erasure=receipt)

    client = signed_in(coach)
    departures(1)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    departures(14)
    with django_assert_max_num_queries(len(one)):
        text = page_text(client.get(reverse("home")))
    assert text.count("was erased, with all their data") == 10


def test_a_coachs_own_notices_that_coachees_left_go_with_the_coachs_erasure(coach, coachee, seeded):
    from privacy import receipts

    erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    left = Erasure.objects.get()
    Departure.objects.create(coach=coach, erasure=left)
    done = erasure.erase(coach, ground=Ground.REQUEST)
    assert not Departure.objects.exists()
    assert ("Notices that a coachee left", 1) in receipts.rows(done.counts)


def test_the_erased_coachee_can_no_longer_log_in(coachee, seeded):
    _client(coachee).post(ERASE, {"understood": "on"})
    response = Client().post(
        reverse("account_login"), {"login": coachee.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_their_messages_in_a_group_go_and_the_others_stay(coach, coachee, other_coach, seeded):
    crew = group(coach, [coachee])
    post(crew, coachee, "From the coachee")
    theirs = post(crew, coach, "From the coach")
    erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert list(Message.objects.filter(dialogue=crew)) == [theirs]
    theirs.refresh_from_db()
    assert theirs.body == "From the coach"


def test_the_audit_trail_keeps_the_events_with_a_pseudonym_only(coachee, seeded):
    client = _client(coachee)
    client.post(ERASE, {"understood": "on"})
    events = AuditEvent.objects.filter(subject_uuid=coachee.uuid)
    assert events.filter(action=Action.ERASE).count() == 1
    assert not events.filter(actor__isnull=False, actor_uuid=coachee.uuid).exists()
    assert not User.objects.filter(uuid=coachee.uuid).exists()


def test_every_class_of_data_on_a_receipt_has_a_name(coach, coachee, trajectory, seeded):
    item = file_item(coach, title="Shared")
    share(item, [coachee], by=coach)
    requests.file(coachee, kind=Kind.ACCESS, coach=coach)
    planned = erasure.plan(coachee)
    unnamed = [label for label in planned.counts if erasure.class_title(label) == label]
    assert not unnamed


# A coach's erasure (on request, by the IT administrator)


def test_a_coachs_erasure_leaves_what_they_wrote_to_coachees_with_the_trajectory(
    coach, coachee, trajectory, it_admin, seeded
):
    report = dossier_factories.session_report(coach, trajectory, report="Stays")
    file_item(coach, title="The coach's own")
    done = erasure.erase(coach, ground=Ground.REQUEST, actor=it_admin)
    assert done.subject_kind == "coach" and done.actor_role == "it_admin"
    assert not User.objects.filter(pk=coach.pk).exists()
    bodies = sorted(message.body for message in Message.objects.filter(dialogue=seeded))
    assert bodies == ["Mine", "The coach's"]
    report.refresh_from_db()
    assert report.report == "Stays" and report.author_id is None
    assert DataKey.objects.get(scope=owner_scope(coach)).destroyed_at is not None
    assert DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at is None
    assert done.counts["toolbox.item"] == 1


def test_only_coaches_and_coachees_are_erased_this_way(it_admin, org_manager):
    for person in (it_admin, org_manager):
        assert erasure.refusal(person)


# The IT administrator's pages


def test_the_it_administrator_reads_the_receipts_and_nobody_else(
    coachee, it_admin, account_manager, seeded
):
    done = erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    listing = reverse("admin:privacy_erasure_changelist")
    detail = reverse("admin:privacy_erasure_change", args=[done.uuid])
    page = signed_in(it_admin).get(detail)
    assert page.status_code == 200
    assert done.manifest_sha256 in page_text(page)
    assert signed_in(it_admin).get(listing).status_code == 200
    assert signed_in(account_manager).get(detail).status_code == 403


def test_a_legal_hold_needs_a_reason_and_an_end_date_not_in_the_past(coachee, it_admin):
    add = reverse("admin:privacy_legalhold_add")
    client = signed_in(it_admin)
    yesterday = (dates.today() - DAY).isoformat()
    response = client.post(add, {"subject": coachee.pk, "reason": "", "ends_on": yesterday})
    assert response.status_code == 200
    assert "The end date lies in the past." in page_text(response)
    assert not LegalHold.objects.exists()
    tomorrow = (dates.today() + DAY).isoformat()
    response = client.post(add, {"subject": coachee.pk, "reason": "Inquiry", "ends_on": tomorrow})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.set_by == it_admin
    assert erasure.refusal(coachee)
    assert AuditEvent.objects.filter(subject_uuid=coachee.uuid, detail="legal hold set").exists()


def test_the_it_administrator_lifts_a_legal_hold(coachee, it_admin):
    hold = LegalHold.objects.create(
        subject=coachee, reason="Inquiry", ends_on=dates.today() + DAY, set_by=it_admin
    )
    response = signed_in(it_admin).post(
        reverse("admin:privacy_legalhold_changelist"),
        {"action": "lift", "_selected_action": [hold.pk]},
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert erasure.refusal(coachee) is None
