from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from pluform import dates
from pluform.admin_site import ITAdminMixin, ReadOnlyAdminMixin
from privacy import audit, erasure, receipts
from privacy.audit import Action
from privacy.audit_labels import SYSTEM, object_type_label, role_label, subject_kind_label
from privacy.audit_models import AuditEvent
from privacy.erasure_models import Erasure, LegalHold

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


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdminMixin, ITAdminMixin, admin.ModelAdmin):
    """The IT administrator's copies of the erasure receipts: no personal data."""

    list_display = ("uuid", "started_at", "subject_kind_display", "ground", "state", "total")
    list_filter = ("ground", "state")
    search_fields = ("=uuid",)
    date_hierarchy = "started_at"
    fields = (
        "uuid",
        "subject_kind_display",
        "ground",
        "actor_role_display",
        "started_at",
        "finished_at",
        "state",
        "records",
        "files",
        "keys",
        "manifest_display",
        "manifest_sha256",
    )
    readonly_fields = fields

    @admin.display(description=_("subject kind"), ordering="subject_kind")
    def subject_kind_display(self, erasure):
        return role_label(erasure.subject_kind)

    @admin.display(description=_("started by (role)"))
    def actor_role_display(self, erasure):
        return role_label(erasure.actor_role) if erasure.actor_role else _("The person themselves")

    @admin.display(description=_("records erased"))
    def total(self, erasure):
        return erasure.total

    @admin.display(description=_("records erased, by kind"))
    def records(self, erasure):
        return format_html_join(mark_safe("<br>"), "{}: {}", receipts.rows(erasure.counts)) or _(  # nosec B308  # a constant tag; the rows are escaped by format_html_join
            "none"
        )

    @admin.display(description=_("manifest (what the SHA-256 covers)"))
    def manifest_display(self, erasure):
        return format_html("<pre>{}</pre>", erasure.manifest_bytes().decode())


class LegalHoldForm(forms.ModelForm):
    class Meta:
        model = LegalHold
        fields = ("subject", "reason", "ends_on")

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if subject.role not in erasure.ERASABLE_ROLES:
            raise forms.ValidationError(_("Only coaches and coachees have data to hold."))
        return subject

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < dates.today():
            raise forms.ValidationError(_("The end date lies in the past."))
        return ends_on


@admin.register(LegalHold)
class LegalHoldAdmin(ITAdminMixin, admin.ModelAdmin):
    """Legal holds: set with a reason and an end date; lifted, never deleted by hand."""

    form = LegalHoldForm
    list_display = ("subject", "ends_on", "set_at", "lifted_at")
    list_select_related = ("subject",)
    list_filter = ("lifted_at",)
    autocomplete_fields = ("subject",)
    actions = ("lift",)

    def get_readonly_fields(self, request, obj=None):
        return ("subject", "set_by", "set_at", "lifted_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)
        audit.record(
            request,
            Action.CHANGE,
            subject=obj.subject,
            obj=obj,
            detail="legal hold changed" if change else "legal hold set",
        )

    @admin.action(description=_("Lift the selected legal holds"))
    def lift(self, request, queryset):
        for hold in queryset.filter(lifted_at__isnull=True).select_related("subject"):
            hold.lifted_at = timezone.now()
            hold.save(update_fields=["lifted_at"])
            audit.record(
                request, Action.CHANGE, subject=hold.subject, obj=hold, detail="legal hold lifted"
            )
