"""Logging in through the real forms, as a person would."""

import contextlib
import io
import os

from PIL import Image

from tests.totp import current_code

PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in_with_totp(page, user):
    """Password first; allauth then asks for the authenticator's code."""
    log_in(page, user)
    assert "/2fa/authenticate" in page.url, page.url
    page.fill("input[name=code]", current_code())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/2fa/" not in page.url and "/login" not in page.url, page.url


def png_bytes(size=(12, 8), colour=(31, 111, 107)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def snapshot(page, name):
    """Saves a full-page screenshot into $PLUFORM_SCREENSHOTS, when that is set."""
    folder = os.environ.get("PLUFORM_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@contextlib.contextmanager
def local_page(browser, live_server, locale="en-GB"):
    """A page in a fresh browser context that may load only from the app under test."""
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    blocked = []

    def _only_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", _only_local)
    yield page
    context.close()
    assert not blocked, f"pages tried to reach other hosts: {blocked}"


def heading(page):
    """The page's h1."""
    return page.get_by_role("heading", level=1)


def follow_nav(page, name):
    """Click the link ``name`` in the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def press(page, role, name):
    """Click the element of ``role`` whose accessible name is exactly ``name``."""
    page.get_by_role(role, name=name, exact=True).click()
