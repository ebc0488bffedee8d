# The commands in the README: `make run` (app on the shipped corpus), `make test` (whole suite), and
# `make team` / `make team-stop` (Chroma server + PostgreSQL server + app on 127.0.0.1; factcheck/servers/team.py).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export FACTCHECK_STORE ?= .factcheck/store
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test store chromium clean team team-stop

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: this installs the CPU build from the machine's disk, not a CUDA download.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

store: install
	$(VENV)/bin/factcheck ingest corpus/ --if-empty

run: store
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.headless true --browser.gatherUsageStats false

team: install
	$(VENV)/bin/factcheck team start --corpus corpus/

team-stop:
	$(VENV)/bin/factcheck team stop

# Debian's Chromium for the browser test (never a browser download by a test tool).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install chromium
	# Two workers, one compute thread each (tests/conftest.py): the suite fits the 2-core machines it runs on.
	$(PY) -m pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) .factcheck build *.egg-info
