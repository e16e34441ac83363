from django.core.files.base import ContentFile
from django.urls import reverse

from dialogue.models import Attachment
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post
from tests.matrix import NOT_ALLOWED, get_and_post

CONTENT_USERS = ["coach", "coachee", "other_coach", "stranger_coach", "stranger_coachee"]
COACHES = ["coach", "other_coach", "stranger_coach"]
PARTICIPANTS = {"coach": 200, "coachee": 200}


def build(world):
    dialogue = one_to_one(world["coachee"].trajectories.get())
    world["dialogue"] = dialogue
    world["coach_message"] = post(dialogue, world["coach"], "From the coach")
    world["coachee_message"] = post(dialogue, world["coachee"], "From the coachee")
    item = Attachment(
        message=world["coachee_message"],
        original_name="notes.txt",
        content_type="text/plain",
        kind="document",
        size=5,
    )
    item.file.save("notes.txt", ContentFile(b"notes"), save=True)
    world["attachment"] = item
    image = Attachment(
        message=world["coachee_message"],
        original_name="chart.png",
        content_type="image/png",
        kind="image",
        size=8,
    )
    image.file.save("chart.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    world["image_attachment"] = image
    extra = CoacheeFactory(organisation=world["coach"].organisation)
    TrajectoryFactory(coachee=extra, coaches=[world["coach"]])
    world["extra_coachee"] = extra
    world["group"] = group(world["coach"], [world["coachee"]])
    world["group_member"] = world["group"].participants.get(user=world["coachee"])


def _dialogue(name):
    return lambda w: reverse(name, args=[w["dialogue"].pk])


def _message(name, key):
    return lambda w: reverse(name, args=[w["dialogue"].pk, w[key].pk])


def _group(name):
    return lambda w: reverse(name, args=[w["group"].pk])


_attachment = lambda w: reverse(  # noqa: E731
    "dialogue:attachment", args=[w["dialogue"].pk, w["attachment"].pk]
)
_preview = lambda w: reverse(  # noqa: E731
    "dialogue:attachment_preview", args=[w["dialogue"].pk, w["image_attachment"].pk]
)
_remove_member = lambda w: reverse(  # noqa: E731
    "dialogue:remove_participant", args=[w["group"].pk, w["group_member"].uuid]
)

ROWS = [
    *get_and_post(
        "dialogue:inbox",
        lambda w: reverse("dialogue:inbox"),
        get=dict.fromkeys(CONTENT_USERS, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dialogue:create_group",
        lambda w: reverse("dialogue:create_group"),
        get=dict.fromkeys(COACHES, 200),
        post={"coach": 302, "other_coach": 200, "stranger_coach": 200},
        data=lambda w: {"title": "Walking group", "members": [str(w["coachee"].uuid)]},
    ),
    *get_and_post(
        "dialogue:detail",
        _dialogue("dialogue:detail"),
        get=PARTICIPANTS,
        post={},
        post_default=405,
    ),
    *get_and_post(
        "dialogue:post_message",
        _dialogue("dialogue:post_message"),
        get={},
        get_default=405,
        post={"coach": 302, "coachee": 302},
        data=lambda w: {"body": "A new message"},
    ),
    *get_and_post(
        "dialogue:edit_message",
        _message("dialogue:edit_message", "coach_message"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: {"body": "Changed"},
    ),
    *get_and_post(
        "dialogue:withdraw_message",
        _message("dialogue:withdraw_message", "coach_message"),
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
    *get_and_post(
        "dialogue:remove_message",
        _message("dialogue:remove_message", "coachee_message"),
        get={"coach": 200},
        post={"coach": 302},
    ),
    *get_and_post(
        "dialogue:attachment",
        _attachment,
        get=PARTICIPANTS,
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dialogue:attachment_preview",
        _preview,
        get=PARTICIPANTS,
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dialogue:participants",
        _group("dialogue:participants"),
        get={"coach": 200},
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dialogue:add_participant",
        _group("dialogue:add_participant"),
        get=NOT_ALLOWED,
        post={"coach": 302},
        data=lambda w: {"member": str(w["extra_coachee"].uuid)},
    ),
    *get_and_post(
        "dialogue:remove_participant",
        _remove_member,
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
]
