"""A message body is rendered to HTML once, when written, and stored encrypted beside it."""

import pytest
from django.template import Context, Template

from dialogue import services
from dialogue.models import Message
from dialogue.rendering import body_html
from tests.crypto_support import raw_table_text
from tests.factories.dialogue import one_to_one

pytestmark = pytest.mark.django_db

BODY = 'See https://example.org/read?a=1&b=<2>\nor mail "me" at x@example.com\n<script>'


def test_rendering_gives_what_the_template_filters_gave():
    template = Template("{{ body|urlize|linebreaksbr }}")
    assert body_html(BODY) == template.render(Context({"body": BODY}))


def test_posting_stores_the_html_encrypted(trajectory, coach):
    message, _ = services.post_message(one_to_one(trajectory), coach, "MARKER-html " + BODY)
    stored = Message.objects.get(pk=message.pk)
    assert stored.body_html == body_html("MARKER-html " + BODY)
    assert "&lt;script&gt;" in stored.body_display and "<script>" not in stored.body_display
    assert "MARKER-html" not in raw_table_text(Message)


def test_editing_renders_again_and_withdrawing_destroys_both(trajectory, coach):
    message, _ = services.post_message(one_to_one(trajectory), coach, "first")
    services.edit_message(message, coach, "second https://example.org")
    stored = Message.objects.get(pk=message.pk)
    assert 'href="https://example.org"' in stored.body_html
    services.withdraw_message(stored, coach)
    stored = Message.objects.get(pk=message.pk)
    assert stored.body is None and stored.body_html is None


@pytest.mark.django_db(transaction=True)
def test_migration_renders_the_html_of_messages_written_before(trajectory, coach):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    message, _ = services.post_message(one_to_one(trajectory), coach, BODY)
    MigrationExecutor(connection).migrate([("dialogue", "0002_encrypted_titles")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema
    assert Message.objects.get(pk=message.pk).body_html == body_html(BODY)
