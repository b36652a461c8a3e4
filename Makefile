# Two commands: `make run` (set up and serve the production-like site on SQLite) and `make test`
# (set up and run the suite). `make dev` is the auto-reloading development server.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# uv installs exactly uv.lock into .venv, with the interpreter that created it; never a downloaded one.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Trust the system certificate store (as pip does here), e.g. behind a TLS-inspecting proxy.
export UV_SYSTEM_CERTS := 1

# `make run` is production mode (DEBUG off: own error pages, hashed static files, gunicorn) on this
# machine: plain HTTP on 127.0.0.1 is allowed explicitly, everything else comes from the defaults
# (SQLite, the database cache) and the SECRET_KEY generated once into .env.
# A fresh machine has no mail relay: notifications are printed to the server's log instead.
RUN_ENV := DEBUG=false HTTPS_ONLY=false ALLOWED_HOSTS=$(HOST),localhost SITE_URL=http://$(HOST):$(PORT) \
	EMAIL_URL=$${EMAIL_URL:-consolemail://}

.PHONY: run dev test e2e bench install lock upgrade lock-check lint superuser clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# uv bootstraps from PyPI into the virtualenv; `uv sync` then replaces it with the locked version.
$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv>=0.13,<0.14'

# Exactly the lock (hashes checked); fails if pyproject.toml changed without `make lock`.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra test
	@touch $@

# A local .env: development mode for plain `manage.py` commands in this checkout, and a secret key
# generated once (kept across runs so sessions survive restarts). Production sets its own variables.
.env:
	@printf '# Local settings for this checkout; every variable is listed in .env.example.\nDEBUG=true\n' > $@
	@echo "Created .env (DEBUG=true) for local development."

install: $(STAMP) .env
	@grep -q '^SECRET_KEY=.' .env || { \
		printf 'SECRET_KEY=%s\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env; \
		echo "Generated a SECRET_KEY into .env."; }

# Refresh the lock within pyproject.toml's ranges (all packages), or only re-resolve what changed.
upgrade: | $(UV)
	$(UV) lock --upgrade
lock: | $(UV)
	$(UV) lock

lock-check: | $(UV)
	$(UV) lock --check

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py load_seeds
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) exec $(BIN)/gunicorn --config newsroom/gunicorn.conf.py --bind $(HOST):$(PORT) newsroom.wsgi

dev: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_seeds
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: install
	DEBUG=true $(BIN)/python manage.py createsuperuser

lint: install lock-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

# Real-browser journeys (Playwright on Debian's chromium) against a live server; screenshots go to
# build/e2e/. axe-core comes from npm at the version in package-lock.json.
E2E_DIR := build/e2e
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

e2e: install node_modules/.installed
	@mkdir -p $(E2E_DIR)
	DEBUG=true $(BIN)/pytest e2e -p no:cacheprovider --screenshots-dir=$(E2E_DIR) $(PYTEST_ARGS)
	@echo "Screenshots: $(abspath $(E2E_DIR))"

# Load benchmark: gunicorn on SQLite and on PostgreSQL + Redis, driven by wrk; prints ratios.
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info node_modules build
