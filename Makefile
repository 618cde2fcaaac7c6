# Renda: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

# Django 6 needs Python >= 3.12. Plain python3 is 3.11 on some machines and the
# pyenv shims for python3.13/3.12 exist but refuse to run unless selected, so
# each candidate is actually executed, not just looked up on PATH.
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) python3
FOUND_PYTHON := $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && echo $(p))))

.PHONY: run test venv check-python migrate demo e2e bench lint clean

check-python:
	@if [ -z "$(FOUND_PYTHON)" ]; then \
	  echo "错误 / error: Renda needs Python >= 3.12 (Django 6). Tried: $(PYTHON_CANDIDATES)."; \
	  echo "Install python3.13 or python3.12 and run make again."; exit 1; fi

$(STAMP): requirements/base.txt requirements/test.txt
	@$(MAKE) --no-print-directory check-python
	@test -x $(PY) || $(FOUND_PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/test.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import django, pytest, rjieba, chinese_calendar"
	$(PY) -m ruff --version > /dev/null
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: export RENDA_HTTPS ?= 0
demo: migrate
	$(PY) manage.py demo_data
	$(PY) manage.py open311_demo_key

# `make run` is a local demo: plain HTTP on 127.0.0.1, static files served by whitenoise.
run: export RENDA_HTTPS ?= 0
run: demo
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py runall

test: venv lint
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

# The rules are in pyproject.toml ([tool.ruff]); `make test` runs this first.
lint: venv
	$(PY) -m ruff check .

bench: venv
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3* media/ staticfiles/
