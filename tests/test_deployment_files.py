"""docker-compose.yml describes the production stack: web, worker, beat, PostgreSQL, Redis."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_has_every_service_with_a_health_check():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert services["web"]["environment"]["DJANGO_DEBUG"] == "0"
    assert services["worker"]["command"][:3] == ["celery", "-A", "pluform"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    upload_dir = services["web"]["environment"]["FILE_UPLOAD_TEMP_DIR"]
    assert any(mount.startswith(upload_dir) for mount in services["web"]["tmpfs"])


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_gunicorn_access_log_never_carries_query_strings():
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert "%(U)s" in config["access_log_format"]
    assert "%(r)s" not in config["access_log_format"]
    assert "%(q)s" not in config["access_log_format"]
    assert config["worker_class"] == "sync"
