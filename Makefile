# Pluform: `make run` serves the app on its embedded defaults, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

PORT ?= 8000
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install lock messages migrate seed run test lint format makemessages browsers bench clean

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

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

makemessages: install
	$(MANAGE) makemessages -l nl -l en --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=bench

test: install messages lint
	PLUFORM_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Benchmarks against PostgreSQL, Redis and wrk on this machine (README: Benchmarks).
bench: install messages
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles node_modules
