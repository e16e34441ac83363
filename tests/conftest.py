"""Shared test actors: one fixture per role, plus strangers from another organisation."""

import json
import time

import pytest
from django.conf import settings
from django.utils import translation

from accounts.roles import Role
from pluform.storage import local_storage
from tests.factories.accounts import (
    CoacheeFactory,
    CoachFactory,
    OrganisationFactory,
    StaffFactory,
    TrajectoryFactory,
    UserFactory,
)

# Actors get fixed, unusual names: tests check that a name does (not) appear on a page, and a
# random name could also be an ordinary word there.


def pytest_sessionstart(session):
    session.config._pluform_started = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Names the folder of the journeys' screenshots and what axe-core found on their pages."""
    from tests.browser.journey import screenshots_folder

    folder = screenshots_folder()
    started = getattr(config, "_pluform_started", 0)
    summaries = [
        json.loads(path.read_text())
        for path in sorted(folder.glob("*.json"))
        if path.stat().st_mtime >= started
    ]
    if not summaries:
        return
    pages = sum(summary["pages"] for summary in summaries)
    problems = sum(summary["problems"] for summary in summaries)
    terminalreporter.write_sep("-", "browser journeys")
    terminalreporter.write_line(
        f"{len(summaries)} journeys, {pages} pages checked by axe-core, "
        f"{problems} problems (serious or critical violations, English on Dutch pages, "
        "sideways scrolling, CSP refusals)"
    )
    terminalreporter.write_line(f"screenshots at 390 and 1280 px: {folder}")


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Code called outside a request speaks English in tests; pages follow the user's language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": local_storage(tmp_path / "media")}


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Praktijk De Linde")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Elders Coaching")


@pytest.fixture
def coach(organisation):
    return CoachFactory(
        organisation=organisation,
        first_name="Carla",
        last_name="Ravestein",
        email="coach@example.com",
    )


@pytest.fixture
def coachee(organisation):
    return CoacheeFactory(
        organisation=organisation,
        first_name="Eva",
        last_name="Zwanenburg",
        email="coachee@example.com",
    )


@pytest.fixture
def trajectory(coach, coachee):
    return TrajectoryFactory(coachee=coachee, coaches=[coach])


@pytest.fixture
def other_coach(organisation):
    """A coach of the same organisation who is not the coachee's coach."""
    return CoachFactory(organisation=organisation, first_name="Otto", last_name="Quakkelaar")


@pytest.fixture
def org_manager(organisation):
    return UserFactory(
        organisation=organisation,
        role=Role.ORG_MANAGER,
        first_name="Olga",
        last_name="Oudewater",
    )


@pytest.fixture
def customer_service(db):
    return StaffFactory(role=Role.CUSTOMER_SERVICE)


@pytest.fixture
def ict_line_manager(db):
    return StaffFactory(role=Role.ICT_LINE_MANAGER)


@pytest.fixture
def account_manager(db):
    return StaffFactory(role=Role.ACCOUNT_MANAGER)


@pytest.fixture
def it_admin(db):
    return StaffFactory(role=Role.IT_ADMIN)


@pytest.fixture
def stranger_coach(other_organisation):
    return CoachFactory(organisation=other_organisation, first_name="Sven", last_name="Swildens")


@pytest.fixture
def stranger_coachee(other_organisation, stranger_coach):
    coachee = CoacheeFactory(
        organisation=other_organisation, first_name="Saar", last_name="Stellingwerf"
    )
    TrajectoryFactory(coachee=coachee, coaches=[stranger_coach])
    return coachee


@pytest.fixture
def actors(
    coach,
    coachee,
    trajectory,
    other_coach,
    org_manager,
    customer_service,
    ict_line_manager,
    account_manager,
    it_admin,
    stranger_coach,
    stranger_coachee,
):
    """Every role, keyed by the names the access matrix uses."""
    return {
        "coach": coach,
        "coachee": coachee,
        "other_coach": other_coach,
        "org_manager": org_manager,
        "customer_service": customer_service,
        "ict_line_manager": ict_line_manager,
        "account_manager": account_manager,
        "it_admin": it_admin,
        "stranger_coach": stranger_coach,
        "stranger_coachee": stranger_coachee,
    }
