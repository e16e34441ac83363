from django.urls import reverse

from tests.matrix import Row

ROWS = [
    Row(
        "privacy:statement",
        lambda w: reverse("privacy:statement"),
        default=200,
        anonymous=200,
    ),
    Row(
        "privacy:statement",
        lambda w: reverse("privacy:statement"),
        default=405,
        anonymous=405,
        method="post",
    ),
]
