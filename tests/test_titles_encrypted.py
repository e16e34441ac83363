"""Trajectory and group titles are content: stored as ciphertext, read back as text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Trajectory
from dialogue.models import Dialogue
from tests.factories.accounts import TrajectoryFactory
from tests.factories.dialogue import group

MARKER = "TITLE-CANARY-4d1e-grief"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {table}.{pk[0]} = %s", [pk[1]])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_trajectory_title_is_stored_encrypted_under_the_coachees_key(coach, coachee):
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach], title=MARKER)
    raw = _raw("accounts_trajectory", "title", ("uuid", trajectory.pk.hex))
    assert MARKER not in raw
    assert Trajectory.objects.get(pk=trajectory.pk).title == MARKER
    assert trajectory.encryption_scope() == f"coachee:{coachee.uuid}"


@pytest.mark.django_db
def test_group_title_is_stored_encrypted_under_the_groups_key(coach, coachee, trajectory):
    crew = group(coach, [coachee], title=MARKER)
    raw = _raw("dialogue_dialogue", "title", ("id", crew.pk.hex))
    assert MARKER not in raw
    assert Dialogue.objects.get(pk=crew.pk).title == MARKER
    assert crew.encryption_scope() == f"dialogue:{crew.pk}"


@pytest.mark.django_db
def test_inbox_with_group_titles_costs_the_same_for_1_and_10_groups(
    client, coach, coachee, trajectory
):
    group(coach, [coachee], title=f"{MARKER} 0")
    client.force_login(coach)
    url = reverse("dialogue:inbox")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(1, 10):
        group(coach, [coachee], title=f"{MARKER} {number}")
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.text.count(MARKER) == 10
    assert len(ten.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_titles_that_were_stored_in_plaintext(coach, coachee):
    executor = MigrationExecutor(connection)
    before = [
        ("accounts", "0003_email_set_by_other"),
        ("dialogue", "0001_dialogues_messages_attachments"),
    ]
    after = [("accounts", "0004_encrypted_titles"), ("dialogue", "0002_encrypted_titles")]
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach])
    crew = group(coach, [coachee])
    try:
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_trajectory SET title = %s", [f"{MARKER} trajectory"])
            cursor.execute("UPDATE dialogue_dialogue SET title = %s", [f"{MARKER} group"])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        # Later tests in this worker need every migration, not just these two.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert MARKER not in _raw("accounts_trajectory", "title", ("uuid", trajectory.pk.hex))
    assert MARKER not in _raw("dialogue_dialogue", "title", ("id", crew.pk.hex))
    assert Trajectory.objects.get(pk=trajectory.pk).title == f"{MARKER} trajectory"
    assert Dialogue.objects.get(pk=crew.pk).title == f"{MARKER} group"
