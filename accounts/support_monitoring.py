"""The monitoring overview: login attempts and activity as aggregates, a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from accounts.models import LoginAttempt, User
from accounts.roles import Role

Outcome = LoginAttempt.Outcome
FAILED_OUTCOMES = (Outcome.BAD_CREDENTIALS, Outcome.BAD_MFA_CODE, Outcome.RATE_LIMITED)
TOP_NETWORKS = 10
LOCKED_OUT_SHOWN = 25
DAY = datetime.timedelta(hours=24)
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Counts:
    label: str
    day: int
    week: int


@dataclass(frozen=True)
class RoleActivity:
    label: str
    accounts: int
    day: int
    week: int


@dataclass(frozen=True)
class Network:
    network: str
    failed: int
    addresses: int
    last: datetime.datetime


@dataclass(frozen=True)
class LockedOut:
    user: User
    refused: int
    last: datetime.datetime


@dataclass(frozen=True)
class Overview:
    now: datetime.datetime
    outcomes: list[Counts]
    failed: Counts
    rate_limited: Counts
    networks: list[Network]
    roles: list[RoleActivity]
    active: Counts
    locked_out: list[LockedOut]


def overview(now=None) -> Overview:
    now = now or timezone.now()
    day_ago, week_ago = now - DAY, now - WEEK
    outcomes = _outcome_counts(day_ago, week_ago)
    failed = [row for row in outcomes if row.label in FAILED_OUTCOMES]
    roles = _role_activity(day_ago, week_ago)
    return Overview(
        now=now,
        outcomes=[Counts(Outcome(row.label).label, row.day, row.week) for row in outcomes],
        failed=Counts("", sum(row.day for row in failed), sum(row.week for row in failed)),
        rate_limited=next(row for row in outcomes if row.label == Outcome.RATE_LIMITED),
        networks=_top_failed_networks(day_ago),
        roles=roles,
        active=Counts("", sum(row.day for row in roles), sum(row.week for row in roles)),
        locked_out=_locked_out(week_ago),
    )


def _outcome_counts(day_ago, week_ago) -> list[Counts]:
    """Every outcome, zero when it did not happen, keyed by its value (one query)."""
    rows = (
        LoginAttempt.objects.filter(at__gte=week_ago)
        .values("outcome")
        .annotate(day=Count("pk", filter=Q(at__gte=day_ago)), week=Count("pk"))
        .order_by()
    )
    found = {row["outcome"]: (row["day"], row["week"]) for row in rows}
    return [Counts(outcome.value, *found.get(outcome, (0, 0))) for outcome in Outcome]


def _top_failed_networks(day_ago) -> list[Network]:
    rows = (
        LoginAttempt.objects.filter(at__gte=day_ago, outcome__in=FAILED_OUTCOMES)
        .values(network=F("ip_network"))
        .annotate(failed=Count("pk"), addresses=Count("email", distinct=True), last=Max("at"))
        .order_by("-failed", "-last")[:TOP_NETWORKS]
    )
    return [Network(**row) for row in rows]


def _role_activity(day_ago, week_ago) -> list[RoleActivity]:
    rows = (
        User.objects.values("role")
        .annotate(
            accounts=Count("pk", filter=Q(is_active=True)),
            day=Count("pk", filter=Q(last_activity_at__gte=day_ago)),
            week=Count("pk", filter=Q(last_activity_at__gte=week_ago)),
        )
        .order_by()
    )
    found = {row["role"]: row for row in rows}
    empty = {"accounts": 0, "day": 0, "week": 0}
    return [
        RoleActivity(role.label, **{key: found.get(role, empty)[key] for key in empty})
        for role in Role
    ]


def _locked_out(week_ago) -> list[LockedOut]:
    """Accounts whose logins were refused by the rate limit (two queries).

    A refused attempt carries the address as typed; only addresses of existing accounts are
    listed, so a mistyped or invented address never shows here.
    """
    rows = list(
        LoginAttempt.objects.filter(
            email__in=User.objects.values("email"),
            outcome=Outcome.RATE_LIMITED,
            at__gte=week_ago,
        )
        .values("email")
        .annotate(refused=Count("pk"), last=Max("at"))
        .order_by("-last")[:LOCKED_OUT_SHOWN]
    )
    users = User.objects.select_related("organisation").in_bulk(
        [row["email"] for row in rows], field_name="email"
    )
    return [
        LockedOut(users[row["email"]], row["refused"], row["last"])
        for row in rows
        if row["email"] in users
    ]
