"""Journeys 1, 2 and 9 (issue 16): people and their dialogue, through the pages only.

1. An organisation manager invites a coach, then a coachee into a trajectory with that coach;
   both accept from the link in their e-mail and choose a password; the coach sets up
   two-factor authentication with the key the setup page shows.
2. Coach and coachee talk in their one-to-one dialogue, with an attachment; the unread counts
   on the home pages, in the inbox and in the navigation's badge go up and down as they read.
9. Journey 2 in Dutch (``language="nl"``): no English on any page.

Journey 2 is also done once with the keyboard only (Tab, Shift+Tab, Enter, Space, typing).

The set-up makes people with factories; from then on every change goes through the pages
(reading the database or ``mail.outbox`` to assert or to find a link is fine). Every person has
their own browser context and their own Journey (axe-core, screenshots at 390 and 1280 px, no
English on Dutch pages). Labels are looked up in the catalogue (``_t``), so each journey runs in
English and in Dutch.
"""

import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Invitation, Trajectory, User
from accounts.roles import Role
from dialogue.models import Attachment, Message
from tests.browser.helpers import PASSWORD, local_page, png_bytes
from tests.browser.journey import Journey
from tests.factories.accounts import (
    TEST_TOTP_SECRET,
    CoacheeFactory,
    CoachFactory,
    TrajectoryFactory,
)
from tests.factories.dialogue import one_to_one
from tests.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = pytest.mark.parametrize("language", ["en", "nl"])
LOCALES = {"en": "en-GB", "nl": "nl-NL"}

# Dutch names and texts, so that nothing the test chose reads as English on a Dutch page.
COACH = {"first_name": "Carla", "last_name": "Ravestein", "email": "carla@example.com"}
COACHEE = {"first_name": "Eva", "last_name": "Zwanenburg", "email": "eva@example.com"}
TEXTS = {
    "en": {
        "question": "Good morning Carla,\nhere is my sleep diary of this week.",
        "answer": "Thank you Eva, I will look at it before our session.",
        "file": "sleep-diary.png",
    },
    "nl": {
        "question": "Goedemorgen Carla,\nhierbij mijn slaapdagboek van deze week.",
        "answer": "Dank je Eva, ik bekijk het voor onze sessie.",
        "file": "slaapdagboek.png",
    },
}


def _t(text, language):
    """``text`` as the pages show it in ``language`` (the same catalogue as the templates)."""
    with translation.override(language):
        return translation.gettext(text)


def _speaks(language, *users):
    for user in users:
        user.language = language
        user.save(update_fields=["language"])


def _heading(page):
    return page.get_by_role("heading", level=1)


def _nav(page, language):
    return page.get_by_role("navigation", name=_t("Main", language))


def _follow_nav(page, name, language):
    with page.expect_navigation():
        # The name, then perhaps the unread badge ("Dialogues 2 unread messages").
        label = re.compile("^" + re.escape(_t(name, language)) + r"(\s+\d+\b.*)?$")
        _nav(page, language).get_by_role("link", name=label).click()


def _press(page, role, name, language):
    with page.expect_navigation():
        page.get_by_role(role, name=_t(name, language), exact=True).click()


def _submit(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _nav_badge(page, language) -> int:
    """The unread count on the navigation's Dialogues link (0 when there is no badge)."""
    link = _nav(page, language).get_by_role(
        "link", name=re.compile("^" + re.escape(_t("Dialogues", language)))
    )
    badge = link.locator(".badge")
    if badge.count() == 0:
        return 0
    return int(badge.inner_text().split()[0])


def _expect_body(locator, text):
    """A message's text as shown (its line breaks are <br>, which textContent leaves out)."""
    expect(locator).to_be_visible()
    assert locator.inner_text().strip() == text


def _home_unread(page, language):
    """The home page's "Unread messages" card."""
    return page.get_by_role("region", name=_t("Unread messages", language))


def _log_in(page, journey, user, language, *, totp=False):
    """The login page (and the code page for professionals), checked and filled in."""
    page.goto("/accounts/login/")
    expect(_heading(page)).to_have_text(_t("Log in", language))
    journey.visit("login")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    _submit(page)
    if totp:
        expect(page).to_have_url(re.compile(r"/2fa/authenticate"))
        journey.visit("login-code")
        page.fill("input[name=code]", current_code(TEST_TOTP_SECRET))
        _submit(page)
    expect(_heading(page)).to_have_text(
        _t("Welcome, %(name)s", language) % {"name": user.first_name}
    )
    journey.visit("home")


def _invitation_path(email) -> str:
    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no e-mail to {email}"
    link = re.search(r"https?://\S+(/accounts/join/[^/\s]+/)", sent[-1].body)
    assert link, "no invitation link in the e-mail"
    return link.group(1)


def _finish(*journeys):
    """Finishes every journey (each writes its summary), then fails with all they found."""
    failures = []
    for journey in journeys:
        try:
            journey.finish()
        except AssertionError as error:
            failures.append(f"[{journey.name}-{journey.language}] {error}")
    assert not failures, "\n".join(failures)


# 1. Invitations


def _invite(page, journey, language, email, role, coach=None):
    page.fill("input[name=email]", email)
    page.select_option("select[name=role]", role)
    if coach is not None:
        page.select_option("select[name=coach]", str(coach.pk))
    page.select_option("#id_language", language)
    _press(page, "button", "Send invitation", language)
    expect(page.get_by_role("status")).to_contain_text(
        _t("The invitation has been sent.", language)
    )
    expect(page.locator("table.stack td.email", has_text=email)).to_be_visible()
    journey.visit(f"invited-{role}")


def _accept(page, journey, language, path, person):
    page.goto(path)
    expect(_heading(page)).to_have_text(_t("Welcome to Pluform", language))
    journey.visit("accept")
    page.fill("input[name=first_name]", person["first_name"])
    page.fill("input[name=last_name]", person["last_name"])
    page.select_option("#id_language", language)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    _press(page, "button", "Create my account", language)


@LANGUAGES
def test_journey_1_manager_invites_a_coach_and_a_coachee_who_accept(
    browser, live_server, organisation, org_manager, language
):
    _speaks(language, org_manager)
    locale = LOCALES[language]
    with (
        local_page(browser, live_server, locale=locale) as manager_page,
        local_page(browser, live_server, locale=locale) as coach_page,
        local_page(browser, live_server, locale=locale) as coachee_page,
    ):
        mp, cp, ep = manager_page, coach_page, coachee_page
        jm = Journey("1-invitations-manager", mp, language=language)
        jc = Journey("1-invitations-coach", cp, language=language)
        je = Journey("1-invitations-coachee", ep, language=language)

        # The manager logs in with their code and invites a coach.
        _log_in(mp, jm, org_manager, language, totp=True)
        _follow_nav(mp, "Invitations", language)
        expect(_heading(mp)).to_have_text(_t("Invitations", language))
        jm.visit("invitations")
        _invite(mp, jm, language, COACH["email"], Role.COACH)

        # The coach accepts from the e-mail and must set up two-factor authentication first.
        _accept(cp, jc, language, _invitation_path(COACH["email"]), COACH)
        if "/accounts/reauthenticate/" in cp.url:
            jc.visit("reauthenticate")
            cp.fill("input[name=password]", PASSWORD)
            _submit(cp)
        expect(cp).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
        expect(_heading(cp)).to_have_text(_t("Set up two-factor authentication", language))
        jc.visit("totp-activate")
        secret = cp.input_value("#authenticator_secret")
        assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
        cp.fill("input[name=code]", current_code(secret))
        _press(cp, "button", "Switch on two-factor authentication", language)
        assert "/activate/" not in cp.url, cp.url
        jc.visit("totp-activated")
        coach = User.objects.get(email=COACH["email"])
        assert (coach.role, coach.language, coach.organisation) == (
            Role.COACH,
            language,
            organisation,
        )
        assert Authenticator.objects.filter(user=coach, type=Authenticator.Type.TOTP).exists()
        cp.goto("/")
        expect(_heading(cp)).to_have_text(
            _t("Welcome, %(name)s", language) % {"name": COACH["first_name"]}
        )
        jc.visit("home")

        # The manager invites a coachee into a trajectory with the new coach.
        mp.reload()
        _invite(mp, jm, language, COACHEE["email"], Role.COACHEE, coach=coach)
        assert Invitation.objects.filter(email=COACHEE["email"], coach=coach).exists()

        # The coachee accepts and lands on their home page.
        _accept(ep, je, language, _invitation_path(COACHEE["email"]), COACHEE)
        expect(_heading(ep)).to_have_text(
            _t("Welcome, %(name)s", language) % {"name": COACHEE["first_name"]}
        )
        expect(ep.get_by_role("status")).to_contain_text(_t("Welcome to Pluform.", language))
        je.visit("home")
        coachee = User.objects.get(email=COACHEE["email"])
        assert (coachee.role, coachee.language) == (Role.COACHEE, language)
        assert Trajectory.objects.filter(coachee=coachee, coaches=coach).exists()

        # The coach now has the coachee; the manager sees both invitations used.
        # (The list itself is checked in test_my_coachees_fits_a_phone: it scrolls sideways.)
        _follow_nav(cp, "My coachees", language)
        expect(cp.get_by_role("link", name=re.compile(COACHEE["last_name"]))).to_be_visible()
        mp.reload()
        assert mp.locator("table.stack td.email").count() == 2
        jm.visit("invitations-used")
        assert not Invitation.objects.filter(accepted_at__isnull=True).exists()

        _finish(jm, jc, je)


def test_my_coachees_fits_a_phone(browser, live_server, pair):
    """The last step of journey 1 on its own: the coach's list of coachees, checked."""
    coach, _coachee, _dialogue = pair
    with local_page(browser, live_server) as page:
        journey = Journey("1-invitations-my-coachees", page)
        _log_in(page, journey, coach, "en", totp=True)
        _follow_nav(page, "My coachees", "en")
        expect(page.get_by_role("link", name=re.compile(COACHEE["last_name"]))).to_be_visible()
        journey.visit("my-coachees")
        journey.finish()


# 2 and 9. The dialogue


@pytest.fixture
def pair(organisation):
    coach = CoachFactory(organisation=organisation, **COACH)
    coachee = CoacheeFactory(organisation=organisation, **COACHEE)
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach])
    return coach, coachee, one_to_one(trajectory)


def _open_dialogue(page, journey, language, other, label):
    """From the navigation to the inbox, then into the dialogue with ``other``."""
    _follow_nav(page, "Dialogues", language)
    expect(_heading(page)).to_have_text(_t("Dialogues", language))
    journey.visit(f"{label}-inbox")
    row = page.locator("table.inbox tbody tr", has_text=other)
    unread = row.locator(".badge")
    count = int(unread.inner_text()) if unread.count() else 0
    with page.expect_navigation():
        row.get_by_role("link").click()
    expect(_heading(page)).to_contain_text(other)
    journey.visit(f"{label}-dialogue")
    return count


@LANGUAGES
def test_journey_2_coach_and_coachee_talk_with_an_attachment_and_unread_counts_follow(
    browser, live_server, pair, language
):
    coach, coachee, dialogue = pair
    _speaks(language, coach, coachee)
    texts = TEXTS[language]
    locale = LOCALES[language]
    with (
        local_page(browser, live_server, locale=locale) as coachee_page,
        local_page(browser, live_server, locale=locale) as coach_page,
    ):
        ep, cp = coachee_page, coach_page
        je = Journey("2-dialogue-coachee", ep, language=language)
        jc = Journey("2-dialogue-coach", cp, language=language)

        _log_in(ep, je, coachee, language)
        _log_in(cp, jc, coach, language, totp=True)
        for page in (ep, cp):
            assert _nav_badge(page, language) == 0
            expect(_home_unread(page, language)).to_contain_text(
                _t("You have read every message.", language)
            )

        # The coachee writes with a picture attached.
        assert _open_dialogue(ep, je, language, coach.first_name, "empty") == 0
        ep.fill("textarea[name=body]", texts["question"])
        ep.set_input_files(
            "input[name=attachment]",
            files=[{"name": texts["file"], "mimeType": "image/png", "buffer": png_bytes()}],
        )
        _press(ep, "button", "Send", language)
        sent = ep.locator("li.dialogue-message").last
        _expect_body(sent.locator(".message-body"), texts["question"])
        expect(sent.get_by_role("link", name=re.compile(re.escape(texts["file"])))).to_be_visible()
        je.visit("sent")
        assert Message.objects.filter(dialogue=dialogue, author=coachee).count() == 1
        assert Attachment.objects.count() == 1

        # The coach sees one unread message: home card, navigation badge, inbox.
        cp.reload()
        assert _nav_badge(cp, language) == 1
        card = _home_unread(cp, language)
        expect(card.get_by_role("link", name=re.compile(coachee.first_name))).to_be_visible()
        expect(card.locator(".badge")).to_contain_text("1")
        jc.visit("home-unread")
        assert _open_dialogue(cp, jc, language, coachee.first_name, "unread") == 1
        expect(cp.locator("#new")).to_have_text(_t("New since your last visit", language))
        new = cp.locator("#new + li.dialogue-message")
        _expect_body(new.locator(".message-body"), texts["question"])
        preview = new.get_by_role("img")
        expect(preview).to_be_visible()
        cp.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=preview.element_handle()
        )
        link = new.get_by_role("link", name=re.compile(re.escape(texts["file"]))).first
        with cp.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == texts["file"]
        assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # Read now: the badge is gone; the coach answers.
        assert _nav_badge(cp, language) == 0
        cp.fill("textarea[name=body]", texts["answer"])
        _press(cp, "button", "Send", language)
        expect(cp.locator("li.dialogue-message").last.locator(".message-body")).to_have_text(
            texts["answer"]
        )
        jc.visit("answered")
        _follow_nav(cp, "Home", language)
        assert _nav_badge(cp, language) == 0
        expect(_home_unread(cp, language)).to_contain_text(
            _t("You have read every message.", language)
        )
        jc.visit("home-read")

        # The coachee's turn: one unread message on the home page and in the badge.
        _follow_nav(ep, "Home", language)
        assert _nav_badge(ep, language) == 1
        card = _home_unread(ep, language)
        expect(
            card.get_by_role("link", name=re.compile(re.escape(coach.first_name)))
        ).to_be_visible()
        expect(card.locator(".badge")).to_contain_text("1")
        je.visit("home-unread")
        assert _open_dialogue(ep, je, language, coach.first_name, "reply") == 1
        expect(ep.locator("#new + li.dialogue-message .message-body")).to_have_text(texts["answer"])
        assert _nav_badge(ep, language) == 0
        _follow_nav(ep, "Home", language)
        expect(_home_unread(ep, language)).to_contain_text(
            _t("You have read every message.", language)
        )
        je.visit("home-read")

        _finish(je, jc)


# 2, by keyboard only


def _focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def _tab_to(page, locator, limit=60, key="Tab"):
    """Presses Tab (or Shift+Tab) until ``locator`` has the focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if _focused(locator):
            outline = locator.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", "the focus is not visible"
            return
    raise AssertionError(f"{locator} was not reached with {key}")


def _keyboard_log_in(page, user, *, totp=False):
    page.goto("/accounts/login/")
    _tab_to(page, page.locator("input[name=login]"))
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert _focused(page.locator("input[name=password]"))
    page.keyboard.type(PASSWORD)
    _submit(page)
    if totp:
        code = page.locator("input[name=code]")
        if not _focused(code):
            _tab_to(page, code)
        page.keyboard.type(current_code(TEST_TOTP_SECRET))
        _submit(page)
    expect(_heading(page)).to_have_text(f"Welcome, {user.first_name}")


def _keyboard_follow(page, link):
    _tab_to(page, link)
    _submit(page)


def _keyboard_open_dialogue(page, other):
    _keyboard_follow(page, _nav(page, "en").get_by_role("link", name=re.compile("^Dialogues")))
    _keyboard_follow(page, page.locator("table.inbox tbody tr", has_text=other).get_by_role("link"))
    expect(_heading(page)).to_contain_text(other)


def _keyboard_send(page, text):
    """Tab to the "Write a message" link, follow it with Enter, and type into the text area."""
    _tab_to(page, page.get_by_role("link", name="Write a message"))
    page.keyboard.press("Enter")
    body = page.locator("textarea[name=body]")
    _tab_to(page, body, limit=3)
    page.keyboard.type(text)


def test_journey_2_by_keyboard_only(browser, live_server, pair):
    coach, coachee, dialogue = pair
    texts = TEXTS["en"]
    with (
        local_page(browser, live_server) as ep,
        local_page(browser, live_server) as cp,
    ):
        ep.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
        _keyboard_log_in(ep, coachee)
        _keyboard_log_in(cp, coach, totp=True)

        # The coachee writes and reaches the file field by keyboard. Choosing the file happens
        # in the system's own dialog, outside the page: the test hands the file to the field
        # (headless Chromium opens that dialog on Space only now and then).
        _keyboard_open_dialogue(ep, coach.first_name)
        _keyboard_send(ep, texts["question"])
        attachment = ep.locator("input[name=attachment]")
        _tab_to(ep, attachment, limit=5)
        attachment.set_input_files(
            files=[{"name": texts["file"], "mimeType": "image/png", "buffer": png_bytes()}]
        )
        send = ep.get_by_role("button", name="Send", exact=True)
        _tab_to(ep, send, limit=10)
        # Shift+Tab and back again: the focus order around the button holds.
        ep.keyboard.press("Shift+Tab")
        assert not _focused(send)
        _tab_to(ep, send, limit=5)
        _submit(ep)
        sent = ep.locator("li.dialogue-message").last
        _expect_body(sent.locator(".message-body"), texts["question"])
        assert Attachment.objects.count() == 1

        # The coach: badge 1, reads it (the badge goes), answers.
        cp.reload()
        assert _nav_badge(cp, "en") == 1
        _keyboard_open_dialogue(cp, coachee.first_name)
        _expect_body(cp.locator("#new + li.dialogue-message .message-body"), texts["question"])
        assert _nav_badge(cp, "en") == 0
        _keyboard_send(cp, texts["answer"])
        _tab_to(cp, cp.get_by_role("button", name="Send", exact=True), limit=10)
        with cp.expect_navigation():
            cp.keyboard.press("Space")
        expect(cp.locator("li.dialogue-message").last.locator(".message-body")).to_have_text(
            texts["answer"]
        )
        assert Message.objects.filter(dialogue=dialogue).count() == 2

        # The coachee sees it on the home page and reads it from there.
        _keyboard_follow(ep, _nav(ep, "en").get_by_role("link", name="Home", exact=True))
        assert _nav_badge(ep, "en") == 1
        card = _home_unread(ep, "en")
        _keyboard_follow(ep, card.get_by_role("link", name=re.compile(coach.first_name)))
        expect(ep.locator("#new + li.dialogue-message .message-body")).to_have_text(texts["answer"])
        assert _nav_badge(ep, "en") == 0
