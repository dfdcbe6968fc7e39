# The two commands: `make run` (embedded: SQLite, filesystem broker, demo data) and `make test` (PostgreSQL, Redis).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run against the real services; override either to point elsewhere.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/datong)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)

.PHONY: run test venv system-deps services lint migrate seed bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

system-deps:
	bash scripts/system-deps.sh

services:
	bash scripts/services.sh "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_datong --demo

run: venv
	bash scripts/system-deps.sh --runtime
	HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Three passes: the independent tests in parallel (pytest-xdist, one worker per core); then, one at a time, the tests
# that start a Celery worker on the shared Redis; then the browser journeys, in a process of their own (Playwright's
# sync API keeps an event loop running in the main thread, which Django's async views cannot share).
TEST_WORKERS ?= 2
test: venv system-deps services lint
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ENV=test \
		$(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser and not celery" $(PYTEST_ARGS)
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ENV=test \
		$(VENV)/bin/pytest -m "celery and not browser" $(PYTEST_ARGS)
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ENV=test \
		$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/datong_bench

# `make bench FRESH=1` drops the benchmark database first, so the full-scale seed is timed again.
bench: venv services
	$(if $(FRESH),dropdb -h 127.0.0.1 -U postgres --if-exists datong_bench,)
	createdb -h 127.0.0.1 -U postgres datong_bench 2>/dev/null || true
	DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) manage.py migrate --noinput -v0
	DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ENV=development $(PY) manage.py benchmark $(BENCH_ARGS)

clean:
	rm -rf var staticfiles .pytest_cache
