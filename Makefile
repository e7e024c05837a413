# The two commands: `make run` serves the app, `make test` runs the tests.
# Both set up everything they need in .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app complaints
STAMP := $(VENV)/.installed

.PHONY: run test bench check-schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	$(PY) -m complaints.init_instance
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) deadlines run
	@echo "Demo logins (instance/demo-logins.txt):"; cat instance/demo-logins.txt
	@echo "Serving on http://127.0.0.1:5000"
	$(VENV)/bin/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

test: $(STAMP)
	$(VENV)/bin/pytest

bench: $(STAMP)
	@ls bench/*.py >/dev/null 2>&1 && for f in bench/*.py; do $(PY) $$f; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) instance .pytest_cache
