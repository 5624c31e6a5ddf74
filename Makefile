# Samtrygg. The two set-up commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
BIN := $(VENV)/bin
SAMTRYGG := $(BIN)/samtrygg
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Python keeps the modules it compiles (__pycache__, ignored by git) even where the environment
# says not to: every pytest worker, and every server, job worker and command a test starts,
# would otherwise compile Django, the libraries and the project again (about 6 s of CPU for a
# start of Django, 17 s for a pytest worker's collection).
unexport PYTHONDONTWRITEBYTECODE

# where make demo and make serve listen (make demo ADDR=127.0.0.1:8080)
ADDR ?= 127.0.0.1:8000

.PHONY: system install install-test demo serve test lint typecheck test-sqlite test-postgres test-browser bench services browser clean messages

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact
	@touch $@

$(VENV)/.installed-test: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact --extra test
	@touch $@ $(VENV)/.installed

messages: $(VENV)/.installed
	$(SAMTRYGG) compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v 0

system:
	@bash scripts/system-packages.sh libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation gettext

## install: the .venv with the locked dependencies, the front-end packages, translations
install: system $(VENV)/.installed node_modules/.package-lock.json messages

install-test: system $(VENV)/.installed-test node_modules/.package-lock.json messages

## demo: install, migrate, load the demo, serve on http://127.0.0.1:8000 with the job worker
demo: install
	$(SAMTRYGG) migrate --no-input -v 0
	$(SAMTRYGG) loaddemo
	$(SAMTRYGG) serve $(ADDR)

serve: install
	$(SAMTRYGG) serve $(ADDR)

## test: lint, types, tests on SQLite and PostgreSQL, browser tests in Chromium
test: install-test services browser lint typecheck test-sqlite test-postgres test-browser

services:
	@bash scripts/ensure-services.sh

browser:
	@bash scripts/system-packages.sh chromium poppler-utils
	@echo "Webbläsare: $$(chromium --version)"

lint: install-test
	@echo "== ruff (lint och format)"
	$(BIN)/ruff check samtrygg tests benchmarks
	$(BIN)/ruff format --check samtrygg tests benchmarks
	@echo "== import-linter (lagren: analysis utan Django, core utan appar, apparna utan cykler)"
	$(BIN)/lint-imports --no-cache

typecheck: install-test
	@echo "== mypy"
	$(BIN)/mypy samtrygg

PYTEST := $(BIN)/python -m pytest -p no:cacheprovider --durations=10

test-sqlite: install-test
	@echo "== pytest på SQLite"
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) -n 2 -m "not browser"

test-postgres: install-test services
	@echo "== pytest på PostgreSQL (127.0.0.1:5432)"
	@# Tests that touch no database ran in the SQLite stage; here only those that do
	@# (SAMTRYGG_DATABASE_TESTS_ONLY, see tests/conftest.py).
	SAMTRYGG_DATABASE_TESTS_ONLY=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(PYTEST) -n 2 -m "not browser and not fulldata"

test-browser: install-test browser
	@echo "== Playwright i Chromium ($$(chromium --version)) på SQLite"
	@# Two workers, each with its own live server, test database and Chromium.
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) -n 2 -m browser

## bench: performance runs against their reference implementations
bench: install-test
	@bash scripts/system-packages.sh wrk
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/static
