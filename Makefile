# Two commands matter on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := .demo/demo.db
STAMP  := $(VENV)/.installed

.PHONY: run test bench profile soak sample snapshot-update demo-reset clean i18n i18n-extract i18n-update i18n-check \
	browser-deps report-sample hq-db hq-db-stop

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The Chinese catalogue compiled (.po -> .mo) again when the .po is newer, e.g. after a pull:
# installing compiles it once, and a stale .mo makes every start compile the .po in memory
# (i18n.py), ~0.1 s more to open the app or a list (F3 1.49x -> 1.23x the bare list here).
PO := src/fieldtui/locale/zh_CN/LC_MESSAGES/fieldtui.po
MO := $(PO:.po=.mo)

$(MO): $(PO) $(STAMP)
	$(BIN)/python -c "from fieldtui.i18n import catalogue_paths, compile_po; po, mo = catalogue_paths('zh'); mo.write_bytes(compile_po(po))"

# A private copy, so the committed sample.db is never modified by the app.
$(DEMO): sample.db
	@mkdir -p .demo
	cp sample.db $(DEMO)
	chmod 600 $(DEMO)

run: $(STAMP) $(MO) $(DEMO)
	$(BIN)/fieldtui $(DEMO)

demo-reset:
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm
	$(MAKE) $(DEMO)

# Lint and package boundaries first (seconds), then the suite. Two workers a core (at most 8):
# much of a test's time is waiting (on a subprocess, a server, Textual's idle checks). Work
# stealing, because a few tests take 20-30 s and the rest about one: with it the 4 workers here
# finished within 12 s of each other (2026-12-01, 2-core machine: 408 s; the default scheduling,
# run next, 451 s with its workers 17 s apart, so partly noise; 6 workers: 495 s).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n * 2 > 8 ? 8 : n * 2 )))

# Bytecode written even where PYTHONDONTWRITEBYTECODE is set (it is on these machines): else every
# app and CLI process a test starts compiles fieldtui again, and every worker re-rewrites the tests'
# asserts. Fresh clones, tests/pg + multiprocess + cli, 4 workers: 366 -> 307 s and 363 -> 331 s
# of CPU (2026-12-02). __pycache__ is ignored by git.
test: $(STAMP) $(MO) browser-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The donor report's browser tests (tests/report) need Debian's chromium and a Chinese font. As
# root they are installed when missing; otherwise one line says those tests will be skipped.
# Under CI (CI set) a failed install stops here, and a missing browser fails the tests.
BROWSER_PKGS := chromium fonts-wqy-zenhei

browser-deps:
	@if [ -x /usr/bin/chromium ] && command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(BROWSER_PKGS) for the donor report's browser tests"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PKGS) >/dev/null; } \
		|| { [ -z "$$CI" ] && echo "could not install $(BROWSER_PKGS): the browser tests will be skipped"; }; \
	else echo "chromium or a Chinese font is missing: the donor report's browser tests will be skipped (make test installs them as root)"; fi

# docs/report-sample.png: sample.db's donor report as Chromium draws it (shown in the README).
report-sample: $(STAMP) browser-deps
	$(BIN)/python -m tests.report.chromium docs/report-sample.png

# tools/sample.py needs Faker: the `sample` extra, part of `test`.
sample: $(STAMP)
	$(BIN)/python -m tools.sample sample.db

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest tests/tui --snapshot-update

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

# Headquarters on PostgreSQL (README): a local cluster in .hq-db/, a Unix socket there, no TCP.
hq-db: $(STAMP)
	$(BIN)/python -m tools.hq_db start

hq-db-stop: $(STAMP)
	$(BIN)/python -m tools.hq_db stop

# Harlequin, a peer the bench measures, in a virtualenv of its own (its dependencies and pins stay
# out of ours); where it cannot be installed (no network) the bench says so and skips it.
PEERS_VENV  := benchmarks/.peers
PEERS_STAMP := $(PEERS_VENV)/.installed

$(PEERS_STAMP):
	@if $(PYTHON) -m venv $(PEERS_VENV) && $(PEERS_VENV)/bin/pip install --quiet harlequin; then touch $(PEERS_STAMP); \
	else echo "harlequin could not be installed: the bench will skip it"; fi

# Generates benchmarks/data/ on first use (cached, gitignored); prints the table, writes benchmarks/results.md.
bench: $(BENCH_STAMP) $(PEERS_STAMP) $(MO)
	$(BIN)/python -m benchmarks.run

# Where one benchmark figure spends its time, e.g. make profile FIGURE=summary N=1000000
profile: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.profile $(or $(FIGURE),summary) $(or $(N),1000000)

soak: $(STAMP)
	$(BIN)/python -m pytest -m slow -p no:xdist

# Translations (docs/i18n.md). After adding strings: `make i18n`, translate what it lists in
# the .po, then `make i18n-check`. Keywords (_ N_ _rule _field_error) live in tools/i18n_extract.py
# (babel.cfg names it, hence PYTHONPATH: tools/ is not installed).
LOCALE := src/fieldtui/locale
POT    := $(LOCALE)/fieldtui.pot

i18n-extract: $(STAMP)
	PYTHONPATH=$(CURDIR) $(BIN)/pybabel -q extract -F $(LOCALE)/babel.cfg -c Translators: --no-wrap --sort-by-file \
		--add-location=file --project fieldtui --copyright-holder "fieldtui contributors" \
		--msgid-bugs-address "" -o $(POT) src/fieldtui

i18n-update: i18n-extract
	$(BIN)/pybabel -q update -i $(POT) -d $(LOCALE) -D fieldtui -l zh_CN --no-wrap --ignore-obsolete

i18n: i18n-update
	@$(BIN)/python -m tools.i18n_extract

i18n-check: $(STAMP)
	$(BIN)/python -m pytest -p no:xdist tests/test_i18n_catalogue.py

clean:
	rm -rf $(VENV) .demo .pytest_cache
