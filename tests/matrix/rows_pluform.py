from django.urls import reverse

from tests.matrix import ACTORS, Row

EVERYONE = {actor: 200 for actor in ACTORS if actor != "anonymous"}

ROWS = [
    Row("home", lambda w: reverse("home"), expect=EVERYONE),
    # Redirects everyone to the static icon.
    Row("favicon", lambda w: reverse("favicon"), default=302, anonymous=302),
]
