"""Data-subject requests (regulation 1.2.6 and 1.3.5): a coachee files with their coach, who
asks for clarification or forwards to Pluform's account manager, who passes it on to the IT
administrator, who carries it out; a coach files straight with the account manager. Every
step is in the request's history and the audit trail, every hand-over an e-mail without
content, and the deadline (four weeks, once extended by at most two months) is watched."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import RestrictionGround, User
from accounts.services import restrict_processing
from pluform import dates
from pluform.dates import add_months
from privacy import requests, tasks
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from privacy.erasure_models import Erasure, LegalHold
from privacy.request_models import (
    DataRequest,
    Decision,
    Kind,
    RequestStep,
    Status,
    Step,
)
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

# Lower case letters, digits and dashes: found the same in HTML, e-mail and audit detail.
MOTIVATION = "motivation-5e2a-marker"
ADVICE = "advice-5e2a-marker"
QUESTION = "question-5e2a-marker"
ANSWER = "answer-5e2a-marker"
NOTE = "note-5e2a-marker"
REASON = "reason-5e2a-marker"
MARKERS = (MOTIVATION, ADVICE, QUESTION, ANSWER, NOTE, REASON)

NOT_HOLDER = "This request is not waiting for you."
NEW = reverse("privacy:request_new")
QUEUE = reverse("privacy:requests")
DAY = datetime.timedelta(days=1)


def _url(name, data_request):
    return reverse(f"privacy:{name}", args=[data_request.uuid])


def _file(subject, kind=Kind.ACCESS, *, motivation=MOTIVATION, ground="", coach=None):
    if kind == Kind.RESTRICTION and not ground:
        ground = RestrictionGround.CONTESTED
    return requests.file(subject, kind=kind, motivation=motivation, ground=ground, coach=coach)


def _forwarded(subject, coach, kind=Kind.ACCESS, **kwargs):
    made = _file(subject, kind, coach=coach, **kwargs)
    requests.forward(made, coach)
    return made


def _with_it_admin(subject, coach, account_manager, kind=Kind.ACCESS, **kwargs):
    made = _forwarded(subject, coach, kind, **kwargs)
    requests.pass_on(made, account_manager)
    return made


def _state(data_request):
    """What a refused step must leave as it was."""
    data_request.refresh_from_db()
    return (
        data_request.status,
        data_request.extended_due_on,
        data_request.advice,
        data_request.inspect_together,
        data_request.decision,
        data_request.closed_at,
        data_request.steps.count(),
        AuditEvent.objects.filter(action=Action.REQUEST_STEP).count(),
    )


def _refused(response, message=None):
    """A refused step: 400, and (where given) the reason on the page."""
    assert response.status_code == 400
    if message is not None:
        assert message in page_text(response)


def _everything(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(str(part) for part in parts)


def _no_content_in_mail():
    for message in mail.outbox:
        text = _everything(message)
        for marker in MARKERS:
            assert marker not in text, (message.subject, marker)


def _recipients(subject_words=""):
    return sorted(
        address
        for message in mail.outbox
        if subject_words in message.subject
        for address in message.to
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (e-mails, the archive task) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def clock(monkeypatch):
    """Moves pluform.dates.today, the business date the deadlines are counted in."""

    def move_to(day):
        monkeypatch.setattr(dates, "today", lambda: day)

    return move_to


# Filing


@pytest.mark.parametrize("kind", Kind.values)
def test_a_coachee_files_each_kind_of_request_with_their_coach(
    kind, coach, coachee, trajectory, committed
):
    data = {"kind": kind, "motivation": MOTIVATION}
    if kind == Kind.RESTRICTION:
        data["ground"] = RestrictionGround.LEGAL_CLAIM
    with committed():
        response = signed_in(coachee).post(NEW, data)
    made = DataRequest.objects.get(subject=coachee)
    assert response.status_code == 302
    assert response.url == _url("request", made)
    assert made.kind == kind
    assert made.coach == coach
    assert made.status == Status.WITH_COACH
    assert made.motivation == MOTIVATION
    assert made.ground == (RestrictionGround.LEGAL_CLAIM if kind == Kind.RESTRICTION else "")
    assert made.reached_pluform_at is None
    assert made.received_on == dates.today()
    assert made.due_on == DataRequest.due_for(dates.today())
    assert [step.step for step in made.steps.all()] == [Step.FILED]
    # The coach is told that something waits, and nobody else.
    assert _recipients() == [coach.email]
    _no_content_in_mail()

    text = page_text(signed_in(coachee).get(_url("request", made)))
    assert made.get_kind_display() in text
    assert "With your coach" in text
    assert MOTIVATION in text
    assert dates.date_text(made.due_on) in text
    assert dates.date_text(made.received_at) in text
    assert "Request filed" in text


@pytest.mark.parametrize("kind", [Kind.ACCESS, Kind.ERASURE, Kind.PORTABILITY])
def test_access_erasure_and_portability_need_no_motivation(kind, coachee, trajectory):
    response = signed_in(coachee).post(NEW, {"kind": kind, "motivation": ""})
    assert response.status_code == 302
    assert DataRequest.objects.get(subject=coachee).kind == kind


@pytest.mark.parametrize("kind", [Kind.RECTIFICATION, Kind.RESTRICTION, Kind.OBJECTION])
def test_rectification_restriction_and_objection_need_a_motivation(kind, coachee, trajectory):
    data = {"kind": kind, "motivation": "   ", "ground": RestrictionGround.CONTESTED}
    response = signed_in(coachee).post(NEW, data)
    _refused(response, "Say why: this kind of request needs a motivation.")
    assert not DataRequest.objects.exists()
    assert not mail.outbox


def test_a_restriction_needs_a_ground(coachee, trajectory):
    data = {"kind": Kind.RESTRICTION, "motivation": MOTIVATION, "ground": ""}
    response = signed_in(coachee).post(NEW, data)
    _refused(response, "Choose the ground for the restriction.")
    assert not DataRequest.objects.exists()


def test_a_coach_files_their_own_request_straight_with_the_account_manager(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    data = {"kind": Kind.OBJECTION, "motivation": MOTIVATION}
    with committed():
        response = signed_in(coach).post(NEW, data)
    made = DataRequest.objects.get(subject=coach)
    assert response.status_code == 302
    assert made.coach is None
    assert made.status == Status.WITH_ACCOUNT_MANAGER
    assert made.reached_pluform_at is not None
    assert made.due_on == DataRequest.due_for(dates.today())
    assert _recipients() == [account_manager.email]
    _no_content_in_mail()
    # Pluform sees it at once; the coach's coachee does not see it at all.
    page = signed_in(account_manager).get(_url("request", made))
    assert page.status_code == 200
    assert page.context["holds"]
    assert signed_in(it_admin).get(_url("request", made)).status_code == 200
    assert signed_in(coachee).get(_url("request", made)).status_code == 404
    queue = signed_in(account_manager).get(QUEUE)
    assert [row.pk for row in queue.context["held"]] == [made.pk]


def test_the_grounds_follow_the_role(coach, coachee, trajectory):
    """A coachee has the four grounds of 1.2.6.4, a coach the three of 1.3.5.4."""
    every = [ground.value for ground in RestrictionGround]
    coachee_form = signed_in(coachee).get(NEW).context["form"]
    assert [value for value, _label in coachee_form.fields["ground"].choices][1:] == every
    coach_form = signed_in(coach).get(NEW).context["form"]
    coach_grounds = [value for value, _label in coach_form.fields["ground"].choices][1:]
    assert coach_grounds == [
        RestrictionGround.CONTESTED,
        RestrictionGround.UNLAWFUL,
        RestrictionGround.OBJECTED,
    ]
    assert [value for value, _label in requests.allowed_grounds(coach)] == coach_grounds

    data = {
        "kind": Kind.RESTRICTION,
        "motivation": MOTIVATION,
        "ground": RestrictionGround.LEGAL_CLAIM,
    }
    _refused(signed_in(coach).post(NEW, data), "Select a valid choice.")
    assert not DataRequest.objects.exists()
    with pytest.raises(ValidationError, match="ground"):
        _file(coach, Kind.RESTRICTION, ground=RestrictionGround.LEGAL_CLAIM)
    assert not DataRequest.objects.exists()


def test_a_second_open_request_of_the_same_kind_is_refused(coachee, trajectory):
    first = _file(coachee, Kind.RECTIFICATION)
    client = signed_in(coachee)
    response = client.post(NEW, {"kind": Kind.RECTIFICATION, "motivation": MOTIVATION})
    _refused(response, "You already have an open request of this type.")
    assert list(DataRequest.objects.all()) == [first]
    # Another kind can be filed, and the same kind again once the first is closed.
    assert client.post(NEW, {"kind": Kind.ACCESS}).status_code == 302
    requests.withdraw(first, coachee)
    data = {"kind": Kind.RECTIFICATION, "motivation": MOTIVATION}
    assert client.post(NEW, data).status_code == 302
    assert DataRequest.objects.filter(subject=coachee).count() == 3


def test_a_coachee_with_two_coaches_chooses_who_receives_it(
    coach, coachee, trajectory, other_coach, stranger_coach
):
    TrajectoryFactory(coachee=coachee, coaches=[other_coach])
    client = signed_in(coachee)
    choices = client.get(NEW).context["form"].fields["coach"].queryset
    assert set(choices) == {coach, other_coach}
    _refused(client.post(NEW, {"kind": Kind.ACCESS}), "Choose the coach who receives your request.")
    _refused(
        client.post(NEW, {"kind": Kind.ACCESS, "coach": stranger_coach.pk}),
        "Select a valid choice.",
    )
    assert not DataRequest.objects.exists()
    assert client.post(NEW, {"kind": Kind.ACCESS, "coach": other_coach.pk}).status_code == 302
    assert DataRequest.objects.get().coach == other_coach
    with pytest.raises(ValidationError, match="Choose one of your coaches"):
        _file(coachee, Kind.ERASURE, coach=stranger_coach)


@pytest.mark.parametrize("actor", ["org_manager", "customer_service", "account_manager"])
def test_only_coaches_and_coachees_file_requests(actor, request):
    client = signed_in(request.getfixturevalue(actor))
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, {"kind": Kind.ACCESS}).status_code == 404
    assert not DataRequest.objects.exists()


# Clarification


def test_the_coach_asks_and_the_coachee_clarifies(coach, coachee, trajectory, committed):
    made = _file(coachee, Kind.RECTIFICATION)
    mail.outbox.clear()
    with committed():
        response = signed_in(coach).post(_url("request_ask", made), {"question": QUESTION})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITH_SUBJECT
    assert _recipients() == [coachee.email]
    # It now waits for the coachee: on their home page and their request page.
    home = page_text(signed_in(coachee).get(reverse("home")))
    assert _url("request", made) in home
    page = signed_in(coachee).get(_url("request", made))
    assert page.context["holds"]
    assert QUESTION in page_text(page)
    assert "Waiting for clarification" in page_text(page)
    # The coach no longer holds it.
    _refused(
        signed_in(coach).post(_url("request_forward", made), {"advice": ADVICE}),
    )

    mail.outbox.clear()
    with committed():
        response = signed_in(coachee).post(_url("request_answer", made), {"answer": ANSWER})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITH_COACH
    assert _recipients() == [coach.email]
    steps = list(made.steps.all())
    assert [step.step for step in steps] == [Step.FILED, Step.CLARIFICATION_ASKED, Step.CLARIFIED]
    assert [step.note for step in steps[1:]] == [QUESTION, ANSWER]
    assert [step.actor for step in steps] == [coachee, coach, coachee]
    coach_page = page_text(signed_in(coach).get(_url("request", made)))
    assert QUESTION in coach_page
    assert ANSWER in coach_page
    _no_content_in_mail()


def test_an_empty_question_or_answer_is_refused(coach, coachee, trajectory):
    made = _file(coachee, Kind.RECTIFICATION)
    before = _state(made)
    _refused(signed_in(coach).post(_url("request_ask", made), {"question": " "}), "required")
    assert _state(made) == before
    requests.ask_clarification(made, coach, QUESTION)
    before = _state(made)
    _refused(signed_in(coachee).post(_url("request_answer", made), {"answer": ""}), "required")
    assert _state(made) == before


def test_only_the_holder_asks(coach, coachee, trajectory):
    made = _file(coachee, Kind.RECTIFICATION)
    before = _state(made)
    _refused(signed_in(coachee).post(_url("request_ask", made), {"question": QUESTION}))
    assert _state(made) == before
    # Asked once, the question is with the coachee: the coach does not ask again.
    requests.ask_clarification(made, coach, QUESTION)
    before = _state(made)
    _refused(signed_in(coach).post(_url("request_ask", made), {"question": QUESTION}))
    assert _state(made) == before


@pytest.mark.parametrize(
    ("status", "holder"),
    [
        (Status.WITH_COACH, "coach"),
        (Status.WITH_ACCOUNT_MANAGER, "account_manager"),
        (Status.WITH_IT_ADMIN, "it_admin"),
    ],
)
def test_only_the_coachee_answers_a_question(
    status, holder, request, coach, coachee, trajectory, account_manager
):
    """Without an open question there is nothing to answer: whoever holds the next step
    cannot 'clarify' the request, which would send it back to the coach."""
    made = _file(coachee, Kind.RECTIFICATION)
    if status != Status.WITH_COACH:
        requests.forward(made, coach)
    if status == Status.WITH_IT_ADMIN:
        requests.pass_on(made, account_manager)
    client = signed_in(request.getfixturevalue(holder))
    before = _state(made)
    _refused(client.post(_url("request_answer", made), {"answer": ANSWER}))
    assert _state(made) == before


# Forward and pass on


def test_the_coach_forwards_with_advice_to_inspect_together(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _file(coachee, Kind.ACCESS)
    assert signed_in(account_manager).get(_url("request", made)).status_code == 404
    mail.outbox.clear()
    data = {"advice": ADVICE, "inspect_together": "on"}
    with committed():
        response = signed_in(coach).post(_url("request_forward", made), data)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITH_ACCOUNT_MANAGER
    assert made.advice == ADVICE
    assert made.inspect_together
    assert made.reached_pluform_at is not None
    # The account manager is asked to act, the coachee hears there is news.
    assert _recipients("waits for you") == [account_manager.email]
    assert _recipients("News") == [coachee.email]
    _no_content_in_mail()
    forwarded = made.steps.get(step=Step.FORWARDED)
    assert forwarded.actor == coach
    assert forwarded.note == ADVICE

    coachee_page = page_text(signed_in(coachee).get(_url("request", made)))
    assert ADVICE in coachee_page
    assert "advises to look at the copy of the data together" in coachee_page
    manager_page = signed_in(account_manager).get(_url("request", made))
    assert manager_page.context["holds"]
    assert ADVICE in page_text(manager_page)
    assert "advises to look at the copy of the data together" in page_text(manager_page)


def test_inspecting_together_is_advice_for_access_only(coach, coachee, trajectory):
    made = _file(coachee, Kind.RECTIFICATION)
    data = {"advice": "", "inspect_together": "on"}
    assert signed_in(coach).post(_url("request_forward", made), data).status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITH_ACCOUNT_MANAGER
    assert not made.inspect_together


@pytest.mark.parametrize(
    ("kind", "offered"), [(Kind.ACCESS, True), (Kind.RECTIFICATION, False), (Kind.ERASURE, False)]
)
def test_the_forward_form_offers_inspecting_together_for_access_only(
    coach, coachee, trajectory, kind, offered
):
    made = _file(coachee, kind)
    form = signed_in(coach).get(_url("request", made)).context["forms"]["forward"]
    assert ("inspect_together" in form.fields) is offered


@pytest.mark.parametrize(
    ("kind", "offered"), [(Kind.OBJECTION, True), (Kind.RECTIFICATION, False), (Kind.ACCESS, False)]
)
def test_the_execute_form_asks_for_a_decision_on_an_objection_only(
    coach, coachee, trajectory, account_manager, it_admin, kind, offered
):
    made = _with_it_admin(coachee, coach, account_manager, kind)
    form = signed_in(it_admin).get(_url("request", made)).context["forms"]["execute"]
    assert ("decision" in form.fields) is offered


def test_the_coach_cannot_forward_twice(coach, coachee, trajectory, account_manager):
    made = _forwarded(coachee, coach)
    before = _state(made)
    _refused(signed_in(coach).post(_url("request_forward", made), {"advice": ADVICE}))
    assert _state(made) == before


def test_the_coachee_cannot_forward_their_own_request(coach, coachee, trajectory):
    made = _file(coachee)
    before = _state(made)
    _refused(signed_in(coachee).post(_url("request_forward", made), {"advice": ADVICE}))
    assert _state(made) == before


def test_another_coach_cannot_forward_it(coachee, trajectory, other_coach):
    made = _file(coachee)
    before = _state(made)
    response = signed_in(other_coach).post(_url("request_forward", made), {"advice": ADVICE})
    assert response.status_code == 404
    assert _state(made) == before


def test_the_account_manager_passes_it_on_to_the_it_administrator(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _forwarded(coachee, coach)
    before = _state(made)
    _refused(signed_in(it_admin).post(_url("request_pass_on", made), {"note": NOTE}))
    assert _state(made) == before
    mail.outbox.clear()
    with committed():
        response = signed_in(account_manager).post(_url("request_pass_on", made), {"note": NOTE})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITH_IT_ADMIN
    assert _recipients() == [it_admin.email]
    _no_content_in_mail()
    passed = made.steps.get(step=Step.PASSED_ON)
    assert (passed.actor, passed.note) == (account_manager, NOTE)
    assert signed_in(it_admin).get(_url("request", made)).context["holds"]
    # The account manager holds it no more.
    before = _state(made)
    _refused(signed_in(account_manager).post(_url("request_pass_on", made), {"note": ""}))
    assert _state(made) == before


@pytest.mark.parametrize("kind", [Kind.RECTIFICATION, Kind.ERASURE])
def test_the_it_administrator_cannot_pass_a_request_on_to_themselves(
    kind, coach, coachee, trajectory, account_manager, it_admin
):
    """Passing on is the account manager's step; for the IT administrator it would put a
    waiting erasure back to 'with the IT administrator'."""
    made = _with_it_admin(coachee, coach, account_manager, kind)
    if kind == Kind.ERASURE:
        requests.execute(made, it_admin)
    before = _state(made)
    _refused(signed_in(it_admin).post(_url("request_pass_on", made), {"note": NOTE}))
    assert _state(made) == before


# Carrying it out


def _execute(it_admin, made, **data):
    return signed_in(it_admin).post(
        _url("request_execute", made), {"note": "", "decision": "", **data}
    )


def test_a_rectification_records_what_was_corrected_and_tells_the_coaches(
    coach, coachee, trajectory, other_coach, account_manager, it_admin, committed
):
    # A second trajectory: every coach who has the coachee's data hears of it (art. 19).
    TrajectoryFactory(coachee=coachee, coaches=[other_coach])
    made = _with_it_admin(coachee, coach, account_manager, Kind.RECTIFICATION)
    before = _state(made)
    _refused(_execute(it_admin, made), "Say what was corrected.")
    assert _state(made) == before
    mail.outbox.clear()
    with committed():
        response = _execute(it_admin, made, note=NOTE)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.DONE
    assert made.closed_at is not None
    rectified = made.steps.get(step=Step.RECTIFIED)
    assert (rectified.actor, rectified.note) == (it_admin, NOTE)
    assert _recipients("News") == [coachee.email]
    assert _recipients("corrected, erased or restricted") == sorted(
        [coach.email, other_coach.email]
    )
    _no_content_in_mail()
    assert NOTE in page_text(signed_in(coachee).get(_url("request", made)))


def test_a_restriction_restricts_the_subject_and_tells_the_coaches(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _with_it_admin(
        coachee, coach, account_manager, Kind.RESTRICTION, ground=RestrictionGround.UNLAWFUL
    )
    mail.outbox.clear()
    with committed():
        assert _execute(it_admin, made).status_code == 302
    coachee.refresh_from_db()
    made.refresh_from_db()
    assert coachee.processing_restricted
    assert coachee.restriction_ground == RestrictionGround.UNLAWFUL
    assert made.status == Status.DONE
    assert made.steps.filter(step=Step.RESTRICTED).count() == 1
    assert _recipients("News") == [coachee.email]
    assert _recipients("corrected, erased or restricted") == [coach.email]
    _no_content_in_mail()


def test_a_restriction_is_lifted_only_after_the_subject_was_told(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.RESTRICTION)
    requests.execute(made, it_admin)
    made.refresh_from_db()
    admin = signed_in(it_admin)

    # Not before it was announced: the restriction stays.
    page = admin.get(_url("request", made))
    assert page.context["may_announce_lift"]
    assert not page.context["may_lift"]
    before = _state(made)
    _refused(admin.post(_url("request_lift", made)), "Tell the subject first")
    coachee.refresh_from_db()
    assert coachee.processing_restricted
    assert _state(made) == before

    # The announcement needs a reason, and only the IT administrator makes it.
    _refused(admin.post(_url("request_announce_lift", made), {"reason": ""}), "required")
    _refused(
        signed_in(account_manager).post(_url("request_announce_lift", made), {"reason": REASON})
    )
    assert _state(made) == before
    mail.outbox.clear()
    with committed():
        response = admin.post(_url("request_announce_lift", made), {"reason": REASON})
    assert response.status_code == 302
    assert _recipients() == [coachee.email]
    assert "will be lifted" in mail.outbox[0].subject
    announced = made.steps.get(step=Step.LIFT_ANNOUNCED)
    assert announced.note == REASON
    assert REASON in page_text(signed_in(coachee).get(_url("request", made)))
    coachee.refresh_from_db()
    assert coachee.processing_restricted

    # Only the IT administrator lifts it.
    _refused(signed_in(account_manager).post(_url("request_lift", made)), "Tell the subject first")
    mail.outbox.clear()
    with committed():
        assert admin.post(_url("request_lift", made)).status_code == 302
    coachee.refresh_from_db()
    assert not coachee.processing_restricted
    assert coachee.restriction_ground == ""
    assert made.steps.filter(step=Step.LIFTED).count() == 1
    assert _recipients("News") == [coachee.email]
    assert _recipients("corrected, erased or restricted") == [coach.email]
    _no_content_in_mail()
    # Lifted once; a second time there is nothing to lift.
    before = _state(made)
    _refused(admin.post(_url("request_lift", made)), "Tell the subject first")
    assert _state(made) == before


@pytest.mark.parametrize("decision", Decision.values)
def test_an_objection_decision_is_mailed_to_coach_and_subject(
    decision, coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.OBJECTION)
    made.advice = ADVICE  # the coach's advice is content too
    made.save(update_fields=["advice"])
    before = _state(made)
    _refused(_execute(it_admin, made, note=NOTE), "Choose whether the objection is upheld.")
    _refused(_execute(it_admin, made, decision=decision), "Give the reasons for the decision.")
    assert _state(made) == before

    mail.outbox.clear()
    with committed():
        assert _execute(it_admin, made, decision=decision, note=NOTE).status_code == 302
    made.refresh_from_db()
    coachee.refresh_from_db()
    assert made.status == Status.DONE
    assert made.decision == decision
    decided = made.steps.get(step=Step.DECIDED)
    assert (decided.actor, decided.note) == (it_admin, NOTE)
    assert _recipients("A decision on an objection") == sorted([coach.email, coachee.email])
    # Upheld, the processing stops, and the coachee's coaches hear of it (art. 19).
    told = [coach.email] if decision == Decision.UPHELD else []
    assert _recipients("A coachee's data was corrected, erased or restricted") == told
    _no_content_in_mail()
    # Upheld, the processing stops: the subject is restricted on the ground of the objection.
    if decision == Decision.UPHELD:
        assert coachee.processing_restricted
        assert coachee.restriction_ground == RestrictionGround.OBJECTED
    else:
        assert not coachee.processing_restricted
    page = page_text(signed_in(coachee).get(_url("request", made)))
    assert made.get_decision_display() in page
    assert NOTE in page


def test_a_coachs_own_objection_decision_goes_to_the_coach(
    coach, account_manager, it_admin, committed
):
    made = _file(coach, Kind.OBJECTION)
    requests.pass_on(made, account_manager)
    mail.outbox.clear()
    with committed():
        requests.execute(made, it_admin, decision=Decision.REJECTED, note=NOTE)
    assert _recipients() == [coach.email]
    _no_content_in_mail()


def test_an_upheld_objection_tells_every_coach_of_the_restriction(
    coach, coachee, trajectory, other_coach, account_manager, it_admin, committed
):
    """Upheld, the objection restricts the processing: like any restriction, every coach who
    had the coachee's data hears of it, not only the coach the request went through."""
    TrajectoryFactory(coachee=coachee, coaches=[other_coach])
    made = _with_it_admin(coachee, coach, account_manager, Kind.OBJECTION)
    mail.outbox.clear()
    with committed():
        requests.execute(made, it_admin, decision=Decision.UPHELD, note=NOTE)
    assert other_coach.email in _recipients()


# A portability request starts the self-service export instead: tests/test_privacy_export.py.
def test_an_erasure_request_erases_the_subject_and_leaves_a_receipt(
    coach, coachee, trajectory, account_manager, it_admin, committed
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.ERASURE)
    mail.outbox.clear()
    with committed():
        assert _execute(it_admin, made).status_code == 302
    # The request went with the rest of the subject's data; the receipt stays.
    assert not User.objects.filter(pk=coachee.pk).exists()
    assert not DataRequest.objects.filter(pk=made.pk).exists()
    receipt = Erasure.objects.get(subject_uuid=coachee.uuid)
    assert (receipt.ground, receipt.actor_role, receipt.state) == ("request", "it_admin", "done")
    assert receipt.counts["privacy.datarequest"] == 1
    assert coachee.email in _recipients("has been erased")
    assert it_admin.email in _recipients("erasure receipt")
    assert _recipients("has left Pluform") == [coach.email]


def test_an_erasure_request_under_a_legal_hold_is_refused_and_erases_nothing(
    coach, coachee, trajectory, account_manager, it_admin
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.ERASURE)
    LegalHold.objects.create(
        subject=coachee, reason="Court case", ends_on=dates.today() + DAY, set_by=it_admin
    )
    before = _state(made)
    _refused(_execute(it_admin, made), "A legal hold keeps this data")
    assert _state(made) == before
    assert User.objects.filter(pk=coachee.pk).exists()
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("actor", ["coach", "coachee", "account_manager"])
def test_only_the_it_administrator_carries_it_out(
    actor, request, coach, coachee, trajectory, account_manager
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.RECTIFICATION)
    before = _state(made)
    _refused(_execute(request.getfixturevalue(actor), made, note=NOTE))
    assert _state(made) == before


# A refused step says why, and changes nothing


def _refusal(case, people):
    """(who, step, data, request) for one refused step."""
    coach, coachee = people["coach"], people["coachee"]
    manager, admin = people["account_manager"], people["it_admin"]
    if case == "ask_by_subject":
        return coachee, "request_ask", {"question": QUESTION}, _file(coachee)
    if case == "answer_by_coach":
        return coach, "request_answer", {"answer": ANSWER}, _file(coachee)
    if case == "forward_by_subject":
        return coachee, "request_forward", {"advice": ADVICE}, _file(coachee)
    if case == "forward_twice":
        return coach, "request_forward", {"advice": ADVICE}, _forwarded(coachee, coach)
    if case == "pass_on_by_it_admin":
        return admin, "request_pass_on", {"note": NOTE}, _forwarded(coachee, coach)
    if case == "execute_by_account_manager":
        made = _with_it_admin(coachee, coach, manager, Kind.RECTIFICATION)
        return manager, "request_execute", {"note": NOTE, "decision": ""}, made
    if case == "execute_under_legal_hold":
        made = _with_it_admin(coachee, coach, manager, Kind.ERASURE)
        LegalHold.objects.create(
            subject=coachee, reason="Inquiry", ends_on=dates.today(), set_by=admin
        )
        return admin, "request_execute", {"note": "", "decision": ""}, made
    if case == "execute_without_note":
        made = _with_it_admin(coachee, coach, manager, Kind.RECTIFICATION)
        return admin, "request_execute", {"note": "", "decision": ""}, made
    if case == "extend_after_four_weeks":
        made = _forwarded(coachee, coach)
        made.due_on = dates.today() - DAY
        made.save(update_fields=["due_on"])
        until = (made.due_on + 7 * DAY).isoformat()
        return manager, "request_extend", {"until": until, "reason": REASON}, made
    if case == "extend_by_coach":
        made = _forwarded(coachee, coach)
        until = (made.due_on + 7 * DAY).isoformat()
        return coach, "request_extend", {"until": until, "reason": REASON}, made
    if case == "extend_too_long":
        made = _forwarded(coachee, coach)
        until = (made.latest_extension + DAY).isoformat()
        return manager, "request_extend", {"until": until, "reason": REASON}, made
    if case == "announce_lift_by_account_manager":
        made = _with_it_admin(coachee, coach, manager, Kind.RESTRICTION)
        requests.execute(made, admin)
        return manager, "request_announce_lift", {"reason": REASON}, made
    if case == "lift_unannounced":
        made = _with_it_admin(coachee, coach, manager, Kind.RESTRICTION)
        requests.execute(made, admin)
        return admin, "request_lift", {}, made
    if case == "withdraw_by_coach":
        return coach, "request_withdraw", {}, _file(coachee)
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        pytest.param("ask_by_subject", NOT_HOLDER),
        pytest.param("answer_by_coach", NOT_HOLDER),
        pytest.param("forward_by_subject", NOT_HOLDER),
        pytest.param("forward_twice", NOT_HOLDER),
        pytest.param("pass_on_by_it_admin", NOT_HOLDER),
        pytest.param("execute_by_account_manager", NOT_HOLDER),
        pytest.param("execute_under_legal_hold", "A legal hold keeps this data"),
        ("execute_without_note", "Say what was corrected."),
        pytest.param(
            "extend_after_four_weeks",
            "The deadline can be extended once, within the first four weeks",
        ),
        pytest.param("extend_by_coach", "The deadline can be extended once"),
        ("extend_too_long", "at most two months later"),
        pytest.param(
            "announce_lift_by_account_manager",
            "There is no restriction of this request to lift.",
        ),
        ("lift_unannounced", "Tell the subject first"),
        ("withdraw_by_coach", "Only an open request of your own can be withdrawn."),
    ],
)
def test_a_refused_step_says_why_and_changes_nothing(
    case, message, coach, coachee, trajectory, account_manager, it_admin
):
    people = {
        "coach": coach,
        "coachee": coachee,
        "account_manager": account_manager,
        "it_admin": it_admin,
    }
    who, step, data, made = _refusal(case, people)
    before = _state(made)
    restricted = made.subject.processing_restricted
    mail.outbox.clear()
    response = signed_in(who).post(_url(step, made), data)
    assert response.status_code == 400
    assert _state(made) == before
    made.subject.refresh_from_db()
    assert made.subject.processing_restricted == restricted
    assert not mail.outbox
    assert message in page_text(response)


# Withdrawing


def test_the_subject_withdraws_an_open_request(
    coach, coachee, trajectory, account_manager, committed
):
    made = _forwarded(coachee, coach, Kind.ERASURE)
    before = _state(made)
    _refused(
        signed_in(coach).post(_url("request_withdraw", made)),
        "Only an open request of your own can be withdrawn.",
    )
    _refused(
        signed_in(account_manager).post(_url("request_withdraw", made)),
        "Only an open request of your own can be withdrawn.",
    )
    assert _state(made) == before
    response = signed_in(coachee).post(_url("request_withdraw", made))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITHDRAWN
    assert made.closed_at is not None
    assert made.steps.filter(step=Step.WITHDRAWN, actor=coachee).count() == 1
    # Nobody holds a withdrawn request, and it is not withdrawn twice.
    assert not requests.holders(made)
    before = _state(made)
    _refused(
        signed_in(coachee).post(_url("request_withdraw", made)),
        "Only an open request of your own can be withdrawn.",
    )
    assert _state(made) == before


# The deadline


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Four weeks and one month are the same day here: the end of February.
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        # A leap year: four weeks (28 February) come before one month (29 February).
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 28)),
        (datetime.date(2026, 3, 15), datetime.date(2026, 4, 12)),
        (datetime.date(2026, 12, 20), datetime.date(2027, 1, 17)),
    ],
)
def test_the_due_date_is_four_weeks_and_never_past_one_month(received, due):
    assert DataRequest.due_for(received) == due
    assert due <= add_months(received, 1)


def test_a_request_received_on_31_january_is_due_on_28_february(
    monkeypatch, coach, coachee, trajectory
):
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    # Just after midnight in Amsterdam, still 30 January in UTC.
    moment = datetime.datetime(2026, 1, 31, 0, 30, tzinfo=amsterdam)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    made = _file(coachee)
    monkeypatch.undo()
    made.refresh_from_db()
    assert made.received_at == moment
    assert made.due_on == datetime.date(2026, 2, 28)
    text = page_text(signed_in(coachee).get(_url("request", made)))
    assert dates.date_text(datetime.date(2026, 1, 31)) in text
    assert dates.date_text(datetime.date(2026, 2, 28)) in text


def test_the_receipt_date_counts_in_the_practices_time_zone(monkeypatch, coachee, trajectory):
    """Business dates count in the practice's time zone (pluform.dates); a page request runs
    in the user's own time zone (accounts.middleware), which must not move the deadline."""
    moment = datetime.datetime(2026, 2, 1, 2, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    with timezone.override("America/New_York"):  # still 31 January there
        made = _file(coachee)
    monkeypatch.undo()
    assert made.due_on == DataRequest.due_for(datetime.date(2026, 2, 1))


def _extend(client, made, until, reason=REASON):
    return client.post(_url("request_extend", made), {"until": until.isoformat(), "reason": reason})


def test_the_deadline_is_extended_within_four_weeks(
    clock, coach, coachee, trajectory, account_manager, committed
):
    made = _forwarded(coachee, coach)
    clock(made.due_on)  # the last day of the four weeks
    page = signed_in(account_manager).get(_url("request", made))
    assert page.context["may_extend"]
    mail.outbox.clear()
    until = made.latest_extension  # two months, to the day
    with committed():
        response = _extend(signed_in(account_manager), made, until)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.extended_due_on == until
    assert made.deadline == until
    extended = made.steps.get(step=Step.EXTENDED)
    assert (extended.actor, extended.note) == (account_manager, REASON)
    # The subject is told, and reads the reason in Pluform, not in the e-mail.
    assert _recipients() == [coachee.email]
    _no_content_in_mail()
    text = page_text(signed_in(coachee).get(_url("request", made)))
    assert REASON in text
    assert dates.date_text(until) in text
    assert "extended from " + dates.date_text(made.due_on) in text


def test_the_it_administrator_may_extend_too(
    clock, coach, coachee, trajectory, account_manager, it_admin
):
    made = _with_it_admin(coachee, coach, account_manager)
    response = _extend(signed_in(it_admin), made, made.due_on + DAY)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.extended_due_on == made.due_on + DAY


def test_no_extension_after_four_weeks(clock, coach, coachee, trajectory, account_manager):
    made = _forwarded(coachee, coach)
    clock(made.due_on + DAY)
    before = _state(made)
    response = _extend(signed_in(account_manager), made, made.due_on + 7 * DAY)
    _refused(response)
    assert _state(made) == before
    assert not mail.outbox


def test_no_extension_past_two_months(clock, coach, coachee, trajectory, account_manager):
    made = _forwarded(coachee, coach)
    clock(made.received_on + 7 * DAY)
    before = _state(made)
    client = signed_in(account_manager)
    _refused(_extend(client, made, made.latest_extension + DAY), "at most two months later")
    _refused(_extend(client, made, made.due_on), "at most two months later")
    _refused(_extend(client, made, made.due_on + DAY, reason=" "), "required")
    assert _state(made) == before


def test_the_deadline_is_extended_once(clock, coach, coachee, trajectory, account_manager):
    made = _forwarded(coachee, coach)
    clock(made.received_on + 7 * DAY)
    requests.extend(made, account_manager, until=made.due_on + 7 * DAY, reason=REASON)
    before = _state(made)
    _refused(
        _extend(signed_in(account_manager), made, made.due_on + 14 * DAY),
    )
    assert _state(made) == before


def test_only_pluform_extends(clock, coach, coachee, trajectory, account_manager):
    made = _forwarded(coachee, coach)
    before = _state(made)
    for person in (coach, coachee):
        _refused(_extend(signed_in(person), made, made.due_on + DAY))
    assert _state(made) == before


# Reminders


def test_reminders_go_to_the_holder_7_and_2_days_before_the_deadline(
    clock, coach, coachee, trajectory, account_manager, committed
):
    made = _file(coachee)
    due = made.due_on

    def remind_on(day):
        clock(day)
        mail.outbox.clear()
        with committed():
            tasks.send_request_reminders.delay()
        return list(mail.outbox)

    assert remind_on(due - 8 * DAY) == []
    sent = remind_on(due - 7 * DAY)
    assert [message.to for message in sent] == [[coach.email]]
    assert "nearly due" in sent[0].subject
    assert "due in 7 days" in sent[0].body
    assert _url("request", made) in sent[0].body
    # Once: the same day again, or the day after, sends nothing.
    assert remind_on(due - 7 * DAY) == []
    assert remind_on(due - 6 * DAY) == []

    # Forwarded meanwhile: the next reminder goes to whoever holds it now.
    with committed():
        requests.forward(made, coach)
    sent = remind_on(due - 2 * DAY)
    assert [message.to for message in sent] == [[account_manager.email]]
    assert "due in 2 days" in sent[0].body
    assert remind_on(due - 2 * DAY) == []
    assert remind_on(due - DAY) == []
    assert made.steps.filter(step=Step.REMINDED).count() == 2
    _no_content_in_mail()

    # An extension starts the reminders again, counted from the new deadline.
    until = due + 14 * DAY
    with committed():
        requests.extend(made, account_manager, until=until, reason=REASON)
    made.refresh_from_db()
    assert made.reminded_days_before is None
    assert remind_on(due) == []
    sent = remind_on(until - 7 * DAY)
    assert [message.to for message in sent] == [[account_manager.email]]
    assert remind_on(until - 7 * DAY) == []
    assert len(remind_on(until - 2 * DAY)) == 1
    assert remind_on(until) == []
    assert made.steps.filter(step=Step.REMINDED).count() == 4


def test_no_reminders_for_closed_or_overdue_requests(clock, coach, coachee, trajectory, committed):
    made = _file(coachee)
    requests.withdraw(made, coachee)
    clock(made.due_on - 7 * DAY)
    with committed():
        assert requests.send_reminders() == 0
    overdue = _file(coachee, Kind.ERASURE)
    clock(overdue.due_on + DAY)
    with committed():
        assert requests.send_reminders() == 0
    assert not mail.outbox


def test_a_reminder_on_the_due_day_does_not_say_tomorrow(
    clock, coach, coachee, trajectory, committed
):
    """When the 2-day reminder was missed (the beat did not run), the one sent on the due
    day itself must not tell the holder there is a day left."""
    made = _file(coachee)
    made.reminded_days_before = 7
    made.save(update_fields=["reminded_days_before"])
    clock(made.due_on)
    with committed():
        assert requests.send_reminders() == 1
    assert "tomorrow" not in mail.outbox[0].body


# Pluform's queue: overdue, filtered by type, status and due date


def _made(kind, status, due_on, *, extended=None, reached=True):
    subject = CoacheeFactory()
    return DataRequest.objects.create(
        subject=subject,
        kind=kind,
        status=status,
        due_on=due_on,
        extended_due_on=extended,
        reached_pluform_at=timezone.now() if reached else None,
    )


@pytest.fixture
def queue():
    today = dates.today()
    return {
        "access": _made(Kind.ACCESS, Status.WITH_IT_ADMIN, today - 3 * DAY),
        "rectification": _made(Kind.RECTIFICATION, Status.WITH_ACCOUNT_MANAGER, today + 10 * DAY),
        "erasure": _made(Kind.ERASURE, Status.WAITING, today - DAY),
        "extended": _made(
            Kind.OBJECTION, Status.WITH_IT_ADMIN, today + 2 * DAY, extended=today + 20 * DAY
        ),
        "closed": _made(Kind.RESTRICTION, Status.DONE, today - 10 * DAY),
        "with_coach": _made(Kind.PORTABILITY, Status.WITH_COACH, today - 10 * DAY, reached=False),
    }


def _listed(client, queue, query=""):
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    names = {made.pk: name for name, made in queue.items()}
    return {names[row.pk] for row in response.context["page"].object_list}


@pytest.mark.parametrize("actor", ["account_manager", "it_admin"])
def test_the_queue_filters_by_kind_status_and_due_date(actor, request, queue):
    client = signed_in(request.getfixturevalue(actor))
    today = dates.today()
    # Open requests that reached Pluform; not the closed one, not one still with the coach.
    assert _listed(client, queue) == {"access", "rectification", "erasure", "extended"}
    assert _listed(client, queue, "?kind=access") == {"access"}
    assert _listed(client, queue, "?status=with_it_admin") == {"access", "extended"}
    assert _listed(client, queue, "?status=done") == {"closed"}
    assert _listed(client, queue, f"?due_before={today.isoformat()}") == {"access", "erasure"}
    # Overdue: open and past its (extended) deadline.
    assert _listed(client, queue, "?overdue=on") == {"access", "erasure"}
    assert _listed(client, queue, "?overdue=on&kind=erasure") == {"erasure"}
    assert _listed(client, queue, "?overdue=on&status=with_account_manager") == set()
    response = client.get(QUEUE)
    assert response.context["overdue_count"] == 2
    assert "2 requests are overdue." in page_text(response)
    # A malformed filter is ignored, not an error.
    assert _listed(client, queue, "?due_before=yesterday&kind=nonsense") == {
        "access",
        "rectification",
        "erasure",
        "extended",
    }


def test_due_before_counts_the_extended_deadline(account_manager, queue):
    """The queue shows the extended date as the due date; the filter must use the same."""
    client = signed_in(account_manager)
    assert _listed(client, queue, f"?due_before={(dates.today() + 5 * DAY).isoformat()}") == {
        "access",
        "erasure",
    }


def test_the_queue_marks_overdue_rows(account_manager, queue):
    response = signed_in(account_manager).get(QUEUE)
    # One mark per overdue row: the access and the erasure request, not the extended one.
    assert response.content.decode().count('<span class="status bad">overdue</span>') == 2


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries), len(response.context["page"].object_list)


def test_the_queue_takes_the_same_queries_for_2_and_30_requests(account_manager):
    client = signed_in(account_manager)
    today = dates.today()
    kinds = Kind.values
    for number in range(2):
        _made(kinds[number % 6], Status.WITH_ACCOUNT_MANAGER, today + number * DAY)
    client.get(QUEUE)  # the session and the data keys, once
    few, rows = _queue_queries(client)
    assert rows == 2
    for number in range(28):
        _made(kinds[number % 6], Status.WITH_IT_ADMIN, today - number * DAY)
    many, rows = _queue_queries(client)
    assert rows == 30
    assert many == few
    assert few <= 12


# Who sees what


OUTSIDERS = [
    "other_coach",
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "stranger_coach",
    "stranger_coachee",
]
POST_STEPS = {
    "request_ask": {"question": QUESTION},
    "request_answer": {"answer": ANSWER},
    "request_forward": {"advice": ADVICE},
    "request_pass_on": {"note": NOTE},
    "request_extend": {"until": "2099-01-01", "reason": REASON},
    "request_execute": {"note": NOTE, "decision": ""},
    "request_withdraw": {},
    "request_announce_lift": {"reason": REASON},
    "request_lift": {},
}


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_outsiders_get_404_on_every_request_page(
    actor, request, coach, coachee, trajectory, account_manager
):
    made = _with_it_admin(coachee, coach, account_manager, Kind.RECTIFICATION)
    own = _file(coach, Kind.ACCESS)
    client = signed_in(request.getfixturevalue(actor))
    for data_request in (made, own):
        before = _state(data_request)
        assert client.get(_url("request", data_request)).status_code == 404
        for name, data in POST_STEPS.items():
            assert client.post(_url(name, data_request), data).status_code == 404, name
        assert _state(data_request) == before
    # Pluform's queue is for the account manager and the IT administrator only.
    expected = 200 if actor in ("other_coach", "stranger_coach", "stranger_coachee") else 404
    response = client.get(QUEUE)
    assert response.status_code == expected
    if expected == 200:
        assert made.get_kind_display() not in page_text(response)


def test_the_coach_sees_the_coachees_request_pluform_only_once_forwarded(
    coach, coachee, trajectory, account_manager, it_admin
):
    made = _file(coachee)
    for person in (coach, coachee):
        assert signed_in(person).get(_url("request", made)).status_code == 200
    for person in (account_manager, it_admin):
        client = signed_in(person)
        assert client.get(_url("request", made)).status_code == 404
        assert client.post(_url("request_pass_on", made), {"note": ""}).status_code == 404
    requests.forward(made, coach)
    for person in (account_manager, it_admin):
        assert signed_in(person).get(_url("request", made)).status_code == 200


def test_the_coach_finds_the_request_on_the_home_page(coach, coachee, trajectory, account_manager):
    made = _file(coachee, Kind.RECTIFICATION)
    text = page_text(signed_in(coach).get(reverse("home")))
    assert "Privacy: waiting for you" in text
    assert _url("request", made) in text
    assert "Rectification: Eva Zwanenburg" in text
    assert "due " + dates.date_text(made.due_on) in text
    assert MOTIVATION not in text
    # Forwarded, it waits for the account manager instead.
    requests.forward(made, coach)
    assert _url("request", made) not in page_text(signed_in(coach).get(reverse("home")))
    assert _url("request", made) in page_text(signed_in(account_manager).get(reverse("home")))


def test_the_coach_lists_own_and_coachees_requests(coach, coachee, trajectory):
    theirs = _file(coachee)
    mine = _file(coach, Kind.ERASURE)
    response = signed_in(coach).get(QUEUE)
    assert [row.pk for row in response.context["held"]] == [theirs.pk]
    assert [row.pk for row in response.context["own"]] == [mine.pk]
    requests.forward(theirs, coach)
    response = signed_in(coach).get(QUEUE)
    assert [row.pk for row in response.context["coachees"]] == [theirs.pk]


# The audit trail


def test_every_step_is_an_audit_event_without_content(
    clock, coach, coachee, trajectory, account_manager, it_admin, committed
):
    with committed():
        made = _file(coachee, Kind.RECTIFICATION)
        requests.ask_clarification(made, coach, QUESTION)
        requests.clarify(made, coachee, ANSWER)
        requests.forward(made, coach, advice=ADVICE)
        requests.pass_on(made, account_manager, note=NOTE)
        clock(made.due_on - 7 * DAY)
        requests.send_reminders()
        requests.extend(made, it_admin, until=made.due_on + 7 * DAY, reason=REASON)
        requests.execute(made, it_admin, note=NOTE)
    steps = list(made.steps.all())
    assert [step.step for step in steps] == [
        Step.FILED,
        Step.CLARIFICATION_ASKED,
        Step.CLARIFIED,
        Step.FORWARDED,
        Step.PASSED_ON,
        Step.REMINDED,
        Step.EXTENDED,
        Step.RECTIFIED,
    ]
    events = AuditEvent.objects.filter(action=Action.REQUEST_STEP, object_uuid=made.uuid)
    assert events.count() == len(steps)
    assert {event.subject_uuid for event in events} == {coachee.uuid}
    for event in events:
        for marker in (*MARKERS, MOTIVATION):
            assert marker not in event.detail
    actors = {event.actor_id for event in events}
    assert actors == {coachee.pk, coach.pk, account_manager.pk, it_admin.pk, None}
    _no_content_in_mail()

    # The whole history is on the request's page.
    text = page_text(signed_in(coachee).get(_url("request", made)))
    for step in steps:
        assert step.get_step_display() in text
    assert RequestStep.objects.filter(request=made).count() == len(steps)


def test_a_restricted_subject_can_still_file_and_is_told(coach, coachee, trajectory, committed):
    restrict_processing(coachee, "test", ground=RestrictionGround.CONTESTED)
    with committed():
        made = _file(coachee, Kind.ACCESS)
        requests.ask_clarification(made, coach, QUESTION)
    assert coachee.email in _recipients()
