"""`make bench`: the product's key pages under wrk, against two reference pages, the audit
trail's append rate, Range reads in a large encrypted file (bench/range_read.py) and the
memory of the timesheet's CSV export (bench/export_memory.py).
Figures go to the screen and to bench/results/<time>.json.

    .venv/bin/python bench/run.py [--coaches 20 --coachees 400 --messages 100
                                   --duration 10 --passes 2 --range-size-mb 1024
                                   --export-coachees 200]

Needs PostgreSQL (127.0.0.1:5432, user postgres, no password), Redis (127.0.0.1:6379) and
wrk; it installs nothing. It drops and recreates the database ``pluform_bench``, flushes its
own Redis database (12), and runs gunicorn in production mode on a free local port.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Imports start at the project root, not in bench/: bench's modules are bench.<name>.
sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment, pages, report, server, wrk
from bench.environment import ROOT, Missing, Target

# As started: bench/range_read.py and bench/export_memory.py run in processes of their own
# and set up their own settings, not the production environment this process takes on.
_STARTING_ENVIRONMENT = dict(os.environ)


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--coaches", type=int, default=20)
    add("--coachees", type=int, default=400, help="in all, spread over the coaches")
    add("--messages", type=int, default=100, help="per dialogue")
    add("--duration", type=int, default=10, help="seconds per wrk run")
    add("--passes", type=int, default=2, help="every page once per pass, pass after pass")
    add("--connections", default="16,1", help="wrk connection counts, comma-separated")
    add("--warmup", type=int, default=2, help="seconds of load per page before measuring")
    add("--workers", type=int, default=2, help="gunicorn sync workers")
    add("--audit-duration", type=float, default=5, help="seconds per audit run; 0 skips it")
    add("--range-size-mb", type=int, default=1024, help="encrypted file for Range reads; 0 skips")
    add("--export-coachees", type=int, default=200, help="CSV export memory benchmark; 0 skips")
    add("--database", default="pluform_bench")
    add("--redis-db", type=int, default=12)
    args = parser.parse_args(argv)
    args.connections = [int(n) for n in args.connections.split(",")]
    if args.coachees < 1 or args.coaches < 1 or args.messages < 1:
        parser.error("--coaches, --coachees and --messages must be at least 1")
    return args


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so every `finally` below stops what it started


def prepare(args, target, env):
    """A fresh database and Redis database; this process runs on the server's settings."""
    import django
    from django.core.management import call_command

    print(f"Preparing database {target.database} and Redis database {target.redis_db} ...")
    environment.recreate_database(target)
    environment.flush_redis(target)
    os.environ.update(env)
    os.environ["LOG_LEVEL"] = "WARNING"  # this process only; the server logs as in production
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from bench import seed

    print("Seeding ...")
    return seed.seed(coaches=args.coaches, coachees=args.coachees, messages=args.messages)


def load_pages(args, env, scratch, page_list):
    from django.db import connections

    connections.close_all()
    log = scratch / "gunicorn.log"
    try:
        with server.gunicorn(env, workers=args.workers, log_path=log) as base:
            for page in page_list:
                pages.check(base, page)
            print(f"gunicorn ({args.workers} sync workers) at {base}; warming up ...")
            for page in page_list:
                if args.warmup:
                    _wrk(base, page, max(args.connections), args.warmup)
                    server.settle(base, args.workers)
            for number in range(1, args.passes + 1):
                for page in page_list:
                    for count in args.connections:
                        result = {"pass": number, "connections": count}
                        result.update(_wrk(base, page, count, args.duration))
                        # not counted: the requests wrk left queued, served after it stopped
                        result["settle_s"] = settle = round(server.settle(base, args.workers), 2)
                        page.runs.append(result)
                        print(
                            f"  pass {number} {page.name:28s} {count:>2} conns:"
                            f" {result['rps']:8.1f} req/s, p99 {result['p99_ms']:8.2f} ms,"
                            f" errors {result['errors']}"
                            f"{f', then {settle:.1f} s to settle' if settle >= 1 else ''}"
                        )
    except Exception:  # not on Ctrl-C: then the workers' interrupted requests say nothing
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-30:]
            print("Last lines of the gunicorn log:\n" + "\n".join(tail), file=sys.stderr)
        raise


def _wrk(base, page, connections, duration):
    return wrk.run(
        base + page.path,
        connections=connections,
        duration=duration,
        cookie=page.cookie,
        expect=page.expect,
        method=page.method,
        csrf=page.csrf,
    )


def _load(averages) -> str:
    return " ".join(f"{value:.2f}" for value in averages)


def _about(args, seeded):
    import django
    from django.db import connection

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()  # empty outside a git checkout
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "commit": commit or "unknown",
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_after": os.getloadavg(),
        },
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": postgres,
        },
        "arguments": {k: v for k, v in vars(args).items()},
        "seed": {"messages": seeded.messages, "seconds": round(seeded.seconds, 1)},
    }


def range_read(size_mb, scratch) -> dict:
    """bench/range_read.py in its own process, so that its memory figures are its own."""
    figures = scratch / "range_read.json"
    script = ROOT / "bench" / "range_read.py"
    command = [sys.executable, str(script), "--size-mb", str(size_mb), "--json", str(figures)]
    finished = subprocess.run(command, cwd=ROOT, env=_STARTING_ENVIRONMENT, check=False)
    if not figures.exists():
        return {"size_mb": size_mb, "ok": False, "error": f"exit code {finished.returncode}"}
    return json.loads(figures.read_text())


def range_line(figures) -> str:
    if not figures:
        return "range read benchmark skipped"
    if "error" in figures:
        return f"range reads: FAILED ({figures['error']})"
    ttfb, peak = figures["ttfb_ms"]["median"], figures["peak_over_rest_mb"]
    return (
        f"range reads, {figures['size_mb']} MB file: first byte of a 64 KiB range at the middle"
        f" {ttfb['middle']:.3f} ms, {figures['middle_vs_start']:.2f}x one at the start,"
        f" {figures['middle_vs_whole_first_byte']:.2f}x the whole file's first byte;"
        f" peak {peak['middle_range']:+.1f} MB (range), {peak['whole_file']:+.1f} MB (whole file)"
        f"{'' if figures['ok'] else ': TOO SLOW OR TOO LARGE'}"
    )


def export_memory(args, scratch) -> dict:
    """bench/export_memory.py in its own process and database (<--database>_export)."""
    figures = scratch / "export_memory.json"
    script = ROOT / "bench" / "export_memory.py"
    command = [
        sys.executable,
        str(script),
        *("--coachees", str(args.export_coachees), "--json", str(figures)),
        *("--database", f"{args.database}_export", "--redis-db", str(args.redis_db)),
    ]
    finished = subprocess.run(command, cwd=ROOT, env=_STARTING_ENVIRONMENT, check=False)
    if not figures.exists():
        error = f"exit code {finished.returncode}"
        return {"coachees": args.export_coachees, "ok": False, "error": error}
    return json.loads(figures.read_text())


def export_line(figures) -> str:
    if not figures:
        return "export memory benchmark skipped"
    if "error" in figures:
        return f"CSV export: FAILED ({figures['error']})"
    entries, seconds = figures["entries"], figures["seconds"]
    traced, peak = figures["tracemalloc_peak_mb"], figures["peak_over_rest_mb"]
    return (
        f"CSV export, a year for {figures['coachees']} coachees: {entries['year']} rows,"
        f" {figures['bytes']['year'] / 1024 / 1024:.2f} MB in {seconds['year']:.2f} s;"
        f" peak {peak['year']:+.1f} MB resident, {traced['year']:.2f} MB Python allocations,"
        f" {figures['peak_ratio']['tracemalloc']:.2f}x those of a tenth"
        f" ({entries['tenth']} rows, {peak['tenth']:+.1f} MB, {traced['tenth']:.2f} MB)"
        f"{'' if figures['ok'] else ': MEMORY GROWS WITH THE ROWS'}"
    )


def bench(args, target, scratch) -> int:
    from bench import audit_append

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    env = environment.production_env(target, scratch)
    seeded = prepare(args, target, env)
    page_list = pages.build(seeded)
    for page in page_list:
        page.queries = pages.count_queries(page)
    started, load_before = time.monotonic(), os.getloadavg()
    load_pages(args, env, scratch, page_list)
    print(f"Page runs took {time.monotonic() - started:.0f} s.")
    print(f"Load average before: {_load(load_before)}; after: {_load(os.getloadavg())}")
    audit = None
    if args.audit_duration > 0:
        print("Audit appends ...")
        audit = audit_append.run(args.audit_duration)
    ranges = None
    if args.range_size_mb > 0:
        print(f"Range reads in a {args.range_size_mb} MB encrypted file ...", flush=True)
        ranges = range_read(args.range_size_mb, scratch)
    exported = None
    if args.export_coachees > 0:
        print(f"CSV export of a year for {args.export_coachees} coachees ...", flush=True)
        exported = export_memory(args, scratch)
    rows = report.summarise(page_list, args.connections)
    print()
    print(report.table(rows))
    print()
    print(report.audit_table(audit))
    print(range_line(ranges))
    print(export_line(exported))
    document = {
        **_about(args, seeded),
        "pages": rows,
        "audit": audit,
        "range_read": ranges,
        "export_memory": exported,
    }
    document["machine"]["load_average_before"] = load_before
    path = report.write_json(document, stamp)
    print(f"\nWritten to {path.relative_to(ROOT)}")
    failed = any(row["errors"] for row in rows) or (audit and not audit["chain"]["intact"])
    failed = failed or (ranges is not None and not ranges["ok"])
    failed = failed or (exported is not None and not exported["ok"])
    return 1 if failed else 0


def main(argv=None) -> int:
    args = arguments(argv)
    target = Target(database=args.database, redis_db=args.redis_db)
    try:
        environment.check(target)
    except Missing as missing:
        print(f"make bench cannot run; it needs:\n{missing}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    scratch = Path(tempfile.mkdtemp(prefix="pluform-bench-"))
    try:
        return bench(args, target, scratch)
    except KeyboardInterrupt:
        print("\nInterrupted; the server is stopped.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
