"""Drives wrk (with bench/wrk.lua) and reads its summary and latency distribution."""

import os
import re
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("wrk.lua")
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def run(url, *, connections, duration, cookie, expect=200, method="GET", csrf=None) -> dict:
    threads = min(connections, 2)
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        "--latency",
        f"--script={LUA}",
        url,
    ]
    env = {
        **os.environ,
        "BENCH_COOKIE": cookie,
        "BENCH_EXPECT": str(expect),
        "BENCH_METHOD": method,
        "BENCH_CSRF": csrf or "",
    }
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    return parse(result.stdout)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse(output: str) -> dict:
    """requests/s, p50/p99 in ms and the error counts of one wrk run."""
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if not {"50", "99"} <= percentiles.keys():
        raise ValueError(f"no latency distribution in wrk's output:\n{output}")
    requests = re.search(r"^\s+(\d+) requests in ([\d.]+)(\w+),", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    unexpected = re.search(r"^bench-unexpected-status: (\d+)$", output, re.MULTILINE)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    non_2xx_3xx = int(non_2xx.group(1)) if non_2xx else 0
    wrong_status = int(unexpected.group(1)) if unexpected else non_2xx_3xx
    return {
        "requests": int(requests.group(1)),
        "seconds": _ms(requests.group(2) + requests.group(3)) / 1000,
        "rps": float(rate.group(1)),
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "socket_errors": socket_errors,
        "non_2xx_3xx": non_2xx_3xx,
        "unexpected_status": wrong_status,
        "errors": socket_errors + max(wrong_status, non_2xx_3xx),
    }
