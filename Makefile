# Lotura: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LANGS := eu es fr en
CATALOGUES := web/translations

.PHONY: run test setup i18n i18n-extract i18n-update i18n-compile lint format bench clean-venv data

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## setup: virtual environment, dependencies, compiled catalogues, Neo4j jars
setup: $(STAMP) i18n-compile
	$(BIN)/lotura db fetch

## run: start Neo4j, load the bundled data if the graph is empty, serve http://127.0.0.1:5000
run: setup
	$(BIN)/lotura up

## test: the whole suite against a real Neo4j and headless Chromium
test: setup
	$(BIN)/ruff check graphsvc loaders web lotura tests bench
	$(BIN)/python -m pytest $(PYTEST_ARGS)

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 --no-location --sort-output -o $(CATALOGUES)/messages.pot .

i18n-update: i18n-extract
	for l in $(LANGS); do \
	  if [ -f $(CATALOGUES)/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) -l $$l; \
	  else $(BIN)/pybabel init -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) -l $$l; fi; \
	done

i18n-compile: $(STAMP)
	@if ls $(CATALOGUES)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile --statistics -d $(CATALOGUES); fi

## i18n: extract, update and compile the catalogues
i18n: i18n-update i18n-compile

lint: $(STAMP)
	$(BIN)/ruff check graphsvc loaders web lotura tests bench

format: $(STAMP)
	$(BIN)/ruff format graphsvc loaders web lotura tests bench

## data: rebuild the bundled extract in data/ from ../shared/data
data: $(STAMP)
	$(BIN)/python -m loaders.extract --shared ../shared/data --out data

## bench: the benchmarks that need no running database, against their baselines (bench/run_all.py)
bench: setup
	$(BIN)/python -m bench.run_all
