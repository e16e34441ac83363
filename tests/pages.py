"""Signed-in test clients and the text of the pages they get, for the view tests."""

import html

from django.test import Client


def signed_in(user) -> Client:
    """A client of its own for ``user``: tests can hold several people side by side."""
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    """The page as a person reads it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())
