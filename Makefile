# policykg task runner. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= data
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint load validate serve bench eval clean browser

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bolt,bench]'
	touch $(STAMP)

run: $(STAMP) ## Install, build the graph from corpus/, validate it, serve the API on 127.0.0.1
	$(BIN)/policykg load corpus --data $(DATA)
	$(BIN)/policykg validate --data $(DATA)
	$(BIN)/policykg serve --data $(DATA) --host $(HOST) --port $(PORT)

# A CJK font for the tests that make PDFs from corpus texts (Debian's fonts-wqy-microhei).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(CJK_FONT):
	apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei

browser: ## Debian's chromium and a CJK font for the page tests (CI runs as root; no browser download)
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-microhei)

test: $(STAMP) browser $(CJK_FONT) ## Install and run the whole test suite (real Oxigraph, real HTTP, real Bolt server, real Chromium)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff
	$(BIN)/ruff check .

bench: $(STAMP) ## Print benchmark figures at N = 100, 1,000 and 10,000 documents
	$(BIN)/python benchmarks/run.py

eval: $(STAMP) ## Per-field extraction accuracy against tests/expected/ (hand-written facts)
	$(BIN)/python benchmarks/eval_extraction.py

clean: ## Remove the virtualenv and the default data directory
	rm -rf $(VENV) $(DATA) build *.egg-info
