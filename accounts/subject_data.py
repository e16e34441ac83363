"""What accounts holds about a data subject: the profile (a coach's licence and billing
details included), a coachee's trajectories, and the profile photo."""

from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    CoachProfile,
    FormerEmail,
    Invitation,
    LoginAttempt,
    ProfileChange,
    ProfilePhoto,
    Trajectory,
    User,
)
from accounts.roles import Role
from pluform.uploads.types import TYPES
from privacy import erasure
from privacy.erasure import ACCESS_RIGHTS
from privacy.subject_data import (
    FILE_FIELDS,
    FILES_KEY,
    Section,
    file_entry,
    full_name,
    iso,
    register,
    stored_file,
)


def _photo_path(photo: ProfilePhoto) -> str:
    known = TYPES.get(photo.content_type)
    extension = f".{known.extensions[0]}" if known else ""
    return f"files/accounts/photo/{photo.pk}{extension}"


def _photo_name(photo: ProfilePhoto) -> str:
    return _photo_path(photo).rsplit("/", 1)[-1]


def _profile_records(subject):
    user = User.objects.select_related("organisation").get(pk=subject.pk)
    record = {
        "id": str(user.uuid),
        "role": user.role,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation.name if user.organisation else None,
        "language": user.language,
        "time_zone": user.time_zone,
        "birth_date": iso(user.birth_date),
        "gender": user.gender or None,
        "phone": user.phone or None,
        "message_notifications": user.message_notifications,
        "active": user.is_active,
        "joined_at": iso(user.date_joined),
        "last_activity_at": iso(user.last_activity_at),
        "processing_restricted_at": iso(user.processing_restricted_at),
        "restriction_reason": user.restriction_reason or None,
        "former_emails": [
            {"email": former.email, "until": iso(former.until)}
            for former in FormerEmail.objects.filter(user=user).order_by("until")
        ],
        "earlier_values": [
            {
                "field": change.field,
                "earlier": change.earlier or None,
                "changed_at": iso(change.changed_at),
                "changed_by": change.changed_by_role,
            }
            for change in ProfileChange.objects.filter(user=user)
            .select_related("user")
            .order_by("changed_at")
        ],
    }
    if user.role == Role.COACH:
        profile = CoachProfile.objects.filter(user=user).first()
        if profile is not None:
            record.update(
                {
                    "licence_started_on": iso(profile.licence_started_on),
                    "licence_ended_on": iso(profile.licence_ended_on),
                    "billing_address": profile.billing_address or None,
                    "invoice_email": profile.invoice_email or None,
                    "iban": profile.iban or None,
                    "product": profile.product or None,
                }
            )
    photo = ProfilePhoto.objects.filter(user=user).first()
    record[FILES_KEY] = (
        [
            file_entry(
                _photo_path(photo),
                _photo_name(photo),
                content_type=photo.content_type,
                size=photo.size,
            )
        ]
        if photo is not None
        else []
    )
    yield record


def _profile_files(subject):
    photo = ProfilePhoto.objects.filter(user_id=subject.pk).first()
    if photo is not None:
        yield stored_file(_photo_path(photo), photo)


# What the user entered themselves (portability): the rest is Pluform's record of them.
_PROVIDED_KEYS = (
    "email",
    "first_name",
    "last_name",
    "language",
    "time_zone",
    "birth_date",
    "gender",
    "phone",
    "message_notifications",
    "billing_address",
    "invoice_email",
    "iban",
)


def _provided_profile(subject):
    for record in _profile_records(subject):
        yield {
            **{key: record[key] for key in _PROVIDED_KEYS if key in record},
            FILES_KEY: record[FILES_KEY],
        }


PROFILE = Section(
    name="accounts.profile",
    title=_("Your account"),
    description=_(
        "Your account and its settings as Pluform keeps them; for a coach also the licence "
        "and billing details. Your profile photo, if you added one, is among the files."
    ),
    fields={
        "id": _("Identifier of your account"),
        "role": _("Your role: coach, coachee, org_manager or a Pluform staff role"),
        "email": _("Your e-mail address, with which you log in"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "organisation": _("The organisation you take part in through Pluform"),
        "language": _("The language of Pluform for you: nl (Dutch) or en (English)"),
        "time_zone": _("The time zone in which Pluform shows times to you"),
        "birth_date": _("Birth date"),
        "gender": _("Gender: female, male, non_binary or other"),
        "phone": _("Phone number"),
        "message_notifications": _(
            "When you get e-mail notices: immediate (soon after something new arrives), "
            "daily (once a day) or off (never)"
        ),
        "active": _("Whether the account can be used"),
        "joined_at": _("When the account was made"),
        "last_activity_at": _("When you last used Pluform"),
        "processing_restricted_at": _(
            "Since when the processing of your data is restricted (kept, but not used)"
        ),
        "restriction_reason": _("Why the processing of your data is restricted"),
        "former_emails": _("E-mail addresses you logged in with before"),
        "former_emails.email": _("An earlier e-mail address"),
        "former_emails.until": _("Until when you used it"),
        "earlier_values": _(
            "Details of your profile that someone else (Pluform's IT administrator or your "
            "organisation's manager) changed, with what they were before"
        ),
        "earlier_values.field": _(
            "Which detail: first_name, last_name, email, birth_date, gender or phone"
        ),
        "earlier_values.earlier": _("What it was before the change"),
        "earlier_values.changed_at": _("When it was changed"),
        "earlier_values.changed_by": _("The role of who changed it"),
        "licence_started_on": _("Start of your licence as a coach"),
        "licence_ended_on": _("End of your licence as a coach"),
        "billing_address": _("Billing address"),
        "invoice_email": _("The e-mail address invoices go to"),
        "iban": _("Bank account number (IBAN)"),
        "product": _("The Pluform product you use"),
        **FILE_FIELDS,
    },
    records=_profile_records,
    files=_profile_files,
    provided=_provided_profile,
    provided_files=_profile_files,
    provided_keys=(*_PROVIDED_KEYS, *FILE_FIELDS),
    provided_description=_(
        "The details you gave in your profile and settings; for a coach also the billing "
        "details. Your profile photo, if you added one, is among the files."
    ),
)


def _trajectory_records(subject):
    if subject.role != Role.COACHEE:
        return
    trajectories = (
        Trajectory.objects.filter(coachee_id=subject.pk)
        .select_related("organisation")
        .prefetch_related("coaches")
        .order_by("started_on", "created_at")
    )
    for trajectory in trajectories.iterator(chunk_size=100):
        yield {
            "id": str(trajectory.uuid),
            "title": trajectory.title or None,
            "organisation": trajectory.organisation.name,
            "started_on": iso(trajectory.started_on),
            "ended_on": iso(trajectory.ended_on),
            "coaches": sorted(full_name(coach) for coach in trajectory.coaches.all()),
        }


TRAJECTORIES = Section(
    name="accounts.trajectories",
    title=_("Your coaching trajectories"),
    description=_("Each coaching trajectory you follow or followed, and who coaches you in it."),
    fields={
        "id": _("Identifier of the trajectory"),
        "title": _("The title of the trajectory"),
        "organisation": _("The organisation that provides the coaching"),
        "started_on": _("When the trajectory started"),
        "ended_on": _("When the trajectory ended (empty while it runs)"),
        "coaches": _("The names of your coaches in this trajectory"),
    },
    records=_trajectory_records,
)

register(PROFILE)
register(TRAJECTORIES)


def _addresses(subject) -> set[str]:
    """Every address the person logged in with: an attempt tied to the account keeps the
    address as typed, so one they used before a change is found too."""
    used = LoginAttempt.objects.filter(user=subject).values_list("email", flat=True).distinct()
    former = FormerEmail.objects.filter(user=subject).values_list("email", flat=True)
    return {address.lower() for address in [subject.email, *used, *former] if address}


def _sessions_of(subject):
    """Sessions (this and other devices) signed in as the person: decoded, as Django keeps
    no index by user. At most ``SESSION_COOKIE_AGE`` old, and cleared daily. With cached_db
    sessions their copies in the cache are dropped here, so none outlives the rows (always
    safe: that engine reads the database when the cache has no copy)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    mine = []
    for key, data in Session.objects.values_list("session_key", "session_data").iterator():
        if store().decode(data).get("_auth_user_id") == str(subject.pk):
            mine.append(key)
    if mine and hasattr(store, "cache_key_prefix"):
        caches[settings.SESSION_CACHE_ALIAS].delete_many(
            [store.cache_key_prefix + key for key in mine]
        )
    return Session.objects.filter(session_key__in=mine)


def _records_beyond_the_account(subject):
    """What carries the person's e-mail address or name without pointing at the account."""
    addresses = _addresses(subject)
    by_address = Q()
    for address in addresses:
        by_address |= Q(email__iexact=address)
    yield LoginAttempt.objects.filter(Q(user=subject) | by_address)
    yield Invitation.objects.filter(Q(accepted_user=subject) | by_address)
    yield _sessions_of(subject)
    # Admin log entries name their object; those about erased records go with them
    # (privacy.erasure), these catch what names the person under another object.
    about_them = Q()
    for address in addresses:
        about_them |= Q(object_repr__icontains=address)
    if subject.get_full_name():
        about_them |= Q(object_repr__icontains=subject.get_full_name())
    yield LogEntry.objects.filter(about_them)


erasure.register(
    titles={
        "accounts.user": _("Account and profile"),
        "accounts.user_groups": ACCESS_RIGHTS,
        "accounts.user_user_permissions": ACCESS_RIGHTS,
        "accounts.coachprofile": _("Licence and billing details"),
        "accounts.profilephoto": _("Profile photo"),
        "accounts.trajectory": _("Coaching trajectories"),
        "accounts.trajectorycoach": _("Coaches in trajectories"),
        "accounts.loginattempt": _("Login attempts"),
        "accounts.formeremail": _("Former e-mail addresses"),
        "accounts.profilechange": _("Earlier profile values"),
        "accounts.invitation": _("Invitations"),
        "account.emailaddress": _("E-mail addresses"),
        "account.emailconfirmation": _("E-mail address confirmations"),
        "mfa.authenticator": _("Two-factor authentication"),
        "admin.logentry": _("Admin log entries"),
        "sessions.session": _("Login sessions"),
        "guardian.userobjectpermission": ACCESS_RIGHTS,
        "notices.notice": _("E-mail notices"),
    },
    records=_records_beyond_the_account,
)
