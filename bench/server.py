"""gunicorn as in production (gunicorn.conf.py, sync workers), on a free local port."""

import concurrent.futures
import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request

from bench.environment import BIN, ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url, headers=None, data=None, timeout=30) -> int:
    """The status of one request, redirects not followed."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, log_path):
    """Starts gunicorn, waits for /healthz, and always stops it (error, Ctrl-C or not)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "pluform.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(process, base, log_path)
        yield base
    finally:
        stop(process)


def _wait_until_up(process, base, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            if fetch(base + "/healthz", timeout=2) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s; see {log_path}")


def settle(base, workers: int, timeout=300) -> float:
    """Waits until the server has served what the last wrk run left queued: when wrk stops,
    its open requests still wait in the listen backlog, and sync workers serve them all
    before anything else (on a busy machine a slow page leaves seconds of work behind, which
    the next page would otherwise pay for). One /healthz per worker, at once, queues behind
    them. Returns the seconds it took."""
    started = time.monotonic()
    url = base + "/healthz"
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(lambda _: fetch(url, timeout=timeout), range(workers)))
    if any(status != 200 for status in statuses):
        raise RuntimeError(f"/healthz answered {statuses} after a wrk run")
    return time.monotonic() - started


def stop(process, grace=15):
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn's graceful shutdown of its workers
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
