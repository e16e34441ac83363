from django.contrib import admin

from pluform.admin_site import ITAdminMixin, ReadOnlyAdminMixin
from privacy.audit_models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, ITAdminMixin, admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, changes or deletes an event here."""

    list_display = (
        "seq",
        "at",
        "action",
        "outcome",
        "actor_role",
        "actor_uuid",
        "subject_kind",
        "subject_uuid",
        "object_type",
        "ip",
    )
    list_filter = ("action", "outcome", "actor_role", "subject_kind")
    search_fields = ("=actor_uuid", "=subject_uuid", "=object_uuid", "=uuid")
    date_hierarchy = "at"
    list_select_related = ()
    show_full_result_count = False
    fields = (
        "seq",
        "uuid",
        "at",
        "action",
        "outcome",
        "actor_uuid",
        "actor_role",
        "on_behalf_of_uuid",
        "subject_kind",
        "subject_uuid",
        "object_type",
        "object_uuid",
        "ip",
        "detail",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields
