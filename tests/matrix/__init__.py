"""The access matrix: every URL pattern of the project, for every role, with the expected status.

Each app keeps its rows in ``tests/matrix/rows_<app>.py``:

    ROWS = [
        Row("dialogue:detail", lambda w: reverse("dialogue:detail", args=[w["dialogue"].uuid]),
            expect={"coach": 200, "coachee": 200}, default=404),
    ]
    def build(world):            # optional: adds the objects the rows need to ``world``
        world["dialogue"] = ...

``world`` starts with the actors of ``tests/conftest.py`` (coach, coachee, trajectory, ...).
``expect`` maps actor names to statuses; every actor not named gets ``default``; ``anonymous``
defaults to 302 (to the login page). ``prefix`` rows cover every pattern below a path prefix
(for third-party URL sets such as the admin), with the given URL as their representative.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = [
    "anonymous",
    "coach",
    "coachee",
    "other_coach",
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "account_manager",
    "it_admin",
    "stranger_coach",
    "stranger_coachee",
]


@dataclass
class Row:
    pattern: str
    url: Callable[[dict], str]
    expect: dict = field(default_factory=dict)
    default: int = 404
    anonymous: int = 302
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    prefix: bool = False

    def status_for(self, actor: str) -> int:
        if actor == "anonymous":
            return self.expect.get("anonymous", self.anonymous)
        return self.expect.get(actor, self.default)


LOGGED_IN = [actor for actor in ACTORS if actor != "anonymous"]
# A signed-in actor using the wrong method: refused before anything is looked up.
NOT_ALLOWED = dict.fromkeys(LOGGED_IN, 405)


def get_and_post(pattern, url, *, get, post, get_default=404, post_default=404, data=None):
    """The GET and the POST row of one URL pattern."""
    return [
        Row(pattern, url, expect=get, default=get_default),
        Row(pattern, url, expect=post, default=post_default, method="post", data=data),
    ]


def row_modules():
    package = importlib.import_module("tests.matrix")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("rows_"):
            yield importlib.import_module(f"tests.matrix.{info.name}")


def all_rows() -> list[Row]:
    return [row for module in row_modules() for row in module.ROWS]
