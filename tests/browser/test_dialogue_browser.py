"""A coachee and a coach hold their dialogue in a real browser."""

import re
from pathlib import Path

import pytest

from dialogue.models import Attachment
from tests.browser.helpers import PHONE, log_in, log_in_with_totp, png_bytes, snapshot
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = (
    "Hello Carla,\n"
    "I tried the breathing exercise.\n"
    "Notes: https://example.org/tips\n"
    "<script>window.injected = true</script> <b>not bold</b>"
)


@pytest.fixture
def people():
    coach = CoachFactory(first_name="Carla", last_name="de Wit", email="carla@example.com")
    coachee = CoacheeFactory(
        first_name="Eva",
        last_name="Jansen",
        email="eva@example.com",
        organisation=coach.organisation,
    )
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach])
    return coach, coachee, one_to_one(trajectory)


def _tab_to(page, selector, limit=40):
    """Presses Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with Tab")


def _open_dialogue_from_inbox(page, name):
    page.get_by_role("link", name="Dialogues").click()
    page.get_by_role("link", name=re.compile(name)).click()
    assert page.locator("h1").inner_text().startswith("Dialogue")


def test_coachee_writes_a_message_with_the_keyboard_and_sees_it_rendered_safely(page, people):
    _coach, coachee, dialogue = people
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    log_in(page, coachee)
    _open_dialogue_from_inbox(page, "Carla")

    _tab_to(page, "a[href='#compose']")
    page.keyboard.press("Enter")
    _tab_to(page, "textarea[name=body]", limit=1)
    page.keyboard.type(MESSAGE)  # "\n" is the Enter key: a new line in the text area
    _tab_to(page, "form.compose button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    shown = page.locator("li.dialogue-message").last
    body = shown.locator(".message-body")
    assert body.inner_text() == MESSAGE
    assert body.locator("br").count() == 3
    link = body.get_by_role("link", name="https://example.org/tips")
    assert link.get_attribute("href") == "https://example.org/tips"
    assert body.locator("script, b").count() == 0
    assert page.evaluate("window.injected") is None
    assert page.url.endswith(f"#m-{dialogue.messages.get().pk}")


def test_coach_attaches_a_png_and_the_coachee_sees_its_preview_and_downloads_it_in_place(
    page, people, tmp_path
):
    coach, coachee, dialogue = people
    post(dialogue, coachee, "Can we talk about sleep?")

    log_in_with_totp(page, coach)
    page.get_by_role("link", name="Dialogues").click()
    row = page.get_by_role("row", name=re.compile("Eva Jansen"))
    assert row.locator(".badge").inner_text() == "1"
    row.get_by_role("link").click()

    marker = page.locator("#new")
    assert marker.inner_text() == "New since your last visit"
    new_message = page.locator("#new + li.dialogue-message")
    assert new_message.locator(".message-body").inner_text() == "Can we talk about sleep?"

    png = png_bytes()
    page.fill("textarea[name=body]", "Here is the sleep chart.")
    page.set_input_files(
        "input[name=attachment]",
        files=[{"name": "sleep-chart.png", "mimeType": "image/png", "buffer": png}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    sent = page.locator("li.dialogue-message").last
    assert sent.get_by_role("link", name=re.compile(r"sleep-chart\.png")).is_visible()
    assert Attachment.objects.count() == 1

    page.get_by_role("button", name="Log out").click()
    log_in(page, coachee)
    _open_dialogue_from_inbox(page, "Carla")
    shown = page.locator("li.dialogue-message").last
    preview = shown.get_by_role("img", name="Image: sleep-chart.png")
    preview.scroll_into_view_if_needed()
    loaded = "image => image.complete && image.naturalWidth > 0"
    page.wait_for_function(loaded, arg=preview.element_handle())
    assert preview.evaluate("image => image.naturalWidth") == 12
    assert preview.bounding_box()["width"] <= shown.bounding_box()["width"]

    dialogue_url = page.url
    link = shown.get_by_role("link", name="sleep-chart.png")
    assert link.get_attribute("download") == ""
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "sleep-chart.png"
    assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    headers = page.request.get(link.get_attribute("href")).headers
    assert headers["content-type"] == "image/png"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"].startswith("attachment")
    # The dialogue stays on screen: the browser did not navigate to the raw file.
    assert page.url == dialogue_url
    assert shown.get_by_role("img", name="Image: sleep-chart.png").is_visible()


def test_every_dialogue_page_fits_a_phone_screen_without_sideways_scrolling(page, people):
    coach, coachee, dialogue = people
    post(dialogue, coachee, "Averyveryverylongwordwithoutanyspaces" * 4)
    mine = post(dialogue, coach, "Notes: https://example.org/" + "very-long-path-segment-" * 8)
    crew = group(coach, [coachee], title="A group with a rather long name for a small screen")
    page.set_viewport_size(PHONE)
    log_in_with_totp(page, coach)

    for name, path in (
        ("inbox", "/dialogue/"),
        ("detail", f"/dialogue/{dialogue.pk}/"),
        ("edit", f"/dialogue/{dialogue.pk}/messages/{mine.pk}/edit/"),
        ("group-form", "/dialogue/groups/new/"),
        ("participants", f"/dialogue/{crew.pk}/participants/"),
    ):
        page.goto(path)
        snapshot(page, f"dialogue-{name}-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.goto(f"/dialogue/{dialogue.pk}/")
    box = page.get_by_role("button", name="Send").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
