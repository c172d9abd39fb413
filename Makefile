# The two commands of the README: `make run` and `make test`. Everything they need
# is installed here, so a fresh clone needs nothing done by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format messages lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements/dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $(STAMP)

install: $(STAMP)

# No beat runs without Redis, so a restart is where the figures catch up with a new year.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py recompute_progress
	@echo "SXTD Tracker: http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=sxtd.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the catalogue after changing user-facing text: new strings and their Vietnamese go in
# locale/pending/<topic>.json (msgid → translation) and are folded in here. The compiled .mo
# is committed so that a clone serves both languages without gettext installed.
messages: install
	$(BIN)/python manage.py makemessages --locale vi --no-obsolete --ignore '.venv/*'
	$(BIN)/python scripts/merge_translations.py
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

# Regenerate the lock files after changing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile --quiet pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
