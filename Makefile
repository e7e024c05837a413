# The two commands: `make run` serves the app, `make test` runs the checks and the tests.
# Both set up everything they need first (.venv; for the tests also the browser and axe-core).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app complaints.app
STAMP := $(VENV)/.installed
# `make run PORT=8080` to serve elsewhere.
PORT ?= 5000
AXE := node_modules/axe-core/axe.min.js
# What the browser tests and the PDF check need from Debian.
DEBIAN_PACKAGES := chromium fonts-noto-cjk poppler-utils

.PHONY: run test check browser-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	$(PY) -m complaints.cli.instance
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) deadlines run
	@echo "Demo logins (instance/demo-logins.txt):"; cat instance/demo-logins.txt
	@echo "Serving on http://127.0.0.1:$(PORT); the outbox worker sends (or, with the log sender, records) each SMS"
	$(FLASK) outbox run & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	    PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

# Lint and types: imports sorted, complexity, pyflakes; mypy over the package.
check: $(STAMP)
	$(VENV)/bin/ruff check complaints tests bench scripts migrations wsgi.py gunicorn.conf.py
	$(VENV)/bin/mypy

$(AXE):
	npm install --no-save --no-audit --no-fund --silent axe-core@4

browser-deps: $(AXE)
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q $(DEBIAN_PACKAGES) >/dev/null \
	        || { apt-get update -q >/dev/null && apt-get install -y -q $(DEBIAN_PACKAGES) >/dev/null; }; \
	fi

test: check browser-deps
	BROWSER_TESTS=required $(VENV)/bin/pytest

bench: $(STAMP)
	@ls bench/*.py >/dev/null 2>&1 && for f in bench/*.py; do $(PY) $$f; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules
