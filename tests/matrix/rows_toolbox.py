"""The toolbox: only the owner, the people an item was shared with and (for the organisation
library) the colleagues of the owner ever get anything but a 404."""

from django.urls import reverse

from tests.factories.toolbox import file_item, link_item, png_bytes
from tests.matrix import NOT_ALLOWED, Row, get_and_post

COACHES = ["coach", "other_coach", "stranger_coach"]
CONTENT_USERS = [*COACHES, "coachee", "stranger_coachee"]


def build(world):
    coach, coachee, colleague = world["coach"], world["coachee"], world["other_coach"]
    # The coach's file, shared with their coachee (not published).
    world["toolbox_coach_file"] = file_item(coach, title="Werkblad", recipients=[coachee])
    # The coachee's drawing, shared with their coach.
    world["toolbox_coachee_file"] = file_item(
        coachee, "tekening.png", png_bytes(), title="Tekening", recipients=[coach]
    )
    # A colleague's item in the organisation library.
    world["toolbox_published"] = link_item(colleague, title="Bibliotheek", published=True)


def _item(name, key, *extra):
    return lambda w: reverse(name, args=[w[key].pk, *(w[e].pk for e in extra)])


def _fresh_published(name):
    """A new library item for every request: a POST that deletes it cannot make the next
    actor's 404 a matter of the item being gone already."""
    return lambda w: reverse(name, args=[link_item(w["other_coach"], published=True).pk])


def _fresh_share(w):
    item = link_item(w["coach"], title="Tijdelijk", recipients=[w["coachee"]])
    return reverse("toolbox:revoke", args=[item.pk, w["coachee"].pk])


ITEM_EDIT = {
    "title": "Renamed",
    "description": "",
    "tags": "",
    "url": "https://example.org/b",
    "published": "on",
}

ROWS = [
    *get_and_post(
        "toolbox:index",
        lambda w: reverse("toolbox:index"),
        get=dict.fromkeys(CONTENT_USERS, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "toolbox:add",
        lambda w: reverse("toolbox:add"),
        get=dict.fromkeys(CONTENT_USERS, 200),
        post=dict.fromkeys(CONTENT_USERS, 302),
        data=lambda w: {"url": "https://example.org/x", "title": "X"},
    ),
    # Only coaches share several items at once, and only items they may pass on. The
    # colleague who owns it has no coachee: the form comes back (200) and nothing is shared.
    *get_and_post(
        "toolbox:share_many",
        lambda w: reverse("toolbox:share_many") + f"?items={w['toolbox_published'].pk}",
        get={"coach": 200, "other_coach": 200},
        post={"coach": 302, "other_coach": 200},
        data=lambda w: {
            "items": [str(w["toolbox_published"].pk)],
            "recipients": [str(w["coachee"].pk)],
        },
    ),
    *get_and_post(
        "toolbox:item",
        _item("toolbox:item", "toolbox_coach_file"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "toolbox:item",
        _item("toolbox:item", "toolbox_coachee_file"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "toolbox:item",
        _item("toolbox:item", "toolbox_published"),
        get={"coach": 200, "other_coach": 200},
        post=NOT_ALLOWED,
    ),
    # Only the owner edits: not the coachee it was shared with, not a colleague.
    *get_and_post(
        "toolbox:edit",
        _item("toolbox:edit", "toolbox_coach_file"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: ITEM_EDIT,
    ),
    *get_and_post(
        "toolbox:edit",
        _item("toolbox:edit", "toolbox_published"),
        get={"other_coach": 200},
        post={"other_coach": 302},
        data=lambda w: ITEM_EDIT,
    ),
    # The coachee's own item: their coach, who received it, may not delete it.
    Row("toolbox:delete", _item("toolbox:delete", "toolbox_coachee_file"), {"coachee": 200}),
    *get_and_post(
        "toolbox:delete",
        _fresh_published("toolbox:delete"),
        get={"other_coach": 200},
        post={"other_coach": 302},
    ),
    # A coach may pass on a library item; the colleague who owns it has nobody to share it
    # with here (400, the form with its error); the coachee may not pass on what they got.
    *get_and_post(
        "toolbox:share",
        _item("toolbox:share", "toolbox_published"),
        get=NOT_ALLOWED,
        post={"coach": 302, "other_coach": 400},
        data=lambda w: {"recipients": [str(w["coachee"].pk)]},
    ),
    # The recipient may open the item, so their POST only finds no share of theirs to revoke.
    *get_and_post(
        "toolbox:revoke",
        _fresh_share,
        get=NOT_ALLOWED,
        post={"coach": 302, "coachee": 302},
    ),
    *get_and_post(
        "toolbox:file",
        _item("toolbox:file", "toolbox_coach_file"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "toolbox:file",
        _item("toolbox:file", "toolbox_coachee_file"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
]
