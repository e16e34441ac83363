"""The timesheet's CSV export streams: memory stays flat however many rows the period has.

Run: .venv/bin/python bench/export_memory.py [--coachees 200] [--rounds 3] [--json PATH]
(`make bench` runs it too, through bench/run.py --export-coachees.)

Needs PostgreSQL as `make bench` does (127.0.0.1:5432, user postgres, no password) and Redis;
it recreates the database ``pluform_bench_export`` and drops it afterwards. A child process
seeds one coach with ``--coachees`` coachees and bench/seed.py's year of time entries (three
a week per coachee), so that this process never held them. Then it exports through the view,
as a coach does: a POST of the export form (CSV, without names) in a session that has just
given its password again on allauth's reauthentication page (the export asks for it), on the
production settings, consuming the streamed rows as a client would. Once for the whole year
and once for its last tenth (36 days: a tenth of the rows), it measures the peak memory
while the rows stream, above the memory before the request: resident memory (VmHWM) and
Python's own allocations (tracemalloc); and, rounds interleaved, the time to stream every
row. Flat means the year's peak is about the tenth's: their ratio stays under
``FLAT_LIMIT`` and the resident peak under ``MEMORY_LIMIT_MB``.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from _setup import SCRATCH, cleanup
from stream_memory import MB, reset_peak, rss_mb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment  # after the project root is on the path

FLAT_LIMIT = 2.0  # the year's Python allocation peak over the tenth's
MEMORY_LIMIT_MB = 100
YEAR_DAYS, TENTH_DAYS = 364, 36  # the seeded entries span 52 weeks up to today
PASSWORD = "bench-export-password"  # the coach's, given again before exporting
FRESH_FOR = 200  # seconds; allauth's reauthentication lasts ACCOUNT_REAUTHENTICATION_TIMEOUT


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--coachees", type=int, default=200, help="of the one coach (200)")
    add("--rounds", type=int, default=3, help="timed rounds of each export (3)")
    add("--database", default="pluform_bench_export")
    add("--redis-db", type=int, default=12)
    add("--keep", action="store_true", help="keep the database afterwards")
    add("--json", help="also write the figures to this file")
    add("--seed-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.coachees < 1 or args.rounds < 1:
        parser.error("--coachees and --rounds must be at least 1")
    return args


def seed_only(args) -> None:
    """In the child process: migrates the new database and seeds one coach, coachees and a
    year of time entries."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # for any page it renders

    from django.db import transaction
    from django.utils import timezone

    from bench import seed
    from pluform import dates

    began = time.perf_counter()
    with transaction.atomic():
        coaches, coachees, coaches_of = seed.people(1, args.coachees, timezone.now())
        entries = seed.time_entries(coachees, coaches_of, dates.today())
        coach = coaches[0]
        coach.set_password(PASSWORD)  # bench users have none: reauthentication needs one
        coach.save(update_fields=["password"])
    seed.analyse()
    seconds = time.perf_counter() - began
    print(f"  1 coach, {len(coachees)} coachees, {entries} time entries in {seconds:.1f} s")


class Browser:
    """A coach's logged-in session (password and TOTP) that has given its password again."""

    def __init__(self, coach):
        self.coach, self.since = coach, None

    def fresh(self):
        """Reauthenticates, through allauth's page, when the last time is getting old."""
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from bench import sessions

        if self.since is not None and time.monotonic() - self.since < FRESH_FOR:
            return
        self.client = Client(SERVER_NAME="127.0.0.1")
        self.client.cookies[settings.SESSION_COOKIE_NAME] = sessions.login_session(self.coach)
        answer = self.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        if answer.status_code != 302:
            raise RuntimeError(f"reauthentication answered {answer.status_code}, not 302")
        self.since = time.monotonic()

    def export(self, start, end):
        """The export view's streaming response, as the coach's browser gets it."""
        from django.urls import reverse

        data = {"start": start.isoformat(), "end": end.isoformat(), "format": "csv"}
        response = self.client.post(reverse("timesheet:export"), data)
        if response.status_code != 200 or not response.streaming:
            raise RuntimeError(f"the export answered {response.status_code}, not a stream")
        assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
        return response


def consume(response) -> tuple[int, int]:
    """Every streamed piece, kept no longer than a client would: (lines, bytes)."""
    lines = size = 0
    for piece in response.streaming_content:
        lines += piece.count(b"\n")
        size += len(piece)
    response.close()
    return lines, size


def main(args) -> bool:
    target = environment.Target(database=args.database, redis_db=args.redis_db)
    environment.recreate_database(target)
    os.environ.update(environment.production_env(target, SCRATCH))
    os.environ["LOG_LEVEL"] = "WARNING"
    try:
        # Seeding runs in a process of its own: the memory it took would hide growth here.
        child = [sys.executable, __file__, "--seed-only", "--coachees", str(args.coachees)]
        if subprocess.run(child, env=os.environ, check=False).returncode:
            raise RuntimeError("seeding failed")
        import django

        django.setup()
        from accounts.models import User
        from accounts.roles import Role

        try:
            return measure(args, User.objects.get(role=Role.COACH))
        finally:
            from django.db import connections

            connections.close_all()
    finally:
        if not args.keep:
            _drop(target)


def _drop(target):
    import psycopg
    from psycopg import sql

    dsn = environment._admin_dsn(target)
    with psycopg.connect(dsn, autocommit=True) as connection:
        name = sql.Identifier(target.database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def measure(args, coach) -> bool:
    from dossier.exports import export_entries
    from pluform import dates

    today = dates.today()
    periods = {
        "tenth": (today - datetime.timedelta(days=TENTH_DAYS - 1), today),
        "year": (today - datetime.timedelta(days=YEAR_DAYS - 1), today),
    }
    entries = {name: export_entries(coach, *period).count() for name, period in periods.items()}

    browser = Browser(coach)

    def run(name) -> tuple[int, int]:
        return consume(browser.export(*periods[name]))

    for _ in range(2):  # warm up: code paths, translations, the database connection
        browser.fresh()
        run("tenth")

    # Resident memory: the tenth first, then the year, each from the memory before its request.
    rest, peak, shape = {}, {}, {}
    for name in ("tenth", "year"):
        browser.fresh()
        rest[name] = rss_mb()
        reset_peak()
        shape[name] = run(name)
        peak[name] = rss_mb("VmHWM") - rest[name]

    traced = {}
    tracemalloc.start()
    for name in ("tenth", "year"):
        browser.fresh()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run(name)
        traced[name] = (tracemalloc.get_traced_memory()[1] - before) / MB
    tracemalloc.stop()

    timed = {"tenth": [], "year": []}
    for _ in range(args.rounds):
        for name in timed:
            browser.fresh()
            began = time.perf_counter()
            assert run(name) == shape[name], f"the {name}'s export changed between runs"
            timed[name].append(time.perf_counter() - began)
    seconds = {name: statistics.median(values) for name, values in timed.items()}

    lines = {name: shape[name][0] for name in shape}
    size = {name: shape[name][1] for name in shape}
    for name in periods:  # a heading, a row per entry, a blank line, then the totals
        assert lines[name] > entries[name] + 2, f"the {name}'s export misses rows"
    traced_ratio = traced["year"] / traced["tenth"]
    rss_ratio = peak["year"] / peak["tenth"] if peak["tenth"] >= 1 else None
    ok = traced_ratio < FLAT_LIMIT and max(peak.values()) < MEMORY_LIMIT_MB

    print(
        f"CSV export of one coach's time, {args.coachees} coachees; resident memory at rest"
        f" {rest['tenth']:.1f} MB"
    )
    for name, label in (("year", "a year"), ("tenth", "a tenth of it")):
        start, end = periods[name]
        print(
            f"  {label:14s} ({start} to {end}): {entries[name]:6d} entries, {lines[name]:6d} lines,"
            f" {size[name] / MB:5.2f} MB in {seconds[name]:5.2f} s"
            f" ({entries[name] / seconds[name]:,.0f} rows/s);"
            f" peak {peak[name]:+5.1f} MB resident, {traced[name]:5.2f} MB Python allocations"
        )
    rss_text = f"{rss_ratio:.2f}" if rss_ratio is not None else "- (both under 1 MB)"
    print(
        f"  year / tenth: {entries['year'] / entries['tenth']:.1f}x the rows;"
        f" peak Python allocations {traced_ratio:.2f}x (limit {FLAT_LIMIT:.0f}),"
        f" resident {rss_text}"
    )
    print(f"  verdict: {'OK' if ok else 'MEMORY GROWS WITH THE ROWS'}")
    if args.json:
        figures = {
            "coachees": args.coachees,
            "periods": {name: [str(day) for day in period] for name, period in periods.items()},
            "entries": entries,
            "lines": lines,
            "bytes": size,
            "rounds": args.rounds,
            "seconds": seconds,
            "rows_per_s": {name: entries[name] / seconds[name] for name in seconds},
            "rest_mb": rest,
            "peak_over_rest_mb": peak,
            "tracemalloc_peak_mb": traced,
            "peak_ratio": {"tracemalloc": traced_ratio, "rss": rss_ratio},
            "ok": ok,
        }
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
    return ok


if __name__ == "__main__":
    arguments_given = arguments(sys.argv[1:])
    if arguments_given.seed_only:
        cleanup()  # this child's own scratch folder: it works in its parent's
        seed_only(arguments_given)
        sys.exit(0)
    try:
        ok = main(arguments_given)
    finally:
        cleanup()
    sys.exit(0 if ok else 1)
