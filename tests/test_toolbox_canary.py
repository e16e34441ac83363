"""A marker written into a toolbox item, as its title, tags, description, web address or file
name, is stored only as ciphertext and never reaches an e-mail, a log record, the
organisation admin (storage use included), the IT admin, a support page, or any page that
an organisation manager, a Pluform staff member or a stranger can open."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.models import NotificationChoice
from pluform.notices import services as notices
from privacy.models import AuditEvent
from tests.documents import body, plain_routes, shows
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.toolbox import upload
from toolbox import media
from toolbox.models import Item, ItemFile, Share

pytestmark = pytest.mark.django_db

# Lower case, so that it survives as the host name of the web address too.
MARKER = "canary-3c8f-toolbox"
URL = f"https://{MARKER}.example.org/{MARKER}/artikel?over={MARKER}"
NO_CONTENT_ROLES = [
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "account_manager",
    "it_admin",
]
ADD = reverse("toolbox:add")
INDEX = reverse("toolbox:index")


def _url(name, item):
    return reverse(f"toolbox:{name}", args=[item.pk])


@pytest.fixture
def colleague_coachee(organisation, other_coach):
    person = CoacheeFactory(
        organisation=organisation,
        first_name="Cas",
        last_name="Colijn",
        message_notifications=NotificationChoice.DAILY,
    )
    TrajectoryFactory(coachee=person, coaches=[other_coach])
    return person


def _post(client, capture, url, data):
    """A page's POST, with what it schedules (notices) delivered at once, while it is news."""
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code, body(response)[:2000])
    return response


@pytest.fixture
def written(client, actors, colleague_coachee, django_capture_on_commit_callbacks):
    """Everything written through the pages, the marker in every field that is content:
    the coach adds a file (in the library, shared at once) and a link, shares, changes,
    withdraws and shares again; the coachee adds a drawing for the coach; the colleague
    passes the library item on to their own coachee."""
    coach, coachee, colleague = actors["coach"], actors["coachee"], actors["other_coach"]
    capture = django_capture_on_commit_callbacks
    client.force_login(coach)
    _post(
        client,
        capture,
        ADD,
        {
            "file": upload(f"{MARKER}.pdf", media.pdf_page([f"Inhoud {MARKER}"])),
            "title": f"Werkblad {MARKER}",
            "description": f"Uitleg {MARKER}",
            "tags": f"{MARKER}, slaap",
            "published": "on",
            "recipients": [coachee.pk],
        },
    )
    worksheet = Item.objects.get(kind="document")
    _post(
        client,
        capture,
        ADD,
        {
            "url": URL,
            "title": f"Artikel {MARKER}",
            "description": f"Over {MARKER}",
            "tags": f"lezen, tag-{MARKER}",
        },
    )
    link = Item.objects.get(kind="link")
    _post(client, capture, _url("share", link), {"recipients": [coachee.pk]})
    _post(
        client,
        capture,
        _url("edit", link),
        {
            "url": URL,
            "title": f"Artikel {MARKER}",
            "description": f"Nieuwe uitleg {MARKER}",
            "tags": f"lezen, tag-{MARKER}",
        },
    )
    revoke = reverse("toolbox:revoke", args=[link.pk, coachee.pk])
    _post(client, capture, revoke, {})
    _post(client, capture, _url("share", link), {"recipients": [coachee.pk]})

    client.force_login(coachee)
    assert MARKER in client.get(INDEX, {"section": "received"}).text  # seen: no more e-mail
    _post(
        client,
        capture,
        ADD,
        {
            "file": upload(f"{MARKER}-tekening.png", media.png_image()),
            "title": f"Tekening {MARKER}",
            "description": f"Mijn plek {MARKER}",
            "tags": MARKER,
            "recipients": [coach.pk],
        },
    )
    drawing = Item.objects.get(kind="image")

    client.force_login(colleague)
    _post(client, capture, _url("share", worksheet), {"recipients": [colleague_coachee.pk]})
    # The colleague's coachee wants a daily digest.
    with capture(execute=True):
        notices.send_daily_digest(colleague_coachee.pk)
    client.logout()
    return {"worksheet": worksheet, "link": link, "drawing": drawing}


def _raw_database_text() -> str:
    """Every column of every row of every table, as an attacker with the database sees it."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("latin-1")
                    parts.append(str(value))
    return "\n".join(parts)


def test_the_owner_and_the_recipients_read_every_canary(client, actors, colleague_coachee, written):
    """Positive control: the marker is really there, for those who may read it."""
    coach, coachee = actors["coach"], actors["coachee"]
    worksheet, link, drawing = written["worksheet"], written["link"], written["drawing"]
    client.force_login(coach)
    page = client.get(_url("item", link)).text
    for text in (
        f"Artikel {MARKER}",
        f"Nieuwe uitleg {MARKER}",
        f"tag-{MARKER}",
        URL,
    ):
        assert text in page, text
    page = client.get(_url("item", worksheet)).text
    assert f"{MARKER}.pdf" in page and f"Uitleg {MARKER}" in page
    response = client.get(_url("file", worksheet) + "?download=1")
    assert f"{MARKER}.pdf" in response["Content-Disposition"]
    assert MARKER.encode() in b"".join(response.streaming_content)  # and in the file itself
    assert f"{MARKER}-tekening.png" in client.get(_url("item", drawing)).text
    assert MARKER in client.get(INDEX, {"section": "received"}).text
    client.force_login(coachee)
    assert f"{MARKER}.example.org" in client.get(INDEX, {"section": "received"}).text
    client.force_login(colleague_coachee)
    assert f"Werkblad {MARKER}" in client.get(_url("item", worksheet)).text
    assert Share.objects.count() == 4


def test_canaries_are_stored_encrypted_and_stay_out_of_e_mails_and_logs(
    actors, colleague_coachee, caplog, django_capture_on_commit_callbacks, request
):
    caplog.set_level(logging.DEBUG)
    request.getfixturevalue("written")
    assert ItemFile.objects.count() == 2

    database = _raw_database_text().casefold()
    assert "zwanenburg" in database  # the scan does read plain columns
    assert MARKER not in database
    # The stored files: random names, encrypted contents.
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path
            assert MARKER not in str(path)

    # Told: the coachee, the coach (the drawing) and, in a digest, the colleague's coachee.
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert actors["coach"].email in recipients
    assert actors["coachee"].email in recipients
    assert colleague_coachee.email in recipients
    for email in mail.outbox:
        text = email.subject + email.body + "".join(part for part, _ in email.alternatives)
        assert MARKER not in text.casefold(), email.subject

    assert caplog.records
    for record in caplog.records:
        assert MARKER not in record.getMessage().casefold()
        assert MARKER not in str(record.args).casefold()


def _pages(written, actors, trajectory):
    coach, coachee = actors["coach"], actors["coachee"]
    items = written.values()
    toolbox = [
        *(_url(name, item) for item in items for name in ("item", "edit", "delete", "file")),
        reverse("toolbox:share_many") + "?" + "&".join(f"items={item.pk}" for item in items),
        INDEX + "?section=organisation",
        INDEX + "?section=received",
        INDEX + "?section=organisation&q=Werkblad",
    ]
    organisation = [
        "/organisation/toolbox/",
        "/organisation/toolbox/coachstorage/?o=3",
        f"/organisation/toolbox/coachstorage/{coach.pk}/change/",
        f"/organisation/toolbox/coachstorage/{coach.pk}/history/",
        f"/organisation/accounts/trajectory/{trajectory.pk}/change/",
        f"/organisation/accounts/organisationcoach/{coach.pk}/change/",
        f"/organisation/accounts/organisationcoachee/{coachee.pk}/change/",
    ]
    it_admin = [
        "/admin/toolbox/",
        f"/admin/accounts/user/{coach.pk}/change/",
        f"/admin/accounts/user/{coachee.pk}/change/",
        f"/admin/accounts/trajectory/{trajectory.pk}/change/",
        *(f"/admin/privacy/auditevent/{event.pk}/change/" for event in AuditEvent.objects.all()),
    ]
    support = [
        reverse("support:user", args=[coach.uuid]),
        reverse("support:user", args=[coachee.uuid]),
        reverse("support:users") + "?q=" + coachee.email,
    ]
    return [*plain_routes(), *toolbox, *organisation, *it_admin, *support]


@pytest.mark.parametrize("role", [*NO_CONTENT_ROLES, "stranger_coach", "stranger_coachee"])
def test_no_page_a_manager_staff_member_or_stranger_opens_shows_a_canary(
    client, actors, trajectory, written, django_capture_on_commit_callbacks, caplog, role
):
    caplog.set_level(logging.DEBUG)
    pages = _pages(written, actors, trajectory)
    assert len(AuditEvent.objects.all()) > 5  # the item views and shares were recorded
    client.force_login(actors[role])
    with django_capture_on_commit_callbacks(execute=True):
        for url in pages:
            response = client.get(url, follow=True)
            assert not shows(response, MARKER), (role, url)
        for item in written.values():
            for name in ("edit", "delete", "share"):
                response = client.post(
                    _url(name, item), {"title": "x", "recipients": [actors["coachee"].pk]}
                )
                assert response.status_code == 404 and not shows(response, MARKER), (role, name)
    for email in mail.outbox:
        assert MARKER not in (email.subject + email.body).casefold()
    for record in caplog.records:
        assert MARKER not in (record.getMessage() + str(record.args)).casefold()
    # Nothing these visits recorded (audit events, notices, sessions) holds it either.
    assert MARKER not in _raw_database_text().casefold()


def test_the_storage_use_list_shows_numbers_only(client, actors, written):
    coach, manager = actors["coach"], actors["org_manager"]
    client.force_login(manager)
    url = "/organisation/toolbox/coachstorage/"
    assert url in client.get("/organisation/").text
    response = client.get(url)
    assert response.status_code == 200 and not shows(response, MARKER)
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert set(rows) == {coach.pk, actors["other_coach"].pk}  # coaches of this organisation
    stored = sum(ItemFile.objects.filter(item__owner=coach).values_list("size", flat=True))
    assert (rows[coach.pk].item_count, rows[coach.pk].stored_bytes) == (2, stored)
    assert (
        rows[actors["other_coach"].pk].item_count,
        rows[actors["other_coach"].pk].stored_bytes,
    ) == (0, 0)
    # Searching for the marker finds nobody (the search box echoes what was typed).
    found = client.get(url, {"q": MARKER}).context["cl"]
    assert found.result_count == 0
    assert client.get(url, {"q": "Ravestein"}).context["cl"].result_count == 1


def test_the_storage_use_of_a_coach_opens_no_page_with_their_account_details(client, actors):
    """Only the list: a change page of this User proxy would show the manager every field of
    the coach's account read-only, the password hash and the restriction reason included."""
    coach, manager = actors["coach"], actors["org_manager"]
    coach.restriction_reason = "Reason only IT may read"
    coach.save()
    client.force_login(manager)
    for page in ("change", "history"):
        response = client.get(f"/organisation/toolbox/coachstorage/{coach.pk}/{page}/")
        text = body(response)
        assert response.status_code == 403, page
        assert coach.password not in text and "Reason only IT may read" not in text
