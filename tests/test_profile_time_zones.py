"""The profile's time-zone choice: a short list by region, readable and translated."""

from zoneinfo import available_timezones

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.forms import ProfileForm
from accounts.time_zones import COMMON_TIME_ZONE_NAMES

pytestmark = pytest.mark.django_db


def profile_data(**changes):
    return {
        "first_name": "Eva",
        "last_name": "Zwanenburg",
        "language": "en",
        "time_zone": "Europe/Amsterdam",
        "message_notifications": "daily",
        **changes,
    }


def offered(form):
    return [
        (str(group), [(name, str(label)) for name, label in zones])
        for group, zones in form.fields["time_zone"].choices
    ]


def test_choices_are_grouped_by_region_with_amsterdam_first(coachee):
    groups = offered(ProfileForm(instance=coachee))
    assert [group for group, _ in groups][:5] == ["Europe", "Americas", "Africa", "Asia", "Oceania"]
    assert groups[0][1][0] == ("Europe/Amsterdam", "Amsterdam")
    zones = dict(zone for _, zones in groups for zone in zones)
    assert zones["America/New_York"] == "New York (US Eastern)"
    assert 40 < len(zones) < 100


def test_no_raw_or_fake_zone_names_are_offered(coachee):
    zones = {name for _, zones in offered(ProfileForm(instance=coachee)) for name, _ in zones}
    assert not zones & {"Factory", "localtime", "Zulu", "posixrules", "GMT+0"}
    assert zones <= available_timezones()


def test_every_listed_zone_exists_in_zoneinfo():
    assert available_timezones() >= COMMON_TIME_ZONE_NAMES


def test_zone_names_are_translated(coachee):
    with translation.override("nl"):
        groups = offered(ProfileForm(instance=coachee))
    zones = dict(zone for _, zones in groups for zone in zones)
    assert zones["America/New_York"] == "New York (VS Oost)"
    assert zones["Europe/Brussels"] == "Brussel"


def test_profile_page_shows_the_region_groups(client, coachee):
    client.force_login(coachee)
    page = client.get(reverse("accounts:profile")).text
    assert '<optgroup label="Europe">' in page
    assert '<option value="Europe/Amsterdam" selected>Amsterdam</option>' in page


def test_factory_is_refused(client, coachee):
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data(time_zone="Factory"))
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    coachee.refresh_from_db()
    assert coachee.time_zone == "Europe/Amsterdam"


def test_a_valid_zone_outside_the_list_is_refused_to_others(client, coachee):
    client.force_login(coachee)
    response = client.post(reverse("accounts:profile"), profile_data(time_zone="Asia/Kathmandu"))
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert coachee.time_zone == "Europe/Amsterdam"


def test_a_stored_zone_outside_the_list_stays_a_choice(client, coachee):
    coachee.time_zone = "Asia/Kathmandu"
    coachee.save(update_fields=["time_zone"])
    client.force_login(coachee)
    page = client.get(reverse("accounts:profile")).text
    assert '<option value="Asia/Kathmandu" selected>Asia/Kathmandu</option>' in page
    response = client.post(
        reverse("accounts:profile"), profile_data(time_zone="Asia/Kathmandu", last_name="Wit")
    )
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert (coachee.time_zone, coachee.last_name) == ("Asia/Kathmandu", "Wit")


def test_a_stored_fake_zone_is_not_offered_again(coachee):
    coachee.time_zone = "Factory"
    zones = {name for _, zones in offered(ProfileForm(instance=coachee)) for name, _ in zones}
    assert "Factory" not in zones
