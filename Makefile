# The two commands of the README:  `make serve` (build and serve the site) and `make test` (every test).
# Both set up everything they need on a fresh machine: a virtualenv with the locked Python
# packages (torch as the CPU build), KaTeX from npm, and for the tests Debian's Chromium.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build test test-blocks test-site page bench lock chromium clean term audit

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## Build the site and serve it with live reload at http://127.0.0.1:8000/
serve: setup
	@echo "Serving the site at http://127.0.0.1:8000/ (Ctrl-C stops)"
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## Build the site into site/ without serving it
build: setup
	$(BIN)/mkdocs build --strict

## Every test: all page blocks and claims, snippets as scripts, unit tests; then build; then the browser checks
test: setup chromium test-blocks build test-site
	@echo "All tests passed."

test-blocks: setup
	$(BIN)/python -m pytest -n 2 -m "not site" --cov --cov-fail-under=100

test-site: setup chromium
	$(BIN)/python -m pytest -n 2 -m site

## The whole loop for one page, e.g. `make page PAGE=local-minimum` (UPDATE=1 rewrites its output fences):
## its blocks, claims and lint, its tests, its snippet run as a script, ruff on its files
page: setup
	@[[ "$$PAGE" =~ ^[a-z0-9][a-z0-9-]*$$ && -f "docs/$$PAGE.md" ]] || { echo "PAGE must name a page in docs/, e.g. PAGE=local-minimum"; exit 2; }
	$(BIN)/python -m pytest -p no:randomly docs/$$PAGE.md $$(ls tests/test_$${PAGE//-/_}.py 2>/dev/null) $${UPDATE:+--update-outputs}
	@script=snippets/$${PAGE//-/_}.py; if [ -f $$script ]; then echo "== python $$script"; \
	  dir=$$(mktemp -d) && (cd $$dir && MPLBACKEND=Agg $(CURDIR)/$(BIN)/python $(CURDIR)/$$script) && rm -rf $$dir; fi
	$(BIN)/ruff check $$(ls snippets/$${PAGE//-/_}.py tests/test_$${PAGE//-/_}.py 2>/dev/null)
	$(BIN)/ruff format --check $$(ls snippets/$${PAGE//-/_}.py tests/test_$${PAGE//-/_}.py 2>/dev/null)

## Benchmarks (reported on the pages; not part of the tests)
bench: setup
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-bench-nodeps.txt
	@for b in benchmarks/*.py; do echo "== $$b"; OMP_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=268435456 $(BIN)/python $$b || exit 1; done

## Re-pin every package after changing pyproject.toml
lock: setup
	$(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//' > requirements.lock.new
	{ head -n 2 requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp && mv requirements.lock.tmp requirements.lock
	rm requirements.lock.new

clean:
	rm -rf site .cache .coverage

## A new glossary term from the template, e.g. `make term NAME="Learning rate"`
term: setup
	$(BIN)/python -m pipeline.scaffold "$(NAME)"

## Lighthouse scores and first-visit bytes of every page (a reported measurement, not a test)
audit: setup chromium
	@test -x node_modules/.bin/lighthouse || npm install --no-save --no-audit --no-fund --loglevel=error lighthouse@12.8.2
	$(BIN)/python -m pipeline.audit
