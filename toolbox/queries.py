"""The read side of the toolbox: each section of the library as one page of rows, and an
item's shares, each in a fixed number of queries whatever the number of items."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from pluform import dates
from pluform.crypto import datakeys
from pluform.links import link_for
from toolbox import access
from toolbox.models import Item, Kind, Share

PER_PAGE = 50
# ``since`` for a list that marks nothing new (None marks everything: a first visit).
NOT_MARKED = object()


class Section:
    MINE = "mine"
    ORGANISATION = "organisation"
    RECEIVED = "received"


def section_labels(user) -> dict:
    if user.role == Role.COACH:
        return {
            Section.MINE: _("My library"),
            Section.ORGANISATION: _("Organisation library"),
            Section.RECEIVED: _("From my coachees"),
        }
    return {Section.RECEIVED: _("Shared with me"), Section.MINE: _("My items")}


def default_section(user) -> str:
    return Section.MINE if user.role == Role.COACH else Section.RECEIVED


ROW_FIELDS = (
    "id",
    "owner_id",
    "owned_by_coachee",
    "kind",
    "title",
    "tags",
    "url",
    "published",
    "created_at",
    "owner__first_name",
    "owner__last_name",
    "upload__id",
    "upload__size",
    "upload__content_type",
    "upload__kind",
)


def _shared_with(user):
    return Share.objects.filter(content_object=OuterRef("pk"), user=user)


def section_queryset(user, section):
    items = access.items_for(user).select_related("owner", "upload").only(*ROW_FIELDS)
    if section == Section.MINE:
        return items.filter(owner=user).annotate(
            share_count=Count("shares", filter=Q(shares__shared_by=user))
        )
    if section == Section.ORGANISATION and user.role == Role.COACH:
        return (
            items.filter(published=True, owned_by_coachee=False)
            .exclude(owner=user)
            .annotate(share_count=Count("shares", filter=Q(shares__shared_by=user)))
        )
    if section == Section.RECEIVED:
        newest = _shared_with(user).order_by("-shared_at").values("shared_at")[:1]
        return (
            items.filter(Exists(_shared_with(user)))
            .exclude(owner=user)
            .annotate(shared_at=Subquery(newest))
        )
    return Item.objects.none()


def _sort_key(section, sort):
    date = "shared_at" if section == Section.RECEIVED else "created_at"
    return [f"-{date}", "-id"] if sort != "old" else [date, "id"]


def _matches(item, words) -> bool:
    haystack = " ".join([item.title, *item.tag_list]).casefold()
    return all(word in haystack for word in words)


def library_page(user, section, *, q="", kind="", sort="new", page=None, since=NOT_MARKED):
    """One page of a section. A search or a sort by title reads the section's titles and
    tags (they are encrypted, so the database cannot); otherwise the database pages."""
    items = section_queryset(user, section)
    if kind:
        items = items.filter(kind=kind)
    items = items.order_by(*_sort_key(section, sort))
    words = q.casefold().split()
    if words or sort == "title":
        items = list(items)
        datakeys.preload({item.encryption_scope() for item in items})
        if words:
            items = [item for item in items if _matches(item, words)]
        if sort == "title":
            items.sort(key=lambda item: item.title.casefold())
    paged = Paginator(items, PER_PAGE).get_page(page)
    decorate(paged.object_list, user, since)
    return paged


def decorate(items, user, since=NOT_MARKED) -> None:
    """Compute once per row what the template shows, with labels translated once."""
    items = list(items)
    datakeys.preload({item.encryption_scope() for item in items})
    kind_labels = {key: str(label) for key, label in Kind.choices}
    url = link_for("toolbox:item")
    not_shared = _("not shared")
    for item in items:
        item.url_path = url(item.pk)
        item.kind_text = kind_labels[item.kind]
        item.date_text = dates.date_text(getattr(item, "shared_at", None) or item.created_at)
        upload = getattr(item, "upload", None)
        item.size_text = filesizeformat(upload.size) if upload is not None else ""
        item.owner_name = (
            "" if item.owner_id == user.pk else f"{item.owner.first_name} {item.owner.last_name}"
        )
        share_count = getattr(item, "share_count", None)
        if share_count is not None:
            item.shared_text = (
                ngettext("%(count)d person", "%(count)d people", share_count)
                % {"count": share_count}
                if share_count
                else not_shared
            )
        shared_at = getattr(item, "shared_at", None)
        item.is_new = (
            since is not NOT_MARKED
            and shared_at is not None
            and (since is None or shared_at > since)
        )


def shares_of(item, user) -> list[Share]:
    """The shares of ``item`` that ``user`` made, with the recipients' names."""
    return list(
        Share.objects.filter(content_object=item, shared_by=user)
        .select_related("user")
        .only("id", "shared_at", "user__uuid", "user__first_name", "user__last_name")
        .order_by("user__first_name", "user__last_name")
    )


def new_count(user, since) -> int:
    """How many items were shared with ``user`` since ``since``."""
    shares = Share.objects.filter(user=user)
    if since is not None:
        shares = shares.filter(shared_at__gt=since)
    return shares.values("content_object").distinct().count()
