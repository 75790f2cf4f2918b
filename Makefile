# The README's commands. Each bootstraps .venv with pip unless a virtualenv or conda env is active.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ifneq ($(VIRTUAL_ENV)$(CONDA_PREFIX),)
PY := python
ENV :=
else
PY := .venv/bin/python
ENV := .venv/.installed
endif

PYTEST_ARGS ?=
# JupyterLab refuses to start as root (containers) unless told so
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help test figures lab app notebooks student answers bench lint clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	.venv/bin/python -m pip install --quiet --upgrade pip
	.venv/bin/python -m pip install --quiet -e '.[notebooks,test,browser]'
	touch $@

test: $(ENV)  ## run the whole test suite (unit, statistical, notebooks, widgets, browser)
	$(PY) -m pytest tests notebooks --nbval-lax $(PYTEST_ARGS)

figures: $(ENV)  ## regenerate figures/ and figures/summary.md
	$(PY) -m analogkit figures --out figures

# Rooted at the repository, so that README.md and docs/ open from the file browser too.
lab: $(ENV)  ## JupyterLab at 127.0.0.1, opened on notebooks/ (token authentication on)
	$(PY) -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
		--FileContentsManager.preferred_dir=notebooks $(ROOT_FLAG)

# Voila on 127.0.0.1:8866 with a token (AK_TOKEN, else a fresh random one; the URL is printed).
# Each page load starts a kernel; one whose page has closed is shut down after 30 s idle (checked
# every 5 s). tools/serve_app.py holds the command line; tests/browser/test_app_server.py runs it.
app: $(ENV)  ## the asymmetry explorer served by Voila at 127.0.0.1 (token authentication on; kernels of closed pages shut down after 30 s idle)
	$(PY) tools/serve_app.py

notebooks: $(ENV)  ## re-execute every notebook in place (run after changing code a notebook uses)
	$(PY) tools/run_notebooks.py notebooks/*.ipynb

DIR ?= student
student: $(ENV)  ## the notebooks without their solution cells, for students, into DIR (default student/)
	$(PY) tools/handouts.py student "$(DIR)"

answers: $(ENV)  ## the answer key (answers/answer_key.md) and the notebooks with solution outputs
	$(PY) tools/handouts.py answers answers

bench: $(ENV)  ## speed and latency measurements (the browser one when Chromium is installed)
	$(PY) benchmarks/bench_devices.py
	$(PY) benchmarks/bench_algorithms.py
	$(PY) benchmarks/bench_widgets.py
	$(PY) benchmarks/bench_networks.py
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || [ -n "$$AK_CHROMIUM" ]; then \
		$(PY) benchmarks/bench_widgets_browser.py; \
	else \
		echo "bench_widgets_browser.py skipped: no Chromium (sudo apt-get install chromium, or set AK_CHROMIUM)"; \
	fi

lint: $(ENV)  ## ruff lint and format check (the test suite runs the same)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:  ## remove the virtualenv and caches
	rm -rf .venv .pytest_cache build *.egg-info
