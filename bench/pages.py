"""The pages `make bench` loads, who loads them, and their SQL queries per request."""

from dataclasses import dataclass, field

from bench import server, sessions


@dataclass
class Page:
    name: str
    path: str
    session: str
    method: str = "GET"
    expect: int = 200
    csrf: str | None = None
    # (a piece of markup, how often it appears): the page shows what we say it measures
    items: tuple[bytes, int] | None = None
    queries: int | None = None
    runs: list = field(default_factory=list)

    @property
    def cookie(self) -> str:
        return sessions.cookie_header(self.session, self.csrf)


def build(seeded) -> list[Page]:
    """Dialogue A is read (newest 50 of its messages); messages are posted into dialogue B,
    of another coachee with another coach, so the pages read stay the same size."""
    from django.urls import reverse

    coachee, other = seeded.coachees[0], seeded.coachees[1 % len(seeded.coachees)]
    coach = seeded.coaches[0]
    dialogue_a, dialogue_b = seeded.dialogues[0], seeded.dialogues[1 % len(seeded.dialogues)]
    as_coachee = sessions.login_session(coachee)
    as_coach = sessions.login_session(coach)
    as_poster = sessions.login_session(other)
    detail_a = reverse("dialogue:detail", args=[dialogue_a.pk])
    messages = (b'<li class="dialogue-message', min(seeded.messages_per_dialogue, 50))
    assignment = seeded.assignments[0]
    return [
        Page("bare reference", reverse("bench:bare"), as_coachee),
        Page("naive reference (50 rows)", reverse("bench:naive"), as_coachee, items=(b"<tr>", 51)),
        Page("dialogue page, coachee", detail_a, as_coachee, items=messages),
        Page("dialogue page, coach", detail_a, as_coach, items=messages),
        Page("inbox, coach", reverse("dialogue:inbox"), as_coach),
        Page("inbox, coachee", reverse("dialogue:inbox"), as_coachee),
        Page(
            "interventions, coach (review list)",
            reverse("interventions:index"),
            as_coach,
            items=(b'<span class="status ', 50),
        ),
        Page("interventions, coachee", reverse("interventions:index"), as_coachee),
        Page(
            "fill-in step, coachee",
            reverse(
                "interventions:step", args=[assignment.pk, assignment.version.parsed.steps[0].key]
            ),
            as_coachee,
        ),
        Page(
            "toolbox, coach (my library)",
            reverse("toolbox:index"),
            as_coach,
            items=(b'<input type="checkbox" name="items"', 50),
        ),
        Page(
            "toolbox, coachee (shared with me)",
            reverse("toolbox:index"),
            as_coachee,
            items=(b'<span class="tag">ontspanning', 50),
        ),
        Page(
            "toolbox search, coach",
            reverse("toolbox:index") + "?q=adem+week",
            as_coach,
        ),
        *_dossier_pages(seeded, coach, as_coach),
        *_privacy_pages(seeded, as_coachee),
        Page(
            "post a message",
            reverse("dialogue:post_message", args=[dialogue_b.pk]),
            as_poster,
            method="POST",
            expect=302,
            csrf=sessions.csrf_token(),
        ),
    ]


def _dossier_pages(seeded, coach, as_coach) -> list[Page]:
    """The coach's dashboard, "my coachees", the first coachee's dossier and the timesheet of
    last month (a whole month, so its size does not depend on the day of the run)."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from bench.seed import REPORTS_PER_COACHEE
    from dossier import dashboard, queries, timesheet
    from dossier.models import TimeEntry
    from pluform import dates

    # coachees[i] is coached by coaches[i % len(coaches)]
    own = seeded.coachees[:: len(seeded.coaches)]
    quiet_since = timezone.now() - dashboard.INACTIVE_AFTER
    inactive = sum(1 for c in own if not c.last_activity_at or c.last_activity_at < quiet_since)
    last_month = dates.today().replace(day=1) - datetime.timedelta(days=1)
    month = last_month.strftime("%Y-%m")
    entries = TimeEntry.objects.filter(
        coach=coach, worked_on__gte=last_month.replace(day=1), worked_on__lte=last_month
    ).count()
    dossier_path, timesheet_path = reverse("dossier:coachees"), reverse("timesheet:index")
    return [
        Page(
            "dashboard, coach",
            reverse("home"),
            as_coach,
            # rows of "inactive coachees": a name, then when last active (rows of "ending
            # soon" look the same, but no seeded trajectory ends)
            items=(b'</a> <span class="muted">', min(inactive, dashboard.LIST_LIMIT)),
        ),
        Page(
            "my coachees, coach",
            reverse("dossier:coachees"),
            as_coach,
            items=(f'<td><a href="{dossier_path}'.encode(), min(len(own), queries.PER_PAGE)),
        ),
        Page(
            "dossier page, coach",
            reverse("dossier:coachee", args=[seeded.coachees[0].pk]),
            as_coach,
            items=(f'<tr><td><a href="{dossier_path}reports/'.encode(), REPORTS_PER_COACHEE),
        ),
        Page(
            "timesheet, coach",
            f"{timesheet_path}?start={month}&end={month}",
            as_coach,
            items=(f'<td><a href="{timesheet_path}'.encode(), min(entries, timesheet.PER_PAGE)),
        ),
    ]


def _privacy_pages(seeded, as_coachee) -> list[Page]:
    """The first coachee's access log (the seeded reads by their coach: thousands, 50 a page)
    and Pluform's queue of data-subject requests, as the account manager who holds them."""
    from django.urls import reverse

    from privacy import access_log, queues, request_views

    requests_path = reverse("privacy:requests")
    # Both of the queue's tables list the requests waiting for the account manager: "Waiting
    # for you" (the first few) and a page of "All requests that reached Pluform".
    waiting = seeded.data_requests
    return [
        Page(
            "access log, coachee",
            reverse("privacy:access_log"),
            as_coachee,
            items=(
                b'<td class="row-title"><time datetime="',
                min(seeded.access_events, access_log.PER_PAGE),
            ),
        ),
        Page(
            "request queue, account mgr",
            requests_path,
            sessions.login_session(seeded.account_manager),
            items=(
                f'<td><a href="{requests_path}'.encode(),
                min(waiting, queues.HELD_SHOWN) + min(waiting, request_views.PER_PAGE),
            ),
        ),
    ]


def _send(client, page, number):
    if page.method == "POST":
        return client.post(page.path, {"body": f"Telling van de queries, bericht {number}."})
    return client.get(page.path)


def count_queries(page: Page) -> int:
    """Queries of one request in this process (same database and settings as the server),
    after a first request, as a worker that has served the page before."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = page.session
    _send(client, page, 1)
    with CaptureQueriesContext(connection) as captured:
        response = _send(client, page, 2)
    if response.status_code != page.expect:
        raise RuntimeError(f"{page.name}: status {response.status_code}, not {page.expect}")
    if page.items and response.content.count(page.items[0]) != page.items[1]:
        raise RuntimeError(f"{page.name}: {page.items[0]!r} does not appear {page.items[1]} times")
    return len(captured)


def check(base: str, page: Page) -> None:
    """One request through the server answers with the expected status (so, logged in)."""
    headers = {"Cookie": page.cookie}
    data = None
    if page.method == "POST":
        headers.update({"X-CSRFToken": page.csrf})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = b"body=Controle+voor+de+meting."
    status = server.fetch(base + page.path, headers=headers, data=data)
    if status != page.expect:
        raise RuntimeError(f"{page.name}: the server answered {status}, not {page.expect}")
