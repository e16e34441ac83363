from django.urls import reverse

from privacy.audit import Action, record
from tests.matrix import Row

STAFF_ONLY = {"it_admin": 200}


def build(world):
    world["audit_event"] = record(None, Action.LOGIN, actor=world["coach"])


ROWS = [
    Row(
        "admin:privacy_auditevent_changelist",
        lambda w: reverse("admin:privacy_auditevent_changelist"),
        expect=STAFF_ONLY,
        default=403,
    ),
    Row(
        "admin:privacy_auditevent_change",
        lambda w: reverse("admin:privacy_auditevent_change", args=[w["audit_event"].pk]),
        expect=STAFF_ONLY,
        default=403,
    ),
    Row(
        "admin:privacy_auditevent_delete",
        lambda w: reverse("admin:privacy_auditevent_delete", args=[w["audit_event"].pk]),
        method="post",
        data=lambda w: {"post": "yes"},
        default=403,
    ),
    Row(
        "admin:privacy_auditevent_add",
        lambda w: reverse("admin:privacy_auditevent_add"),
        method="post",
        data=lambda w: {"action": "view"},
        default=403,
    ),
]
