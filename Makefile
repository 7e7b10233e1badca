# Two commands matter on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := .demo/demo.db
STAMP  := $(VENV)/.installed

.PHONY: run test bench profile soak sample snapshot-update demo-reset clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# A private copy, so the committed sample.db is never modified by the app.
$(DEMO): sample.db
	@mkdir -p .demo
	cp sample.db $(DEMO)
	chmod 600 $(DEMO)

run: $(STAMP) $(DEMO)
	$(BIN)/fieldtui $(DEMO)

demo-reset:
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm
	$(MAKE) $(DEMO)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

sample: $(STAMP)
	$(BIN)/python -m fieldtui.core.sample sample.db

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest tests/tui --snapshot-update

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

# Generates benchmarks/data/ on first use (cached, gitignored); prints the table, writes benchmarks/results.md.
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

# Where one benchmark figure spends its time, e.g. make profile FIGURE=summary N=1000000
profile: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.profile $(or $(FIGURE),summary) $(or $(N),1000000)

soak: $(STAMP)
	$(BIN)/python -m pytest -m slow -p no:xdist

clean:
	rm -rf $(VENV) .demo .pytest_cache
