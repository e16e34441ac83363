from django.urls import reverse

from tests.matrix import NOT_ALLOWED, get_and_post

# Everyone who can hold coaching content reads what was done with their own data.
OWN_LOG = dict.fromkeys(
    ["coach", "coachee", "other_coach", "stranger_coach", "stranger_coachee"], 200
)

# login_required comes before require_GET: an anonymous POST is sent to the login page (302).
ROWS = get_and_post(
    "privacy:access_log",
    lambda w: reverse("privacy:access_log"),
    get=OWN_LOG,
    post=NOT_ALLOWED,
)
