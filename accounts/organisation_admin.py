"""The organisation manager's admin site at /organisation/.

Every queryset, form choice and lookup is scoped to the manager's own organisation, and
only accounts, trajectories and invitations are registered: never any content.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts import invitations, services
from accounts.admin_actions import revoke_invitations
from accounts.forms import InvitationForm
from accounts.models import (
    Invitation,
    OrganisationCoach,
    OrganisationCoachee,
    Trajectory,
    TrajectoryCoach,
    User,
)
from accounts.roles import Role
from pluform import dates
from pluform.admin_site import RoleAdminSiteMixin, RoleModelAdminMixin
from pluform.links import link_for
from privacy import consent


class OrganisationAdminSite(RoleAdminSiteMixin, admin.AdminSite):
    site_header = _("Organisation administration")
    site_title = _("Organisation administration")
    index_title = _("Your organisation")
    site_url = "/"
    allowed_role = Role.ORG_MANAGER
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and request.user.organisation_id is not None

    def index(self, request, extra_context=None):
        organisation = request.user.organisation_id
        today = dates.today()
        today_open = Q(trajectories__ended_on__isnull=True) | Q(trajectories__ended_on__gte=today)
        running = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        active = Q(is_active=True)
        counts = User.objects.filter(organisation_id=organisation).aggregate(
            coaches=Count("pk", filter=active & Q(role=Role.COACH), distinct=True),
            coachees=Count("pk", filter=active & Q(role=Role.COACHEE), distinct=True),
            active_coachees=Count(
                "pk", filter=active & Q(role=Role.COACHEE) & today_open, distinct=True
            ),
            people=Count("pk", distinct=True),
        )
        counts.update(
            Trajectory.objects.filter(organisation_id=organisation).aggregate(
                active_trajectories=Count("pk", filter=running),
                ended_trajectories=Count("pk", filter=Q(ended_on__lt=today)),
            )
        )
        extra_context = {
            **(extra_context or {}),
            "counts": counts,
            "organisation": request.user.organisation,
            "users": last_activity(organisation),
            "user_count": counts["people"],
        }
        return super().index(request, extra_context)


# How many people the index lists by last activity; the coach and coachee lists show all.
LAST_ACTIVITY_ROWS = 100


def last_activity(organisation_id) -> list:
    """The organisation's people, most recently active first (never active last): name, role
    and the date of their last activity, nothing else. One query whatever their number."""
    rows = list(
        User.objects.filter(organisation_id=organisation_id)
        .only("uuid", "first_name", "last_name", "role", "is_active", "last_activity_at")
        .order_by(F("last_activity_at").desc(nulls_last=True), "last_name", "first_name", "uuid")[
            :LAST_ACTIVITY_ROWS
        ]
    )
    change_urls = {
        Role.COACH: link_for("organisation:accounts_organisationcoach_change"),
        Role.COACHEE: link_for("organisation:accounts_organisationcoachee_change"),
    }
    role_labels = {value: str(label) for value, label in Role.choices}
    date_fmt = get_format("DATE_FORMAT")
    for row in rows:
        row.name = row.get_full_name()
        row.role_text = role_labels.get(row.role, row.role)
        url = change_urls.get(row.role)
        row.url = url(row.pk) if url else ""
        row.activity_iso = row.last_activity_at.isoformat() if row.last_activity_at else ""
        row.activity_text = (
            dateformat.format(timezone.localtime(row.last_activity_at), date_fmt)
            if row.last_activity_at
            else ""
        )
    return rows


site = OrganisationAdminSite(name="organisation")
site.index_template = "accounts/organisation_admin/index.html"


class ScopedAdmin(RoleModelAdminMixin, admin.ModelAdmin):
    allowed_role = Role.ORG_MANAGER
    organisation_field = "organisation"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{self.organisation_field: request.user.organisation_id})
        )

    def has_delete_permission(self, request, obj=None):
        return False


class PersonAdmin(ScopedAdmin):
    role = None
    fields = ["first_name", "last_name", "email"]
    list_display = ["last_name", "first_name", "email", "is_active", "last_activity_at"]
    search_fields = ["first_name", "last_name", "email"]
    list_filter = ["is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=self.role)

    def add_view(self, request, form_url="", extra_context=None):
        # People join by invitation, so "add" opens the invitation form for this role.
        url = reverse("organisation:accounts_invitation_add", current_app=self.admin_site.name)
        return redirect(f"{url}?{urlencode({'role': self.role})}")

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        new_email = obj.email
        if "email" in form.changed_data:
            obj.email = form.initial["email"]
        obj.save()
        if "email" in form.changed_data:
            services.change_email(obj, new_email)
        if change:
            services.keep_earlier_values(obj, form.initial, form.changed_data, by=request.user)


@admin.register(OrganisationCoach, site=site)
class CoachAdmin(PersonAdmin):
    role = Role.COACH
    list_display = [*PersonAdmin.list_display, "coachee_count"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                coachee_count=Count(
                    "coached_trajectories",
                    filter=Q(coached_trajectories__ended_on__isnull=True)
                    | Q(coached_trajectories__ended_on__gte=dates.today()),
                    distinct=True,
                )
            )
        )

    @admin.display(description=_("active coachees"), ordering="coachee_count")
    def coachee_count(self, obj):
        return obj.coachee_count


@admin.register(OrganisationCoachee, site=site)
class CoacheeAdmin(PersonAdmin):
    role = Role.COACHEE


class EndDateFilter(admin.DateFieldListFilter):
    """The end date as a filter heading ("By end date"), not the field's "ended on"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("end date")


class TrajectoryForm(forms.ModelForm):
    assigned_coaches = forms.ModelMultipleChoiceField(
        label=_("Coaches"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "A coach you add to a coachee who already has a coach joins only once the coachee "
            "consents; until then they see nothing. Untick a coach to withdraw the question."
        ),
    )

    class Meta:
        model = Trajectory
        fields = ["coachee", "started_on", "ended_on"]

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date lies before the start date."))
        adding = self.instance._state.adding
        coachee = cleaned.get("coachee") if adding else self.instance.coachee
        current = set() if adding else set(self.instance.coaches.all())
        added = set(cleaned.get("assigned_coaches") or ()) - current
        try:
            if coachee is not None and (added or adding):
                services.check_may_join(coachee)
            for coach in added if coachee is not None else ():
                services.check_may_join(coachee, coach)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Trajectory, site=site)
class TrajectoryAdmin(ScopedAdmin):
    form = TrajectoryForm
    fields = ["coachee", "assigned_coaches", "waiting_for_consent", "started_on", "ended_on"]
    list_display = ["coachee", "coach_names", "started_on", "ended_on", "active"]
    list_select_related = ["coachee"]
    search_fields = ["coachee__first_name", "coachee__last_name", "coachee__email"]
    list_filter = [("ended_on", EndDateFilter)]
    ordering = ["-started_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coaches")

    @admin.display(description=_("coaches"))
    def coach_names(self, obj):
        return ", ".join(str(coach) for coach in obj.coaches.all())

    @admin.display(boolean=True, description=_("active"))
    def active(self, obj):
        return obj.is_active

    @admin.display(description=_("waiting for the coachee's consent"))
    def waiting_for_consent(self, obj):
        names = [str(c.coach) for c in consent.pending_for(obj)] if obj and obj.pk else []
        return ", ".join(names) or self.get_empty_value_display()

    def get_readonly_fields(self, request, obj=None):
        return ["coachee", "waiting_for_consent"] if obj else ["waiting_for_consent"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [name for name in fields if name != "waiting_for_consent"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        organisation = request.user.organisation_id

        class ScopedTrajectoryForm(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                # Restricted coaches stay listed (and kept) where already assigned; clean()
                # refuses adding one.
                self.fields["assigned_coaches"].queryset = User.objects.filter(
                    organisation_id=organisation, role=Role.COACH, is_active=True
                ).order_by("last_name", "first_name")
                if not self.instance._state.adding:
                    asked = [c.coach for c in consent.pending_for(self.instance)]
                    self.initial["assigned_coaches"] = [*self.instance.coaches.all(), *asked]
                if "coachee" in self.fields:
                    self.fields["coachee"].queryset = User.objects.filter(
                        organisation_id=organisation, role=Role.COACHEE, is_active=True
                    )

        return ScopedTrajectoryForm

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            obj.organisation_id = request.user.organisation_id
            services.save_new_trajectory(obj)

    def save_related(self, request, form, formsets, change):
        # Coach (un)assignment goes through the services, so every app adjusts its access,
        # and a coach the coachee must consent to is only asked for (regulation 1.2.6.8).
        trajectory = form.instance
        wanted = set(form.cleaned_data["assigned_coaches"])
        current = set(
            TrajectoryCoach.objects.filter(trajectory=trajectory).values_list("coach", flat=True)
        )
        asked = {c.coach_id: c for c in consent.pending_for(trajectory)}
        for coach in wanted:
            if coach.pk not in current and coach.pk not in asked:
                try:
                    pending = services.assign_coach(
                        trajectory,
                        coach,
                        requested_by=request.user,
                        starting=not change,
                        request=request,
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    continue
                if pending is not None:
                    self.message_user(
                        request,
                        _("%(coach)s joins once the coachee consents; the coachee has been asked.")
                        % {"coach": coach},
                        messages.WARNING,
                    )
        kept = {coach.pk for coach in wanted}
        for coach_id, question in asked.items():
            if coach_id not in kept:
                consent.withdraw(question, request.user, request=request)
        for coach in User.objects.filter(pk__in=current - kept):
            services.unassign_coach(trajectory, coach)


class OrganisationInvitationForm(InvitationForm):
    class Meta(InvitationForm.Meta):
        fields = ["email", "role", "coach", "language"]


@admin.register(Invitation, site=site)
class InvitationAdmin(ScopedAdmin):
    list_display = ["email", "role", "coach", "invited_by", "created_at", "status"]
    list_select_related = ["coach", "invited_by"]
    list_filter = ["role"]
    search_fields = ["email"]
    actions = [revoke_invitations]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "role", "coach", "language"]
        return [
            "email",
            "role",
            "coach",
            "language",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = OrganisationInvitationForm
        base = super().get_form(request, obj, change=change, **kwargs)
        inviter = request.user

        class InviterForm(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, inviter=inviter, **kw)

        return InviterForm

    def save_model(self, request, obj, form, change):
        obj.organisation_id = request.user.organisation_id
        obj.invited_by = request.user
        obj.coach = form.cleaned_data.get("coach")
        invitations.issue(obj)
