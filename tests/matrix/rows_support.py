"""Access matrix rows for the support pages: staff who find users, and login monitoring."""

import uuid

from django.urls import reverse

from tests.matrix import Row

# accounts.support decides these; the matrix states them independently.
FINDERS = ["customer_service", "ict_line_manager", "account_manager", "it_admin"]
ACTIVITY = ["customer_service", "ict_line_manager", "it_admin"]


def _users(query=""):
    return lambda w: reverse("support:users") + query


def _user(name):
    return lambda w: reverse("support:user", args=[w[name].uuid])


def _monitoring(w):
    return reverse("support:monitoring")


ROWS = [
    Row("support:users", _users(), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:users", _users("?q=example.com"), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:users", _users(), method="post", expect=dict.fromkeys(FINDERS, 405)),
    # Any account, in any organisation; Pluform staff look up other staff too.
    Row("support:user", _user("coachee"), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:user", _user("stranger_coachee"), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:user", _user("coach"), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:user", _user("it_admin"), expect=dict.fromkeys(FINDERS, 200)),
    Row("support:user", lambda w: reverse("support:user", args=[uuid.uuid4()])),
    Row(
        "support:user",
        _user("coachee"),
        method="post",
        expect=dict.fromkeys(FINDERS, 405),
    ),
    Row("support:monitoring", _monitoring, expect=dict.fromkeys(ACTIVITY, 200)),
    Row(
        "support:monitoring",
        _monitoring,
        method="post",
        expect=dict.fromkeys(ACTIVITY, 405),
    ),
]

# Customer service's steps: for customer service and the IT administrator only, each after
# the password again (the 302 goes to that page); a 404 for everyone else.
ACTING = dict.fromkeys(["customer_service", "it_admin"], 302)


def build(world):
    from accounts import invitations
    from accounts.roles import Role

    world["support_invitation"] = invitations.invite(
        organisation=world["coach"].organisation,
        email="invited-later@example.org",
        role=Role.COACH,
        language="nl",
        invited_by=world["org_manager"],
    )


def _step(name):
    return lambda w: reverse(name, args=[w["coachee"].uuid])


def _invitation(w):
    return reverse("support:send_invitation_again", args=[w["support_invitation"].uuid])


for _name in ("support:unlock", "support:reset_two_factor"):
    ROWS += [
        Row(_name, _step(_name), expect=ACTING),
        Row(_name, _step(_name), method="post", expect=ACTING),
    ]
ROWS += [
    Row("support:send_invitation_again", _invitation, expect=ACTING),
    Row("support:send_invitation_again", _invitation, method="post", expect=ACTING),
]
