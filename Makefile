.PHONY: run test setup system-packages seed clean benchmark

# Bring the app up on SQLite with demo data at http://127.0.0.1:8000
run: setup
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo --if-empty
	.venv/bin/python manage.py runserver 127.0.0.1:8000

# Everything CI checks: lint, types, migrations, deploy checks, SQLite, PostgreSQL, Chromium.
test: system-packages setup
	scripts/test.sh

setup:
	scripts/setup.sh

system-packages:
	scripts/system-packages.sh

seed: setup
	.venv/bin/python manage.py seed_demo --reset

clean:
	rm -rf .venv .cache db.sqlite3 staticfiles

# How page cost grows with the district (not part of the test suite): make benchmark SCHOOLS=1800
benchmark: setup
	SCHOOLS=$(or $(SCHOOLS),1800) .venv/bin/python scripts/benchmark.py
