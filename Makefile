# Trechter developer loop. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.installed-$(shell sha1sum < pyproject.toml | cut -c1-12)

.PHONY: run test lint format bench system-deps messages clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@rm -f $(VENV)/.installed-* && touch $@

## run: install, migrate SQLite, load the seed agenda if the database is empty, serve on http://127.0.0.1:8000
run: $(STAMP)
	TRECHTER_DEBUG=$${TRECHTER_DEBUG:-1} $(VENV)/bin/trechter run $(ADDR)

## test: install what the tests need (Python deps; as root Debian's chromium) and run the whole suite
test: $(STAMP) system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Debian packages the tests need: chromium for tests/e2e (Playwright cannot download browsers
# here); cairo for cairosvg (the funnel figure as PNG in the DOCX); poppler-utils (pdftoppm) and
# LibreOffice Writer to render the generated PDF and DOCX in tests; fonts for all of them.
BROWSER_PACKAGES := chromium fonts-dejavu-core
DOCUMENT_PACKAGES := fonts-liberation2 libcairo2 poppler-utils libreoffice-writer-nogui
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ] || [ ! -x /usr/bin/soffice ] || ! ldconfig -p | grep -q libcairo.so.2; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DOCUMENT_PACKAGES) >/dev/null; \
	  else echo "the tests need Debian packages: sudo apt-get install $(BROWSER_PACKAGES) $(DOCUMENT_PACKAGES)" >&2; exit 1; fi; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	TRECHTER_DEBUG=1 $(VENV)/bin/mypy trechter/seed trechter/analytics trechter/versions trechter/accounts trechter/search trechter/vocabulary.py trechter/settings.py trechter/agenda/queries.py trechter/agenda/funnel.py trechter/agenda/forms.py trechter/agenda/views trechter/actors/queries.py trechter/pagecache.py trechter/api trechter/reports trechter/exchange trechter/evidence trechter/partners trechter/topics trechter/assessment trechter/funding trechter/fof
	TRECHTER_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## bench: benchmark harness; prints figures and ratios against a baseline measured in the same run
# bench/run.py: seed and query figures; bench/reports.py: the agenda document per format;
# bench/exchange.py: exports and import checks per format; bench/pages.py: page latency under load;
# the CORDIS evidence (they read ../shared/data/cordis): bench/cordis_import.py (whole import vs a
# plain polars read, SQLite and PostgreSQL), bench/network.py, bench/resolution.py, bench/themes.py,
# bench/regions.py, bench/recommend.py, bench/consortium.py, bench/topics.py; bench/mcda.py (synthetic scores)
bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/reports.py
	$(PY) bench/exchange.py
	$(PY) bench/pages.py
	$(PY) bench/cordis_import.py --postgres
	$(PY) bench/network.py
	$(PY) bench/resolution.py
	$(PY) bench/themes.py
	$(PY) bench/regions.py
	$(PY) bench/recommend.py
	$(PY) bench/consortium.py
	$(PY) bench/topics.py
	$(PY) bench/mcda.py

## messages: refresh and compile the Dutch and English translations (needs gettext)
messages: $(STAMP)
	cd trechter && TRECHTER_DEBUG=1 ../$(PY) ../manage.py makemessages -l nl -l en --no-obsolete -e html,txt,py,svg
	cd trechter && TRECHTER_DEBUG=1 ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
