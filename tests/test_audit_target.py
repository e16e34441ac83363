"""`make audit` (part of `make test`): its wiring, proved without the network."""

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "deploy" / "audit.py"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


def _dry_run(target):
    result = subprocess.run(  # noqa: S603
        ["make", "-n", target],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.splitlines()


def _audit(step, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in ("CI", "PIP_AUDIT_SKIP", "NO_PROXY", "PIP_AUDIT_OSV_URL")
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(AUDIT), step],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _audit_module():
    spec = importlib.util.spec_from_file_location("deploy_audit", AUDIT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_test_runs_the_audit_before_the_suite():
    lines = _dry_run("test")

    def position(fragment):
        return next(i for i, line in enumerate(lines) if fragment in line)

    deploy = position("deploy/audit.py deploy")
    bandit = position("bandit ")
    dependencies = position("deploy/audit.py dependencies")
    assert deploy < bandit < dependencies < position("pytest")
    assert "-ll" in lines[bandit].split()  # medium and high fail


def test_the_makefiles_bandit_command_fails_on_a_finding_in_product_code_only(tmp_path):
    (line,) = [line for line in _dry_run("audit") if "bandit " in line]
    command = shlex.split(line)
    command[0] = str(ROOT / command[0])
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # [tool.bandit], as the command names it
    bad = "def run(text):\n    return eval(text)\n"  # B307, medium
    for folder in ("app", "tests", "bench", "app/migrations"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "code.py").write_text(bad)
    (tmp_path / "app" / "low.py").write_text("def check(value):\n    assert value\n")  # low
    (tmp_path / "app" / "reviewed.py").write_text(
        "def run(text):\n    return eval(text)  # nosec B307  # reviewed\n"
    )

    def bandit():
        result = subprocess.run(  # noqa: S603
            [*command, "-f", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        report = json.loads(result.stdout)
        return result.returncode, sorted({issue["filename"] for issue in report["results"]})

    # tests/ and bench/ are left out; migrations are read; a low finding and a nosec do not fail.
    assert bandit() == (1, ["./app/code.py", "./app/migrations/code.py"])
    (tmp_path / "app" / "code.py").unlink()
    (tmp_path / "app" / "migrations" / "code.py").unlink()
    assert bandit() == (0, [])


@pytest.mark.parametrize(("ci", "returncode"), [({}, 0), ({"CI": "1"}, 1)])
def test_an_unreachable_advisory_service_is_could_not_check_and_fails_in_ci(ci, returncode):
    proxies = {name: UNREACHABLE for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy")}
    result = _audit("dependencies", **proxies, **ci)
    assert result.returncode == returncode, result.stdout + result.stderr
    assert "COULD NOT CHECK requirements.lock, this is not 'clean'" in result.stdout
    assert "pypi:" in result.stdout
    assert "osv:" in result.stdout
    assert "no known vulnerability" not in result.stdout


def test_the_skip_flag_passes_in_ci_and_says_it_skipped():
    result = _audit("dependencies", CI="1", PIP_AUDIT_SKIP="1", HTTPS_PROXY=UNREACHABLE)
    assert result.returncode == 0
    assert "SKIPPED on purpose" in result.stdout


def test_a_known_vulnerability_fails_even_outside_ci(monkeypatch, capsys):
    audit = _audit_module()
    vulnerable = {"name": "django", "version": "5.2", "vulns": [{"id": "X-1", "fix_versions": []}]}
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PIP_AUDIT_SKIP", raising=False)
    monkeypatch.setattr(audit, "pip_audit", lambda service: ([vulnerable], ""))
    assert audit.dependencies() == 1
    assert "django 5.2: X-1 (no fixed release yet)" in capsys.readouterr().out


def test_unanswered_packages_are_not_clean_but_a_second_service_may_answer(monkeypatch, capsys):
    audit = _audit_module()
    clean = {"name": "django", "version": "5.2", "vulns": []}
    unanswered = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    monkeypatch.setenv("CI", "1")
    monkeypatch.delenv("PIP_AUDIT_SKIP", raising=False)
    monkeypatch.setattr(audit, "pip_audit", lambda service: ([unanswered], ""))
    assert audit.dependencies() == 1
    assert "no answer for 1 of 1 packages" in capsys.readouterr().out
    answers = iter([([unanswered], ""), ([clean], "")])
    monkeypatch.setattr(audit, "pip_audit", lambda service: next(answers))
    assert audit.dependencies() == 0
    assert "osv): 1 locked packages, no known vulnerability" in capsys.readouterr().out


def test_every_ignored_advisory_says_why():
    assert all(reason.strip() for reason in _audit_module().IGNORED_ADVISORIES.values())


def test_production_settings_pass_the_deployment_checks_with_nothing_silenced():
    result = _audit("deploy", DJANGO_DEBUG="1")  # the caller's environment does not count
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
