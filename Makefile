# The two promises of the README: `make run` and `make test`, both from a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test install lint backend-test clean

$(INSTALLED): backend/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e "backend[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: install
	$(VENV)/bin/mancrel run

lint: install
	cd backend && ../$(VENV)/bin/ruff check .

backend-test: install
	cd backend && ../$(PY) -m pytest -q -p no:cacheprovider

test: lint backend-test

clean:
	rm -rf $(VENV) backend/*.egg-info
