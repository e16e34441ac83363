"""Break-glass (1.2.5.3): only the ICT line manager asks and reads (an approved grant, in its
window, for its subject); only an IT administrator decides (after the password again: the 302
goes to that page); everyone else, and every other role, gets a 404."""

from django.urls import reverse

from privacy import break_glass
from tests.matrix import NOT_ALLOWED, Row, get_and_post


def build(world):
    ict, admin, coachee = world["ict_line_manager"], world["it_admin"], world["coachee"]
    active = break_glass.request_grant(ict, subject=coachee, reason="Sync check", minutes=60)
    break_glass.approve(active, admin)
    world["grant"] = active


def _fresh_request(w):
    return break_glass.request_grant(
        w["ict_line_manager"], subject=w["coachee"], reason="Backup check", minutes=30
    )


def _grant_url(name):
    return lambda w: reverse(name, args=[w["grant"].uuid])


def _fresh_url(name):
    return lambda w: reverse(name, args=[_fresh_request(w).uuid])


def _active_end(w):
    grant = _fresh_request(w)
    break_glass.approve(grant, w["it_admin"])
    return reverse("privacy:break_glass_end", args=[grant.uuid])


BOTH = {"ict_line_manager": 200, "it_admin": 200}

ROWS = [
    *get_and_post(
        "privacy:break_glass",
        lambda w: reverse("privacy:break_glass"),
        get=BOTH,
        post={"ict_line_manager": 400},
    ),
    Row("privacy:break_glass_grant", _grant_url("privacy:break_glass_grant"), expect=BOTH),
    Row(
        "privacy:break_glass_grant",
        _grant_url("privacy:break_glass_grant"),
        expect=NOT_ALLOWED,
        method="post",
    ),
    Row(
        "privacy:break_glass_read",
        lambda w: reverse("privacy:break_glass_read", args=[w["grant"].uuid, "dialogue.messages"]),
        expect={"ict_line_manager": 200},
    ),
]

for name in ("privacy:break_glass_approve", "privacy:break_glass_refuse"):
    ROWS += [
        # A GET (back from the password page) leads to the request's page again.
        Row(name, _fresh_url(name), expect={"it_admin": 302}),
        Row(name, _fresh_url(name), expect={"it_admin": 302}, method="post"),
    ]
ROWS += [
    Row("privacy:break_glass_end", _active_end, expect=NOT_ALLOWED),
    Row(
        "privacy:break_glass_end",
        _active_end,
        expect={"ict_line_manager": 302, "it_admin": 302},
        method="post",
    ),
]
