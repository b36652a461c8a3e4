# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and run the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install lint superuser clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# A local .env switches this checkout to development mode, so plain `manage.py` commands work here;
# production sets its variables itself and never runs this.
.env:
	@printf '# Local development settings; every variable is listed in .env.example.\nDEBUG=true\n' > $@
	@echo "Created .env (DEBUG=true) for local development."

install: $(STAMP) .env

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_seeds
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: install
	DEBUG=true $(BIN)/python manage.py createsuperuser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

# Load benchmark: gunicorn on SQLite and on PostgreSQL + Redis, driven by wrk; prints ratios.
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
