import uuid

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.managers import UserManager
from accounts.roles import CONTENT_ROLES, MFA_REQUIRED_ROLES, STAFF_ROLES, Role
from accounts.time_zones import is_time_zone
from pluform import dates
from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.files import EncryptedFileField
from pluform.crypto.scopes import coachee_scope, owner_scope


class Organisation(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


def validate_time_zone(value):
    if not is_time_zone(value):
        raise ValidationError(_("Choose a time zone from the list."), code="invalid")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Other")


class NotificationChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("Soon after something new arrives")
    DAILY = "daily", _("Once a day")
    OFF = "off", _("Never")


class RestrictionGround(models.TextChoices):
    """The grounds for a restriction (1.2.6.4); a coach has all but the legal claim (1.3.5.4)."""

    CONTESTED = "contested", _("The subject contests that the data is correct")
    UNLAWFUL = "unlawful", _("The processing is unlawful, but the subject wants no erasure")
    LEGAL_CLAIM = (
        "legal_claim",
        _("The coach no longer needs the data, but the subject needs it for a legal claim"),
    )
    OBJECTED = "objected", _("The subject has objected to the processing")


class User(AbstractBaseUser, PermissionsMixin):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        default="Europe/Amsterdam",
        help_text=_("Times in Pluform are shown in this time zone."),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False, editable=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    message_notifications = models.CharField(
        _("e-mail notices"),
        max_length=10,
        choices=NotificationChoice.choices,
        default=NotificationChoice.IMMEDIATE,
    )
    # Set when someone other than the user changed the e-mail address; cleared at their
    # next password login. Until then no password reset goes to that address.
    email_set_by_other_at = models.DateTimeField(
        _("e-mail address set by someone else at"), null=True, blank=True, editable=False
    )
    # Restriction of processing (regulation 1.2.6.4): the data is kept but not processed.
    processing_restricted_at = models.DateTimeField(
        _("processing restricted since"), null=True, blank=True
    )
    restriction_reason = models.CharField(
        _("reason for the restriction"), max_length=300, blank=True
    )
    restriction_ground = models.CharField(
        _("ground for the restriction"),
        max_length=20,
        choices=RestrictionGround.choices,
        blank=True,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name()

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.is_staff = self.role == Role.IT_ADMIN
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def is_coach(self):
        return self.role == Role.COACH

    @property
    def is_coachee(self):
        return self.role == Role.COACHEE

    @property
    def is_org_manager(self):
        return self.role == Role.ORG_MANAGER

    @property
    def is_pluform_staff(self):
        return self.role in STAFF_ROLES

    @property
    def may_hold_content(self):
        return self.role in CONTENT_ROLES

    @property
    def requires_mfa(self):
        return self.role in MFA_REQUIRED_ROLES

    @property
    def processing_restricted(self):
        """The one predicate every content app asks before it processes this subject."""
        return self.processing_restricted_at is not None

    @property
    def held_for_legal_claim(self):
        """Restricted because the subject needs the data for a legal claim: never purged."""
        legal_claim = self.restriction_ground == RestrictionGround.LEGAL_CLAIM
        return self.processing_restricted and legal_claim


def not_restricted(path: str = "") -> models.Q:
    """``User.processing_restricted`` as a query condition; ``path`` leads to the user
    (``"coachee"``, ``"shared_by"``), empty for users themselves."""
    prefix = f"{path}__" if path else ""
    return models.Q(**{f"{prefix}processing_restricted_at__isnull": True})


def coaches_of(coachee):
    """The active coaches of a coachee's trajectories, by name (none for anyone else)."""
    return (
        User.objects.filter(coached_trajectories__coachee=coachee, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


def held_for_legal_claim() -> models.Q:
    """``User.held_for_legal_claim`` as a query condition on users."""
    return models.Q(
        processing_restricted_at__isnull=False, restriction_ground=RestrictionGround.LEGAL_CLAIM
    )


class CoachProfile(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="coach_profile")
    licence_started_on = models.DateField(_("licence start"), null=True, blank=True)
    licence_ended_on = models.DateField(_("licence end"), null=True, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    invoice_email = models.EmailField(_("invoice e-mail address"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    product = models.CharField(_("product"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("coach profile")
        verbose_name_plural = _("coach profiles")

    def __str__(self):
        return str(self.user)


class Trajectory(models.Model):
    """A coachee's coaching trajectory with one or more coaches. Retention counts from its end."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trajectories"
    )
    coachee = models.ForeignKey(
        User,
        verbose_name=_("coachee"),
        on_delete=models.CASCADE,
        related_name="trajectories",
        limit_choices_to={"role": Role.COACHEE},
    )
    coaches = models.ManyToManyField(
        User,
        verbose_name=_("coaches"),
        through="TrajectoryCoach",
        related_name="coached_trajectories",
    )
    # Content (a title can say why someone is coached): encrypted under the coachee's key.
    title = EncryptedTextField(_("title"), max_length=200, blank=True, default="")
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # When and by whom the end was recorded: a coach may undo it for END_UNDO_DAYS.
    end_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-started_on"]

    def __str__(self):
        # Not the title: the title may say why someone is coached, and this string shows up
        # in admin breadcrumbs and logs that the organisation manager reads.
        return _("Trajectory of %(name)s") % {"name": self.coachee}

    def encryption_scope(self) -> str:
        return coachee_scope(self.coachee_id)

    @property
    def is_active(self):
        return self.ended_on is None or self.ended_on >= dates.today()


class TrajectoryCoach(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE)
    coach = models.ForeignKey(User, on_delete=models.CASCADE, limit_choices_to={"role": Role.COACH})
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coach of a trajectory")
        verbose_name_plural = _("coaches of trajectories")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "coach"], name="one_assignment"),
        ]

    def __str__(self):
        return f"{self.coach} - {self.trajectory}"


class FormerEmail(models.Model):
    """An address the user logged in with before a change: kept with the account (and erased
    with it), so that an erasure also finds what was recorded under the old address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="former_emails")
    email = models.EmailField()
    until = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email


class ProfileChange(models.Model):
    """A detail of the user's profile that someone else changed (the IT administrator, the
    organisation manager): the earlier value stays, for the user only (their profile page and
    their access copy), encrypted under their own key and erased with them."""

    KEPT_FIELDS = ("first_name", "last_name", "email", "birth_date", "gender", "phone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profile_changes")
    field = models.CharField(max_length=50)
    earlier = EncryptedTextField(blank=True, default="")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by_role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("earlier profile value")
        verbose_name_plural = _("earlier profile values")

    def __str__(self):
        return f"{self.field} of {self.user_id}"

    def encryption_scope(self):
        return owner_scope(self.user)

    @property
    def field_label(self) -> str:
        return str(User._meta.get_field(self.field).verbose_name)

    @property
    def earlier_text(self) -> str:
        """The earlier value as the user reads it: a choice by its label."""
        choices = dict(User._meta.get_field(self.field).flatchoices)
        return str(choices.get(self.earlier, self.earlier))


class LoginAttempt(models.Model):
    """One login attempt (success or failure) for IT monitoring. Never holds a password."""

    class Outcome(models.TextChoices):
        LOGGED_IN = "logged_in", _("Logged in")
        PASSWORD_OK = "password_ok", _("Password correct, second factor pending")
        BAD_CREDENTIALS = "bad_credentials", _("Wrong e-mail address or password")
        BAD_MFA_CODE = "bad_mfa_code", _("Wrong two-factor code")
        RATE_LIMITED = "rate_limited", _("Refused: too many attempts")

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.CharField(_("e-mail address as typed"), max_length=254, blank=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_attempts",
    )
    success = models.BooleanField(_("success"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ip_network = models.CharField(_("IP network"), max_length=50, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["email", "-at"], name="loginattempt_email_at")]

    def __str__(self):
        return f"{self.email or '-'} {self.get_outcome_display()}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time invitation to join an organisation as coach or coachee.

    Only a hash of the token is stored; the link in the e-mail is the only copy of the token.
    """

    INVITABLE_ROLES = (Role.COACH, Role.COACHEE)

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
    )
    language = models.CharField(
        _("language of the invitation"),
        max_length=2,
        choices=Language.choices,
        default=Language.DUTCH,
    )
    coach = models.ForeignKey(
        User,
        verbose_name=_("coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"role": Role.COACH},
        help_text=_("For a coachee: the coach of their trajectory."),
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def status(self):
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("revoked")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("pending")

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class OrganisationCoach(User):
    """The coaches of an organisation, as the organisation manager sees them."""

    class Meta:
        proxy = True
        verbose_name = _("coach")
        verbose_name_plural = _("coaches")


class OrganisationCoachee(User):
    """The coachees of an organisation, as the organisation manager sees them."""

    class Meta:
        proxy = True
        verbose_name = _("coachee")
        verbose_name_plural = _("coachees")


class ProfilePhoto(models.Model):
    """A user's optional photo, encrypted at rest and served only to people they work with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="photo")
    file = EncryptedFileField(_("photo"))
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile photo")
        verbose_name_plural = _("profile photos")

    def __str__(self):
        return str(self.user)

    def encryption_scope(self):
        return owner_scope(self.user)
