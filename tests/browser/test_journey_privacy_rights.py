"""Journeys 6, 7 and 8 (issue 16): the privacy rights, through the pages only.

6. An access request goes through every hand (coachee, coach, account manager, IT
   administrator) to a ZIP the coachee downloads and opens; a restriction is set and lifted the
   same way; a consent for a second coach is asked, given and revoked.
7. A coachee exports their data, erases their account, keeps the receipt and can no longer log
   in; their coach no longer lists them and is told (on their home page and by e-mail) that a
   coachee left.
8. An organisation manager, customer service, the ICT line manager (without break-glass) and a
   coach of another organisation try the coachee's dialogue, intervention, toolbox item and
   dossier and get the 404 page.

The set-up makes people and content with factories; from then on every change goes through
the pages (reading the database or ``mail.outbox`` to assert is fine). Every person has their
own browser context and their own Journey (axe-core, screenshots at 390 and 1280 px, no
English on Dutch pages). Labels are looked up in the catalogue (``_t``), so each journey runs in
English and in Dutch. Celery runs eagerly in the tests, so ZIPs are built in the live server's
thread; the pages are still reloaded a few times should they show "Being prepared" first.
"""

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import RestrictionGround, User
from privacy.consent_models import Consent
from privacy.request_models import DataRequest, Kind, Status
from tests.browser.helpers import PASSWORD, local_page, log_in, log_in_with_totp
from tests.browser.journey import Journey
from tests.factories.dialogue import one_to_one, post
from tests.factories.dossier import session_report
from tests.factories.interventions import assign, open_question, template
from tests.factories.toolbox import link_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = pytest.mark.parametrize("language", ["en", "nl"])
READY_WAIT_SECONDS = 30
MARKER = "Marker-pr8Qw4"
# What people write themselves, in their own language (English in it would be a finding).
MOTIVATION = {
    "en": "I contest that the notes about my sleep are correct.",
    "nl": "Ik betwist dat de aantekeningen over mijn slaap kloppen.",
}
ADVICE = {
    "en": "Let us go through the copy together in our next session.",
    "nl": "Laten we de kopie samen doorlopen in onze volgende sessie.",
}
LIFT_REASON = {
    "en": "The notes have been checked and corrected together.",
    "nl": "De aantekeningen zijn samen nagekeken en verbeterd.",
}
LOCALE = {"en": "en-GB", "nl": "nl-NL"}


def _t(text, language):
    """``text`` as the pages show it in ``language`` (the same catalogue as the templates)."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _speaks(language, *users):
    for user in users:
        user.language = language
        user.save(update_fields=["language"])


def _heading(page):
    return page.get_by_role("heading", level=1)


def _nav(page, name, language):
    page.get_by_role("navigation", name=_t("Main", language)).get_by_role(
        "link", name=_t(name, language), exact=True
    ).click()


def _press(page, role, name, language):
    page.get_by_role(role, name=_t(name, language), exact=True).click()


def _tile(page, title, language):
    """A tile on the privacy page: its accessible name starts with the tile's title."""
    page.get_by_role("link", name=re.compile("^" + re.escape(_t(title, language)))).click()


def _status(page):
    return page.get_by_role("status")


def _on_reauthentication(page) -> bool:
    return "/accounts/reauthenticate/" in page.url


def _password_again(page, journey, label):
    """allauth's re-authentication page: checked, then the password given."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    journey.visit(label)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def _download(page, link, journey, label):
    """Clicks a download link. When allauth asks for the password again first, the page is
    checked and the password given. Returns (download, whether the password was asked)."""
    downloads = []

    def caught(download):
        downloads.append(download)

    page.on("download", caught)
    try:
        link.click()
        deadline = time.monotonic() + 15
        while not downloads and not _on_reauthentication(page):
            assert time.monotonic() < deadline, f"no download and no password page: {page.url}"
            page.wait_for_timeout(100)
        if downloads:
            return downloads[0], False
    finally:
        page.remove_listener("download", caught)
    journey.visit(label)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_download() as info:
        page.locator("input[name=password]").press("Enter")
    return info.value, True


def _zip_entries(download) -> dict[str, bytes]:
    assert download.failure() is None, download.failure()
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _reload_until(page, locator, seconds=READY_WAIT_SECONDS):
    """Reloads until ``locator`` is on the page (a ZIP still being prepared)."""
    deadline = time.monotonic() + seconds
    while locator.count() == 0:
        assert time.monotonic() < deadline, f"not ready in time: {page.url}"
        page.wait_for_timeout(500)
        page.reload()


def _request_through_the_hands(
    language, kind, journeys, pages, coach, coachee, *, ground=None, advice=""
):
    """The coachee files a request of ``kind``; the coach forwards it from the home page and
    the account manager passes it on; the IT administrator's page ends on the request."""
    cp, co, mp, ap = pages
    jc, jco, jm, ja = journeys
    label = _t(Kind(kind).label, language)

    # The coachee files it from the privacy page.
    _nav(cp, "Privacy", language)
    expect(_heading(cp)).to_have_text(_t("Privacy", language))
    jc.visit(f"{kind}-privacy")
    _press(cp, "link", "File a request", language)
    expect(cp).to_have_url(re.compile(r"/privacy/requests/new/$"))
    jc.visit(f"{kind}-new-request")
    cp.get_by_label(_t("What do you ask for?", language)).select_option(label=label)
    if ground:
        cp.get_by_label(_t("Ground for the restriction", language)).select_option(
            label=_t(RestrictionGround(ground).label, language)
        )
        cp.get_by_label(_t("Motivation", language)).fill(MOTIVATION[language])
    _press(cp, "button", "File the request", language)
    expect(_status(cp)).to_contain_text(_t("Your request has been filed.", language))
    expect(cp).to_have_url(re.compile(r"/privacy/requests/[0-9a-f-]{36}/$"))
    jc.visit(f"{kind}-filed")
    made = DataRequest.objects.get(kind=kind, subject=coachee)
    assert made.coach == coach and made.status == Status.WITH_COACH

    # The coach finds it on the home page and forwards it.
    co.goto("/")
    waiting = co.get_by_role("region", name=_t("Privacy: waiting for you", language))
    expect(waiting).to_be_visible()
    jco.visit(f"{kind}-home-waiting")
    waiting.get_by_role("link", name=re.compile(re.escape(coachee.get_full_name()))).click()
    expect(co).to_have_url(re.compile(rf"/privacy/requests/{made.uuid}/$"))
    jco.visit(f"{kind}-request-with-coach")
    forward = co.get_by_role("form", name=_t("Forward to Pluform", language))
    if advice:
        forward.get_by_label(_t("Your advice (optional)", language)).fill(advice)
        forward.get_by_label(_t("Advise to look at the copy together with me", language)).check()
    forward.get_by_role("button", name=_t("Forward", language), exact=True).click()
    expect(_status(co)).to_contain_text(_t("The request has been forwarded to Pluform.", language))
    jco.visit(f"{kind}-forwarded")
    made.refresh_from_db()
    assert made.status == Status.WITH_ACCOUNT_MANAGER

    # The account manager passes it on from Pluform's queue.
    _open_from_queue(mp, jm, made, label, language, f"{kind}-request-with-account-manager")
    _press(mp, "button", "Pass on", language)
    expect(_status(mp)).to_contain_text(
        _t("The request has been passed on to the IT administrator.", language)
    )
    jm.visit(f"{kind}-passed-on")
    made.refresh_from_db()
    assert made.status == Status.WITH_IT_ADMIN

    # The IT administrator opens it from the queue.
    _open_from_queue(ap, ja, made, label, language, f"{kind}-request-with-it-admin")
    return made


def _open_from_queue(page, journey, made, label, language, step):
    """Pluform staff open the request from "Waiting for you" on their queue."""
    _nav(page, "Privacy", language)
    journey.visit(f"{made.kind}-queue")
    page.get_by_role("region", name=_t("Waiting for you", language)).get_by_role(
        "link", name=label, exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/privacy/requests/{made.uuid}/$"))
    journey.visit(step)


def _finish(*journeys):
    """Finishes every journey (each writes its summary), then fails with all they found."""
    failures = []
    for journey in journeys:
        try:
            journey.finish()
        except AssertionError as error:
            failures.append(f"[{journey.name}-{journey.language}] {error}")
    assert not failures, "\n".join(failures)


def _browser(browser, live_server, language):
    """A fresh browser context whose language is the person's."""
    return local_page(browser, live_server, locale=LOCALE[language])


@pytest.fixture
def four(browser, live_server, language):
    """One browser context each for coachee, coach, account manager and IT administrator."""
    with (
        _browser(browser, live_server, language) as coachee_page,
        _browser(browser, live_server, language) as coach_page,
        _browser(browser, live_server, language) as manager_page,
        _browser(browser, live_server, language) as admin_page,
    ):
        yield coachee_page, coach_page, manager_page, admin_page


def _journeys(name, pages, language):
    people = ("coachee", "coach", "account-manager", "it-admin")
    return [
        Journey(f"{name}-{who}", page, language=language)
        for who, page in zip(people, pages, strict=True)
    ]


def _log_in_all(pages, journeys, coachee, coach, account_manager, it_admin):
    cp, co, mp, ap = pages
    log_in(cp, coachee)
    journeys[0].visit("home")
    for page, journey, user in zip(
        (co, mp, ap), journeys[1:], (coach, account_manager, it_admin), strict=True
    ):
        log_in_with_totp(page, user)
        journey.visit("home")


# 6. Access, restriction and consent


@LANGUAGES
def test_6_an_access_request_goes_through_every_hand_to_the_downloaded_zip(
    language, four, coach, coachee, trajectory, account_manager, it_admin
):
    _speaks(language, coach, coachee, account_manager, it_admin)
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, f"{MARKER} 03:40")
    cp, _co, _mp, ap = four
    journeys = _journeys("6-access-request", four, language)
    _log_in_all(four, journeys, coachee, coach, account_manager, it_admin)

    made = _request_through_the_hands(
        language, Kind.ACCESS, journeys, four, coach, coachee, advice=ADVICE[language]
    )

    # The IT administrator has the copy prepared (a Celery task); they cannot open it.
    execute = ap.get_by_role("form", name=_t("Carry out the request", language))
    execute.get_by_role("button", name=_t("Prepare the copy", language), exact=True).click()
    expect(_status(ap)).to_contain_text(_t("The request has been carried out.", language))
    journeys[3].visit("access-carried-out")
    expect(ap.get_by_role("link", name=_t("Download the copy (ZIP)", language))).to_have_count(0)
    made.refresh_from_db()
    assert made.status == Status.DONE

    # The coachee finds it done on the privacy page and downloads the copy.
    _nav(cp, "Privacy", language)
    own = cp.get_by_role("region", name=_t("Your requests", language))
    expect(own.locator("tbody tr")).to_contain_text(_t(Status.DONE.label, language))
    jc = journeys[0]
    jc.visit("access-privacy-done")
    own.get_by_role("link", name=_t(Kind.ACCESS.label, language), exact=True).click()
    link = cp.get_by_role("link", name=_t("Download the copy (ZIP)", language), exact=True)
    _reload_until(cp, link)
    jc.visit("access-request-done")
    download, asked = _download(cp, link, jc, "access-password-again")
    entries = _zip_entries(download)
    assert "data.json" in entries, sorted(entries)
    data = json.loads(entries["data.json"])
    assert data["subject"]["role"] == "coachee"
    texts = [record["text"] for record in data["sections"]["dialogue.messages"]]
    assert any(MARKER in text for text in texts), texts
    if asked:
        expect(cp).to_have_url(re.compile(rf"/privacy/requests/{made.uuid}/$|/reauthenticate/"))
    cp.goto(f"/privacy/requests/{made.uuid}/")
    history = cp.get_by_role("region", name=_t("History", language))
    expect(history.locator("li").filter(has_text=_t("Copy downloaded", language))).to_have_count(1)
    jc.visit("access-request-after-download")

    _finish(*journeys)


@LANGUAGES
def test_6_a_restriction_is_set_and_lifted_through_every_hand(
    language, four, coach, coachee, trajectory, account_manager, it_admin
):
    _speaks(language, coach, coachee, account_manager, it_admin)
    cp, co, _mp, ap = four
    journeys = _journeys("6-restriction", four, language)
    _log_in_all(four, journeys, coachee, coach, account_manager, it_admin)

    made = _request_through_the_hands(
        language,
        Kind.RESTRICTION,
        journeys,
        four,
        coach,
        coachee,
        ground=RestrictionGround.CONTESTED,
    )
    ja = journeys[3]

    # The IT administrator restricts.
    mail.outbox.clear()
    execute = ap.get_by_role("form", name=_t("Carry out the request", language))
    execute.get_by_role("button", name=_t("Restrict the processing", language), exact=True).click()
    expect(_status(ap)).to_contain_text(_t("The request has been carried out.", language))
    ja.visit("restriction-restricted")
    coachee.refresh_from_db()
    assert coachee.processing_restricted
    assert coachee.restriction_ground == RestrictionGround.CONTESTED
    assert coach.email in [address for message in mail.outbox for address in message.to]

    # The coach sees the coachee marked as restricted in "My coachees".
    _nav(co, "My coachees", language)
    expect(co.get_by_role("main")).to_contain_text(coachee.get_full_name())
    journeys[1].visit("restriction-my-coachees-restricted")

    # Lifting is only announced first: the lift button comes after the announcement.
    expect(ap.get_by_role("button", name=_t("Lift the restriction", language))).to_have_count(0)
    announce = ap.get_by_role("form", name=_t("Announce the end of the restriction", language))
    announce.get_by_label(
        _t("Why the restriction ends, as the subject will read it", language)
    ).fill(LIFT_REASON[language])
    mail.outbox.clear()
    announce.get_by_role("button", name=_t("Tell the subject", language), exact=True).click()
    expect(ap.get_by_role("button", name=_t("Lift the restriction", language))).to_be_visible()
    ja.visit("restriction-lift-announced")
    assert [message.to for message in mail.outbox] == [[coachee.email]]
    coachee.refresh_from_db()
    assert coachee.processing_restricted

    # The coachee reads why it ends on the request page.
    cp.goto(f"/privacy/requests/{made.uuid}/")
    expect(cp.get_by_role("main")).to_contain_text(LIFT_REASON[language])
    journeys[0].visit("restriction-announced-to-coachee")

    # The IT administrator lifts it.
    _press(ap, "button", "Lift the restriction", language)
    expect(ap.get_by_role("button", name=_t("Lift the restriction", language))).to_have_count(0)
    ja.visit("restriction-lifted")
    coachee.refresh_from_db()
    assert not coachee.processing_restricted
    assert coachee.restriction_ground == ""

    cp.reload()
    journeys[0].visit("restriction-lifted-coachee")

    _finish(*journeys)


@pytest.mark.parametrize(
    "language",
    [
        "en",
        "nl",
    ],
)
def test_6_a_consent_for_a_second_coach_is_given_and_revoked(
    language, browser, live_server, coach, coachee, trajectory, other_coach
):
    _speaks(language, coach, coachee, other_coach)
    session_report(coach, trajectory, report=f"Verslag {MARKER}")
    dossier = reverse("dossier:coachee", args=[coachee.pk])
    name = coachee.get_full_name()
    colleague = other_coach.get_full_name()
    with (
        _browser(browser, live_server, language) as cp,
        _browser(browser, live_server, language) as co,
        _browser(browser, live_server, language) as op,
    ):
        jc = Journey("6-consent-coachee", cp, language=language)
        jco = Journey("6-consent-coach", co, language=language)
        jo = Journey("6-consent-second-coach", op, language=language)

        # The coach asks the coachee, from the dossier, to let in a colleague.
        log_in_with_totp(co, coach)
        _nav(co, "My coachees", language)
        jco.visit("my-coachees")
        co.get_by_role("link", name=name, exact=True).click()
        expect(_heading(co)).to_contain_text(name)
        jco.visit("dossier")
        _press(co, "link", "Ask to let in a colleague", language)
        expect(co).to_have_url(re.compile(r"/privacy/consents/ask/"))
        jco.visit("consent-ask")
        co.get_by_label(_t("Colleague", language)).select_option(label=colleague)
        for box in co.locator("input[name=apps]").all():
            box.check()
        co.get_by_label(_t("Including everything from before the consent", language)).check()
        _press(co, "button", "Ask the coachee", language)
        expect(co).to_have_url(re.compile(r"/privacy/consents/$"))
        jco.visit("consents-asked")
        question = Consent.objects.get(coach=other_coach, state=Consent.State.PENDING)

        # The colleague sees nothing yet.
        log_in_with_totp(op, other_coach)
        jo.visit("home")
        _nav(op, "My coachees", language)
        expect(op.get_by_role("main")).not_to_contain_text(name)
        jo.visit("my-coachees-before")
        assert op.goto(dossier).status == 404
        expect(_heading(op)).to_have_text(_t("Page not found", language))
        jo.visit("dossier-before-404")

        # The coachee finds the question on the home page and says yes.
        log_in(cp, coachee)
        waiting = cp.get_by_role("link", name=re.compile(re.escape(colleague)))
        expect(waiting).to_be_visible()
        jc.visit("home-with-question")
        waiting.click()
        expect(cp).to_have_url(re.compile(r"/privacy/consents/$"))
        jc.visit("consents-question")
        _press(cp, "button", "Yes, I agree", language)
        expect(cp.get_by_role("button", name=_t("Revoke", language), exact=True)).to_be_visible()
        jc.visit("consents-given")
        question.refresh_from_db()
        assert question.state == Consent.State.GRANTED

        # The colleague now has the coachee among their coachees, and reads the dossier.
        _nav(op, "My coachees", language)
        op.get_by_role("link", name=name, exact=True).click()
        expect(_heading(op)).to_contain_text(name)
        reports = op.get_by_role("region", name=_t("Session reports", language))
        expect(reports.locator("tbody tr")).to_have_count(1)
        expect(reports).to_contain_text(coach.get_full_name())
        jo.visit("dossier-with-consent")

        # The coachee revokes; the colleague gets the 404 page at once.
        _press(cp, "button", "Revoke", language)
        expect(cp.get_by_role("button", name=_t("Revoke", language), exact=True)).to_have_count(0)
        jc.visit("consents-revoked")
        question.refresh_from_db()
        assert question.state == Consent.State.REVOKED
        response = op.goto(dossier)
        assert response.status == 404
        expect(_heading(op)).to_have_text(_t("Page not found", language))
        expect(op.get_by_role("main")).not_to_contain_text(MARKER)
        jo.visit("dossier-after-revoke-404")
        _nav(op, "My coachees", language)
        expect(op.get_by_role("main")).not_to_contain_text(name)
        jo.visit("my-coachees-after")

        _finish(jc, jco, jo)


# 7. Export, then erase


@LANGUAGES
def test_7_a_coachee_exports_then_erases_their_account_and_the_coach_sees_they_left(
    language, browser, live_server, coach, coachee, trajectory
):
    _speaks(language, coach, coachee)
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, f"{MARKER} 22:15")
    name = coachee.get_full_name()
    with (
        _browser(browser, live_server, language) as cp,
        _browser(browser, live_server, language) as co,
    ):
        jc = Journey("7-export-erase-coachee", cp, language=language)
        jco = Journey("7-export-erase-coach", co, language=language)
        log_in(cp, coachee)
        jc.visit("home")

        # The export: the privacy page's tile, the password again when asked, then prepared.
        _nav(cp, "Privacy", language)
        jc.visit("privacy")
        _tile(cp, "Download my data", language)
        if _on_reauthentication(cp):
            _password_again(cp, jc, "export-password-again")
        expect(cp).to_have_url(re.compile(r"/privacy/export/$"))
        jc.visit("export")
        _press(cp, "button", "Prepare a new export", language)
        if _on_reauthentication(cp):
            _password_again(cp, jc, "export-start-password-again")
        link = cp.get_by_role("link", name=_t("Download (ZIP)", language), exact=True)
        _reload_until(cp, link)
        jc.visit("export-ready")
        download, _asked = _download(cp, link, jc, "export-download-password-again")
        entries = _zip_entries(download)
        assert "data.json" in entries, sorted(entries)
        assert MARKER in entries["data.json"].decode("utf-8")

        # Erasure: the privacy page's tile, the password again, the box ticked.
        _nav(cp, "Privacy", language)
        _tile(cp, "Erase my account", language)
        if _on_reauthentication(cp):
            _password_again(cp, jc, "erase-password-again")
        expect(cp).to_have_url(re.compile(r"/privacy/erase/$"))
        jc.visit("erase")
        mail.outbox.clear()
        cp.get_by_label(
            _t("I understand that my account and all my data will be erased for good.", language)
        ).check()
        _press(cp, "button", "Erase my account now", language)
        if _on_reauthentication(cp):
            _password_again(cp, jc, "erase-now-password-again")
        expect(_heading(cp)).to_have_text(_t("Your account has been erased", language))
        jc.visit("erased-receipt")
        assert not User.objects.filter(email=coachee.email).exists()

        # The receipt (JSON) downloads from its link.
        receipt_link = cp.get_by_role(
            "link", name=_t("Download the receipt (JSON)", language), exact=True
        )
        with cp.expect_download() as info:
            receipt_link.click()
        receipt = json.loads(Path(info.value.path()).read_bytes())
        assert receipt, receipt
        assert info.value.suggested_filename.endswith(".json")

        # The old password no longer logs in.
        log_in(cp, coachee)
        expect(cp).to_have_url(re.compile(r"/accounts/login/"))
        expect(cp.locator("input[name=password]")).to_be_visible()
        jc.visit("login-refused")

        # The coach's home page says that a coachee left, without a name, until the coach
        # has seen it; the coach no longer lists them and got the e-mail too.
        log_in_with_totp(co, coach)
        with translation.override(language):
            left = translation.ngettext("A coachee left Pluform", "Coachees left Pluform", 1)
        notice = co.get_by_role("region", name=left)
        expect(notice).to_be_visible()
        expect(notice).not_to_contain_text(name)
        jco.visit("home-coachee-left")
        notice.get_by_role("button", name=_t("Understood", language), exact=True).click()
        expect(co.get_by_role("region", name=left)).to_have_count(0)
        jco.visit("home")
        _nav(co, "My coachees", language)
        expect(co.get_by_role("main")).not_to_contain_text(name)
        jco.visit("my-coachees-after-erasure")
        told = [message for message in mail.outbox if coach.email in message.to]
        assert [message.subject for message in told] == [_t("A coachee has left Pluform", language)]
        assert name not in told[0].body

        _finish(jc, jco)


# 8. No access for those who are not the coachee's coach


@pytest.fixture
def the_coachees_things(coach, coachee, trajectory):
    """A dialogue, an intervention, a toolbox item and a dossier report of the coachee."""
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, f"{MARKER} 07:05")
    made = template(coach, f"Dagboek {MARKER}", steps=[("Kijk terug.", [open_question()])])
    [assignment] = assign(made, coach, trajectory)
    item = link_item(coachee, title=f"Gedeeld {MARKER}", recipients=[coach])
    session_report(coach, trajectory, report=f"Verslag {MARKER}")
    return {
        "dialogue": reverse("dialogue:detail", args=[dialogue.pk]),
        "intervention": reverse("interventions:assignment", args=[assignment.pk]),
        "toolbox": reverse("toolbox:item", args=[item.pk]),
        "dossier": reverse("dossier:coachee", args=[coachee.pk]),
    }


@LANGUAGES
@pytest.mark.parametrize(
    "who", ["org_manager", "customer_service", "ict_line_manager", "stranger_coach"]
)
def test_8_outsiders_get_the_404_page_for_the_coachees_content(
    language, who, request, browser, live_server, the_coachees_things
):
    outsider = request.getfixturevalue(who)
    _speaks(language, outsider)
    with _browser(browser, live_server, language) as page:
        journey = Journey(f"8-no-access-{who.replace('_', '-')}", page, language=language)
        log_in_with_totp(page, outsider)
        journey.visit("home")
        for part, url in the_coachees_things.items():
            response = page.goto(url)
            assert response.status == 404, (who, part, response.status)
            expect(_heading(page)).to_have_text(_t("Page not found", language))
            expect(page.get_by_role("main")).to_contain_text(
                _t("This page does not exist, or it is not yours to see.", language)
            )
            expect(page.get_by_role("main")).not_to_contain_text(MARKER)
            journey.visit(f"{part}-404")
        _finish(journey)
