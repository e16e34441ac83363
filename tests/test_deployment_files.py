"""docker-compose.yml describes the production stack: proxy, web, worker, beat, database, Redis."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _nginx_conf():
    """deploy/nginx.conf without its comments."""
    return re.sub(r"#.*", "", (ROOT / "deploy" / "nginx.conf").read_text())


def _directive(config, name):
    return re.findall(rf"^\s*{name}\s+([^;{{}}\n]+);", config, re.MULTILINE)


def test_compose_file_has_every_service_with_a_health_check():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("proxy", "web", "worker", "beat", "db", "redis"):
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


def test_gunicorn_writes_no_access_log_of_its_own():
    """It would write full IP addresses and the tokens of invitation and reset links; the
    app writes a scrubbed JSON access line instead (tests/test_logs.py)."""
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["accesslog"] is None
    assert config["worker_class"] == "sync"


def test_trusted_proxy_count_is_the_number_of_proxies_in_front_of_gunicorn():
    services = _compose()["services"]
    published = sorted(name for name, service in services.items() if service.get("ports"))
    default = re.fullmatch(
        r"\$\{TRUSTED_PROXY_COUNT:-(\d+)\}", services["web"]["environment"]["TRUSTED_PROXY_COUNT"]
    )
    # Published gunicorn means clients connect to it directly: no X-Forwarded-For is to be
    # trusted. Otherwise only the proxy is published, and it is one hop in front.
    proxies_in_front = 0 if "web" in published else 1
    assert published in (["web"], ["proxy"]), published
    assert int(default.group(1)) == proxies_in_front


def test_the_proxy_overwrites_x_forwarded_for_so_a_client_cannot_forge_it():
    proxy = _compose()["services"]["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    config = _nginx_conf()
    headers = _directive(config, "proxy_set_header")
    assert "X-Forwarded-For $remote_addr" in headers
    assert "X-Forwarded-Proto https" in headers
    assert "$proxy_add_x_forwarded_for" not in config
    assert _directive(config, "proxy_pass") == ["http://pluform_web"] * 2
    assert _directive(config, "server") == ["web:8000"]


def test_the_proxy_passes_the_largest_upload_and_never_spools_it_to_disk():
    config = _nginx_conf()
    (body_size,) = _directive(config, "client_max_body_size")
    assert body_size.endswith("m")
    assert int(body_size[:-1]) * 1024 * 1024 > max(settings.PLUFORM_UPLOAD_LIMITS.values())
    assert _directive(config, "proxy_request_buffering") == ["off"]
    assert _directive(config, "proxy_max_temp_file_size") == ["0"]


def test_the_proxy_logs_no_query_strings():
    config = _nginx_conf()
    log_format = config.split("log_format", 1)[1].split(";", 1)[0]
    assert "$uri" in log_format
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string"):
        assert variable not in log_format
    assert _directive(config, "access_log") == ["/dev/stdout pluform", "off"]
    assert _directive(config, "error_log") == ["/dev/stderr crit"]


def test_image_installs_from_the_hashed_lock_and_collects_static_files_for_production():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements-production.lock" in dockerfile
    collect = dockerfile[: dockerfile.index("manage.py collectstatic")].rsplit("RUN", 1)[1]
    # Production's static storage reads a manifest that only production settings write.
    assert "DJANGO_DEBUG=0" in collect
