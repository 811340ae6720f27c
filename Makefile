.PHONY: run test setup seed clean benchmark benchmark-postgres

PORT ?= 8000

# Bring the app up on SQLite with demo data at http://127.0.0.1:$(PORT) (make run PORT=8010)
run:
	scripts/system-packages.sh run
	scripts/setup.sh
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo --if-empty
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} .venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

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

# How page cost grows with the district, and how fast imports run (not part of the test suite).
# make benchmark SCHOOLS=1800; on PostgreSQL: make benchmark DATABASE_URL=postgres://…
benchmark: setup
	SCHOOLS=$(or $(SCHOOLS),1800) .venv/bin/python scripts/benchmark.py

# The same on a throw-away PostgreSQL server, as production runs.
benchmark-postgres: setup
	scripts/system-packages.sh test
	SCHOOLS=$(or $(SCHOOLS),1800) scripts/with-postgres.sh .venv/bin/python scripts/benchmark.py
