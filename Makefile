# Pluform: `make run` serves the app on its embedded defaults, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

.PHONY: install messages migrate seed run test lint format makemessages browsers clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django 2>&1 | grep -v "^$$" || true
	@test -f locale/nl/LC_MESSAGES/django.mo

migrate: install messages
	$(MANAGE) migrate --no-input -v 0

seed: migrate
	$(MANAGE) seed_demo

run: seed
	$(MANAGE) runserver 127.0.0.1:8000

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

clean:
	rm -rf $(VENV) var staticfiles
