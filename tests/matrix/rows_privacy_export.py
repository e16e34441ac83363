"""Self-service data export: coaches and coachees see their own exports page; everyone else
gets a 404. Starting one asks for the password again first (the 302 goes to that page; a
signed-in matrix client has not re-entered it)."""

from django.urls import reverse

from tests.matrix import get_and_post

CONTENT = ["coach", "coachee", "other_coach", "stranger_coach", "stranger_coachee"]

ROWS = [
    *get_and_post(
        "privacy:export",
        lambda w: reverse("privacy:export"),
        get=dict.fromkeys(CONTENT, 200),
        post=dict.fromkeys(CONTENT, 302),
    ),
]
