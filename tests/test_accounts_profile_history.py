"""Rectification by someone else keeps the earlier version, for the subject only: when the IT
administrator or the organisation manager changes a person's details, the person sees what they
were on their profile page and in their access copy; the value is stored encrypted under the
person's own key and goes with their erasure. Their own changes keep nothing."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import ProfileChange
from privacy import erasure, subject_data
from privacy.erasure_models import Ground
from tests.crypto_support import raw_table_text
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

OLD_PHONE = "+31 6 1234 5678"


def _admin_form(client, url) -> dict:
    """The admin change form's fields as the page fills them in."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


@pytest.fixture
def corrected(client, it_admin, coachee):
    coachee.phone = OLD_PHONE
    coachee.birth_date = datetime.date(1990, 4, 1)
    coachee.save(update_fields=["phone", "birth_date"])
    client.force_login(it_admin)
    url = reverse("admin:accounts_user_change", args=[coachee.pk])
    data = _admin_form(client, url)
    data.update(phone="+31 6 8765 4321", birth_date="1990-04-11", last_name="Zwanenburg-Bos")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return coachee


def test_the_it_administrators_correction_keeps_the_earlier_values(corrected):
    changes = {c.field: c for c in ProfileChange.objects.filter(user=corrected)}
    assert set(changes) == {"phone", "birth_date", "last_name"}
    assert changes["phone"].earlier == OLD_PHONE
    assert changes["birth_date"].earlier == "1990-04-01"
    assert changes["last_name"].earlier == "Zwanenburg"
    assert {c.changed_by_role for c in changes.values()} == {"it_admin"}


def test_the_earlier_values_are_stored_encrypted(corrected):
    assert OLD_PHONE not in raw_table_text(ProfileChange)


def test_the_person_sees_them_on_their_profile_page_and_nobody_else_does(
    corrected, coach, org_manager
):
    mine = page_text(signed_in(corrected).get(reverse("accounts:profile")))
    assert "Details someone else corrected" in mine
    assert f"“{OLD_PHONE}”" in mine
    assert "changed by the IT administrator" in mine
    for other in (coach, org_manager):
        page = page_text(signed_in(other).get(reverse("accounts:profile")))
        assert OLD_PHONE not in page
        assert "Details someone else corrected" not in page


def test_the_access_copy_holds_them(corrected):
    [profile] = list(subject_data.section("accounts.profile").records(corrected))
    earlier = {item["field"]: item for item in profile["earlier_values"]}
    assert earlier["phone"]["earlier"] == OLD_PHONE
    assert earlier["phone"]["changed_by"] == "it_admin"


def test_the_organisation_managers_correction_keeps_the_earlier_name(
    client, org_manager, coachee, trajectory
):
    client.force_login(org_manager)
    url = reverse("organisation:accounts_organisationcoachee_change", args=[coachee.pk])
    data = {"first_name": "Evi", "last_name": coachee.last_name, "email": coachee.email}
    assert client.post(url, data).status_code == 302
    (change,) = ProfileChange.objects.filter(user=coachee)
    assert (change.field, change.earlier, change.changed_by_role) == (
        "first_name",
        "Eva",
        "org_manager",
    )


def test_the_persons_own_changes_keep_nothing(coachee):
    client = signed_in(coachee)
    form = client.get(reverse("accounts:profile")).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["phone"] = "+31 6 0000 0000"
    data.pop("photo", None)
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    assert not ProfileChange.objects.exists()


def test_they_go_with_the_erasure(corrected):
    done = erasure.erase(corrected, ground=Ground.SELF_SERVICE)
    assert not ProfileChange.objects.exists()
    assert done.counts["accounts.profilechange"] == 3
