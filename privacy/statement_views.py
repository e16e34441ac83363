"""The privacy statement (Privacyreglement): readable by everyone, also before logging in."""

import datetime

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

VERSION = 10
VERSION_DATE = datetime.date(2021, 2, 1)


@require_GET
def statement(request):
    # The regulation's text is long legal prose: one template per language, not a catalogue entry
    # per paragraph. Anything but Dutch reads the English translation.
    language = "nl" if (get_language() or "").startswith("nl") else "en"
    context = {"version": VERSION, "version_date": VERSION_DATE}
    return render(request, f"privacy/statement_{language}.html", context)
