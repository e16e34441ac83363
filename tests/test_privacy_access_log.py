"""The access log: a coach or coachee reads what was done with their own data, and by whom."""

import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.roles import Role
from privacy.access_log import describe, events_for
from privacy.audit import Action, Outcome, record
from tests.factories.accounts import StaffFactory
from tests.factories.dialogue import one_to_one
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

URL = reverse("privacy:access_log")
ROW = re.compile(r"<tr>\s*<td class=\"row-title\"><time ")


def _rows(response) -> int:
    return len(ROW.findall(response.content.decode()))


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


def test_coachee_sees_the_coach_who_read_their_dialogue(coach, coachee, dialogue):
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    response = signed_in(coachee).get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Carla Ravestein" in text
    assert "viewed" in text
    assert "Dialogue" in text
    assert "no-store" in response["Cache-Control"]
    assert "Also show what I did myself" in text
    assert reverse("privacy:statement") in text


def test_coach_sees_their_own_log(coach, coachee, dialogue):
    record(None, Action.VIEW, actor=coachee, subject=coach, obj=dialogue)
    text = page_text(signed_in(coach).get(URL))
    assert "Eva Zwanenburg" in text


@pytest.mark.parametrize(
    ("role", "words"),
    [
        (Role.CUSTOMER_SERVICE, "Pluform IT (Customer service)"),
        (Role.ICT_LINE_MANAGER, "Pluform IT (ICT line manager)"),
        (Role.ACCOUNT_MANAGER, "Pluform IT (Account manager)"),
        (Role.IT_ADMIN, "Pluform IT (IT administrator)"),
    ],
)
def test_staff_show_as_pluform_it_never_by_name(coachee, role, words):
    staff = StaffFactory(role=role, first_name="Barnabas", last_name="Quirijnsz")
    record(None, Action.CHANGE, actor=staff, subject=coachee, obj=coachee)
    text = page_text(signed_in(coachee).get(URL))
    assert words in text
    assert "Barnabas" not in text
    assert "Quirijnsz" not in text


def test_organisation_manager_and_system_in_words(coachee, org_manager):
    record(None, Action.CHANGE, actor=org_manager, subject=coachee, obj=coachee)
    record(None, Action.KEY_DESTRUCTION, subject=coachee)
    text = page_text(signed_in(coachee).get(URL))
    assert "Your organisation's manager" in text
    assert "Oudewater" not in text
    assert "Pluform (automatic)" in text
    assert "key destroyed" in text


def test_deleted_actor_shows_as_their_role(coach, coachee, other_coach, dialogue):
    record(None, Action.VIEW, actor=other_coach, subject=coachee, obj=dialogue)
    User.objects.filter(pk=other_coach.pk).delete()
    text = page_text(signed_in(coachee).get(URL))
    assert "Quakkelaar" not in text
    assert re.search(r"<td data-label=\"Who\">Coach</td>", text)


def test_outcome_and_request_step(coach, coachee, dialogue):
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue, outcome=Outcome.DENIED)
    record(None, Action.REQUEST_STEP, actor=coach, subject=coachee, obj=coachee, detail="forwarded")
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue, detail="dossier")
    text = page_text(signed_in(coachee).get(URL))
    assert "denied" in text
    assert "data-subject request step" in text
    assert "(forwarded)" in text
    assert "dossier" not in text  # only a request step shows its detail


def test_own_actions_hidden_unless_asked(coach, coachee, dialogue):
    record(None, Action.DOWNLOAD, actor=coachee, subject=coachee, obj=dialogue)
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    client = signed_in(coachee)  # signing in is recorded too, as the coachee's own action
    hidden = client.get(URL)
    assert _rows(hidden) == 1
    assert "downloaded" not in hidden.content.decode()
    assert ">You<" not in hidden.content.decode()
    shown = client.get(URL, {"mine": "1"})
    assert _rows(shown) == 3
    assert "downloaded" in shown.content.decode()
    assert "logged in" in shown.content.decode()
    assert ">You<" in shown.content.decode()
    assert 'name="mine" value="1" checked' in shown.content.decode()


def test_events_about_someone_else_are_never_shown(coach, coachee, stranger_coachee, dialogue):
    record(None, Action.VIEW, actor=coach, subject=stranger_coachee, obj=dialogue)
    record(None, Action.DOWNLOAD, actor=coachee, subject=stranger_coachee, obj=dialogue)
    client = signed_in(coachee)
    assert _rows(client.get(URL)) == 0
    response = client.get(URL, {"mine": "1"})
    assert _rows(response) == 1  # the coachee signing in
    text = page_text(response)
    assert "Carla Ravestein" not in text
    assert "downloaded" not in text
    assert {e.subject_uuid for e in events_for(coachee, include_own=True)} == {coachee.uuid}


@pytest.mark.parametrize(
    "actor", ["org_manager", "customer_service", "ict_line_manager", "account_manager", "it_admin"]
)
def test_other_roles_get_404(request, actor):
    user = request.getfixturevalue(actor)
    assert signed_in(user).get(URL).status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_post_is_not_allowed(coachee):
    assert signed_in(coachee).post(URL).status_code == 405


def test_page_follows_the_users_language(coach, coachee, dialogue):
    User.objects.filter(pk=coachee.pk).update(language="nl")
    coachee.refresh_from_db()
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    response = signed_in(coachee).get(URL)
    assert response.status_code == 200
    assert '<html lang="nl"' in response.text
    assert _rows(response) == 1


def test_rows_are_described_in_the_active_language(coach, coachee, dialogue):
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    [row] = describe(events_for(coachee), coachee)
    assert (row.who, row.what, row.data, row.outcome, row.step) == (
        "Carla Ravestein",
        "viewed",
        "Dialogue",
        "",
        "",
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The paginator's count and one page of events with their actors: nothing per row.
    log_queries = [q["sql"] for q in queries if "privacy_auditevent" in q["sql"]]
    assert len(log_queries) == 2, log_queries
    return len(queries)


def test_query_count_does_not_grow_with_the_events(coach, coachee, other_coach, dialogue):
    client = signed_in(coachee)
    client.get(URL)  # the session's first request does its one-off work
    actors = [coach, other_coach]
    for n in range(10):
        record(None, Action.VIEW, actor=actors[n % 2], subject=coachee, obj=dialogue)
    few = _queries(client, URL)
    for n in range(290):
        record(None, Action.VIEW, actor=actors[n % 2], subject=coachee, obj=dialogue)
    many = _queries(client, URL)
    assert few == many
    assert _queries(client, f"{URL}?page=3&mine=1") == many


def test_pagination(coach, coachee, dialogue):
    for _n in range(60):
        record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    client = signed_in(coachee)
    first = client.get(URL)
    assert _rows(first) == 50
    assert "Page 1 of 2" in page_text(first)
    assert "?page=2" in first.content.decode()
    second = client.get(URL, {"page": "2"})
    assert _rows(second) == 10
    with_own = client.get(URL, {"mine": "1"})
    assert "?mine=1&amp;page=2" in with_own.content.decode()


def test_newest_first(coach, coachee, other_coach, dialogue):
    record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    record(None, Action.VIEW, actor=other_coach, subject=coachee, obj=dialogue)
    text = page_text(signed_in(coachee).get(URL))
    assert text.index("Otto Quakkelaar") < text.index("Carla Ravestein")


def test_times_are_in_the_users_time_zone(coach, coachee, dialogue):
    User.objects.filter(pk=coachee.pk).update(time_zone="Asia/Tokyo")
    event = record(None, Action.VIEW, actor=coach, subject=coachee, obj=dialogue)
    local = timezone.localtime(event.at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    text = page_text(signed_in(coachee).get(URL))
    assert date_format(local, "DATETIME_FORMAT") in text
