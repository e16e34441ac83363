# Pluform: `make run` serves the app on its embedded defaults, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

PORT ?= 8000
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install lock messages migrate seed run test smoke lint audit format makemessages browsers bench clean

# Installs exactly what requirements.lock pins, every file checked against its hash: a
# fresh machine gets what the suite last ran with, never a newer release.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --require-hashes -r requirements.lock
	touch $(STAMP)

# axe-core for the accessibility checks in the browser tests, from package-lock.json.
$(NODE_STAMP): $(wildcard package-lock.json)
	@if ! command -v npm >/dev/null; then echo "npm not found: accessibility checks are skipped"; \
	elif [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund && touch $(NODE_STAMP); fi

install: $(STAMP) $(NODE_STAMP)

# Re-resolve on purpose (after changing pyproject.toml, or to take newer releases), then
# run `make test` and commit pyproject.toml and requirements.lock together.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 \
		--quiet -c requirements.lock -o requirements-production.lock

messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django 2>&1 | grep -v "^$$" || true
	@test -f locale/nl/LC_MESSAGES/django.mo

migrate: install messages
	$(MANAGE) migrate --no-input -v 0

seed: migrate
	$(MANAGE) seed_demo

run: seed
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# Security audit (README: Two commands): Django's deployment checks on the production settings,
# failing on a warning and with no check silenced; bandit over the product code ([tool.bandit]
# in pyproject.toml), failing on any medium or high finding; pip-audit of requirements.lock.
# An advisory feed that cannot be reached is "could not check", never "clean": it fails when
# CI is set, unless `make audit PIP_AUDIT_SKIP=1` skips it on purpose (and says so). bandit
# warns "nosec encountered ... but no failed test" for the other expressions on a nosec line:
# noise, not a finding.
audit: install
	$(BIN)/python deploy/audit.py deploy
	$(BIN)/bandit -q -c pyproject.toml -r . -ll
	$(BIN)/python deploy/audit.py dependencies

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

makemessages: install
	$(MANAGE) makemessages -l nl -l en --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=bench

test: install messages lint audit
	PLUFORM_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The production stack on 127.0.0.1, walked through over HTTP (docs/deploy.md: make smoke):
# two gunicorn nodes, a Celery worker and beat, PostgreSQL, Redis and an S3 server (moto).
smoke: install
	$(BIN)/python deploy/smoke.py

# Benchmarks against PostgreSQL, Redis and wrk on this machine (README: Benchmarks).
bench: install messages
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles node_modules
