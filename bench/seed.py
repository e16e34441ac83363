"""Seeds the bench database: coaches, coachees in one-to-one trajectories, encrypted messages,
session reports and a year of time entries per coachee; coachees last active 0 to 59 days ago;
the first coachee's access log and Pluform's account manager with a queue of requests.

Accounts and trajectories go through the project's services (so every app grants its access
as in production); messages are bulk-created, and still encrypted by the model field on the
way in, exactly as ``services.post_message`` stores them.
"""

import contextlib
import datetime
import random
import time
from dataclasses import dataclass

BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
MESSAGE_GAP = datetime.timedelta(minutes=97)

FIRST_NAMES = [
    "Anna", "Bram", "Chantal", "Dirk", "Esther", "Fleur", "Gijs", "Hanna", "Ilse", "Joost",
    "Karin", "Lars", "Maaike", "Niels", "Olga", "Pieter", "Roos", "Sander", "Tessa", "Vincent",
]  # fmt: skip
LAST_NAMES = [
    "de Wit", "Kok", "Peters", "Hendriks", "Vos", "van Dijk", "Smits", "Meijer", "de Graaf",
    "Mulder", "Bosman", "van Leeuwen", "Brouwer", "Dekker", "Jacobs", "Verhoeven",
]  # fmt: skip
SENTENCES = [
    "Hoe ging het deze week met slapen?",
    "De ademhalingsoefening hielp vooral 's ochtends, voor de eerste afspraak op het werk.",
    "Ik merk dat ik na de lunch veel minder energie heb dan ik zou willen.",
    "Wat fijn dat je dit zo eerlijk opschrijft, dat is een belangrijke stap.",
    "Zullen we donderdag kijken wat er in de drukke weken anders kan?",
    "Ik heb drie keer gewandeld in de pauze, één keer met een collega erbij.",
    "Probeer deze week bij te houden op welke momenten de spanning oploopt.",
    "Het gesprek met mijn leidinggevende ging beter dan ik vooraf had gedacht.",
    "Mooi! Op welk moment van de dag werkte het het best voor je?",
    "Ik vond het lastig om 's avonds echt los te komen van mijn telefoon.",
    "Neem gerust de tijd voor de vragenlijst, er is geen goed of fout antwoord.",
    "Dank je voor de samenvatting, ik ga ermee aan de slag.",
    "Merk je verschil als je vroeger naar bed gaat, ook in het weekend?",
    "Volgende week ben ik een paar dagen weg, kunnen we de afspraak verzetten?",
]
LINKS = [
    "https://www.thuisarts.nl/slaapproblemen",
    "https://www.thuisarts.nl/stress",
    "https://www.mind.nl/artikelen/ontspanningsoefeningen",
    "https://www.voedingscentrum.nl/nl/gezond-eten-met-de-schijf-van-vijf.aspx",
    "https://www.sportzorg.nl/bewegen",
]


@dataclass
class Seeded:
    coaches: list
    coachees: list
    dialogues: list  # dialogues[i] belongs to coachees[i]
    messages: int
    messages_per_dialogue: int
    seconds: float
    assignments: list = None  # coachees[0]'s interventions, newest first
    account_manager: object = None  # Pluform's, with the data-subject requests below
    access_events: int = 0  # audit events about coachees[0] by their coach
    data_requests: int = 0  # coachees' requests waiting for the account manager


ASSIGNMENTS = 50


def _interventions(coach, coachee, today) -> list:
    """50 weekly check-ins of the starter set for one coachee: the first few open, the rest
    submitted, so that the review list, the coachee's lists and a fill-in page are full."""
    import json

    from guardian.shortcuts import assign_perm

    from interventions import access, library, starter
    from interventions.models import Assignment, Status, StepAnswer, Template

    starter.ensure(coach.organisation_id)
    template = Template.objects.get(
        organisation_id=coach.organisation_id, starter="wellbeing_checkin", language="nl"
    )
    version = library.version_to_send(template, coach)
    trajectory = coachee.trajectories.get()
    assignments = [
        Assignment(
            trajectory=trajectory,
            coachee=coachee,
            assigned_by=coach,
            version=version,
            available_on=today - datetime.timedelta(days=7 * week),
            due_on=today - datetime.timedelta(days=7 * week - 5),
            status=Status.IN_PROGRESS if week < 5 else Status.SUBMITTED,
        )
        for week in range(ASSIGNMENTS)
    ]
    Assignment.objects.bulk_create(assignments)
    created = Assignment.objects.filter(trajectory=trajectory)
    assign_perm(access.WORK, coachee, created)
    assign_perm(access.REVIEW, coach, created)
    answers = []
    for assignment in assignments:
        for step in version.parsed.steps:
            values = {q.key: 6 for q in step.questions if q.kind == "scale"}
            answer = StepAnswer(
                assignment=assignment, step_key=step.key, values=json.dumps(values), revision=1
            )
            answers.append(answer)
    StepAnswer.objects.bulk_create(answers)
    return assignments


TOOLBOX_ITEMS = 50


def _toolbox(coach, coachee) -> int:
    """50 links and 10 PDFs with tags in the first coach's library, all shared with the first
    coachee, so that "my library" and "shared with me" show a full page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pluform.uploads import validate_upload
    from toolbox import media, services

    items = []
    for number in range(TOOLBOX_ITEMS):
        if number % 5 == 0:
            upload = validate_upload(
                SimpleUploadedFile(f"werkblad-{number}.pdf", media.pdf_page([f"Werkblad {number}"]))
            )
            options = {"upload": upload}
        else:
            options = {"url": LINKS[number % len(LINKS)]}
        items.append(
            services.add_item(
                coach,
                title=f"Oefening {number}: adem, beweeg en rust",
                tags=["ontspanning", f"week {number % 8}"],
                description="Een korte oefening voor tussendoor.",
                **options,
            )
        )
    services.share(items, [coachee], by=coach)
    return len(items)


REPORTS_PER_COACHEE = 20
ENTRY_WEEKS, ENTRY_DAYS = 52, (0, 2, 4)  # a year of time entries, three a week per coachee


def _dossier(coachees, coaches_of, today) -> tuple[int, int]:
    """20 session reports per coachee and, for every coach, a year of time entries (three a
    week per coachee), so the dashboard, "my coachees" and a year's export are full."""
    return _reports(coachees, coaches_of, today), time_entries(coachees, coaches_of, today)


def _reports(coachees, coaches_of, today) -> int:
    from dossier.models import SessionKind, SessionReport

    trajectories = {t.coachee_id: t for t in _trajectories()}
    reports = [
        SessionReport(
            trajectory=trajectories[coachee.pk],
            coachee=coachee,
            author=coaches_of[coachee.pk],
            edited_by=coaches_of[coachee.pk],
            held_on=today - datetime.timedelta(days=14 * number),
            minutes=60,
            kind=SessionKind.VIDEO,
            report="We bespraken de week: slaap, werk en wandelen.",
            agreements="Elke dag tien minuten wandelen.",
        )
        for coachee in coachees
        for number in range(REPORTS_PER_COACHEE)
    ]
    SessionReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


def time_entries(coachees, coaches_of, today) -> int:
    """A year of time entries up to ``today``: three a week per coachee, by their coach."""
    from dossier.models import Activity, TimeEntry

    trajectories = {t.coachee_id: t for t in _trajectories()}
    entries = [
        TimeEntry(
            trajectory=trajectories[coachee.pk],
            coachee=coachee,
            coach=coaches_of[coachee.pk],
            worked_on=today - datetime.timedelta(days=7 * week + day),
            minutes=45,
            activity=Activity.SESSION if day == 0 else Activity.WRITTEN,
            note="Voorbereiding en verslag.",
        )
        for coachee in coachees
        for week in range(ENTRY_WEEKS)
        for day in ENTRY_DAYS
    ]
    TimeEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _trajectories():
    from accounts.models import Trajectory

    return Trajectory.objects.all()


def message_body(rng: random.Random) -> str:
    """One to four sentences; about one message in five carries a link, as people share them."""
    body = " ".join(rng.sample(SENTENCES, rng.randint(1, 4)))
    if rng.random() < 0.2:
        body += f"\nKijk eens op {rng.choice(LINKS)} , daar staat het goed uitgelegd."
    if rng.random() < 0.3:
        body = rng.choice(["Hoi", "Hallo", "Goedemorgen"]) + ",\n" + body
    return body


@contextlib.contextmanager
def _given_created_at(model):
    """bulk_create keeps the ``created_at`` we set, instead of stamping every row now."""
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


ACTIVITY_SPREAD_DAYS = 60


def last_active(index, now):
    """Coachee ``index`` was last active ``index % 60`` days ago: about half of anyone's
    coachees are active (within 30 days), the others show in the dashboard's "inactive" list.
    The first two coachees, who load pages, are active either way."""
    return now - datetime.timedelta(days=index % ACTIVITY_SPREAD_DAYS)


def _users(organisation, role, count, password, prefix, *, now=None):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    users = [
        User(
            email=f"{prefix}{index}@bench.pluform.test",
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)],
            role=role,
            organisation=organisation,
            language="nl",
            password=password,
            last_activity_at=last_active(index, now) if now else None,
        )
        for index in range(count)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users],
        batch_size=1000,
    )
    return users


def _totp(users):
    """Two-factor authentication set up, as every role in MFA_REQUIRED_ROLES must have."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.bulk_create(
        Authenticator(
            user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt(BENCH_TOTP_SECRET)}
        )
        for u in users
    )


def _professional_extras(coaches):
    from django.utils import timezone

    from accounts.models import CoachProfile

    _totp(coaches)
    started = timezone.localdate() - datetime.timedelta(days=900)
    CoachProfile.objects.bulk_create(
        CoachProfile(user=c, licence_started_on=started, product="Pluform Coach") for c in coaches
    )


ACCESS_EVENTS = 2000  # about the first coachee, by their coach
DATA_REQUESTS = 200  # waiting for Pluform's account manager


def _access_log(coach, coachee, dialogue) -> int:
    """2,000 reads of the first coachee's data by their coach (the dialogue, its messages,
    the dossier and session reports), so their access log has thousands of rows to count and
    page through. ``privacy.audit.record`` is one INSERT each, as in production; the events
    stay unchained, as appends are until the sequencer runs."""
    from dialogue.models import Message
    from dossier.models import SessionReport
    from privacy import audit

    objects = [
        dialogue,
        coachee,
        *Message.objects.filter(dialogue=dialogue).only("id")[:20],
        *SessionReport.objects.filter(coachee=coachee).only("id")[:5],
    ]
    for number in range(ACCESS_EVENTS):
        obj = objects[number % len(objects)]
        detail = "dossier" if obj is coachee else ""
        audit.record(None, audit.Action.VIEW, actor=coach, subject=coachee, obj=obj, detail=detail)
    return ACCESS_EVENTS


def _data_requests(coachees, coaches_of, now) -> int:
    """200 requests of coachees that their coaches forwarded to Pluform, waiting for the
    account manager: received over the last 25 days (none overdue yet), one of each type per
    coachee at most (as ``privacy.requests.file`` allows one open request of a type). Created
    as ``file`` and ``forward`` leave them, the motivation encrypted by the model field."""
    from django.utils import timezone

    from privacy.request_models import DataRequest, Kind, RequestStep, Status, Step
    from privacy.requests import NEEDS_MOTIVATION

    kinds = list(Kind)
    count = min(DATA_REQUESTS, len(kinds) * len(coachees))
    made = []
    for number in range(count):
        subject = coachees[number % len(coachees)]
        kind = kinds[(number % len(coachees) + number // len(coachees)) % len(kinds)]
        received = now - datetime.timedelta(hours=3 * number + 1)
        made.append(
            DataRequest(
                subject=subject,
                coach=coaches_of[subject.pk],
                kind=kind,
                ground="contested" if kind == Kind.RESTRICTION else "",
                motivation="Het verslag van de laatste sessie klopt niet."
                if kind in NEEDS_MOTIVATION
                else "",
                status=Status.WITH_ACCOUNT_MANAGER,
                received_at=received,
                reached_pluform_at=min(now, received + datetime.timedelta(hours=20)),
                due_on=DataRequest.due_for(timezone.localdate(received)),
            )
        )
    DataRequest.objects.bulk_create(made, batch_size=1000)
    RequestStep.objects.bulk_create(
        [
            RequestStep(request=r, step=step, at=at, actor=actor, actor_role=actor.role)
            for r in made
            for step, at, actor in (
                (Step.FILED, r.received_at, r.subject),
                (Step.FORWARDED, r.reached_pluform_at, r.coach),
            )
        ],
        batch_size=1000,
    )
    return count


def _privacy(coach, coachees, coaches_of, dialogue, password, now):
    """Pluform's account manager (with two-factor authentication, no organisation, as
    Pluform's staff), the first coachee's access log and the account manager's queue."""
    from accounts.roles import Role

    (account_manager,) = _users(None, Role.ACCOUNT_MANAGER, 1, password, "accountmanager")
    _totp([account_manager])
    events = _access_log(coach, coachees[0], dialogue)
    requests = _data_requests(coachees, coaches_of, now)
    return account_manager, events, requests


def _messages(dialogues, coachees, coaches_of, per_dialogue, rng, now):
    from dialogue.models import Message
    from dialogue.rendering import body_html

    total, batch = 0, []
    with _given_created_at(Message):
        for dialogue, coachee in zip(dialogues, coachees, strict=True):
            coach = coaches_of[coachee.pk]
            first = now - MESSAGE_GAP * per_dialogue
            for index in range(per_dialogue):
                body = message_body(rng)
                batch.append(
                    Message(
                        dialogue=dialogue,
                        author=coach if index % 2 == 0 else coachee,
                        body=body,
                        # bulk_create skips Message.save(), which renders this as posting does
                        body_html=body_html(body),
                        created_at=first + MESSAGE_GAP * index,
                    )
                )
            if len(batch) >= 2000:
                Message.objects.bulk_create(batch)
                total, batch = total + len(batch), []
        Message.objects.bulk_create(batch)
    return total + len(batch)


def _read_state():
    """Each dialogue's last message time; everyone has read up to it."""
    from django.db.models import OuterRef, Subquery

    from dialogue.models import Dialogue, Message, Participant

    newest = Message.objects.filter(dialogue=OuterRef("pk")).order_by("-created_at")
    Dialogue.objects.update(last_message_at=Subquery(newest.values("created_at")[:1]))
    last = Dialogue.objects.filter(pk=OuterRef("dialogue_id")).values("last_message_at")
    Participant.objects.update(last_read_at=Subquery(last[:1]))


def analyse() -> None:
    """VACUUM ANALYZE, as autovacuum does in time on a live database: without statistics on
    the freshly bulk-loaded tables PostgreSQL plans for empty ones (nested loops over every
    row), and the figures would measure that instead of the pages."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def people(coaches: int, coachees: int, now):
    """An organisation, its coaches (with two-factor authentication) and coachees, each
    coachee in a trajectory (and so a dialogue) with coach ``index % coaches``; returns the
    coaches, the coachees and each coachee's coach by the coachee's pk."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Organisation
    from accounts.roles import Role
    from accounts.services import start_trajectory

    password = make_password(None)  # nobody logs in with a password: sessions are made directly
    organisation = Organisation.objects.create(name="Bench Coaching")
    coach_users = _users(organisation, Role.COACH, coaches, password, "coach")
    coachee_users = _users(organisation, Role.COACHEE, coachees, password, "coachee", now=now)
    _professional_extras(coach_users)
    coaches_of = {}
    for index, coachee in enumerate(coachee_users):
        coach = coach_users[index % len(coach_users)]
        coaches_of[coachee.pk] = coach
        start_trajectory(
            coachee=coachee,
            coaches=[coach],
            organisation=organisation,
            started_on=now.date() - datetime.timedelta(days=200),
        )
    return coach_users, coachee_users, coaches_of


def seed(*, coaches: int, coachees: int, messages: int, progress=print) -> Seeded:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dialogue.models import Dialogue
    from pluform import dates

    started = time.perf_counter()
    rng = random.Random(2026)  # the same texts on every run
    now = timezone.now()
    with transaction.atomic():
        coach_users, coachee_users, coaches_of = people(coaches, coachees, now)
        by_coachee = {
            d.trajectory.coachee_id: d for d in Dialogue.objects.select_related("trajectory")
        }
        dialogues = [by_coachee[c.pk] for c in coachee_users]
        progress(f"  {coaches} coaches, {coachees} coachees and their dialogues")
        count = _messages(dialogues, coachee_users, coaches_of, messages, rng, now)
        _read_state()
        assignments = _interventions(coach_users[0], coachee_users[0], now.date())
        progress(f"  {len(assignments)} interventions for the first coachee")
        items = _toolbox(coach_users[0], coachee_users[0])
        progress(f"  {items} toolbox items shared with the first coachee")
        reports, entries = _dossier(coachee_users, coaches_of, dates.today())
        progress(f"  {reports} session reports and {entries} time entries")
        account_manager, events, requests = _privacy(
            coach_users[0], coachee_users, coaches_of, dialogues[0], make_password(None), now
        )
        progress(
            f"  {events} audit events about the first coachee; an account manager with"
            f" {requests} data-subject requests"
        )
    analyse()
    seconds = time.perf_counter() - started
    progress(f"  {count} encrypted messages; seeding took {seconds:.1f} s")
    return Seeded(
        coach_users,
        coachee_users,
        dialogues,
        count,
        messages,
        seconds,
        assignments,
        account_manager=account_manager,
        access_events=events,
        data_requests=requests,
    )
