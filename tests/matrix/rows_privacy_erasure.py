"""Self-service erasure: only a coachee erases their own account here (a coach's erasure runs
on request, by the IT administrator); everyone else gets a 404. The page and the erasure
both ask for the password again first (the 302 goes to that page; a signed-in matrix client
has not re-entered it). A coach marks the notice that coachees left as seen; nobody else
has one."""

from django.urls import reverse

from tests.matrix import NOT_ALLOWED, get_and_post

NOBODY_ELSE = [
    "coach",
    "other_coach",
    "stranger_coach",
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "account_manager",
    "it_admin",
]

ROWS = [
    *get_and_post(
        "privacy:erase",
        lambda w: reverse("privacy:erase"),
        get={"coachee": 302, "stranger_coachee": 302, **dict.fromkeys(NOBODY_ELSE, 404)},
        post={"coachee": 302, "stranger_coachee": 302, **dict.fromkeys(NOBODY_ELSE, 404)},
    ),
    *get_and_post(
        "privacy:departures_seen",
        lambda w: reverse("privacy:departures_seen"),
        get=NOT_ALLOWED,
        post=dict.fromkeys(["coach", "other_coach", "stranger_coach"], 302),
    ),
]
