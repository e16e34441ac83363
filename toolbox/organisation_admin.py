"""Storage use per coach for the organisation manager: numbers only, never a title or name
of a file."""

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.organisation_admin import ScopedAdmin, site
from accounts.roles import Role
from toolbox.models import CoachStorage, Item, ItemFile


def _per_owner(queryset, owner_field, aggregate):
    """One number per owner row of the list, as a subquery (no join fans out the list)."""
    totals = (
        queryset.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(totals), 0)


@admin.register(CoachStorage, site=site)
class StorageAdmin(ScopedAdmin):
    list_display = ["last_name", "first_name", "item_count", "stored"]
    list_display_links = None
    search_fields = ["first_name", "last_name"]
    actions = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(role=Role.COACH)
            .annotate(
                item_count=_per_owner(Item.objects.all(), "owner", Count("pk")),
                stored_bytes=_per_owner(ItemFile.objects.all(), "item__owner", Sum("size")),
            )
        )

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("stored"), ordering="stored_bytes")
    def stored(self, obj):
        return _("%(size)s (%(bytes)s bytes)") % {
            "size": filesizeformat(obj.stored_bytes),
            "bytes": intcomma(obj.stored_bytes),
        }

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The list only: a coach's own page would show every field of their account.
        return obj is None and super().has_view_permission(request)
