# Two commands: `make run` (set up and start the dashboard on the demo) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
DATA   ?= data
DEMO_ARGS ?= --seed 2026 --scale 1 --kind referendum

.PHONY: run test setup setup-test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

setup: $(VENV)/.runtime

setup-test: $(VENV)/.test

demo: setup
	@test -f $(DATA)/current || $(BIN)/saylau demo --out $(DATA) $(DEMO_ARGS)

run: demo
	SAYLAU_DATA=$(DATA) $(BIN)/saylau serve --port $(PORT) -- --server.headless true

test: setup-test
	$(BIN)/python -m pytest

bench: setup-test
	status=0; for script in forensics metrics ingest pages; do $(BIN)/python benchmarks/bench_$$script.py || status=1; done; exit $$status

clean:
	rm -rf $(VENV) $(DATA)/snapshots $(DATA)/current
