"""A message body as HTML, made once when it is written rather than on every page view."""

from django.template.defaultfilters import linebreaksbr, urlize


def body_html(body: str) -> str:
    """Escaped text with links and line breaks: what ``{{ body|urlize|linebreaksbr }}`` gives."""
    return linebreaksbr(urlize(body, autoescape=True), autoescape=True)
