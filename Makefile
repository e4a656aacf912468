# The two commands of the README:  `make serve` (build and serve the site) and `make test` (every test).
# Both set up everything they need on a fresh machine: a virtualenv with the locked Python
# packages (torch as the CPU build), Temml from npm (math as MathML at build time), and for the tests Debian's Chromium.

# Every recipe line fails on the first failing command, also inside a pipe.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .venv-bench
# PyTorch's CPU wheel index: the only source of torch's CPU build (the locks hold its SHA-256).
# Where it cannot be reached, set-up leaves it out and pip takes torch from this machine's own pip
# sources (pip.conf's find-links or mirrors), still only a file whose SHA-256 is the locked one.
# `make lock TORCH_CPU_INDEX=...` resolves from a PEP 503 index holding the same wheels.
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
# Installs take only the pinned, hashed files of a lock, and only wheels: an sdist build would pull
# unpinned build dependencies. pip and setuptools themselves are in the lock (dependency group `setup`).
# --no-deps: the lock is the whole tree (pip's hash mode would refuse `coverage[toml]`, an extra the lock
# pins by name only); `pip check` then proves every dependency is there at a matching version.
PIP_INSTALL := install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: --no-deps
# The locker: uv (pinned in the dev extra), resolving pyproject.toml for CI's Python on Linux x86_64.
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.7 \
  --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" --group pyproject.toml:setup
# pip's option for PyTorch's CPU index, or nothing where it does not answer within 10 s.
TORCH_CPU_SOURCE = $$($(PYTHON) -c 'import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1], method="HEAD"), timeout=10)' \
  $(TORCH_CPU_INDEX)/torch/ 2>/dev/null && echo --extra-index-url $(TORCH_CPU_INDEX) \
  || echo "PyTorch's CPU index is unreachable: torch must come from this machine's pip sources, with the locked hash" >&2)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
# Values from the command line reach recipes as environment variables, never pasted into shell text.
export NAME PAGE UPDATE
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build test test-blocks test-site page bench lock chromium clean term audit device-record measure

setup: $(VENV)/.installed node_modules/.installed

# --clear: the virtualenv holds exactly the lock, nothing left from an earlier one.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip $(PIP_INSTALL) $(TORCH_CPU_SOURCE) -r requirements.lock
	$(BIN)/python -m pip check --disable-pip-version-check
	touch $@

$(BENCH_VENV)/.installed: requirements-bench.lock
	$(PYTHON) -m venv --clear $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip $(PIP_INSTALL) $(TORCH_CPU_SOURCE) -r requirements-bench.lock
	$(BENCH_VENV)/bin/python -m pip check --disable-pip-version-check
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
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not site" --cov --cov-fail-under=100

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

## On a machine with an NVIDIA GPU (torch's CUDA build): run every page there and commit records/cuda.json
device-record: setup
	$(BIN)/python -m pipeline.devices

## Benchmarks, in their own virtualenv .venv-bench: each run is recorded in benchmarks/results/<name>.json
## (commit it); pages show those records (pipeline/bench.py), never typed tables. Not part of the tests.
bench: $(BENCH_VENV)/.installed
	@for b in benchmarks/*.py; do echo "== $$b"; OMP_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=268435456 $(BENCH_VENV)/bin/python -m pipeline.bench $$b; done

## Time each phase of `make test` here; recorded in benchmarks/results/phases.json
measure: setup chromium
	$(BIN)/python -m pipeline.bench benchmarks/suite/phases.py

## Re-resolve the three hashed locks from pyproject.toml (and requirements-bench.in); unchanged pins stay
lock: $(VENV)/.installed
	$(UV_COMPILE) pyproject.toml --extra test --extra dev --index pytorch-cpu=$(TORCH_CPU_INDEX) -o requirements.lock
	$(UV_COMPILE) pyproject.toml --extra test --no-sources -o requirements-cuda.lock
	$(UV_COMPILE) pyproject.toml requirements-bench.in --extra test --index pytorch-cpu=$(TORCH_CPU_INDEX) \
	  -c requirements.lock -o requirements-bench.lock

clean:
	rm -rf site .cache .coverage

## A new glossary term from the template, e.g. `make term NAME="Learning rate"`
term: setup
	$(BIN)/python -m pipeline.scaffold "$$NAME"

## Page speed as a gate (after make build): DOM elements and first-visit bytes of every page, Lighthouse
## (mobile) on the three heaviest; records benchmarks/results/audit.json and the README's table from it;
## fails naming each page below a target (pipeline/audit.py)
audit: setup chromium
	@test -x node_modules/.bin/lighthouse || npm install --no-save --no-audit --no-fund --loglevel=error lighthouse@12.8.2
	$(BIN)/python -m pipeline.audit
