"""Accounts in the IT administrator's Django admin (/admin/)."""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.admin_actions import revoke_invitations
from accounts.models import CoachProfile, Invitation, LoginAttempt, Organisation, Trajectory, User
from pluform.admin_site import ITAdminMixin, ReadOnlyAdminMixin
from pluform.admin_widgets import LabelledAutocompleteMixin
from privacy import audit
from privacy.audit import Action


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email",
            "first_name",
            "last_name",
            "language",
            "birth_date",
            "gender",
            "phone",
            "role",
            "organisation",
            "is_active",
            "message_notifications",
        ]


@admin.register(User)
class UserAdmin(ITAdminMixin, admin.ModelAdmin):
    form = UserAdminForm
    list_display = [
        "email",
        "first_name",
        "last_name",
        "role",
        "organisation",
        "is_active",
        "last_activity_at",
        "restricted",
    ]
    list_filter = ["role", "organisation", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = [
        "date_joined",
        "last_login",
        "last_activity_at",
        "processing_restricted_at",
        "restriction_ground",
        "restriction_reason",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["email", "first_name", "last_name", "role", "organisation", "is_active"]},
        ),
        (
            _("Profile"),
            {"fields": ["language", "birth_date", "gender", "phone", "message_notifications"]},
        ),
        (
            _("Restriction of processing"),
            {
                "fields": ["processing_restricted_at", "restriction_ground", "restriction_reason"],
                # Through a request only: the subject is told before a restriction is lifted.
                "description": _(
                    "Set and lifted by carrying out a restriction request under Privacy, so "
                    "that the subject is told before it is lifted."
                ),
            },
        ),
        (_("Activity"), {"fields": ["date_joined", "last_login", "last_activity_at"]}),
    ]
    actions = ["reset_mfa"]

    @admin.display(boolean=True, description=_("restricted"))
    def restricted(self, obj):
        return obj.processing_restricted

    def has_delete_permission(self, request, obj=None):
        return False  # erasure runs through the privacy requests, never a bare delete

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        new_email = obj.email
        if change and "email" in form.changed_data:
            obj.email = form.initial["email"]
        if not change:
            obj.set_unusable_password()  # they choose one through "forgot your password"
        obj.save()
        if change and "email" in form.changed_data:
            services.change_email(obj, new_email)
        if change:
            services.keep_earlier_values(obj, form.initial, form.changed_data, by=request.user)
        if form.changed_data:
            action = Action.CHANGE if change else Action.CREATE
            audit.record(
                request, action, subject=obj, obj=obj, detail=", ".join(sorted(form.changed_data))
            )

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_mfa(self, request, queryset):
        Authenticator.objects.filter(user__in=queryset).delete()
        for user in queryset:
            audit.record(request, Action.MFA_CHANGE, subject=user, obj=user, detail="reset")
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d user.",
                "Two-factor authentication reset for %(count)d users.",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(Organisation)
class OrganisationAdmin(ITAdminMixin, admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class CoachProfileAdminForm(forms.ModelForm):
    class Meta:
        model = CoachProfile
        fields = [
            "user",
            "licence_started_on",
            "licence_ended_on",
            "billing_address",
            "invoice_email",
            "iban",
            "product",
        ]
        labels = {"user": capfirst(_("coach"))}


@admin.register(CoachProfile)
class CoachProfileAdmin(LabelledAutocompleteMixin, ITAdminMixin, admin.ModelAdmin):
    form = CoachProfileAdminForm
    list_display = ["coach", "product", "licence_started_on", "licence_ended_on"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("coach"), ordering="user__email")
    def coach(self, obj):
        return obj.user


@admin.register(Trajectory)
class TrajectoryAdmin(ITAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "coachee", "organisation", "started_on", "ended_on"]
    list_select_related = ["coachee", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["coachee__email", "coachee__last_name"]
    # The title may say why someone is coached: it is content, so the IT admin never sees it.
    fields = ["organisation", "coachee", "started_on", "ended_on", "coach_names"]
    readonly_fields = ["organisation", "coachee", "coach_names"]

    @admin.display(description=_("coaches"))
    def coach_names(self, obj):
        return ", ".join(str(coach) for coach in obj.coaches.all())

    def has_add_permission(self, request):
        return False  # trajectories start by invitation or in the organisation admin

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ITAdminMixin, admin.ModelAdmin):
    list_display = ["email", "role", "organisation", "invited_by", "created_at", "status"]
    list_select_related = ["organisation", "invited_by"]
    list_filter = ["role", "organisation"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "role",
        "organisation",
        "language",
        "coach",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
        "revoked_at",
    ]
    exclude = ["token_hash"]
    actions = [revoke_invitations]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdminMixin, ITAdminMixin, admin.ModelAdmin):
    list_display = ["at", "email", "user", "outcome", "success", "ip_network", "user_agent"]
    list_filter = ["success", "outcome"]
    list_select_related = ["user"]
    search_fields = ["email", "ip_network"]
    date_hierarchy = "at"
