"""Data-subject requests: the subject and their coach see a request from the start, Pluform's
account manager and IT administrator once it reached Pluform; everyone else gets a 404.

A step posted by someone who sees the request but does not hold it is refused with the page
re-rendered (400); only the holder's step goes through (302). Every step that can succeed
gets a fresh request per call, so one actor's success never decides the next actor's answer.
A copy of the data opens for its recipients only (the subject and the coach), for 7 days."""

import datetime
import io
import zipfile

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.services import restrict_processing
from pluform import dates
from privacy.request_models import (
    AccessArchive,
    DataRequest,
    Kind,
    RequestStep,
    Status,
    Step,
)
from tests.factories.accounts import CoacheeFactory
from tests.matrix import NOT_ALLOWED, Row, get_and_post

# Who may file requests and has a list of their own.
FILERS = ["coach", "coachee", "other_coach", "stranger_coach", "stranger_coachee"]
HANDLERS = ["account_manager", "it_admin"]
PLUFORM_STATUSES = (Status.WITH_ACCOUNT_MANAGER, Status.WITH_IT_ADMIN, Status.WAITING)
MINUTE = datetime.timedelta(minutes=1)


def _request(subject, coach, kind, status):
    """A request in ``status``, stored as the workflow leaves it (no duplicate check: the
    rows need several open ones of one kind)."""
    now = timezone.now()
    done = status in (Status.DONE, Status.WITHDRAWN)
    return DataRequest.objects.create(
        subject=subject,
        coach=coach,
        kind=kind,
        status=status,
        motivation="Matrix motivation",
        received_at=now,
        due_on=DataRequest.due_for(dates.today()),
        reached_pluform_at=now if coach is None or status in PLUFORM_STATUSES or done else None,
        closed_at=now if done else None,
    )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("data.json", '{"schema_version": "1", "sections": {}}')
    return buffer.getvalue()


def _archive(coach, coachee, *, expires_in):
    made = _request(coachee, coach, Kind.ACCESS, Status.DONE)
    now = timezone.now()
    archive = AccessArchive(
        request=made,
        state=AccessArchive.State.READY,
        progress=100,
        ready_at=now,
        expires_at=now + expires_in,
    )
    data = _zip()
    archive.file.save("access.zip", ContentFile(data), save=False)
    archive.size = len(data)
    archive.save()
    archive.recipients.set([coachee, coach])
    return archive


def build(world):
    coach, coachee = world["coach"], world["coachee"]
    world["request_with_coach"] = _request(coachee, coach, Kind.ACCESS, Status.WITH_COACH)
    world["request_with_it_admin"] = _request(
        coachee, coach, Kind.RECTIFICATION, Status.WITH_IT_ADMIN
    )
    world["request_coach_own"] = _request(coach, None, Kind.ERASURE, Status.WITH_ACCOUNT_MANAGER)
    world["request_stranger"] = _request(
        world["stranger_coachee"], world["stranger_coach"], Kind.ACCESS, Status.WITH_COACH
    )
    world["archive_ready"] = _archive(coach, coachee, expires_in=AccessArchive.LIFETIME)
    world["archive_expired"] = _archive(coach, coachee, expires_in=-MINUTE)


def _at(name, key):
    return lambda w: reverse(name, args=[w[key].uuid])


def _fresh(name, status, kind=Kind.ACCESS):
    """A new request of the world's coachee with their coach, in ``status``, per call."""
    return lambda w: reverse(name, args=[_request(w["coachee"], w["coach"], kind, status).uuid])


def _fresh_restricted(name, *, announced):
    """A new coachee of the world's coach, restricted by a request that the IT administrator
    carried out (and, if ``announced``, whose lifting was announced), per call."""

    def url(w):
        subject = CoacheeFactory(organisation=w["coach"].organisation)
        restrict_processing(subject, "matrix", ground="contested")
        made = _request(subject, w["coach"], Kind.RESTRICTION, Status.DONE)
        now = timezone.now()
        RequestStep.objects.create(
            request=made, step=Step.RESTRICTED, actor=w["it_admin"], at=now - MINUTE
        )
        if announced:
            RequestStep.objects.create(
                request=made, step=Step.LIFT_ANNOUNCED, actor=w["it_admin"], at=now, note="x"
            )
        return reverse(name, args=[made.uuid])

    return url


def _post(name, url, expect, data=None):
    """A POST-only step: GET is refused (405), the POST answers as ``expect`` says."""
    return [
        Row(name, url, expect=NOT_ALLOWED),
        Row(name, url, expect=expect, method="post", data=data),
    ]


def _extension(w):
    return {"until": (dates.today() + datetime.timedelta(days=35)).isoformat(), "reason": "x"}


# Everyone who sees the world's request that reached the IT administrator, none holding a
# step of the ones below except where a row says so.
SEE_IT = {"coach": 400, "coachee": 400, "account_manager": 400, "it_admin": 400}

ROWS = [
    # The list: one's own requests (and a coach's coachees'), or Pluform's queue.
    *get_and_post(
        "privacy:requests",
        lambda w: reverse("privacy:requests"),
        get=dict.fromkeys(FILERS + HANDLERS, 200),
        post=NOT_ALLOWED,
    ),
    Row(
        "privacy:requests",
        lambda w: reverse("privacy:requests") + "?kind=access&status=with_it_admin&overdue=on",
        expect=dict.fromkeys(FILERS + HANDLERS, 200),
    ),
    # Filing: coaches and coachees only. Portability: no open one of that kind in the world.
    *get_and_post(
        "privacy:request_new",
        lambda w: reverse("privacy:request_new"),
        get=dict.fromkeys(FILERS, 200),
        post=dict.fromkeys(FILERS, 302),
        data=lambda w: {"kind": Kind.PORTABILITY, "motivation": ""},
    ),
    # An objection without a motivation is refused, and the form comes back.
    Row(
        "privacy:request_new",
        lambda w: reverse("privacy:request_new"),
        expect=dict.fromkeys(FILERS, 400),
        method="post",
        data=lambda w: {"kind": Kind.OBJECTION, "motivation": ""},
    ),
    # A request with the coach: subject and coach only, not Pluform yet.
    *get_and_post(
        "privacy:request",
        _at("privacy:request", "request_with_coach"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
    # Once it reached Pluform: the account manager and the IT administrator too.
    Row(
        "privacy:request",
        _at("privacy:request", "request_with_it_admin"),
        expect={"coach": 200, "coachee": 200, "account_manager": 200, "it_admin": 200},
    ),
    # A coach's own request: the coach and Pluform, not the coach's coachee.
    Row(
        "privacy:request",
        _at("privacy:request", "request_coach_own"),
        expect={"coach": 200, "account_manager": 200, "it_admin": 200},
    ),
    # The mirror image: the strangers' request opens for them only.
    Row(
        "privacy:request",
        _at("privacy:request", "request_stranger"),
        expect={"stranger_coach": 200, "stranger_coachee": 200},
    ),
    # The coach asks the coachee for clarification.
    *_post(
        "privacy:request_ask",
        _fresh("privacy:request_ask", Status.WITH_COACH),
        {"coach": 302, "coachee": 400},
        data=lambda w: {"question": "Which data?"},
    ),
    Row(
        "privacy:request_ask",
        _at("privacy:request_ask", "request_with_it_admin"),
        expect=SEE_IT,
        method="post",
        data=lambda w: {"question": "Which data?"},
    ),
    # The coachee answers.
    *_post(
        "privacy:request_answer",
        _fresh("privacy:request_answer", Status.WITH_SUBJECT),
        {"coachee": 302, "coach": 400},
        data=lambda w: {"answer": "The dialogue."},
    ),
    # (An answer posted by whoever holds another step -- the coach, the account manager, the
    # IT administrator -- should be 400 too, but goes through: requests.clarify checks no
    # status. That is the xfail test_only_the_coachee_answers_a_question in
    # tests/test_privacy_requests.py, not a row here.)
    # The coach forwards to Pluform.
    *_post(
        "privacy:request_forward",
        _fresh("privacy:request_forward", Status.WITH_COACH),
        {"coach": 302, "coachee": 400},
        data=lambda w: {"advice": "", "inspect_together": "on"},
    ),
    Row(
        "privacy:request_forward",
        _at("privacy:request_forward", "request_with_it_admin"),
        expect=SEE_IT,
        method="post",
        data=lambda w: {"advice": ""},
    ),
    # The account manager passes it on.
    *_post(
        "privacy:request_pass_on",
        _fresh("privacy:request_pass_on", Status.WITH_ACCOUNT_MANAGER),
        {"account_manager": 302, "coach": 400, "coachee": 400, "it_admin": 400},
        data=lambda w: {"note": ""},
    ),
    # Pluform extends the deadline, within the first four weeks.
    *_post(
        "privacy:request_extend",
        _fresh("privacy:request_extend", Status.WITH_ACCOUNT_MANAGER),
        {"account_manager": 302, "it_admin": 302, "coach": 400, "coachee": 400},
        data=_extension,
    ),
    # Not before it reached Pluform: then Pluform does not see it.
    Row(
        "privacy:request_extend",
        _at("privacy:request_extend", "request_with_coach"),
        expect={"coach": 400, "coachee": 400},
        method="post",
        data=_extension,
    ),
    # The IT administrator carries it out.
    *_post(
        "privacy:request_execute",
        _fresh("privacy:request_execute", Status.WITH_IT_ADMIN, Kind.RECTIFICATION),
        {"it_admin": 302, "coach": 400, "coachee": 400, "account_manager": 400},
        data=lambda w: {"note": "Corrected the birth date.", "decision": ""},
    ),
    # The subject withdraws it, wherever it is.
    *_post(
        "privacy:request_withdraw",
        _fresh("privacy:request_withdraw", Status.WITH_COACH),
        {"coachee": 302, "coach": 400},
    ),
    Row(
        "privacy:request_withdraw",
        _fresh("privacy:request_withdraw", Status.WITH_IT_ADMIN),
        expect={"coachee": 302, "coach": 400, "account_manager": 400, "it_admin": 400},
        method="post",
    ),
    # Lifting a restriction: the IT administrator announces it, then lifts it.
    *_post(
        "privacy:request_announce_lift",
        _fresh_restricted("privacy:request_announce_lift", announced=False),
        {"it_admin": 302, "coach": 400, "account_manager": 400},
        data=lambda w: {"reason": "The dispute is settled."},
    ),
    *_post(
        "privacy:request_lift",
        _fresh_restricted("privacy:request_lift", announced=True),
        {"it_admin": 302, "coach": 400, "account_manager": 400},
    ),
    # Not lifted before the subject was told.
    Row(
        "privacy:request_lift",
        _fresh_restricted("privacy:request_lift", announced=False),
        expect={"it_admin": 400, "coach": 400, "account_manager": 400},
        method="post",
    ),
    # The copy of the data: its recipients only, while it lasts.
    *get_and_post(
        "privacy:archive",
        _at("privacy:archive", "archive_ready"),
        get={"coach": 200, "coachee": 200},
        post=NOT_ALLOWED,
    ),
    Row("privacy:archive", _at("privacy:archive", "archive_expired")),
]
