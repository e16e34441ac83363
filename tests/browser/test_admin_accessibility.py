"""Both admin sites pass axe-core (no serious or critical violation) in Dutch and English,
and no page breaks the self-only content security policy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import LoginAttempt, User
from accounts.roles import Role
from privacy import audit
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from tests.browser.axe import (
    csp_violations,
    describe,
    require_axe,
    run_axe,
    serious_violations,
    serve_axe,
)
from tests.browser.helpers import DESKTOP, log_in_with_totp
from tests.factories.accounts import (
    CoacheeFactory,
    CoachFactory,
    OrganisationFactory,
    StaffFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    """A small practice like the demo's: coaches, coachees, trajectories, an invitation."""
    organisation = OrganisationFactory(name="Praktijk De Linde")
    manager = UserFactory(
        organisation=organisation,
        role=Role.ORG_MANAGER,
        first_name="Olga",
        last_name="Oudewater",
        email="manager@example.com",
    )
    coach = CoachFactory(organisation=organisation, first_name="Carla", last_name="Bakker")
    CoachFactory(organisation=organisation, first_name="Otto", last_name="Quakkelaar")
    coachee = CoacheeFactory(organisation=organisation, first_name="Eva", last_name="Jansen")
    ended = CoacheeFactory(organisation=organisation, first_name="Daan", last_name="de Vries")
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach])
    TrajectoryFactory(
        coachee=ended,
        coaches=[coach],
        ended_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    invitation = invitations.invite(
        organisation=organisation,
        email="new.coachee@example.com",
        role=Role.COACHEE,
        language="nl",
        invited_by=manager,
        coach=coach,
    )
    it_admin = StaffFactory(role=Role.IT_ADMIN, email="admin@example.com")
    LoginAttemptFactory(user=coachee, outcome=LoginAttempt.Outcome.LOGGED_IN)
    LoginAttemptFactory(email="guess@example.com")
    audit.record(None, Action.VIEW, subject=coachee, obj=trajectory, actor=coach)
    audit.record(None, Action.CHANGE, subject=coachee, obj=coachee, actor=it_admin)
    audit.record(None, Action.KEY_ROTATION)
    return {
        "it_admin": it_admin,
        "manager": manager,
        "coach": coach,
        "coachee": coachee,
        "trajectory": trajectory,
        "invitation": invitation,
        "login_attempt": LoginAttempt.objects.first(),
        "audit_event": AuditEvent.objects.order_by("seq").first(),
    }


def _it_admin_pages(w):
    pages = [reverse("admin:index"), reverse("admin:app_list", kwargs={"app_label": "accounts"})]
    for model in ["user", "organisation", "coachprofile", "trajectory", "invitation"]:
        pages.append(reverse(f"admin:accounts_{model}_changelist"))
    pages.append(reverse("admin:accounts_loginattempt_changelist"))
    pages.append(reverse("admin:privacy_auditevent_changelist"))
    for model in ["user", "organisation", "coachprofile"]:
        pages.append(reverse(f"admin:accounts_{model}_add"))
    pages += [
        reverse("admin:accounts_user_change", args=[w["coachee"].pk]),
        reverse("admin:accounts_organisation_change", args=[w["coach"].organisation.pk]),
        reverse("admin:accounts_coachprofile_change", args=[w["coach"].coach_profile.pk]),
        reverse("admin:accounts_trajectory_change", args=[w["trajectory"].pk]),
        reverse("admin:accounts_invitation_change", args=[w["invitation"].pk]),
        reverse("admin:accounts_loginattempt_change", args=[w["login_attempt"].pk]),
        reverse("admin:privacy_auditevent_change", args=[w["audit_event"].pk]),
    ]
    return pages


def _organisation_pages(w):
    pages = [reverse("organisation:index")]
    for model in ["organisationcoach", "organisationcoachee", "trajectory", "invitation"]:
        pages.append(reverse(f"organisation:accounts_{model}_changelist"))
    pages += [
        reverse("organisation:accounts_trajectory_add"),
        reverse("organisation:accounts_invitation_add"),
        reverse("organisation:accounts_organisationcoach_change", args=[w["coach"].pk]),
        reverse("organisation:accounts_organisationcoachee_change", args=[w["coachee"].pk]),
        reverse("organisation:accounts_trajectory_change", args=[w["trajectory"].pk]),
        reverse("organisation:accounts_invitation_change", args=[w["invitation"].pk]),
    ]
    return pages


SITES = {"it_admin": _it_admin_pages, "manager": _organisation_pages}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("actor", ["it_admin", "manager"])
def test_admin_pages_have_no_serious_accessibility_violation(page, actor, language):
    require_axe()
    w = _world()
    user = w[actor]
    User.objects.filter(pk=user.pk).update(language=language)
    refused = csp_violations(page)
    serve_axe(page)
    page.set_viewport_size(DESKTOP)
    log_in_with_totp(page, user)

    problems = []
    for url in SITES[actor](w):
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language, url
        found = serious_violations(run_axe(page))
        if found:
            problems.append(describe(url, found))
    assert not problems and not refused, "\n".join(problems + refused)


def test_coach_autocomplete_is_named_after_its_label(page):
    """Select2 names its combobox after the chosen option only; ours adds the field's label."""
    it_admin = StaffFactory(role=Role.IT_ADMIN)
    log_in_with_totp(page, it_admin)
    page.goto(reverse("admin:accounts_coachprofile_add"))
    combobox = page.get_by_role("combobox", name="Coach")
    assert combobox.count() == 1
    combobox.focus()
    page.keyboard.press("Enter")
    assert combobox.get_attribute("aria-expanded") == "true"
