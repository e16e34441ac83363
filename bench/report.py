"""The figures of one `make bench` run: a table on screen and the same as JSON."""

import json
import statistics
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def summarise(pages, connection_counts) -> list[dict]:
    """Per page and connection count over the passes: mean req/s and p50, worst p99,
    summed errors; ratios against the bare and naive pages at the same connection count."""
    rows = []
    for page in pages:
        for connections in connection_counts:
            runs = [run for run in page.runs if run["connections"] == connections]
            rates = [run["rps"] for run in runs]
            rows.append(
                {
                    "page": page.name,
                    "method": page.method,
                    "path": page.path,
                    "connections": connections,
                    "rps": statistics.fmean(rates),
                    "rps_spread_pct": _spread(rates),
                    "p50_ms": statistics.fmean(run["p50_ms"] for run in runs),
                    "p99_ms": max(run["p99_ms"] for run in runs),
                    "errors": sum(run["errors"] for run in runs),
                    "sql_queries": page.queries,
                    "passes": runs,
                }
            )
    for reference, key in (("bare reference", "vs_bare"), ("naive reference", "vs_naive")):
        base = {r["connections"]: r["rps"] for r in rows if r["page"].startswith(reference)}
        for row in rows:
            reference_rps = base.get(row["connections"])
            row[key] = row["rps"] / reference_rps if reference_rps else None
    return rows


def _spread(rates):
    """Half the spread of requests/s over the passes, in % of their mean; None when no
    request finished in any pass (a page slower than --duration on a busy machine)."""
    mean = statistics.fmean(rates)
    return 50 * (max(rates) - min(rates)) / mean if mean else None


def _ratio(value):
    return f"{value:.3f}" if value is not None else "-"


def _percent(value) -> str:
    return f"{value:>4.0f}" if value is not None else f"{'-':>4s}"


def table(rows) -> str:
    header = (
        f"{'page':28s} {'conns':>5s} {'req/s':>8s} {'±%':>4s} {'p50 ms':>8s} {'p99 ms':>8s}"
        f" {'errors':>6s} {'SQL':>4s} {'/bare':>6s} {'/naive':>6s}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['page']:28s} {r['connections']:>5d} {r['rps']:>8.1f}"
            f" {_percent(r['rps_spread_pct'])}"
            f" {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>6d}"
            f" {r['sql_queries'] if r['sql_queries'] is not None else '-':>4}"
            f" {_ratio(r['vs_bare']):>6s} {_ratio(r['vs_naive']):>6s}"
        )
    return "\n".join(lines)


def audit_table(audit) -> str:
    if not audit:
        return "audit append benchmark skipped"
    plain = {r["processes"]: r for r in audit["rows"] if r["kind"] == "plain INSERT"}
    header = (
        f"{'appends':14s} {'procs':>5s} {'events/s':>9s} {'p99 ms':>8s} {'errors':>6s}"
        f" {'/plain':>7s}"
    )
    lines = [header, "-" * len(header)]
    for r in audit["rows"]:
        base = plain[r["processes"]]["events_per_s"]
        p99 = f"{r['p99_ms']:.2f}" if r["p99_ms"] is not None else "-"
        lines.append(
            f"{r['kind']:14s} {r['processes']:>5d} {r['events_per_s']:>9.0f} {p99:>8s}"
            f" {r['errors']:>6d} {_ratio(r['events_per_s'] / base if base else None):>7s}"
        )
    chain = audit["chain"]
    state = "intact" if chain["intact"] else f"BROKEN: {chain['reason']}"
    lines.append(
        f"verify_chain: {state}, {chain['checked']} events checked in {chain['seconds']:.1f} s"
    )
    return "\n".join(lines)


def write_json(document: dict, stamp: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path
