# Two commands: `make run` serves the site on SQLite (and runs the mail worker beside it),
# `make test` runs the whole suite.
# `make demo` serves seed_demo's cohort as deployed (DEBUG off) and prints its logins.
VENV ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run demo test test-fast lint format check clean bench bench-tiny mutation

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	@echo ""
	@echo "  Skill Tree is serving at http://127.0.0.1:$(PORT)/"
	@echo "  Make an admin account (in another terminal): $(PY) manage.py createsuperuser"
	@echo "  Mail is sent by the worker started beside the server and printed here."
	@echo ""
	$(PY) manage.py mail_worker & trap 'kill $$!' EXIT; $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The demo is served as deployed (DEBUG off, whitenoise's collected static files), so a mistyped
# address shows the product's own 404, not Django's debug page; on plain http at 127.0.0.1, with
# email printed to the console. The key is for this demo only and known to all: never deploy it.
DEMO_ENV := DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY=skilltree-demo-only-key-known-to-everyone-never-use-it-for-real-data \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	DJANGO_SECURE_HSTS_SECONDS=0 DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py seed_demo --force
	@echo ""
	@echo "  Skill Tree is serving the demo at http://127.0.0.1:$(PORT)/ with the logins above."
	@echo ""
	$(DEMO_ENV) $(PY) manage.py mail_worker & trap 'kill $$!' EXIT; $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

# Everything but the Chromium journeys and the tests that start processes.
# Two workers (pytest-xdist): the fast tier has grown past a minute in one process on two cores.
test-fast: install
	$(PY) -m pytest -m "not browser and not slow" -n 2

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: lint test

# The bench (bench/README.md): PostgreSQL at 127.0.0.1:5432 and wrk; writes bench/results.md.
BENCH_SIZES ?= 200,2000
BENCH_DURATION ?= 3

bench: install
	$(PY) -m bench.run --sizes $(BENCH_SIZES) --duration $(BENCH_DURATION)

# CI's smoke: every page at 20 learners for 2 s each; the table goes to bench/.run/, not results.md.
bench-tiny: install
	$(PY) -m bench.run --sizes 20 --duration 2 --passes 1 --no-profile --output bench/.run/results-tiny.md

# Mutation testing (docs/testing.md): mutmut plants small bugs in the rule modules, one at a time,
# and runs the fast tests that read each one; a bug no test notices is a survivor. Not part of CI.
# Needs PostgreSQL: two mutants at a time, each on a test database of its own (a slot, reused
# with --reuse-db: tests/conftest.py), so their tests never meet.
MUTATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/skilltree_mutation

mutation: install
	rm -rf mutants
	DATABASE_URL=$(MUTATION_DATABASE_URL) MUTATION_DATABASE_SLOTS=1 $(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

clean:
	rm -rf $(VENV) mutants staticfiles .pytest_cache .ruff_cache
