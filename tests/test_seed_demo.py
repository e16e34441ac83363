import datetime
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import demo
from accounts.models import Organisation, Trajectory, User
from accounts.roles import Role
from accounts.signals import demo_seeded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_seed_demo_creates_a_user_of_every_role():
    call_command("seed_demo")
    linde = Organisation.objects.get(name=demo.DEMO_ORGANISATION)
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(organisation=linde, role=Role.COACHEE).count() == 3
    assert all(user.check_password(demo.DEMO_PASSWORD) for user in User.objects.all())


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (User.objects.count(), Trajectory.objects.count(), Authenticator.objects.count())
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Trajectory.objects.count(),
        Authenticator.objects.count(),
    )


def test_demo_coach_has_an_old_a_recent_and_an_active_trajectory():
    users = demo.seed()
    today = timezone.localdate()
    ended = sorted(
        (t.ended_on for t in Trajectory.objects.filter(coaches=users["coach"])),
        key=lambda day: day or datetime.date.max,
    )
    assert ended[0] < today - datetime.timedelta(days=2 * 365)
    assert today - datetime.timedelta(days=45) < ended[1] < today
    assert ended[2] is None


def test_demo_users_read_a_mix_of_dutch_and_english():
    users = demo.seed()
    languages = {key: user.language for key, user in users.items()}
    assert set(languages.values()) == {"nl", "en"}
    assert languages["coach"] == languages["coachee_active"] == "nl"
    assert languages["coachee_recent"] == languages["other_coach"] == languages["it_admin"] == "en"


def test_reseeding_keeps_a_language_the_user_chose():
    users = demo.seed()
    User.objects.filter(pk=users["it_admin"].pk).update(language="nl")
    assert demo.seed()["it_admin"].language == "nl"


def test_second_organisation_has_its_own_coach_and_coachee():
    users = demo.seed()
    trajectory = Trajectory.objects.get(coachee=users["other_coachee"])
    assert list(trajectory.coaches.all()) == [users["other_coach"]]
    assert users["other_coach"].organisation.name == demo.OTHER_ORGANISATION


def test_professionals_have_the_demo_totp_secret_encrypted():
    users = demo.seed()
    authenticator = Authenticator.objects.get(user=users["coach"])
    assert demo.DEMO_TOTP_SECRET not in str(authenticator.data)
    assert authenticator.wrap().validate_code(demo.current_totp_code())
    assert not Authenticator.objects.filter(user=users["coachee_active"]).exists()


def test_seed_demo_tells_other_apps(db):
    received = []

    def handler(sender, organisation, users, **kwargs):
        received.append((organisation.name, sorted(users)))

    demo_seeded.connect(handler)
    try:
        demo.seed()
    finally:
        demo_seeded.disconnect(handler)
    assert received[0][0] == demo.DEMO_ORGANISATION
    assert "coach" in received[0][1]


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_totp_prints_the_current_code(capsys):
    call_command("demo_totp")
    assert capsys.readouterr().out.strip() == demo.current_totp_code()


def test_seed_demo_gives_the_active_coachee_a_readable_dialogue_once():
    from dialogue.models import Message

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    noor = User.objects.get(email="noor@pluform.demo")
    messages = Message.objects.filter(dialogue__trajectory__coachee=noor).order_by("created_at")
    assert messages.count() == 4
    assert messages.first().body.startswith("Hoi Noor")
