# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: install run test lint messages lock worker clean bench loadtest

$(STAMP): requirements/base.txt requirements/dev.txt requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt -c requirements/constraints.txt
	$(MAKE) --no-print-directory messages
	touch $(STAMP)

CATALOGUE := locale/nl/LC_MESSAGES/django
install: $(STAMP) $(CATALOGUE).mo

# Compile the translations (the .po is committed; the .mo is built here, again whenever the
# .po is newer, so `make run` and `make test` never show stale Dutch).
messages:
	cd $(CURDIR) && DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=var -v0

$(CATALOGUE).mo: $(CATALOGUE).po | $(STAMP)
	$(MAKE) --no-print-directory messages

# Serve the demo on http://127.0.0.1:8000 with a Celery worker and beat on the embedded broker.
run: $(STAMP) $(CATALOGUE).mo
	@mkdir -p var/celery-queue/processed
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input -v0
	DJANGO_DEBUG=1 $(MANAGE) load_reference_data
	DJANGO_DEBUG=1 $(MANAGE) seed_demo --if-empty
	@trap 'kill 0' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
		--schedule=var/celerybeat-schedule > var/celery.log 2>&1 & \
	echo "Celery worker and beat started (log: var/celery.log)"; \
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

# A development Celery worker on its own (production runs worker and beat as services).
worker: $(STAMP)
	@mkdir -p var/celery-queue/processed
	DJANGO_DEBUG=1 $(BIN)/celery -A config worker --loglevel=INFO

test: $(STAMP) $(CATALOGUE).mo
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed against ../shared/PERFORMANCE.md, on databases of its own (see bench/run): every page
# and job at 1,000 clients and at CLIENTS (100000 by default; BENCH_CLIENTS works too), a table
# and var/bench/latest.json; BENCH_DATABASE_URL=postgres://... adds PostgreSQL.
# `./bench/run parts` runs the three earlier benchmarks (KPIs, import, matching) in more detail.
bench: $(STAMP)
	CLIENTS="$(CLIENTS)" ./bench/run

# Simulated coaches, account managers and managers against gunicorn, PostgreSQL and Redis on
# this machine, loopback only, for a fixed time (see loadtest/run; its database needs root).
# LOADTEST_USERS=50, LOADTEST_TIME=120s, LOADTEST_CLIENTS=5000 by default.
loadtest: $(STAMP) $(CATALOGUE).mo
	./loadtest/run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-pin the full dependency tree after changing requirements/*.txt.
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^pip==' > requirements/constraints.txt

clean:
	rm -rf $(VENV) var
