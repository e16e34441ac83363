"""The Django admin at /admin/, for IT administrators only, and the pieces the scoped
organisation admin (/organisation/) shares with it.

Access goes by role, not by Django's model permissions: nobody holds those, and no
content model is registered on either site.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class RoleAdminSiteMixin:
    """An admin site for one role: others get a 403, visitors the normal login page."""

    allowed_role = None

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role == self.allowed_role

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def checked(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return checked

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", request.path))

    def password_change(self, request, extra_context=None):
        return redirect("account_change_password")


class RoleModelAdminMixin:
    """Grants every admin permission to the site's role, and nothing to anyone else.

    Query-string filters are limited to exactly the parameters that the list's own filters
    produce: Django otherwise accepts lookups that walk relations
    (``?organisation__users__password__startswith=...``), and the result count would answer
    what the page never shows.
    """

    allowed_role = None

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.filter_parameters(request)

    def filter_parameters(self, request) -> frozenset[str]:
        """The query parameters that this list's filters and date hierarchy read."""
        cache = getattr(request, "_pluform_filter_parameters", None)
        if cache is None:
            cache = {}
            if request is not None:
                request._pluform_filter_parameters = cache
        if type(self) not in cache:
            cache[type(self)] = frozenset(self._filter_parameters(request))
        return cache[type(self)]

    def _filter_parameters(self, request):
        for item in self.get_list_filter(request) if request else self.list_filter:
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                yield item.parameter_name
                continue
            field_path, create = (
                item if isinstance(item, (list, tuple)) else (item, admin.FieldListFilter.create)
            )
            field = get_fields_from_path(self.model, field_path)[-1]
            spec = create(field, request, {}, self.model, self, field_path=field_path)
            yield from spec.expected_parameters()
        if self.date_hierarchy:
            yield from (f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))

    def _allowed(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role == self.allowed_role

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class ITAdminMixin(RoleModelAdminMixin):
    allowed_role = "it_admin"


class ReadOnlyAdminMixin:
    """For records nobody edits by hand: login attempts, the audit trail."""

    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PluformAdminSite(RoleAdminSiteMixin, admin.AdminSite):
    site_header = _("Pluform administration")
    site_title = _("Pluform administration")
    index_title = _("IT administration")
    allowed_role = "it_admin"


class PluformAdminConfig(AdminConfig):
    default_site = "pluform.admin_site.PluformAdminSite"

    def ready(self):
        super().ready()
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.models import Group

        # Nobody manages these by hand: roles replace groups, e-mail changes go through the
        # profile, two-factor resets through the user admin's action.
        for model in (Group, EmailAddress, Authenticator):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
