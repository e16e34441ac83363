"""`make smoke` runs what production runs: the compose file's commands and variables, from CI.

Nothing is started here; deploy/smoke.py is the one place the commands are written down for
the smoke run, and these tests hold docker-compose.yml, the Dockerfile, the Makefile and
.ci/run to it."""

import re
from pathlib import Path

import yaml

from deploy import smoke

ROOT = Path(__file__).resolve().parent.parent


def _services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def _compose_default(value: str) -> str:
    """The default of a compose value ``${NAME:-default}``, or the value itself."""
    match = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
    return match.group(1) if match else value


def test_make_smoke_runs_the_smoke_script():
    makefile = (ROOT / "Makefile").read_text()
    (phony,) = re.findall(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)
    assert "smoke" in phony.split()
    recipe = re.search(r"^smoke:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "no smoke target in the Makefile"
    assert "deploy/smoke.py" in recipe.group(1)


def test_ci_runs_make_smoke_after_make_test():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in commands and "make smoke" in commands
    assert commands.index("make smoke") > commands.index("make test")


def test_compose_runs_the_commands_the_smoke_run_runs():
    services = _services()
    assert services["web"]["command"] == smoke.WEB_COMMAND
    assert services["worker"]["command"] == smoke.WORKER_COMMAND
    beat = services["beat"]["command"]
    assert beat[:-1] == smoke.BEAT_COMMAND
    assert beat[-1].startswith("/"), "beat's schedule file"
    assert services["migrate"]["command"] == smoke.MIGRATE_COMMAND
    assert (ROOT / smoke.WEB_COMMAND[smoke.WEB_COMMAND.index("--config") + 1]).is_file()


def test_the_smoke_build_is_the_image_build():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert " ".join(smoke.COMPILE_MESSAGES_COMMAND) in dockerfile
    assert " ".join(smoke.COLLECTSTATIC_COMMAND) in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert set(ignored) <= set(smoke.NOT_COPIED)


def test_the_smoke_run_sets_the_compose_variables_with_their_defaults(tmp_path):
    compose = _services()["web"]["environment"]
    variables = smoke.stack_variables(tmp_path, 9000)
    assert set(variables) <= set(compose), set(variables) - set(compose)
    # Production mode, the public name and the proxy in front are those of the compose file.
    for name in ("DJANGO_DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL"):
        assert variables[name] == _compose_default(compose[name]), name
    assert variables["TRUSTED_PROXY_COUNT"] == _compose_default(compose["TRUSTED_PROXY_COUNT"])


def test_the_smoke_run_keeps_clear_of_the_redis_databases_of_tests_and_bench():
    taken = {12, 14, 15}  # the bench; the killed-worker and rate-limit tests; the suite
    assert not {smoke.REDIS_CACHE_DB, smoke.REDIS_BROKER_DB} & taken


def test_docs_say_what_make_smoke_proves():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert "make smoke" in deploy
    assert "Scaling out" in deploy
    assert "make smoke" in (ROOT / "README.md").read_text()
