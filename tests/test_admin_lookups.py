"""Admin lists answer only their own filters: no lookup walks a relation to a hidden column.

A result count ("3 users") is an answer: a lookup that reaches a column the page does not
show (a title, a password hash) would let it be rebuilt one character at a time.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import ForeignObjectRel
from django.test import RequestFactory
from django.urls import reverse

from accounts import organisation_admin
from pluform.crypto.fields import EncryptedTextField

pytestmark = pytest.mark.django_db

SITES = [(admin.site, "it_admin"), (organisation_admin.site, "org_manager")]


def _admin_params():
    for site, role in SITES:
        for model, model_admin in site._registry.items():
            yield pytest.param(site, role, model, model_admin, id=f"{site.name}:{model.__name__}")


ADMINS = list(_admin_params())


def _changelist(site, model):
    return reverse(f"{site.name}:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _relation_walks(model, own):
    """Lookups that start at a field of the model and go one or two steps further."""
    for field in model._meta.get_fields():
        name = field.name
        if f"{name}__startswith" not in own:
            yield f"{name}__startswith"
        related = getattr(field, "related_model", None)
        if related is None:
            continue
        for target in related._meta.get_fields():
            if isinstance(target, ForeignObjectRel):
                yield f"{name}__{target.name}__isnull"
            else:
                yield f"{name}__{target.name}__startswith"


@pytest.mark.parametrize(("site", "role", "model", "model_admin"), ADMINS)
def test_every_relation_walking_lookup_is_refused(client, actors, site, role, model, model_admin):
    client.force_login(actors[role])
    url = _changelist(site, model)
    request = RequestFactory().get(url)
    request.user = actors[role]
    own = model_admin.filter_parameters(request)
    accepted = [
        lookup
        for lookup in _relation_walks(model, own)
        if lookup not in own and client.get(url, {lookup: "a"}).status_code != 400
    ]
    assert not accepted, f"{url} accepts {accepted}"


def test_probe_that_rebuilt_a_password_hash_is_refused(client, it_admin, coachee):
    client.force_login(it_admin)
    response = client.get(
        reverse("admin:accounts_user_changelist"),
        {
            "organisation__users__email": coachee.email,
            "organisation__users__password__startswith": "md5",
        },
    )
    assert response.status_code == 400


def test_probe_that_rebuilt_a_trajectory_title_is_refused(client, it_admin, trajectory):
    client.force_login(it_admin)
    response = client.get(
        reverse("admin:accounts_user_changelist"),
        {"organisation__trajectories__title__startswith": "b"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("admin:accounts_user_changelist", "role__exact=coach"),
        ("admin:accounts_user_changelist", "is_active__exact=1"),
        ("admin:accounts_loginattempt_changelist", "success__exact=0"),
        ("admin:privacy_auditevent_changelist", "at__year=2026"),
        ("organisation:accounts_organisationcoachee_changelist", "is_active__exact=1"),
    ],
)
def test_the_lists_own_filters_are_accepted(client, actors, url_name, query):
    actor = actors["org_manager" if url_name.startswith("organisation:") else "it_admin"]
    client.force_login(actor)
    assert client.get(f"{reverse(url_name)}?{query}").status_code == 200


def test_the_related_filter_accepts_its_own_parameter(client, it_admin, organisation):
    client.force_login(it_admin)
    url = reverse("admin:accounts_user_changelist")
    assert client.get(url, {"organisation__uuid__exact": str(organisation.pk)}).status_code == 200


@pytest.mark.parametrize(("site", "role", "model", "model_admin"), ADMINS)
def test_search_reaches_only_columns_the_list_shows(site, role, model, model_admin):
    detail = (
        flatten_fieldsets(model_admin.fieldsets)
        if model_admin.fieldsets
        else model_admin.fields or []
    )
    form_fields = getattr(getattr(model_admin.form, "_meta", None), "fields", None) or []
    shown = {*model_admin.list_display, *detail, *form_fields}
    for search_field in model_admin.search_fields:
        path = search_field.lstrip("^=@").split("__")
        assert path[0] in shown, f"{search_field} searches a column the list does not show"
        field = model._meta.get_field(path[0])
        for step in path[1:]:
            field = field.related_model._meta.get_field(step)
        assert not isinstance(field, EncryptedTextField)
        assert field.name not in {"password", "title", "restriction_reason"}
