"""What the toolbox holds about a data subject: a coachee's own items and what was shared
with them (as toolbox.access lets them see it), a coach's own items only; with the files."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from privacy import erasure
from privacy.subject_data import (
    FILE_FIELDS,
    FILES_KEY,
    Section,
    file_entry,
    full_name,
    iso,
    register,
    safe_file_name,
    stored_file,
)
from toolbox import access
from toolbox.models import Item, ItemFile, Share


def _items(subject):
    """A coachee: their own items and those shared with them. A coach: their own only (what
    their coachees shared with them is the coachees' data)."""
    if subject.role == Role.COACHEE:
        items = access.items_for(subject)
    elif subject.role == Role.COACH:
        items = Item.objects.filter(owner_id=subject.pk)
    else:
        return Item.objects.none()
    return items.order_by("created_at", "id")


def _file_path(upload: ItemFile) -> str:
    return f"files/toolbox/{upload.item_id}/{safe_file_name(upload.original_name)}"


def _upload_of(item):
    try:
        return item.upload
    except ItemFile.DoesNotExist:
        return None


def _own_items(subject):
    if subject.role not in (Role.COACH, Role.COACHEE):
        return Item.objects.none()
    return Item.objects.filter(owner_id=subject.pk).order_by("created_at", "id")


def _provided_records(subject):
    """The items the subject added themselves: what they wrote, and the file."""
    items = _own_items(subject).select_related("upload")
    for item in items.iterator(chunk_size=100):
        upload = _upload_of(item)
        yield {
            "id": str(item.pk),
            "kind": item.kind,
            "title": item.title,
            "description": item.description or None,
            "tags": item.tag_list,
            "link": item.url or None,
            "created_at": iso(item.created_at),
            "changed_at": iso(item.changed_at),
            FILES_KEY: (
                [
                    file_entry(
                        _file_path(upload),
                        upload.original_name,
                        content_type=upload.content_type,
                        size=upload.size,
                    )
                ]
                if upload is not None
                else []
            ),
        }


def _provided_files(subject):
    uploads = ItemFile.objects.filter(item__in=_own_items(subject).values("pk")).order_by(
        "item__created_at", "item_id"
    )
    for upload in uploads.iterator(chunk_size=200):
        yield stored_file(_file_path(upload), upload)


def _item_records(subject):
    received = Share.objects.filter(user_id=subject.pk).select_related("shared_by")
    given = Share.objects.filter(shared_by_id=subject.pk).select_related("user")
    items = (
        _items(subject)
        .select_related("owner", "upload")
        .prefetch_related(
            Prefetch("shares", received.order_by("shared_at"), to_attr="received"),
            Prefetch("shares", given.order_by("shared_at"), to_attr="given"),
        )
    )
    for item in items.iterator(chunk_size=100):
        own = item.owner_id == subject.pk
        upload = _upload_of(item)
        record = {
            "id": str(item.pk),
            "kind": item.kind,
            "title": item.title,
            "description": item.description or None,
            "tags": item.tag_list,
            "link": item.url or None,
            "yours": own,
            "owner": full_name(item.owner),
            "created_at": iso(item.created_at),
            "changed_at": iso(item.changed_at),
            "shared_with_you": [
                {"shared_by": full_name(share.shared_by), "shared_at": iso(share.shared_at)}
                for share in item.received
            ],
        }
        if own:
            record["in_library"] = item.published
            if subject.role == Role.COACHEE:  # a coach's recipients are their coachees
                record["shared_by_you"] = [
                    {"shared_with": full_name(share.user), "shared_at": iso(share.shared_at)}
                    for share in item.given
                ]
        record[FILES_KEY] = (
            [
                file_entry(
                    _file_path(upload),
                    upload.original_name,
                    content_type=upload.content_type,
                    size=upload.size,
                )
            ]
            if upload is not None
            else []
        )
        yield record


def _item_files(subject):
    uploads = ItemFile.objects.filter(item__in=_items(subject).values("pk")).order_by(
        "item__created_at", "item_id"
    )
    for upload in uploads.iterator(chunk_size=200):
        yield stored_file(_file_path(upload), upload)


ITEMS = Section(
    name="toolbox.items",
    title=_("Your toolbox"),
    description=_(
        "The items in your toolbox: the ones you added yourself and, for a coachee, the ones "
        "others shared with you. The files of file items are among the files."
    ),
    fields={
        "id": _("Identifier of the item"),
        "kind": _("The kind of item: link, image, document, audio or video"),
        "title": _("The title"),
        "description": _("The description"),
        "tags": _("The tags"),
        "link": _("The web address, for a link"),
        "yours": _("Whether you added the item yourself"),
        "owner": _("Who added the item"),
        "created_at": _("When the item was added"),
        "changed_at": _("When the item was last changed"),
        "shared_with_you": _("Who shared the item with you, and when"),
        "shared_with_you.shared_by": _("Who shared the item with you"),
        "shared_with_you.shared_at": _("When it was shared with you"),
        "in_library": _("Whether you put the item in your organisation's library"),
        "shared_by_you": _("With whom you shared the item, and when"),
        "shared_by_you.shared_with": _("With whom you shared the item"),
        "shared_by_you.shared_at": _("When you shared it"),
        **FILE_FIELDS,
    },
    records=_item_records,
    files=_item_files,
    provided=_provided_records,
    provided_files=_provided_files,
    provided_description=_(
        "The items you added to your toolbox yourself. The files of file items are among the files."
    ),
    provided_keys=(
        "id",
        "kind",
        "title",
        "description",
        "tags",
        "link",
        "created_at",
        "changed_at",
        *FILE_FIELDS,
    ),
)

register(ITEMS)


erasure.register(
    titles={
        "toolbox.item": _("Toolbox items"),
        "toolbox.itemfile": _("Toolbox files"),
        "toolbox.share": _("Toolbox shares"),
        "toolbox.visit": _("Visits to the toolbox"),
    }
)
