"""A coachee asks for a copy of their data; the coach forwards the request with advice, the
account manager passes it on and the IT administrator has the copy prepared; coachee and
coach download the ZIP and find the coachee's dialogue in it, while the IT administrator,
who prepared it, cannot open it: the whole journey of an access request in a real browser.

Celery runs eagerly in the tests (settings, TESTING), so the copy is built in the live
server's thread once the IT administrator's step commits; the page is still reloaded a few
times should it show "Being prepared" first.
"""

import datetime
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import dateformat
from playwright.sync_api import expect

from privacy.request_models import AccessArchive, DataRequest, Kind, Status
from tests.browser.axe import Audit, csp_violations, require_axe, serve_axe
from tests.browser.helpers import (
    DESKTOP,
    follow_nav,
    heading,
    local_page,
    log_in,
    log_in_with_totp,
    press,
)
from tests.factories.dialogue import one_to_one, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Markers no page, template or translation holds by chance.
COACHEE_MARKER = "Marker-zq7Kx3-coachee: the night shifts keep me awake."
COACH_MARKER = "Marker-vb9Lm2-coach: shall we try the evening routine?"
MOTIVATION = "I would like to see everything my coach and Pluform keep about me."
ADVICE = "Let us go through the copy together in our next session."
KIND = "Access to data"
READY_WAIT_SECONDS = 30


@pytest.fixture
def pages(browser, live_server):
    """One browser context per person, each logged in on its own."""
    with (
        local_page(browser, live_server) as coachee_page,
        local_page(browser, live_server) as coach_page,
        local_page(browser, live_server) as manager_page,
        local_page(browser, live_server) as admin_page,
    ):
        yield coachee_page, coach_page, manager_page, admin_page


def _date(day) -> str:
    return dateformat.format(day, "j F Y")  # DATE_FORMAT of pluform/formats/en


def _fact(page, term):
    """The value after ``term`` in the request's facts."""
    return page.locator(
        f"xpath=//dl[contains(@class, 'facts')]/dt[normalize-space()='{term}']"
        "/following-sibling::dd[1]"
    )


def _status(page):
    return page.get_by_role("status")


def _copy(page):
    return page.get_by_role("region", name="Copy of the data")


def _advice(page):
    return page.get_by_role("region", name="The coach's advice")


def _wait_until_ready(page):
    """Reloads the request page until the copy is no longer being prepared (bounded)."""
    deadline = time.monotonic() + READY_WAIT_SECONDS
    while "Being prepared" in _copy(page).inner_text():
        assert time.monotonic() < deadline, "the copy was not ready in time"
        page.wait_for_timeout(500)
        page.reload()


def _download(page):
    """Clicks the download link; returns the suggested file name and the ZIP's entries."""
    with page.expect_download() as download_info:
        _copy(page).get_by_role("link", name="Download the copy (ZIP)", exact=True).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {
            name: archive.read(name).decode("utf-8")
            for name in ("data.json", "index.html")
            if name in archive.namelist()
        }
        assert archive.testzip() is None
    return download.suggested_filename, entries


def _assert_markers_in(entries, who):
    assert set(entries) == {"data.json", "index.html"}, (who, sorted(entries))
    data = json.loads(entries["data.json"])
    messages = data["sections"]["dialogue.messages"]
    texts = [record["text"] for record in messages]
    for marker in (COACHEE_MARKER, COACH_MARKER):
        assert marker in texts, (who, texts)
    by_you = {record["text"]: record["by_you"] for record in messages}
    assert by_you[COACHEE_MARKER] is True, (who, by_you)
    assert by_you[COACH_MARKER] is False, (who, by_you)
    assert data["subject"]["role"] == "coachee", (who, data["subject"])
    # index.html escapes the text: ":" and "?" stay as they are, so the markers read whole.
    for marker in (COACHEE_MARKER, COACH_MARKER):
        assert marker in entries["index.html"], (who, marker)


def test_an_access_request_goes_from_coachee_to_it_administrator_and_the_copy_back(
    pages, coach, coachee, trajectory, account_manager, it_admin
):
    require_axe()
    coachee_page, coach_page, manager_page, admin_page = pages
    refused = []
    for page in pages:
        refused.append(csp_violations(page))
        serve_axe(page)
        page.set_viewport_size(DESKTOP)
    audit = Audit()
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, COACHEE_MARKER)
    post(dialogue, coach, COACH_MARKER)
    name = coachee.get_full_name()

    # 1. The coachee files the request from the privacy page.
    cp = coachee_page
    log_in(cp, coachee)
    expect(heading(cp)).to_have_text(f"Welcome, {coachee.first_name}")
    follow_nav(cp, "Privacy")
    expect(heading(cp)).to_have_text("Privacy")
    expect(cp.get_by_role("region", name="Your requests")).to_contain_text(
        "You have not filed a request."
    )
    press(cp, "link", "File a request")
    expect(heading(cp)).to_have_text("File a request about your data")
    expect(cp.get_by_label("Coach who receives the request")).to_have_count(0)  # only one coach
    audit.check(cp, "new request form")
    cp.get_by_label("What do you ask for?").select_option(label=KIND)
    cp.get_by_label("Motivation").fill(MOTIVATION)
    press(cp, "button", "File the request")
    expect(_status(cp)).to_contain_text("Your request has been filed.")
    expect(heading(cp)).to_have_text(f"Request: {KIND}")
    expect(cp).to_have_url(re.compile(r"/privacy/requests/[0-9a-f-]{36}/$"))
    request_path = re.search(r"/privacy/requests/[0-9a-f-]{36}/$", cp.url)[0]
    data_request = DataRequest.objects.get()
    assert data_request.kind == Kind.ACCESS
    assert data_request.coach == coach
    received = data_request.received_on
    due = received + datetime.timedelta(weeks=4)
    assert data_request.due_on == due
    expect(_fact(cp, "Filed by")).to_have_text("You")
    expect(_fact(cp, "Coach")).to_have_text(coach.get_full_name())
    expect(_fact(cp, "Received")).to_have_text(_date(received))
    expect(_fact(cp, "Answer due")).to_have_text(_date(due))
    expect(_fact(cp, "Status")).to_have_text("With your coach")
    expect(cp.get_by_role("region", name="Motivation")).to_contain_text(MOTIVATION)
    expect(cp.get_by_role("region", name="Your next step")).to_have_count(0)

    # 2. The coach finds it on the home page and forwards it with advice.
    co = coach_page
    log_in_with_totp(co, coach)
    waiting = co.get_by_role("region", name="Privacy: waiting for you")
    link = waiting.get_by_role("link", name=f"{KIND}: {name}", exact=True)
    expect(link).to_have_attribute("href", request_path)
    expect(waiting).to_contain_text(f"due {_date(due)}")
    link.click()
    expect(heading(co)).to_have_text(f"Request: {KIND}")
    expect(_fact(co, "Filed by")).to_have_text(f"{name} (Coachee)")
    expect(co.get_by_role("region", name="Motivation")).to_contain_text(MOTIVATION)
    forward = co.get_by_role("form", name="Forward to Pluform")
    expect(forward).to_be_visible()
    expect(co.get_by_role("form", name="Ask the coachee for clarification")).to_be_visible()
    audit.check(co, "request page with the coach's forms")
    forward.get_by_label("Your advice (optional)").fill(ADVICE)
    forward.get_by_label("Advise to look at the copy together with me").check()
    forward.get_by_role("button", name="Forward", exact=True).click()
    expect(_status(co)).to_contain_text("The request has been forwarded to Pluform.")
    expect(_fact(co, "Status")).to_have_text("With Pluform's account manager")
    expect(_advice(co)).to_contain_text(ADVICE)
    expect(co.get_by_role("region", name="Your next step")).to_have_count(0)
    data_request.refresh_from_db()
    assert data_request.status == Status.WITH_ACCOUNT_MANAGER
    assert data_request.inspect_together is True
    assert data_request.advice == ADVICE

    # 3. The account manager finds it in Pluform's queue and passes it on.
    mp = manager_page
    log_in_with_totp(mp, account_manager)
    follow_nav(mp, "Privacy")
    expect(heading(mp)).to_have_text("Data-subject requests")
    held = mp.get_by_role("region", name="Waiting for you")
    expect(held.locator("tbody tr")).to_have_count(1)
    expect(held.locator("tbody tr")).to_contain_text(name)
    every = mp.get_by_role("region", name="All requests that reached Pluform")
    expect(every.locator("tbody tr")).to_have_count(1)
    expect(every.locator("tbody tr")).to_contain_text("With Pluform's account manager")
    audit.check(mp, "queue of the account manager")
    held.get_by_role("link", name=KIND, exact=True).click()
    expect(heading(mp)).to_have_text(f"Request: {KIND}")
    expect(_advice(mp)).to_contain_text(ADVICE)
    press(mp, "button", "Pass on")
    expect(_status(mp)).to_contain_text("The request has been passed on to the IT administrator.")
    expect(_fact(mp, "Status")).to_have_text("With Pluform's IT administrator")

    # 4. The IT administrator has the copy prepared, and cannot open it.
    ap = admin_page
    log_in_with_totp(ap, it_admin)
    follow_nav(ap, "Privacy")
    expect(heading(ap)).to_have_text("Data-subject requests")
    ap.get_by_role("region", name="Waiting for you").get_by_role(
        "link", name=KIND, exact=True
    ).click()
    expect(heading(ap)).to_have_text(f"Request: {KIND}")
    execute = ap.get_by_role("form", name="Carry out the request")
    expect(execute).to_contain_text("You cannot open it.")
    execute.get_by_role("button", name="Prepare the copy", exact=True).click()
    expect(_status(ap)).to_contain_text("The request has been carried out.")
    _wait_until_ready(ap)
    expect(_copy(ap)).to_contain_text("Ready for the subject and their coach until")
    expect(_copy(ap)).to_contain_text("Only they can open it.")
    expect(ap.get_by_role("link", name="Download the copy (ZIP)")).to_have_count(0)
    expect(_fact(ap, "Status")).to_have_text("Done")
    archive = AccessArchive.objects.get(request=data_request)
    assert archive.state == AccessArchive.State.READY
    assert set(archive.recipients.all()) == {coachee, coach}
    archive_path = reverse("privacy:archive", args=[archive.uuid])
    response = ap.goto(archive_path)
    assert response.status == 404
    expect(heading(ap)).to_have_text("Page not found")
    assert not archive.downloads.exists()

    # 5. Coach and coachee read the advice and download the copy; both find the dialogue.
    follow_nav(co, "Privacy")
    coachees = co.get_by_role("region", name="Requests of your coachees")
    expect(coachees.locator("tbody tr")).to_contain_text("Done")
    coachees.get_by_role("link", name=KIND, exact=True).click()
    expect(heading(co)).to_have_text(f"Request: {KIND}")
    expect(_advice(co).get_by_role("note")).to_contain_text("together")
    filename, entries = _download(co)
    assert filename == f"pluform-copy-{received.isoformat()}.zip"
    _assert_markers_in(entries, "coach")

    follow_nav(cp, "Privacy")
    own = cp.get_by_role("region", name="Your requests")
    expect(own.locator("tbody tr")).to_contain_text("Done")
    own.get_by_role("link", name=KIND, exact=True).click()
    expect(heading(cp)).to_have_text(f"Request: {KIND}")
    expect(_fact(cp, "Status")).to_have_text("Done")
    advice = _advice(cp)
    expect(advice.get_by_role("note")).to_contain_text(
        "The coach advises to look at the copy of the data together"
    )
    expect(advice).to_contain_text(ADVICE)
    filename, entries = _download(cp)
    assert filename == f"pluform-copy-{received.isoformat()}.zip"
    _assert_markers_in(entries, "coachee")
    assert list(archive.downloads.values_list("user", flat=True)) == [coach.pk, coachee.pk]

    cp.reload()
    history = cp.get_by_role("region", name="History")
    expect(history.locator("li").filter(has_text="Copy downloaded")).to_have_count(2)
    expect(history).to_contain_text("Copy of the data ready to download")
    audit.check(cp, "request page of the coachee after the download")

    # 6. No accessibility problem at all, and no refusal by the CSP.
    problems = audit.problems + [line for found in refused for line in found]
    assert not problems, "\n".join(problems)
