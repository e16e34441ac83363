"""`make smoke`: the production stack on 127.0.0.1, driven over HTTP across two web nodes.

    .venv/bin/python deploy/smoke.py

It builds the app as the image does (a copy of the tree, messages compiled, static files
collected with production settings), then runs what docker-compose.yml runs, with the same
commands and variables: PostgreSQL (a fresh database ``pluform_smoke``), Redis (cache and
broker on databases 10 and 11; the tests use 14 and 15, the bench 12), an S3-protocol object
store (moto's standalone server), ``migrate``, two gunicorn web nodes on two ports, one
Celery worker and one beat. It then walks a short journey over HTTP that only works when the
nodes share their state: a coach enters the password on node A and the two-factor code on
node B; a coachee posts a message with a PDF on node A and the coach downloads it from node
B; the coachee exports their data, which the worker builds. Along the way it checks the
security headers, that the bucket holds only ciphertext and that no log holds content.
Every process it started is stopped at the end, also on failure or Ctrl-C.

This client plays the TLS proxy in front of gunicorn (deploy/nginx.conf): it sends the
public host name (``localhost``, the compose default), ``X-Forwarded-Proto: https`` and
``X-Forwarded-For`` with the client's address, and keeps secure cookies as a browser on
HTTPS would. Production settings stay as they are (HTTPS redirect, HSTS, secure cookies,
``TRUSTED_PROXY_COUNT=1``); one request without the proxy's header checks the redirect.

Prints every step with its duration, and exits 1 naming the failing step, with the tail of
the logs of the processes involved. The database and the scratch folder (logs, the built
copy) are removed after a run that passed, kept after one that failed or with SMOKE_KEEP=1.
"""

import base64
import contextlib
import fcntl
import hashlib
import hmac
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

# What docker-compose.yml runs, word for word (tests/test_smoke_wiring.py compares them).
MIGRATE_COMMAND = ["python", "manage.py", "migrate", "--no-input"]
WEB_COMMAND = ["gunicorn", "--config", "gunicorn.conf.py", "pluform.wsgi"]
WORKER_COMMAND = ["celery", "-A", "pluform", "worker", "--loglevel", "INFO", "--concurrency", "2"]
# Followed by the schedule file's path (a scratch folder here, /tmp in the container).
BEAT_COMMAND = ["celery", "-A", "pluform", "beat", "--loglevel", "INFO", "--schedule"]
# What the Dockerfile runs to build the image (messages, then static files in production mode).
COMPILE_MESSAGES_COMMAND = ["pybabel", "compile", "-d", "locale", "-D", "django"]
COLLECTSTATIC_COMMAND = ["python", "manage.py", "collectstatic", "--no-input"]
# The folders the image leaves out (.dockerignore), and what only a developer's tree holds.
NOT_COPIED = (".venv", "var", ".git", "staticfiles", "__pycache__", "node_modules", "*.pyc")
NOT_COPIED += (".pytest_cache", ".ruff_cache", "test-results", "results", "tls")

# The public name the proxy serves, as in docker-compose.yml's defaults.
SITE_HOST = "localhost"
SITE_ORIGIN = f"https://{SITE_HOST}"
POSTGRES = os.environ.get("SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "pluform_smoke"
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379")
REDIS_CACHE_DB, REDIS_BROKER_DB = 10, 11
BUCKET = "pluform-smoke"
REGION = "eu-west-1"
GUNICORN_WORKERS = 2
LOCK_FILE = Path(tempfile.gettempdir()) / "pluform-smoke.lock"
# Addresses from the documentation ranges (RFC 5737): what the proxy would put in
# X-Forwarded-For for the coach's and the coachee's browsers.
COACH_ADDRESS, COACHEE_ADDRESS = "203.0.113.7", "198.51.100.23"
TOTP_PERIOD, TOTP_DIGITS = 30, 6

START_WAIT = 90  # seconds a process may take to answer after it was started
EXPORT_WAIT = 90  # seconds the worker may take to build the export
BEAT_WAIT = 30  # seconds until beat's every-5-seconds audit sequencing has run on the worker
STOP_WAIT = 20  # seconds a process may take to stop after SIGTERM before it is killed


class SmokeFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


# ---------------------------------------------------------------- steps, processes, logs


class Run:
    """The steps with their timings, and every process started, for stopping them all."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.logs = scratch / "logs"
        self.logs.mkdir()
        self.started = time.monotonic()
        self.timings: list[tuple[str, float]] = []
        self.processes: dict[str, subprocess.Popen] = {}

    def log_path(self, name) -> Path:
        return self.logs / f"{name}.log"

    @contextlib.contextmanager
    def step(self, title, *, logs=()):
        offset = time.monotonic() - self.started
        print(f"smoke: [{offset:6.1f} s] {title} ...", flush=True)
        began = time.monotonic()
        try:
            yield
        except BaseException as error:
            self.report_failure(title, error, logs)
            raise
        took = time.monotonic() - began
        self.timings.append((title, took))
        print(f"smoke:            ok ({took:.1f} s)", flush=True)

    def report_failure(self, title, error, logs):
        took = time.monotonic() - self.started
        print(f"\nsmoke: FAILED at step {title!r} after {took:.1f} s", file=sys.stderr)
        if not isinstance(error, KeyboardInterrupt):
            print(f"smoke: {type(error).__name__}: {error}", file=sys.stderr)
        for name in logs:
            print(f"\n---- last lines of {self.log_path(name)} ----", file=sys.stderr)
            print(tail(self.log_path(name)), file=sys.stderr)
        print(f"\nsmoke: all logs are in {self.logs}", file=sys.stderr)

    def run(self, name, command, *, cwd, env, stdin=None, timeout=300) -> str:
        """Runs a command to its end; its output goes to the log ``name``, stdout returned."""
        with open(self.log_path(name), "ab") as log:
            result = subprocess.run(  # noqa: S603  (our own commands, no shell)
                executable(command),
                cwd=cwd,
                env=env,
                input=stdin,
                stdout=subprocess.PIPE,
                stderr=log,
                timeout=timeout,
                check=False,
                start_new_session=True,
            )
            log.write(result.stdout)
        check(result.returncode == 0, f"{' '.join(command)} exited with {result.returncode}")
        return result.stdout.decode()

    def start(self, name, command, *, cwd, env) -> subprocess.Popen:
        """Starts a long-running process in its own process group (stopped as one)."""
        with open(self.log_path(name), "ab") as log:
            process = subprocess.Popen(  # noqa: S603  (our own commands, no shell)
                executable(command),
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def check_running(self):
        for name, process in self.processes.items():
            check(process.poll() is None, f"{name} exited with {process.returncode}")

    def stop_all(self) -> list[str]:
        """SIGTERM to every process group, newest first; SIGKILL what is left after a while.
        Returns the processes that did not stop cleanly."""
        problems = []
        for process in reversed(self.processes.values()):
            if process.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        for name, process in reversed(self.processes.items()):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                problems.append(f"{name} ignored SIGTERM for {STOP_WAIT} s and was killed")
            # Whatever is left of its group (a worker child, say) goes too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return problems


def executable(command):
    """The command with its program taken from the virtualenv, arguments unchanged."""
    program = BIN / command[0]
    return [str(program) if program.exists() else command[0], *command[1:]]


def tail(path: Path, lines=40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout, what, run=None, interval=0.25):
    deadline = time.monotonic() + timeout
    while True:
        if run is not None:
            run.check_running()
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"{what}: not within {timeout} s")
        time.sleep(interval)


# ---------------------------------------------------------------- HTTP through "the proxy"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name) -> str:
        return self.headers.get(name, "")

    @property
    def location(self) -> str:
        """The redirect's path (and query), whatever host it names."""
        parts = urllib.parse.urlsplit(self.header("Location"))
        return parts.path + (f"?{parts.query}" if parts.query else "")


SITE_CSP = ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")


class Browser:
    """One person's browser behind the TLS proxy: keeps its cookies (secure ones included,
    as on HTTPS) across both web nodes, as a browser does across a load balancer."""

    def __init__(self, name, address):
        self.name, self.address = name, address
        self.cookies: dict[str, str] = {}
        self.cookie_headers: dict[str, str] = {}
        self.requests = 0

    def request(self, port, method, path, *, form=None, files=None, proxied=True) -> Response:
        self.requests += 1
        headers = {
            "Host": SITE_HOST,
            "User-Agent": "pluform-smoke",
            "X-Request-ID": f"smoke-{self.name}-{self.requests:03d}",
        }
        if proxied:  # what deploy/nginx.conf sets
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            headers["Origin"] = SITE_ORIGIN
            headers["Referer"] = SITE_ORIGIN + path
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(form or {})}
            if files:
                body, headers["Content-Type"] = multipart(fields, files)
            else:
                body = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            self.cookie_headers[name] = cookie
            if re.search(r";\s*max-age=0(;|$)", cookie, re.IGNORECASE) or not value.strip('"'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, port, path, **kwargs) -> Response:
        return self.request(port, "GET", path, **kwargs)

    def post(self, port, path, form=None, files=None) -> Response:
        return self.request(port, "POST", path, form=form, files=files)

    def follow(self, port, response, limit=5) -> Response:
        """Follows redirects on the same node."""
        for _ in range(limit):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            response = self.get(port, response.location)
        raise SmokeFailure(f"more than {limit} redirects, last to {response.location}")


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(f"{value}\r\n".encode())
    for name, (filename, content_type, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def expect(response, status, what, location=None):
    detail = f"{what}: HTTP {response.status} (wanted {status})"
    if response.header("Location"):
        detail += f", to {response.location}"
    detail += f", request {response.header('X-Request-ID')}"
    check(response.status == status, detail)
    if location is not None:
        check(
            response.location.split("?")[0] == location,
            f"{what}: redirected to {response.location}, wanted {location}",
        )
    return response


def check_security_headers(response, what, *, signed_in, download=False):
    """What every page gets in production (settings.py: Security, CSP). A download gets a
    stricter policy of its own (pluform/crypto/streaming.py): nothing loads, and it runs
    sandboxed if opened, never in a frame."""
    csp = response.header("Content-Security-Policy")
    wanted = ["default-src 'none'", "frame-ancestors 'none'", "sandbox"] if download else SITE_CSP
    for directive in wanted:
        check(directive in csp, f"{what}: CSP without {directive}: {csp!r}")
    hsts = response.header("Strict-Transport-Security")
    check(hsts.startswith("max-age=31536000"), f"{what}: HSTS is {hsts!r}")
    wanted = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in wanted.items():
        check(response.header(name) == value, f"{what}: {name} is {response.header(name)!r}")
    if signed_in:
        cache = response.header("Cache-Control")
        check("no-store" in cache, f"{what}: signed in, but Cache-Control is {cache!r}")


def check_cookie_flags(browser, name):
    cookie = browser.cookie_headers.get(name, "")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    for flag in ("secure", "httponly", "samesite=lax"):
        check(flag in flags, f"the {name} cookie lacks {flag}: {cookie!r}")


def totp_code(secret: str, at: float) -> str:
    """RFC 6238, as an authenticator app computes it (allauth's defaults: SHA-1, 6 digits)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at) // TOTP_PERIOD), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**TOTP_DIGITS).zfill(TOTP_DIGITS)


def fresh_totp_code(secret: str) -> str:
    """The current code, never one that expires before the request gets there."""
    into_period = time.time() % TOTP_PERIOD
    if into_period > TOTP_PERIOD - 3:
        time.sleep(TOTP_PERIOD - into_period + 0.1)
    return totp_code(secret, time.time())


def small_pdf(marker: str) -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n"
        b"% " + marker.encode() + b"\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


# ---------------------------------------------------------------- the stack


def stack_variables(scratch: Path, moto_port: int) -> dict[str, str]:
    """The app's variables, named as in docker-compose.yml, pointed at this machine. Public
    name, proxy count and production mode are the compose defaults."""
    uploads = scratch / "uploads"  # the tmpfs /run/pluform-uploads of the compose file
    uploads.mkdir(mode=0o700, exist_ok=True)
    return {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PLUFORM_MASTER_KEYS": "smoke:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": SITE_HOST,
        "CSRF_TRUSTED_ORIGINS": SITE_ORIGIN,
        "SITE_URL": SITE_ORIGIN,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": f"{REDIS}/{REDIS_CACHE_DB}",
        "CELERY_BROKER_URL": f"{REDIS}/{REDIS_BROKER_DB}",
        "TRUSTED_PROXY_COUNT": "1",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke",  # moto takes any
        "MEDIA_ROOT": str(scratch / "media"),
        "FILE_UPLOAD_TEMP_DIR": str(uploads),
        # No SMTP server here: e-mails go to files, never to a log.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(scratch / "mail"),
    }


# All the processes get from the shell that runs `make smoke`: nothing the settings read
# (EMAIL_HOST, say, which would send real e-mail).
FROM_THE_SHELL = ("HOME", "LANG", "LC_ALL", "LC_CTYPE", "LOGNAME", "TERM", "TMPDIR", "TZ", "USER")


def production_env(scratch: Path, moto_port: int) -> dict[str, str]:
    env = {name: os.environ[name] for name in FROM_THE_SHELL if name in os.environ}
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        PYTHONUNBUFFERED="1",  # as the Dockerfile sets it
        PLUFORM_VAR_DIR=str(scratch / "var"),  # nothing is written to the tree's var/
        GUNICORN_WORKERS=str(GUNICORN_WORKERS),  # per node (gunicorn.conf.py)
    )
    env.update(stack_variables(scratch, moto_port))
    return env


def build(run: Run, app: Path, env: dict):
    """What the Dockerfile does: the tree without what .dockerignore leaves out, messages
    compiled, static files collected in production mode. Other people may edit the tree
    meanwhile: the stack runs the copy, and the tree gets no staticfiles/ folder."""
    shutil.copytree(ROOT, app, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    run.run("build", COMPILE_MESSAGES_COMMAND, cwd=app, env=env)
    run.run("build", COLLECTSTATIC_COMMAND, cwd=app, env=env)


def recreate_database():
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as db:
        name = sql.Identifier(DATABASE)
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        db.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database():
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )


def flush_redis():
    import redis

    for number in (REDIS_CACHE_DB, REDIS_BROKER_DB):
        redis.Redis.from_url(f"{REDIS}/{number}", socket_connect_timeout=5).flushdb()


def s3_client(env):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def answers(port, path="/healthz", *, wanted=(200,)) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
    except OSError:
        return False
    return status in wanted


def worker_answers(broker_url) -> bool:
    from celery import Celery

    app = Celery(broker=broker_url)
    try:
        return bool(app.control.ping(timeout=1.0))
    finally:
        app.close()


# The journey's people, made in the database as an administrator would (accounts/demo.py
# shows the same). Read from stdin: passwords and the TOTP secret never appear in a command line.
SETUP = """
import datetime, json, sys
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.utils import timezone
from accounts.models import CoachProfile, Organisation, User
from accounts.roles import Role
from accounts.services import start_trajectory

spec = json.loads(sys.stdin.read())
organisation = Organisation.objects.create(name="Smoke practice")
people = {}
for key, role in (("coach", Role.COACH), ("coachee", Role.COACHEE)):
    user = User.objects.create_user(
        spec[key], spec["password"], first_name=key.title(), last_name="Smoke", role=role,
        organisation=organisation, language="en",
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    people[key] = user
Authenticator.objects.create(
    user=people["coach"], type=Authenticator.Type.TOTP, data={"secret": encrypt(spec["totp"])}
)
CoachProfile.objects.create(
    user=people["coach"], product="Pluform Coach",
    licence_started_on=timezone.localdate() - datetime.timedelta(days=30),
)
trajectory = start_trajectory(
    coachee=people["coachee"], coaches=[people["coach"]], organisation=organisation
)
print(json.dumps({"dialogue": str(trajectory.dialogue.pk)}))
"""


# ---------------------------------------------------------------- the journey


def journey(run: Run, env: dict, a: int, b: int, people: dict, dialogue: str):
    coach = Browser("coach", COACH_ADDRESS)
    coachee = Browser("coachee", COACHEE_ADDRESS)
    web = ("web-a", "web-b")
    password = people["password"]

    with run.step("plain HTTP (no proxy header) is redirected to HTTPS", logs=web):
        response = coach.get(a, "/accounts/login/", proxied=False)
        expect(response, 301, "GET /accounts/login/ over plain HTTP")
        check(
            response.header("Location") == f"{SITE_ORIGIN}/accounts/login/",
            f"redirected to {response.header('Location')!r}",
        )

    with run.step("coach: password on node A", logs=web):
        page = expect(coach.get(a, "/accounts/login/"), 200, "the login page")
        check_security_headers(page, "the login page", signed_in=False)
        check_cookie_flags(coach, "csrftoken")
        response = coach.post(
            a, "/accounts/login/", {"login": people["coach"], "password": password}
        )
        expect(response, 302, "the password", location="/accounts/2fa/authenticate/")
        check_cookie_flags(coach, "sessionid")
        response = coach.get(a, "/")
        expect(response, 302, "the home page before the code", location="/accounts/login/")

    with run.step("coach: two-factor code on node B, then signed in on both", logs=web):
        expect(coach.get(b, "/accounts/2fa/authenticate/"), 200, "the code page on node B")
        code = fresh_totp_code(people["totp"])
        response = coach.post(b, "/accounts/2fa/authenticate/", {"code": code})
        expect(response, 302, "the two-factor code on node B", location="/")
        for port, node in ((a, "A"), (b, "B")):
            home = expect(coach.get(port, "/"), 200, f"the coach's home on node {node}")
            check_security_headers(home, f"the coach's home on node {node}", signed_in=True)

    detail = f"/dialogue/{dialogue}/"
    body = f"Smoke message {secrets.token_hex(8)}"
    pdf_marker = f"smoke-pdf-{secrets.token_hex(8)}"
    pdf = small_pdf(pdf_marker)
    with run.step("coachee: signs in and posts a message with a PDF on node A", logs=web):
        expect(coachee.get(a, "/accounts/login/"), 200, "the login page")
        response = coachee.post(
            a, "/accounts/login/", {"login": people["coachee"], "password": password}
        )
        expect(response, 302, "the coachee's password (no second factor)", location="/")
        expect(coachee.get(a, detail), 200, "the dialogue page")
        response = coachee.post(
            a,
            f"{detail}messages/",
            {"body": body},
            files={"attachment": ("smoke-report.pdf", "application/pdf", pdf)},
        )
        expect(response, 302, "posting the message", location=detail)
        page = expect(coachee.follow(a, response), 200, "the dialogue after posting")
        check(body in page.text, "the message is not on the dialogue page")

    with run.step("coach: downloads the PDF from node B, the same bytes", logs=web):
        page = expect(coach.get(b, detail), 200, "the dialogue page on node B")
        check(body in page.text, "the coach does not see the message on node B")
        links = set(re.findall(rf'href="({detail}attachments/[0-9a-f-]{{36}}/)"', page.text))
        check(len(links) == 1, f"one attachment link wanted, found {sorted(links)}")
        download = expect(coach.get(b, links.pop()), 200, "the attachment download")
        check(download.body == pdf, f"downloaded {len(download.body)} bytes, not the PDF sent")
        check(
            download.header("Content-Disposition").startswith("attachment"),
            f"Content-Disposition is {download.header('Content-Disposition')!r}",
        )
        check_security_headers(download, "the attachment download", signed_in=True, download=True)

    with run.step("the bucket holds the file only as ciphertext", logs=("moto",)):
        check_bucket(env, must_not_hold=[pdf, pdf_marker.encode(), body.encode()], at_least=1)

    with run.step("coachee: export after the password again (node B), started on A", logs=web):
        # The export asks for the password when the last one is older than
        # ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes); the coachee signed in just now, so the
        # page opens. The password is given again all the same, as it is after 5 minutes.
        reauthenticate = "/accounts/reauthenticate/?next=/privacy/export/"
        response = coachee.get(b, "/privacy/export/")
        if response.status == 302:
            check(
                response.location.startswith("/accounts/reauthenticate/"),
                f"the export page sent the coachee to {response.location}",
            )
            reauthenticate = response.location
        else:
            expect(response, 200, "the export page")
        expect(coachee.get(b, reauthenticate), 200, "the password page")
        response = coachee.post(b, reauthenticate, {"password": password})
        expect(response, 302, "the password again", location="/privacy/export/")
        expect(coachee.get(b, "/privacy/export/"), 200, "the export page after the password")
        response = coachee.post(a, "/privacy/export/")
        expect(response, 302, "starting the export on node A", location="/privacy/export/")

    archive_link = re.compile(r'href="(/privacy/copies/[0-9a-f-]{36}/)"')
    with run.step("worker: builds the export (page polled on both nodes)", logs=("worker",)):
        polls = iter(range(10**6))

        def ready():
            port = (a, b)[next(polls) % 2]
            page = expect(coachee.get(port, "/privacy/export/"), 200, "the export page")
            links = archive_link.findall(page.text)
            # Neither a download nor the progress bar of one being built: it failed.
            check(links or "<progress" in page.text, "the export failed (see the worker log)")
            return links

        [link] = wait_until(ready, timeout=EXPORT_WAIT, what="the export", run=run, interval=1)

    with run.step("coachee: downloads the export ZIP from node B", logs=web):
        download = expect(coachee.get(b, link), 200, "the export download")
        check_security_headers(download, "the export download", signed_in=True, download=True)
        try:
            archive = zipfile.ZipFile(io.BytesIO(download.body))
        except zipfile.BadZipFile as error:
            raise SmokeFailure(f"the export is not a ZIP ({len(download.body)} bytes)") from error
        check(archive.testzip() is None, "the export ZIP has a corrupt member")
        names = archive.namelist()
        check("data.json" in names, f"no data.json in the export: {names}")
        data = archive.read("data.json").decode()
        json.loads(data)
        check(body in data, "the coachee's message is not in data.json")
        check(
            any(archive.read(name) == pdf for name in names),
            f"the coachee's PDF is not in the export: {names}",
        )

    with run.step("the bucket holds the export only as ciphertext", logs=("moto",)):
        check_bucket(env, must_not_hold=[pdf_marker.encode(), body.encode()], at_least=2)

    with run.step("coach: signs out on node A, signed out on node B too", logs=web):
        response = expect(coach.post(a, "/accounts/logout/"), 302, "signing out")
        response = coach.get(b, "/")
        expect(response, 302, "the home page after signing out", location="/accounts/login/")

    return [body, pdf_marker]


def check_bucket(env, *, must_not_hold, at_least):
    client = s3_client(env)
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    check(len(keys) >= at_least, f"{len(keys)} objects in the bucket, wanted {at_least} or more")
    for key in keys:
        stored = client.get_object(Bucket=BUCKET, Key=key)
        content = stored["Body"].read()
        for plaintext in must_not_hold:
            check(plaintext not in content, f"object {key} holds plaintext")
        check(
            stored.get("ServerSideEncryption") == "AES256",
            f"object {key} was not stored with server-side encryption",
        )


def check_logs(run: Run, names, secrets_to_miss):
    """No error lines, no tracebacks, and none of the journey's content in any log."""
    for name in names:
        text = run.log_path(name).read_text(errors="replace")
        for line in text.splitlines():
            check(
                "Traceback" not in line, f"{name} logged a traceback:\n{tail(run.log_path(name))}"
            )
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    level = json.loads(line).get("level")
                    check(level not in ("ERROR", "CRITICAL"), f"{name} logged: {line[:500]}")
        for secret in secrets_to_miss:
            check(secret not in text, f"{name} logged content of the journey")


# ---------------------------------------------------------------- main


def smoke(run: Run) -> None:
    scratch = run.scratch
    app = scratch / "app"
    web_ports = {"web-a": free_port(), "web-b": free_port()}
    moto_port = free_port()
    env = production_env(scratch, moto_port)
    a, b = web_ports["web-a"], web_ports["web-b"]

    with run.step("build: copy the tree, compile messages, collect static files", logs=("build",)):
        build(run, app, env)

    with run.step(f"object store: moto on :{moto_port}, bucket {BUCKET}", logs=("moto",)):
        run.start(
            "moto", ["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)], cwd=scratch, env=env
        )
        wait_until(
            lambda: answers(moto_port, "/", wanted=range(200, 500)),
            timeout=START_WAIT,
            what="moto",
            run=run,
        )
        s3_client(env).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    with run.step(f"PostgreSQL {DATABASE} (new) and Redis {REDIS_CACHE_DB}/{REDIS_BROKER_DB}"):
        recreate_database()
        flush_redis()

    with run.step("migrate", logs=("migrate",)):
        run.run("migrate", MIGRATE_COMMAND, cwd=app, env=env)

    people = {
        "coach": f"coach-{secrets.token_hex(4)}@smoke.example",
        "coachee": f"coachee-{secrets.token_hex(4)}@smoke.example",
        "password": secrets.token_urlsafe(18),
        "totp": base64.b32encode(secrets.token_bytes(20)).decode(),
    }
    with run.step(
        "start: web A, web B, worker, beat; setup: a coach and a coachee", logs=("setup",)
    ):
        for name, port in web_ports.items():
            node_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            run.start(name, WEB_COMMAND, cwd=app, env=node_env)
        run.start("worker", WORKER_COMMAND, cwd=app, env=env)
        run.start("beat", [*BEAT_COMMAND, str(scratch / "celerybeat-schedule")], cwd=app, env=env)
        output = run.run(
            "setup",
            ["python", "manage.py", "shell", "-c", SETUP],
            cwd=app,
            env=env,
            stdin=json.dumps(people).encode(),
        )
        dialogue = json.loads(output.strip().splitlines()[-1])["dialogue"]

    with run.step(f"wait: /healthz on :{a} and :{b}, worker ping", logs=run.processes):
        for port in (a, b):
            wait_until(
                lambda port=port: answers(port), timeout=START_WAIT, what=f":{port}", run=run
            )
        broker = env["CELERY_BROKER_URL"]
        wait_until(lambda: worker_answers(broker), timeout=START_WAIT, what="worker", run=run)

    contents = journey(run, env, a, b, people, dialogue)

    with run.step("beat: the audit sequencing it schedules runs on the worker", logs=("worker",)):
        worker_log = run.log_path("worker")
        wait_until(
            lambda: re.search(
                r"Task privacy\.sequence_audit\[[^]]+\] succeeded", worker_log.read_text()
            ),
            timeout=BEAT_WAIT,
            what="privacy.sequence_audit from beat",
            run=run,
        )

    with run.step("every process still runs; the logs hold no error and no content"):
        run.check_running()
        content = [*contents, people["password"], people["totp"]]
        # No process logs an e-mail address (e-mails go to files, never to a log).
        addresses = [people["coach"], people["coachee"]]
        check_logs(run, ["web-a", "web-b", "worker", "beat"], [*content, *addresses])


def main() -> int:
    lock = open(LOCK_FILE, "w")  # noqa: SIM115  (held until the process ends)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"smoke: another `make smoke` is running ({LOCK_FILE})", file=sys.stderr)
        return 1
    # A SIGTERM (a CI timeout, say) stops the stack as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scratch = Path(tempfile.mkdtemp(prefix="pluform-smoke-"))
    run = Run(scratch)
    failed = True
    try:
        smoke(run)
        failed = False
    except SmokeFailure:
        pass  # reported by its step
    finally:
        # Stopping is bounded (STOP_WAIT) and must not be cut short by a second signal.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        began = time.monotonic()
        problems = run.stop_all()
        for problem in problems:
            print(f"smoke: {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        run.timings.append(("stop everything", time.monotonic() - began))
        keep = failed or os.environ.get("SMOKE_KEEP") == "1"
        if not keep:
            with contextlib.suppress(Exception):
                drop_database()
                flush_redis()
            shutil.rmtree(scratch, ignore_errors=True)
        total = time.monotonic() - run.started
        print("\nsmoke: steps")
        for title, took in run.timings:
            print(f"  {took:6.1f} s  {title}")
        print(f"  {total:6.1f} s  total: {'FAILED' if failed else 'passed'}")
        if keep:
            print(f"smoke: kept the database {DATABASE} and the scratch folder {scratch}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
