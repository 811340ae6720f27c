.PHONY: run test setup seed clean benchmark benchmark-postgres benchmark-sqlite

PORT ?= 8000

# Bring the app up on SQLite with demo data at http://127.0.0.1:$(PORT) (make run PORT=8010), with
# the background worker that sends email beside it; stopping the server stops the worker too.
run:
	scripts/system-packages.sh run
	scripts/setup.sh
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo --if-empty
	export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	.venv/bin/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	.venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

# Everything CI checks: lint, types, migrations, deploy checks, SQLite, PostgreSQL, Chromium.
test:
	scripts/system-packages.sh test
	scripts/setup.sh
	scripts/test.sh

setup:
	scripts/system-packages.sh run
	scripts/setup.sh

seed: setup
	.venv/bin/python manage.py seed_demo --reset

clean:
	rm -rf .venv .cache db.sqlite3 staticfiles

# Every key page as production serves it (gunicorn, 4 workers, concurrent clients), at 40 schools
# and at city scale, on a throw-away PostgreSQL server; not part of the tests. Results also go to
# .cache/benchmark-results.md. Optional: SCALES=40,city CLIENTS=4 WORKERS=4 REQUESTS=6 ROUNDS=3.
benchmark: setup
	scripts/system-packages.sh test
	SCALES="$(SCALES)" CLIENTS="$(CLIENTS)" WORKERS="$(WORKERS)" REQUESTS="$(REQUESTS)" ROUNDS="$(ROUNDS)" \
		scripts/with-postgres.sh .venv/bin/python scripts/benchmark.py

benchmark-postgres: benchmark

# The same on a throw-away SQLite file, for a quick look (e.g. SCALES=40,1800).
benchmark-sqlite: setup
	SCALES="$(SCALES)" CLIENTS="$(CLIENTS)" WORKERS="$(WORKERS)" REQUESTS="$(REQUESTS)" ROUNDS="$(ROUNDS)" \
		DATABASE_URL= .venv/bin/python scripts/benchmark.py
