"""Signed-in test clients and the text of the pages they get, for the view tests."""

import html

from django.test import Client
from django.urls import reverse

# What the test factories give everyone.
PASSWORD = "correct horse battery staple"


def signed_in(user) -> Client:
    """A client of its own for ``user``: tests can hold several people side by side."""
    client = Client()
    client.force_login(user)
    return client


def reauthenticated(user) -> Client:
    """``signed_in``, and the password entered again: pages behind allauth's
    ``reauthentication_required`` open for the next five minutes."""
    client = signed_in(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response
    return client


def page_text(response) -> str:
    """The page as a person reads it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())
