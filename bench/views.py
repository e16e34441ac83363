"""Two reference views that put the product pages' figures in proportion.

``bare`` is the floor: every middleware runs, the view does nothing. ``naive`` is a logged-in
page of 50 plain rows in the product's base layout: what a page of 50 items costs before any
decryption, permission check or audit event.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

BARE_BODY = b"ok " + b"." * 196 + b"\n"  # 200 bytes

_NAMES = ["Anna de Wit", "Bram Kok", "Chantal Peters", "Dirk Hendriks", "Esther Vos"]
_SENTENCES = [
    "Vandaag ging het gesprek over slapen en de drukte op het werk.",
    "De ademhalingsoefening hielp vooral 's ochtends, voor de eerste afspraak.",
    "We spraken af dat ik deze week drie keer ga wandelen in de lunchpauze.",
    "Het schema voor de komende weken staat klaar; we kijken er donderdag samen naar.",
]
ROWS = [
    {
        "name": _NAMES[index % len(_NAMES)],
        "date": datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
        + datetime.timedelta(hours=7 * index),
        "sentence": _SENTENCES[index % len(_SENTENCES)],
    }
    for index in range(50)
]


def bare(request):
    return HttpResponse(BARE_BODY, content_type="text/plain")


@never_cache
@login_required
def naive(request):
    return render(request, "benchmark/naive.html", {"rows": ROWS})
