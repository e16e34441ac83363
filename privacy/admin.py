from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from pluform.admin_site import ITAdminMixin, ReadOnlyAdminMixin
from privacy.audit_labels import SYSTEM, object_type_label, role_label, subject_kind_label
from privacy.audit_models import AuditEvent

NO_SUBJECT = "none"


class ActorRoleFilter(admin.SimpleListFilter):
    title = _("actor role")
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        return [*Role.choices, (SYSTEM, _("System"))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_role=self.value())
        return queryset


class SubjectKindFilter(admin.SimpleListFilter):
    title = _("subject kind")
    parameter_name = "subject_kind"

    def lookups(self, request, model_admin):
        return [
            *((f"user:{value}", label) for value, label in Role.choices),
            (NO_SUBJECT, _("No subject")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NO_SUBJECT:
            return queryset.filter(subject_kind="")
        if value:
            return queryset.filter(subject_kind=value)
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, ITAdminMixin, admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, changes or deletes an event here.

    Roles, subject kinds and object types are stored as codes (they are hashed into the
    chain); the pages show them in words.
    """

    list_display = (
        "seq",
        "at",
        "action",
        "outcome",
        "actor_role_display",
        "actor_uuid",
        "subject_kind_display",
        "subject_uuid",
        "object_type_display",
        "ip",
    )
    list_filter = ("action", "outcome", ActorRoleFilter, SubjectKindFilter)
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
        "actor_role_display",
        "on_behalf_of_uuid",
        "subject_kind_display",
        "subject_uuid",
        "object_type_display",
        "object_uuid",
        "ip",
        "detail",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description=_("actor role"), ordering="actor_role")
    def actor_role_display(self, event):
        return role_label(event.actor_role)

    @admin.display(description=_("subject kind"), ordering="subject_kind")
    def subject_kind_display(self, event):
        return subject_kind_label(event.subject_kind)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_display(self, event):
        return object_type_label(event.object_type)
