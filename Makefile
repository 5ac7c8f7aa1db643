# Porch: `make run` serves the site with demo content; `make test` runs the whole test suite.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := PYTHONPATH=. $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/porch_test

.PHONY: run dev soak test test-pg migrate demo bench bench-import lint audit lock clean i18n translations

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Porch needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

migrate: $(VENV)/.runtime-installed
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) porch demo --if-empty

# gunicorn (gunicorn.conf.py: workers and threads sized from the machine, PORCH_WORKERS /
# PORCH_THREADS override) with the background worker (imports, the daily digest) beside it;
# Ctrl-C stops both.
run: demo translations
	@echo "Porch is serving on http://127.0.0.1:$(PORT)/ with gunicorn and a background worker (Ctrl-C to stop)"
	@$(FLASK) porch worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	PYTHONPATH=. $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

# The reloading development server (debugger on, readable logs) with the worker beside it.
dev: demo translations
	@echo "Porch (development server) on http://127.0.0.1:$(PORT)/ with a background worker (Ctrl-C to stop)"
	@$(FLASK) porch worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	PORCH_LOG_FORMAT=text $(FLASK) run --debug --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.dev-installed translations
	PYTHONPATH=. $(BIN)/pytest

# The same suite against PostgreSQL (CI runs this through .ci/run).
test-pg: $(VENV)/.dev-installed translations
	PYTHONPATH=. $(BIN)/python -m tests.pg_database create "$(PG_TEST_URL)"
	PORCH_TEST_DATABASE_URL="$(PG_TEST_URL)" PYTHONPATH=. $(BIN)/pytest

# Translations. `make i18n` extracts every wrapped string (babel.cfg: Python, Jinja, static/js)
# into messages.pot, brings each language's catalogue up to date (new strings arrive empty, to be
# translated), rewrites the right-to-left pseudo-locale, and compiles. The .mo files and
# static/i18n/*.json are built from the .po files (git-ignored), before run, dev and the tests.
I18N_DIR := forum/translations
I18N_LANGUAGES := de fr es
PO_FILES := $(wildcard $(I18N_DIR)/*/LC_MESSAGES/messages.po)

i18n: $(VENV)/.dev-installed
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k lazy_ngettext:1,2 --ignore-dirs=".* __pycache__" \
		--add-comments=Translators: --project=Porch --width=100 -o $(I18N_DIR)/messages.pot .
	for lang in $(I18N_LANGUAGES); do \
		$(BIN)/pybabel -q update --init-missing --width=100 -i $(I18N_DIR)/messages.pot \
			-d $(I18N_DIR) -l $$lang || exit 1; \
	done
	PYTHONPATH=. $(BIN)/python -m forum.i18n_build pseudo
	PYTHONPATH=. $(BIN)/python -m forum.i18n_build compile
	touch $(I18N_DIR)/.compiled

translations: $(I18N_DIR)/.compiled

$(I18N_DIR)/.compiled: $(PO_FILES) forum/i18n_build.py | $(VENV)/.runtime-installed
	PYTHONPATH=. $(BIN)/python -m forum.i18n_build compile
	touch $@

# Isso, the comparison in bench/serve_bench.py, in a venv of its own (it pins its own packages).
BENCH_VENV := .bench-venv
$(BENCH_VENV)/.isso-installed: | $(BIN)/python
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet isso==0.14.0 gunicorn==27.0.1
	touch $@

# In-process timings, then the serving benchmark (gunicorn, Isso, a bare Flask ceiling; SQLite and
# PostgreSQL; about 10 minutes; writes bench/results.md). `apt-get install wrk` for GETs.
bench: $(VENV)/.dev-installed $(BENCH_VENV)/.isso-installed
	PYTHONPATH=. $(BIN)/python -m bench.thread_page
	PYTHONPATH=. $(BIN)/python -m bench.moderation
	PYTHONPATH=. $(BIN)/python -m bench.search
	PYTHONPATH=. $(BIN)/python -m bench.spam
	PORCH_BENCH_ISSO_VENV=$(BENCH_VENV) PYTHONPATH=. $(BIN)/python -m bench.serve_bench

# 60 s of reading and posting through nginx to two gunicorn instances on PostgreSQL, one killed
# halfway and restarted: acknowledged replies stored once, no hangs (needs nginx, PostgreSQL, Redis).
soak: $(VENV)/.dev-installed
	PYTHONPATH=. $(BIN)/python -m bench.soak

# WordPress import of 10,000 and 100,000 generated comments on SQLite and PostgreSQL (minutes).
bench-import: $(VENV)/.dev-installed
	PYTHONPATH=. $(BIN)/python -m bench.import_wordpress

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check forum tests bench
	$(BIN)/mypy

# Supply chain: bandit over forum/ (settings in pyproject.toml; every finding is fixed or marked
# `# nosec BXXX  # why` where it stands), then pip-audit over the pinned requirements. pip-audit
# needs PyPI's vulnerability service: where it cannot be reached it says so and skips.
audit: $(VENV)/.dev-installed
	$(BIN)/bandit -c pyproject.toml -q -r forum
	PYTHONPATH=. $(BIN)/python -m tests.supply_chain

# Re-pin every transitive dependency after editing requirements*.in.
lock: | $(BIN)/python
	rm -rf /tmp/porch-lock && $(PYTHON) -m venv /tmp/porch-lock
	/tmp/porch-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Every runtime package, pinned. Edit requirements.in, then run \`make lock\`."; /tmp/porch-lock/bin/pip freeze; } > requirements.txt
	/tmp/porch-lock/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Test tooling, pinned, on top of requirements.txt. Edit requirements-dev.in, then run \`make lock\`."; echo "-r requirements.txt"; /tmp/porch-lock/bin/pip freeze | grep -vxFf requirements.txt; } > requirements-dev.txt

clean:
	rm -rf $(VENV)
