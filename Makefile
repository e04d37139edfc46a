# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv demo test check lint typecheck test-deps clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: venv
	$(VENV)/bin/graphkit build seeds --out out

# Browser and Gephi-Lite parser for the output tests, installed by the project itself.
test-deps: venv
	$(PY) tests/setup_deps.py

test: venv test-deps
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check graphkit tests

typecheck: venv
	$(VENV)/bin/mypy graphkit

check: test lint typecheck

clean:
	rm -rf $(VENV) out build *.egg-info

# Time to first render and to a filter response of the HTML view at 5,000 entities /
# 20,000 edges in headless Chromium.
.PHONY: bench
bench: venv test-deps
	$(PY) benchmarks/html_view.py
