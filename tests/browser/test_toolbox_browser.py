"""A coach shares a recording and a worksheet from the toolbox; the coachee plays the
recording from its middle (the file view answers Range requests) and downloads the
worksheet; the coach withdraws the recording again: the whole journey in a real browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import Audit, csp_violations, describe, require_axe, run_axe, serve_axe
from tests.browser.helpers import (
    DESKTOP,
    follow_nav,
    heading,
    local_page,
    log_in,
    log_in_with_totp,
    press,
)
from tests.factories.toolbox import file_item
from toolbox import media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDIO_TITLE = "Breathing exercise"
PDF_TITLE = "Sleep diary"
PDF = media.pdf_page(["Sleep diary", "Write down when you went to bed and when you woke up."])
SECONDS = 20
# CD rate, not wav_tone's 8 kHz: Chromium reads some 230 kB before it reports the metadata,
# which at 8 kHz (16 kB a second) is already past the middle of a 20-second tone, so the seek
# would need no range at all. At 44.1 kHz the middle is some 880 kB in, far beyond that.
WAV_RATE = 44100
WAV_HEADER = 44
WAV_BYTES_PER_SECOND = WAV_RATE * 2  # 16-bit mono
# Slowed to a few times the recording's bit rate, so the first response has not reached the
# middle when the player seeks there (on the loopback it would race): Chromium must abandon
# it and ask for a range that starts near the middle.
SLOW_NETWORK = {
    "offline": False,
    "latency": 0,
    "downloadThroughput": 400_000,
    "uploadThroughput": -1,
}
FAST_NETWORK = {**SLOW_NETWORK, "downloadThroughput": -1}


@pytest.fixture
def coach_page(browser, live_server):
    """A second browser context, so the coach and the coachee are logged in side by side."""
    with local_page(browser, live_server) as page:
        yield page


def _row(page, title):
    return page.locator("table.toolbox-list tbody tr").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def _add_file(page, path, title, share_with=None):
    """Fills in the form on /toolbox/new/ with a file, shared at once with ``share_with``."""
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_label("Title", exact=True).fill(title)
    if share_with is not None:
        share = page.get_by_role("group", name="Share with")
        share.get_by_label(share_with.get_full_name(), exact=True).check()
    press(page, "button", "Save")
    expect(heading(page)).to_have_text(title)
    expect(page.get_by_role("status")).to_contain_text("The item has been added.")


def _shares(page):
    return page.get_by_role("region", name="Shared by you with")


def _media_state(page):
    return page.locator("audio").evaluate(
        """audio => ({currentTime: audio.currentTime, duration: audio.duration,
                      paused: audio.paused, error: audio.error && audio.error.code})"""
    )


def test_a_coach_shares_a_recording_and_a_worksheet_and_withdraws_the_recording(
    page, coach_page, coach, coachee, trajectory, tmp_path
):
    require_axe()
    refused = csp_violations(page)
    refused_by_coach = csp_violations(coach_page)
    serve_axe(page)
    serve_axe(coach_page)
    page.set_viewport_size(DESKTOP)
    coach_page.set_viewport_size(DESKTOP)
    audit = Audit()
    wav = tmp_path / "breathing-exercise.wav"
    wav.write_bytes(media.wav_tone(seconds=SECONDS, rate=WAV_RATE))
    size = wav.stat().st_size
    pdf = tmp_path / "sleep-diary.pdf"
    pdf.write_bytes(PDF)

    # 1. The coach adds the recording, shared at once, and the worksheet, shared afterwards
    # from its page.
    cp = coach_page
    log_in_with_totp(cp, coach)
    follow_nav(cp, "Toolbox")
    expect(heading(cp)).to_have_text("Toolbox")
    expect(cp.get_by_role("heading", level=2)).to_have_text("My library")
    press(cp, "link", "Add an item")
    expect(heading(cp)).to_have_text("Add an item")
    expect(cp).to_have_url(re.compile(r"/toolbox/new/$"))
    audit.check(cp, "add form")
    press(cp, "button", "Save")
    expect(cp.get_by_role("alert")).to_contain_text(
        "Choose a file to upload or enter a web address."
    )
    audit.check(cp, "add form with an error")
    _add_file(cp, wav, AUDIO_TITLE, share_with=coachee)
    expect(_shares(cp)).to_contain_text(coachee.get_full_name())
    audio_url = cp.url
    audio_id = re.search(r"/toolbox/([0-9a-f-]{36})/$", audio_url)[1]
    expect(cp.locator("audio")).to_have_attribute("src", f"/toolbox/{audio_id}/file/")
    audit.check(cp, "item page with the audio player (coach)")

    press(cp, "link", "Back to the toolbox")
    press(cp, "link", "Add an item")
    _add_file(cp, pdf, PDF_TITLE)
    expect(_shares(cp)).to_contain_text("You have not shared this item with anyone.")
    _shares(cp).get_by_label(coachee.get_full_name(), exact=True).check()
    press(cp, "button", "Share")
    expect(cp.get_by_role("status")).to_contain_text("Shared: 1 new share.")
    expect(_shares(cp).locator("ul.share-list > li")).to_have_count(1)
    expect(_shares(cp)).to_contain_text(coachee.get_full_name())

    press(cp, "link", "Back to the toolbox")
    expect(_row(cp, AUDIO_TITLE)).to_contain_text("1 person")
    expect(_row(cp, PDF_TITLE)).to_contain_text("1 person")
    audit.check(cp, "toolbox list (coach)")

    # 2. The coachee finds both, marked new, plays the recording from its middle and
    # downloads the worksheet.
    log_in(page, coachee)
    follow_nav(page, "Toolbox")
    expect(heading(page)).to_have_text("Toolbox")
    expect(page.get_by_role("heading", level=2)).to_have_text("Shared with me 2 new")
    for title in (AUDIO_TITLE, PDF_TITLE):
        row = _row(page, title)
        expect(row.locator(".badge")).to_have_text("new")
        expect(row).to_contain_text(coach.get_full_name())
    audit.check(page, "toolbox list (coachee)")

    file_path = f"/toolbox/{audio_id}/file/"
    file_responses = []
    page.on(
        "response",
        lambda response: (
            response.url.endswith(file_path)
            and file_responses.append((response.status, response.headers.get("content-range")))
        ),
    )
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    _row(page, AUDIO_TITLE).get_by_role("link", name=AUDIO_TITLE).click()
    expect(heading(page)).to_have_text(AUDIO_TITLE)
    expect(page.get_by_text(f"from {coach.get_full_name()}")).to_be_visible()
    page.wait_for_function(
        "() => { const audio = document.querySelector('audio');"
        " return audio.readyState >= 1 && isFinite(audio.duration); }"
    )
    duration = _media_state(page)["duration"]
    assert duration == pytest.approx(SECONDS, abs=0.1)

    seek_to = duration / 2
    page.evaluate(
        """async (seconds) => {
            const audio = document.querySelector("audio");
            audio.muted = true;  // no autoplay policy stands in the way of a muted play()
            audio.currentTime = seconds;
            await audio.play();
        }""",
        seek_to,
    )
    page.wait_for_function(
        "(seconds) => document.querySelector('audio').currentTime > seconds + 0.5",
        arg=seek_to,
    )
    state = _media_state(page)
    page.locator("audio").evaluate("audio => audio.pause()")
    network.send("Network.emulateNetworkConditions", FAST_NETWORK)
    assert state["error"] is None, state
    assert not state["paused"], state
    assert seek_to + 0.5 < state["currentTime"] < duration, state
    starts = [
        int(match[1])
        for status, header in file_responses
        if status == 206
        and (match := re.fullmatch(rf"bytes (\d+)-{size - 1}/{size}", header or ""))
    ]
    # The seek asked for the bytes from (just before) the middle, not from the start.
    seek_byte = WAV_HEADER + int(seek_to * WAV_BYTES_PER_SECOND)
    assert any(seek_byte // 2 < start <= seek_byte for start in starts), (
        seek_byte,
        file_responses,
    )
    audit.check(page, "item page with the audio player (coachee)")

    press(page, "link", "Back to the toolbox")
    _row(page, PDF_TITLE).get_by_role("link", name=PDF_TITLE).click()
    expect(heading(page)).to_have_text(PDF_TITLE)
    with page.expect_download() as download_info:
        press(page, "link", "Download")
    download = download_info.value
    assert download.suggested_filename == "sleep-diary.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # 3. The coach withdraws the recording; the coachee's next request no longer gets it.
    cp.goto(audio_url)
    press(cp, "button", f"Stop sharing with {coachee.get_full_name()}")
    expect(cp.get_by_role("status")).to_contain_text("The share has been withdrawn.")
    expect(_shares(cp)).to_contain_text("You have not shared this item with anyone.")

    assert page.goto(audio_url).status == 404
    expect(page.get_by_text(AUDIO_TITLE)).to_have_count(0)
    assert page.goto(f"{audio_url}file/").status == 404
    ranged = page.request.get(f"{audio_url}file/", headers={"Range": "bytes=1000-"})
    assert ranged.status == 404
    page.goto("/toolbox/")
    expect(page.locator("table.toolbox-list tbody tr")).to_have_count(1)
    expect(_row(page, PDF_TITLE)).to_have_count(1)
    expect(page.get_by_role("link", name=AUDIO_TITLE)).to_have_count(0)

    # 4. No accessibility problem at all, and no refusal by the CSP.
    problems = audit.problems + refused + refused_by_coach
    assert not problems, "\n".join(problems)


def test_a_coach_shares_the_selected_items_of_the_list_at_once(
    page, coach_page, coach, coachee, trajectory
):
    require_axe()
    serve_axe(coach_page)
    file_item(coach, "breathing-exercise.wav", media.wav_tone(seconds=2), title=AUDIO_TITLE)
    file_item(coach, "sleep-diary.pdf", PDF, title=PDF_TITLE)
    file_item(coach, "other.pdf", PDF, title="Not this one")

    # The coachee looked before anything was shared.
    log_in(page, coachee)
    follow_nav(page, "Toolbox")
    expect(page.get_by_text("Nothing has been shared with you yet.")).to_be_visible()

    cp = coach_page
    log_in_with_totp(cp, coach)
    follow_nav(cp, "Toolbox")
    for title in (AUDIO_TITLE, PDF_TITLE):
        expect(_row(cp, title)).to_contain_text("not shared")
        cp.get_by_role("checkbox", name=title, exact=True).check()
    press(cp, "button", "Share the selected items")
    expect(heading(cp)).to_have_text("Share items")
    expect(cp.get_by_role("heading", level=2)).to_have_text("2 items")
    expect(cp.locator("form li")).to_have_count(2)
    problems = run_axe(cp)
    assert not problems, describe(cp.url, problems)
    cp.get_by_label(coachee.get_full_name(), exact=True).check()
    press(cp, "button", "Share")
    expect(heading(cp)).to_have_text("Toolbox")
    expect(cp.get_by_role("status")).to_contain_text("Shared: 2 new shares.")
    expect(_row(cp, AUDIO_TITLE)).to_contain_text("1 person")
    expect(_row(cp, PDF_TITLE)).to_contain_text("1 person")
    expect(_row(cp, "Not this one")).to_contain_text("not shared")

    page.reload()
    expect(page.get_by_role("heading", level=2)).to_have_text("Shared with me 2 new")
    rows = page.locator("table.toolbox-list tbody tr")
    expect(rows).to_have_count(2)
    for title in (AUDIO_TITLE, PDF_TITLE):
        expect(_row(page, title).locator(".badge")).to_have_text("new")
