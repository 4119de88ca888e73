# The two promises of the README: `make run` and `make test`, both from a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test install lint backend-test fuzz probe notebooks clean

# One line per slow step, with a spinner and its time; a step's output is shown only if it fails.
STEP = $(PYTHON) -P backend/mancrel/core/console.py

$(INSTALLED): backend/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	@test -x $(PY) || $(STEP) "Python environment created" -- $(PYTHON) -m venv $(VENV)
	@$(STEP) "pip upgraded" -- $(PY) -m pip install --quiet --upgrade pip
	@$(STEP) "Python packages installed" -- $(PY) -m pip install --quiet -e "backend[dev]"
	@touch $(INSTALLED)

install: $(INSTALLED)

# The local demo may poll stand-in shops on loopback; MANCREL_FETCH_ALLOWED_NETWORKS= (empty) gives production's rule.
run: install frontend-build
	MANCREL_FETCH_ALLOWED_NETWORKS=$${MANCREL_FETCH_ALLOWED_NETWORKS-127.0.0.0/8,::1/128} $(VENV)/bin/mancrel run

lint: install
	cd backend && ../$(VENV)/bin/ruff check .
	cd backend && ../$(PY) tests/test_import_graph.py  # fails on any import circle in mancrel/

backend-test: install
	command -v dovecot >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update && $$SUDO apt-get install -y dovecot-imapd; }
	# tests/infrastructure: nginx, Prometheus (promtool), its database and Redis exporters, shellcheck
	{ command -v nginx && command -v promtool && command -v prometheus-postgres-exporter && command -v prometheus-redis-exporter && command -v shellcheck; } >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update && $$SUDO apt-get install -y nginx prometheus prometheus-postgres-exporter prometheus-redis-exporter shellcheck; }
	cd backend && ../$(PY) -m pytest -q -p no:cacheprovider

test: lint backend-test frontend-test e2e

# Schemathesis over the whole OpenAPI as an admin and as a rep, on its own embedded servers:
# fails on any 5xx or response outside the schema. FUZZ_EXAMPLES per operation (default 25), FUZZ_SEED.
fuzz: install
	cd backend && ../$(PY) tests/fuzz/openapi_fuzz.py

# The black-box probe of issue #24 against a real `mancrel run` (its own data folder and port):
# odd catalogue events, input edges, merges, logins, refresh races, audit, search, /metrics,
# the embedded servers' credentials and the supervisor's restarts. About five minutes.
probe: install frontend-build
	cd backend && ../$(PY) tests/probe/run_probe.py

# ml_notebooks/: the model-evaluation and vector notebooks, rebuilt (and executed) from the JSON
# outputs of bench/; NOTEBOOKS_ARGS=--vectors re-measures pgvector against Qdrant first (minutes).
notebooks: install
	$(PY) -m pip install --quiet -r ml_notebooks/requirements.txt
	$(PY) ml_notebooks/build.py $(NOTEBOOKS_ARGS)

# Web app (frontend/): npm ci once per lockfile, a build only when a source changed, and the
# Playwright journeys against a real `mancrel run` (Debian's Chromium, installed when missing).
FRONTEND_STAMP := frontend/node_modules/.package-lock.json
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json -type f 2>/dev/null)

.PHONY: frontend-install frontend-build frontend-test e2e

$(FRONTEND_STAMP): frontend/package-lock.json
	@$(STEP) "web app packages installed" -- npm --prefix frontend ci --no-audit --no-fund
	@touch $(FRONTEND_STAMP)

frontend-install: $(FRONTEND_STAMP)

frontend/dist/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	@$(STEP) "web app built" -- npm --prefix frontend run build

frontend-build: frontend/dist/index.html

frontend-test: frontend-install install
	cd frontend && npm run typecheck && npm run lint && npm test && npm run check:api

e2e: frontend-build install
	test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }
	cd frontend && node e2e/run.mjs

clean:
	rm -rf $(VENV) backend/*.egg-info
