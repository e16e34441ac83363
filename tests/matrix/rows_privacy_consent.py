"""Consent (1.2.6.8): the coachee answers their own questions, a coach of the trajectory asks
for a colleague, and the one who asked withdraws; everyone else gets a 404.

The deciding views answer with a redirect and an error message (and change nothing) to a
coach the question names or who asked it: they may see it, not answer it (see
tests/test_privacy_consent.py). The POST rows below therefore act on a fresh question per
request, asked for a new colleague, so that only the one who may act can even see it.
"""

from django.urls import reverse

from privacy import consent
from tests.factories.accounts import CoachFactory
from tests.matrix import NOT_ALLOWED, Row, get_and_post

CONTENT_USERS = ["coach", "coachee", "other_coach", "stranger_coach", "stranger_coachee"]


def build(world):
    # ``world`` holds the actors, not the trajectory fixture: the coachee's only trajectory.
    trajectory = world["coachee"].trajectories.get()
    world["consent_trajectory"] = trajectory
    world["consent"] = consent.ask(trajectory, world["other_coach"], requested_by=world["coach"])


def _colleague(w):
    return CoachFactory(organisation=w["coach"].organisation)


def _fresh_question(w, *, requested_by):
    return consent.ask(w["consent_trajectory"], _colleague(w), requested_by=w[requested_by])


def _pending(name, *, requested_by="org_manager"):
    """A new question for every request, asked by ``requested_by``."""
    return lambda w: reverse(name, args=[_fresh_question(w, requested_by=requested_by).uuid])


def _granted(name):
    def url(w):
        question = _fresh_question(w, requested_by="org_manager")
        consent.grant(question, w["coachee"])
        return reverse(name, args=[question.uuid])

    return url


def _world_consent(name):
    return lambda w: reverse(name, args=[w["consent"].uuid])


def _ask(w):
    return reverse("privacy:consent_ask", args=[w["consent_trajectory"].pk])


ROWS = [
    *get_and_post(
        "privacy:consents",
        lambda w: reverse("privacy:consents"),
        get=dict.fromkeys(CONTENT_USERS, 200),
        post=NOT_ALLOWED,
    ),
    # Only a coach of the running trajectory asks; a colleague of another organisation is
    # no valid choice (400, the form with its error).
    *get_and_post(
        "privacy:consent_ask",
        _ask,
        get={"coach": 200},
        post={"coach": 400},
        data=lambda w: {"coach": str(w["stranger_coach"].pk), "apps": ["dialogue"]},
    ),
    Row(
        "privacy:consent_ask",
        _ask,
        expect={"coach": 302},
        method="post",
        data=lambda w: {"coach": str(_colleague(w).pk), "apps": ["dialogue", "dossier"]},
    ),
    # Only the coachee answers, only a question that waits.
    Row("privacy:consent_grant", _world_consent("privacy:consent_grant"), NOT_ALLOWED),
    Row(
        "privacy:consent_grant",
        _pending("privacy:consent_grant"),
        {"coachee": 302},
        method="post",
    ),
    Row("privacy:consent_decline", _world_consent("privacy:consent_decline"), NOT_ALLOWED),
    Row(
        "privacy:consent_decline",
        _pending("privacy:consent_decline"),
        {"coachee": 302},
        method="post",
    ),
    # Only the coachee revokes, a consent they gave.
    Row("privacy:consent_revoke", _world_consent("privacy:consent_revoke"), NOT_ALLOWED),
    Row(
        "privacy:consent_revoke",
        _granted("privacy:consent_revoke"),
        {"coachee": 302},
        method="post",
    ),
    # The coach who asked withdraws; the coachee sees the question, so gets the consents
    # page back with an error (the question stays).
    Row("privacy:consent_withdraw", _world_consent("privacy:consent_withdraw"), NOT_ALLOWED),
    Row(
        "privacy:consent_withdraw",
        _pending("privacy:consent_withdraw", requested_by="coach"),
        {"coach": 302, "coachee": 302},
        method="post",
    ),
    # The world's own question: the coach who asked withdraws it first, then the coachee
    # finds it answered (302 with an error); the colleague it names never sees a question
    # about a coachee who has not let them in (404).
    Row(
        "privacy:consent_withdraw",
        _world_consent("privacy:consent_withdraw"),
        {"coach": 302, "coachee": 302},
        method="post",
    ),
]
