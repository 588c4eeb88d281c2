# policykg task runner. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= data
HOST   ?= 127.0.0.1
PORT   ?= 8000

# The interpreter the virtualenv must be built with, and the one it was built with (if any).
PY_VER  := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_OK   := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
VENV_PY := $(shell [ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV_STAMP  := $(VENV)/.python-$(PY_VER)
SERVE_STAMP := $(VENV)/.installed-serve
TEST_STAMP  := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.DEFAULT_GOAL := help
.PHONY: help run test lint load validate serve bench eval clean browser

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# A .venv made by another Python (or a broken one) is said so and rebuilt, never reused.
$(VENV_STAMP):
	@test "$(PY_OK)" = 1 || { echo "error: policykg needs Python >= 3.11, but $(PYTHON) is $(or $(PY_VER),missing). Run e.g. make PYTHON=python3.11 ..." >&2; exit 2; }
	@if [ -d $(VENV) ] && [ "$(VENV_PY)" != "$(PY_VER)" ]; then \
	  echo "$(VENV) was built with Python $(or $(VENV_PY),<broken>), not $(PY_VER) ($(PYTHON)): removing and rebuilding it (same as make clean)."; \
	  rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet --upgrade pip; }
	touch $@

# Serving needs the package only; tests add pytest, clients, the Bolt server and reasoners.
$(SERVE_STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/pip install --quiet -e '.[test,bolt]'
	touch $@

$(BENCH_STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/pip install --quiet -e '.[bolt,bench]'
	touch $@

run: $(SERVE_STAMP) ## Install, build the graph from corpus/, validate it, serve the API on 127.0.0.1
	$(BIN)/policykg load corpus --data $(DATA)
	$(BIN)/policykg validate --data $(DATA)
	$(BIN)/policykg serve --data $(DATA) --host $(HOST) --port $(PORT)

load: $(SERVE_STAMP) ## Build the graph from corpus/ into $(DATA)
	$(BIN)/policykg load corpus --data $(DATA)

validate: $(SERVE_STAMP) ## Validate the stored graph against the SHACL shapes
	$(BIN)/policykg validate --data $(DATA)

serve: $(SERVE_STAMP) ## Serve the API over $(DATA) on $(HOST):$(PORT)
	$(BIN)/policykg serve --data $(DATA) --host $(HOST) --port $(PORT)

# A CJK font for the tests that make PDFs from corpus texts (Debian's fonts-wqy-microhei).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(CJK_FONT):
	apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei

browser: ## Debian's chromium and a CJK font for the page tests (CI runs as root; no browser download)
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-microhei)

test: $(TEST_STAMP) browser $(CJK_FONT) ## Install and run the whole test suite (real Oxigraph, real HTTP, real Bolt server, real Chromium)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(TEST_STAMP) ## ruff
	$(BIN)/ruff check .

bench: $(BENCH_STAMP) ## Benchmark figures at N = 200, 1,000 and 10,000 documents (ingest beside bulk_load, queries, validation, Neo4j)
	$(BIN)/python benchmarks/run.py

eval: $(SERVE_STAMP) ## Per-field extraction accuracy against tests/expected/ (hand-written facts)
	$(BIN)/python benchmarks/eval_extraction.py

clean: ## Remove the virtualenv and the default data directory
	rm -rf $(VENV) $(DATA) build *.egg-info
