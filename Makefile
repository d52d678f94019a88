# Balai: `make run` sets up and starts everything; `make test` runs the whole test suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run test cluster-test install setup lint migrations messages screenshots bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `make setup` and `make run` are the demo: they ask for demo mode (public demo logins, /dev/pesan/ on
# 127.0.0.1). Everything else runs without it unless BALAI_DEMO is set (ADR 0017).
setup run: export BALAI_DEMO ?= 1

## Prepare the database and demo data (idempotent).
setup: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo

## Start the web server and the background worker on http://127.0.0.1:$(PORT).
run: setup
	@echo "Balai: http://127.0.0.1:$(PORT)/  (staff: /kantor/, admin: /admin/; Ctrl-C stops both)"
	$(BIN)/python manage.py run_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

## Two web nodes behind nginx and two workers under load (needs nginx and DATABASE_URL=postgres://...).
cluster-test: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest -q -n 0 -m cluster tests/ops/test_cluster.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r balai -q
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

messages:
	$(BIN)/python manage.py makemessages -l id -l en --no-obsolete --add-location file -i '.venv/*' -i 'var/*'

## Screenshots of the key pages (360 and 1280 px, both languages) into docs/screenshots/.
screenshots: install
	$(BIN)/python manage.py screenshots $(if $(URL),--url $(URL),)

## The benchmarks against a bare Django baseline in the same run, with their ratios (issue 18):
## the public pages (bench/public_pages.py: wrk, 2 gunicorn workers, the configured DATABASE_URL and cache,
## appended to bench/RESULTS.md; BENCH_ARGS=--no-record ...) and the submissions (bench/api_submit.py, in the
## PostgreSQL database SUBMIT_DB, default its own). BENCH=pages or BENCH=submit runs only one of them.
bench: install
	$(BIN)/python manage.py compile_translations
	$(if $(filter submit,$(BENCH)),,$(BIN)/python bench/public_pages.py $(BENCH_ARGS))
	$(if $(filter pages,$(BENCH)),,$(BIN)/python bench/api_submit.py $(if $(SUBMIT_DB),--database-url $(SUBMIT_DB),))

clean:
	rm -rf var/balai.sqlite3* var/static
