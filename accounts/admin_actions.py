"""Admin actions shared by the IT admin site and the organisation admin site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import invitations


@admin.action(description=_("Revoke the selected invitations"))
def revoke_invitations(modeladmin, request, queryset):
    count = sum(invitations.revoke(invitation) for invitation in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", count)
        % {"count": count},
    )
