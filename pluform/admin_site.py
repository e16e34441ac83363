"""The Django admin at /admin/, for IT administrators only."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PluformAdminSite(admin.AdminSite):
    site_header = _("Pluform administration")
    site_title = _("Pluform administration")
    index_title = _("IT administration")

    def has_permission(self, request):
        from accounts.roles import Role

        user = request.user
        return user.is_active and user.is_authenticated and user.role == Role.IT_ADMIN


class PluformAdminConfig(AdminConfig):
    default_site = "pluform.admin_site.PluformAdminSite"
