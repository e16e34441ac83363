"""Audit append rate: ``privacy.audit.record`` from 1, 4 and 16 processes, against a plain
INSERT of a row of the same width into a scratch table.

Only the public ``record``, ``sequence_pending`` and ``verify_chain`` are used, so this keeps
measuring whatever implementation stands behind them. The sequencer's own rate is reported too:
it must keep up with the appends.
"""

import multiprocessing
import time
import uuid

SCRATCH_TABLE = "bench_audit_scratch"
PROCESSES = (1, 4, 16)
_HASH = "f" * 64


def create_scratch_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        cursor.execute(
            f"""CREATE TABLE {SCRATCH_TABLE} (
                seq bigserial PRIMARY KEY,
                uuid uuid NOT NULL,
                at timestamptz NOT NULL,
                action varchar(32) NOT NULL,
                outcome varchar(16) NOT NULL,
                actor_role varchar(32) NOT NULL,
                subject_uuid uuid,
                subject_kind varchar(32) NOT NULL,
                object_type varchar(64) NOT NULL,
                ip varchar(64) NOT NULL,
                detail varchar(200) NOT NULL,
                prev_hash varchar(64) NOT NULL,
                hash varchar(64) NOT NULL
            )"""
        )


def _append_audit():
    from privacy.audit import Action, record

    record(None, Action.VIEW, subject=uuid.uuid4(), detail="bench")


def _append_plain():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SCRATCH_TABLE} (uuid, at, action, outcome, actor_role, subject_uuid,"
            " subject_kind, object_type, ip, detail, prev_hash, hash)"
            " VALUES (%s, now(), 'view', 'ok', 'system', %s, '', '', '', 'bench', %s, %s)",
            [uuid.uuid4(), uuid.uuid4(), _HASH, _HASH],
        )


KINDS = {"audit.record": _append_audit, "plain INSERT": _append_plain}


def _worker(kind, start_at, duration, results):
    from django.db import connection

    append = KINDS[kind]
    connection.ensure_connection()  # its own connection, opened before the clock starts
    append()  # warm: imports, prepared state
    latencies, errors = [], 0
    time.sleep(max(0.0, start_at - time.time()))
    end = start_at + duration
    while time.time() < end:
        began = time.perf_counter()
        try:
            append()
        except Exception:  # a failed append is counted, not retried
            errors += 1
            continue
        latencies.append(time.perf_counter() - began)
    connection.close()
    results.put((latencies, errors))


def measure(kind: str, processes: int, duration: float) -> dict:
    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0 + 0.05 * processes
    workers = [
        context.Process(target=_worker, args=(kind, start_at, duration, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        collected = [results.get(timeout=duration + 120) for _ in workers]
    finally:
        for worker in workers:
            worker.join(5)
            if worker.is_alive():
                worker.terminate()
    latencies = sorted(value for batch, _ in collected for value in batch)
    count = len(latencies)
    p99 = latencies[min(count - 1, int(count * 0.99))] * 1000 if count else None
    return {
        "kind": kind,
        "processes": processes,
        "events": count,
        "events_per_s": count / duration,
        "p99_ms": p99,
        "errors": sum(errors for _, errors in collected),
    }


def run(duration: float, progress=print) -> dict:
    """Both kinds at each process count, interleaved; then the chain is verified."""
    from privacy.audit import sequence_pending, verify_chain

    create_scratch_table()
    rows = []
    for processes in PROCESSES:
        for kind in KINDS:
            row = measure(kind, processes, duration)
            rows.append(row)
            progress(
                f"  {kind:13s} {processes:>2} processes: {row['events_per_s']:8.0f} events/s,"
                f" p99 {row['p99_ms'] or 0:7.2f} ms, errors {row['errors']}"
            )
    started = time.perf_counter()
    sequenced = sequence_pending()
    sequencing = time.perf_counter() - started
    progress(f"  sequencer: {sequenced} events chained, {sequenced / sequencing:.0f} events/s")
    started = time.perf_counter()
    report = verify_chain()
    chain = {
        "intact": report.intact,
        "checked": report.checked,
        "reason": report.reason,
        "seconds": time.perf_counter() - started,
        "sequenced": sequenced,
        "sequencer_events_per_s": sequenced / sequencing if sequencing else None,
    }
    return {"duration_s": duration, "rows": rows, "chain": chain}
