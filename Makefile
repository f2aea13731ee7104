# Two commands: `make run` (set up everything and serve) and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mail, certificates and the API use SITE_URL: by default the address `make run` serves on.
SITE_URL ?= http://$(HOST):$(PORT)
ARGS ?=

# First Python >= 3.12 found: $PYTHON, then python3.x on PATH, then pyenv's versions.
define find_python
for c in "$$PYTHON" python3.14 python3.13 python3.12 \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
  [ -n "$$c" ] && command -v "$$c" >/dev/null 2>&1 \
    && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
    && { echo "$$c"; break; }; \
done
endef

.PHONY: help
help:
	@echo "make run     set up (.venv, dependencies, database, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (ARGS='-k name' to narrow it)"
	@echo "make lint    ruff check and format check"
	@echo "make format  apply ruff fixes and formatting"
	@echo "make bench   endpoint benchmark into docs/performance.md: recreates and seeds the database of DATABASE_URL"
	@echo "             (PostgreSQL, its name containing 'bench') at SCALE (default 100), needs REDIS_URL and wrk"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Removing $(VENV): it was made with a Python older than 3.12."; rm -rf "$(VENV)"; fi
	@if [ ! -x "$(PY)" ]; then \
	  py=$$($(find_python)); \
	  if [ -z "$$py" ]; then \
	    echo "error: Python 3.12 or newer is required and none was found." >&2; \
	    echo "       Install one (e.g. 'pyenv install 3.12') or point PYTHON at it: make run PYTHON=/path/to/python3.12" >&2; \
	    exit 1; fi; \
	  echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	  "$$py" -m venv "$(VENV)"; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.PHONY: install
install: $(VENV)/.installed

.PHONY: run
run: install
	$(PY) manage.py migrate --no-input --verbosity 0
	SITE_URL='$(SITE_URL)' $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (CMS: /cms/, admin: /admin/, API docs: /api/docs/)"
	SITE_URL='$(SITE_URL)' $(PY) manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install
	$(PY) -m pytest $(ARGS)

.PHONY: lint
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: format
format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: bench
SCALE ?= 100
bench: install
	$(PY) -m bench.endpoints --scale $(SCALE) --write docs/performance.md $(ARGS)
