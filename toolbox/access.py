"""Who may see which toolbox item: the only code that grants, revokes and loads for a user.

A coachee sees their own items and what was shared with them; a coach their own, the
organisation library and what their coachees shared with them. A share is a guardian
permission in a direct foreign-key table (``Share``); lists filter with a subquery on it.
Everyone else gets a 404 from every loader.
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Trajectory, User
from accounts.roles import CONTENT_ROLES, Role
from pluform import dates
from privacy import consent
from toolbox.models import Item, Share

RECEIVE = "receive_item"


class NotAContentRole(ValueError):
    """Raised when code tries to share an item with a role that never sees content."""


def _received(user):
    return Share.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=RECEIVE
    )


def items_for(user):
    """Every item ``user`` may open, filtered in the query."""
    if not user.is_authenticated or user.role not in CONTENT_ROLES:
        return Item.objects.none()
    visible = Q(owner=user) | Exists(_received(user))
    if user.role == Role.COACH and user.organisation_id:
        visible |= Q(published=True, organisation_id=user.organisation_id, owned_by_coachee=False)
    return Item.objects.filter(visible)


def shared_with_coachee(coach, coachee):
    """What the coach shared with the coachee, and their own items that someone shared
    with them: for the coachee's dossier."""
    shared = Share.objects.filter(content_object=OuterRef("pk"), user=coachee)
    return items_for(coach).filter(
        Exists(shared.filter(shared_by=coach)) | (Q(owner=coach) & Exists(shared))
    )


def _mark(user, item) -> Item:
    item.is_own = item.owner_id == user.pk
    # A coach may pass on their own items and the organisation library; a coachee their own.
    item.may_share = item.is_own or (
        user.role == Role.COACH and item.published and not item.owned_by_coachee
    )
    if hasattr(item, "upload"):
        item.upload.item = item
    return item


def _loaded(user, item_id) -> Item:
    queryset = items_for(user).select_related("upload", "owner")
    return _mark(user, get_object_or_404(queryset, pk=item_id))


def get_item_for(user, item_id) -> Item:
    """The item with ``is_own`` and ``may_share`` set, or a 404."""
    return _loaded(user, item_id)


def get_own_item_for(user, item_id) -> Item:
    item = _loaded(user, item_id)
    if not item.is_own:
        raise Http404
    return item


def get_shareable_items_for(user, item_ids) -> list[Item]:
    """The items among ``item_ids`` that ``user`` may share; a 404 if any is not."""
    wanted = set(item_ids)
    queryset = items_for(user).select_related("upload", "owner").filter(pk__in=wanted)
    items = [_mark(user, item) for item in queryset]
    if len(items) != len(wanted) or any(not item.may_share for item in items):
        raise Http404
    return items


def get_file_for(user, item_id):
    """The stored file of a file item, or a 404."""
    item = _loaded(user, item_id)
    if not hasattr(item, "upload"):
        raise Http404
    return item.upload


# Whom a user may share with


def _running(trajectories):
    return trajectories.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=dates.today()))


def coaches(coach, coachee_id) -> bool:
    """Whether ``coach`` coaches the coachee in a running trajectory (an ended one keeps its
    dialogue readable, but not the toolbox shares between them)."""
    return _running(
        consent.trajectories_of(coach, "toolbox").filter(coachee_id=coachee_id)
    ).exists()


def recipients_for(user):
    """A coach shares with the coachees of their running trajectories; a coachee with the
    coaches of theirs."""
    if not user.is_authenticated:
        return User.objects.none()
    if user.role == Role.COACH:
        coachees = _running(consent.trajectories_of(user, "toolbox")).values("coachee_id")
        people = User.objects.filter(pk__in=coachees, role=Role.COACHEE)
    elif user.role == Role.COACHEE:
        running = _running(Trajectory.objects.filter(coachee=user))
        coaches = consent.coached_for("toolbox").filter(trajectory__in=running).values("coach_id")
        people = User.objects.filter(pk__in=coaches, role=Role.COACH)
    else:
        return User.objects.none()
    return people.filter(is_active=True).order_by("first_name", "last_name")


# Granting and revoking


def _permission() -> Permission:
    return Permission.objects.get(content_type__app_label="toolbox", codename=RECEIVE)


def grant(items, recipients, *, shared_by) -> int:
    """Share every item with every recipient; returns how many shares are new."""
    for recipient in recipients:
        if recipient.role not in CONTENT_ROLES:
            raise NotAContentRole(f"user {recipient.pk} has role {recipient.role}")
    pairs = {(item.pk, recipient.pk) for item in items for recipient in recipients}
    existing = set(
        Share.objects.filter(
            content_object__in=[item.pk for item in items],
            user__in=[recipient.pk for recipient in recipients],
            shared_by=shared_by,
        ).values_list("content_object_id", "user_id")
    )
    permission = _permission()
    new = [
        Share(
            content_object_id=item_id, user_id=user_id, permission=permission, shared_by=shared_by
        )
        for item_id, user_id in sorted(pairs - existing)
    ]
    Share.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def revoke(item, recipient_id, *, shared_by) -> int:
    """Withdraw a share that ``shared_by`` made; takes effect on the next request."""
    deleted, _ = Share.objects.filter(
        content_object=item, user_id=recipient_id, shared_by=shared_by
    ).delete()
    return deleted


def revoke_colleagues_shares(item) -> None:
    """When an item leaves the organisation library, so do the shares colleagues made."""
    Share.objects.filter(content_object=item).exclude(shared_by_id=item.owner_id).delete()


def revoke_between(coach, coachee) -> None:
    """A coach who no longer coaches a coachee loses their items, and the coachee the
    coach's shares."""
    Share.objects.filter(
        Q(user=coach, content_object__owner=coachee) | Q(user=coachee, shared_by=coach)
    ).delete()
