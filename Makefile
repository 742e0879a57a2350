# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint install bench clean studio

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/broadcaster render examples/column_demo.txt -o output
	@echo
	@echo "Done. In output/column_demo/: column_demo.prompter.html (open it in a browser; Space scrolls),"
	@echo "the prompter script (.prompter.txt), the rundown (.rundown.md), SRT subtitles per segment and for the"
	@echo "programme, and their QC reports (.qc.md). Add --audio for a rehearsal preview."

studio: $(STAMP)
	$(VENV)/bin/broadcaster serve

test: $(TEST_STAMP) lint
	$(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy broadcaster

bench: $(TEST_STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf output/*/ .pytest_cache .hypothesis
