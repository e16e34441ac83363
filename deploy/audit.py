"""The two parts of `make audit` that need more than one command line (see the Makefile).

    python deploy/audit.py deploy        # `check --deploy` on the production settings
    python deploy/audit.py dependencies  # pip-audit of requirements.lock

bandit runs straight from the Makefile, configured by [tool.bandit] in pyproject.toml.
"""

import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
# Advisory id -> why it does not apply to Pluform, reviewed like code. Empty: a finding is
# fixed by taking the fixed release (`make lock`), not listed here.
IGNORED_ADVISORIES: dict[str, str] = {}
# PyPI's feed (pip-audit's default) first; OSV when PyPI did not answer for every package.
SERVICES = ("pypi", "osv")


def deploy() -> int:
    """Django's deployment checks in production mode, a warning failing, nothing silenced."""
    for key in [k for k in os.environ if k.startswith(("PLUFORM_", "DJANGO_"))]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    # Throwaway secrets of the required shape (as tests/test_production_settings.py): with
    # DJANGO_DEBUG=0 the settings refuse to load without them. Nothing connects anywhere.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pluform.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        PLUFORM_MASTER_KEYS="audit:" + base64.b64encode(os.urandom(32)).decode(),
        ALLOWED_HOSTS="pluform.example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_HOST="smtp.example.com",
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line

    django.setup()
    if settings.DEBUG or settings.SILENCED_SYSTEM_CHECKS:
        print(
            "audit: production mode must run with DEBUG off and no silenced check, not "
            f"DEBUG={settings.DEBUG} SILENCED_SYSTEM_CHECKS={settings.SILENCED_SYSTEM_CHECKS}",
            file=sys.stderr,
        )
        return 1
    # Exits 1 with the issues on stderr when any check reports a warning or worse.
    execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    return 0


def pip_audit(service: str) -> tuple[list[dict], str]:
    """pip-audit's per-package report of the lock from ``service``, or ([], why it failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            *(sys.executable, "-m", "pip_audit", "--requirement", str(LOCK)),
            # The lock pins every package with its hashes: nothing to resolve, pip not needed.
            *("--require-hashes", "--disable-pip", "--progress-spinner", "off"),
            *("--vulnerability-service", service, "--timeout", "15"),
            *("--format", "json", "--output", str(report)),
        ]
        for advisory in IGNORED_ADVISORIES:
            command += ["--ignore-vuln", advisory]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if report.exists() and report.stat().st_size:
            return json.loads(report.read_text())["dependencies"], ""
    # An unreachable service ends pip-audit in a traceback: its last line says why.
    lines = result.stderr.strip().splitlines() or [f"pip-audit exited {result.returncode}"]
    return [], lines[-1][:300]


def dependencies() -> int:
    """Known vulnerabilities in the locked packages fail; "could not check" fails in CI."""
    if os.environ.get("PIP_AUDIT_SKIP", "") not in ("", "0"):
        print("pip-audit: SKIPPED on purpose (PIP_AUDIT_SKIP): requirements.lock was not checked")
        return 0
    unanswered = []
    for service in SERVICES:
        packages, error = pip_audit(service)
        vulnerable = [p for p in packages if p.get("vulns")]
        if vulnerable:
            print(f"pip-audit ({service}): known vulnerabilities in requirements.lock:")
            for package in vulnerable:
                for vuln in package["vulns"]:
                    fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
                    print(f"  {package['name']} {package['version']}: {vuln['id']} ({fixed})")
            print("Take the fixed release (`make lock`, then `make test`).")
            return 1
        skipped = [p for p in packages if "skip_reason" in p]
        if packages and not error and not skipped:
            print(f"pip-audit ({service}): {len(packages)} locked packages, no known vulnerability")
            return 0
        if skipped:
            error = (
                f"no answer for {len(skipped)} of {len(packages)} packages "
                f"(pip-audit: {skipped[0]['skip_reason']})"
            )
        unanswered.append(f"  {service}: {error or 'no report'}")
    print("pip-audit: COULD NOT CHECK requirements.lock, this is not 'clean':")
    print("\n".join(unanswered))
    if os.environ.get("CI"):
        print("CI is set, so this fails; PIP_AUDIT_SKIP=1 skips the check on purpose.")
        return 1
    print("Not a failure outside CI; with CI set it fails unless PIP_AUDIT_SKIP=1.")
    return 0


if __name__ == "__main__":
    steps = {"deploy": deploy, "dependencies": dependencies}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(steps)}")
    sys.exit(steps[sys.argv[1]]())
