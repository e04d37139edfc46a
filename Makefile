# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv demo test check lint typecheck test-deps clean train

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: venv
	$(VENV)/bin/graphkit build seeds --out out
	@echo
	@echo "graphkit is installed in $(VENV): run 'source $(VENV)/bin/activate' to put it on PATH"
	@echo "(or call $(VENV)/bin/graphkit), then e.g. graphkit query out allies-of --param group=Taliban"

# Browser and Gephi-Lite parser for the output tests, installed by the project itself.
test-deps: venv
	$(PY) tests/setup_deps.py

test: venv test-deps
	$(PY) -m pytest -q

# Retrain the entity-type, relation and modality models and the calibration from
# corpus/train (seeded: the same corpus gives the same files) into graphkit/data, then
# print their figures on the held-out split corpus/heldout, which training never reads.
# About 10 minutes on 2 cores (trained twice: once on four fifths, for the calibration;
# half the passages are read a second time with their groups renamed).
train: venv
	$(PY) -m graphkit.training.train

lint: venv
	$(VENV)/bin/ruff check graphkit tests benchmarks

typecheck: venv
	$(VENV)/bin/mypy graphkit

check: test lint typecheck

clean:
	rm -rf $(VENV) out build *.egg-info

# Each benchmark prints its ratio against a reference measured in the same run:
# extraction overhead against bare spaCy and the --workers speed-up; peak memory as
# the corpus grows tenfold; the embedded store against rdflib at 1M triples; a build
# of 10,000 documents with the share of each stage; the HTML view at 5,000 entities;
# the time to read HTML pages as they double in size (about 2 per doubling: linear);
# graphkit serve against Oxigraph's server under bursts, slow clients and attacks, and
# result formats at 100,000 rows against graphkit's earlier serializers.
# About 19 minutes on 2 cores. (benchmarks/big_input.py, a 100 MB file, is run by hand.)
.PHONY: bench
bench: venv test-deps
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/memory.py
	$(PY) benchmarks/sparql_store.py
	$(PY) benchmarks/build_throughput.py
	$(PY) benchmarks/html_view.py
	$(PY) benchmarks/html_scaling.py
	$(PY) benchmarks/serve_load.py
