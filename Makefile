# Twitch course: every command a newcomer, an author or CI needs. See README.md.
# `make book` and `make test` set everything up from nothing (Python 3.11+ and, for the browser
# checks, Debian's chromium, which .ci/run installs).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt pyproject.toml | sha1sum | cut -c1-12)
TEST_OUT := _build/test
CHP := deploy/local/node_modules/.bin/configurable-http-proxy
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Keep numba's on-disk JIT cache inside the project (writable, reused between runs).
export NUMBA_CACHE_DIR := $(CURDIR)/_build/numba-cache

.PHONY: help setup book pdf chromium test lint unit nbval book-test html-check pdf-test pdf-check browser-check test-browser live class proxy bench strip refresh shots clean

help:
	@echo "make book    build the book (creates .venv on first use) and print the path of index.html"
	@echo "make pdf     the print/PDF edition (A4; PAPER=letter for US Letter) from the built book"
	@echo "make pdf-check  make pdf, then the PDF checks on the whole edition (make test checks Part 1)"
	@echo "make test    everything CI checks: lint, unit tests, lessons under nbval, fresh -W build, HTML and browser checks"
	@echo "make live    teach live: JupyterLab on a working copy of the lessons (~/twitch-live), opens the first page"
	@echo "make class   a JupyterHub on 127.0.0.1 for a test class (STUDENTS=5), see deploy/README.md"
	@echo "make bench   print the speed and memory figures (benchmarks/)"
	@echo "make strip NB=path.ipynb   store a notebook in the project's form (outputs only on checkpoints)"
	@echo "make refresh NB=path.ipynb execute a notebook and store its checkpoint outputs"
	@echo "make shots   screenshot every page of the built book (1280 light/dark, 390 px) into _build/shots/"

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)

# tools/execute_book.py first runs the lessons the execution cache lacks on all cores (the build
# alone runs them one after another); the build then finds them cached and only renders.
book: $(STAMP)
	$(PY) tools/execute_book.py --cache _build/.jupyter_cache
	$(BIN)/jupyter-book build -W --keep-going .
	@echo "The book: $(CURDIR)/_build/html/index.html"

# The print edition: the same build as `make book` (cached), then Chromium prints it
# (tools/print_book.py; Debian's chromium, no download). Output: _build/pdf/twitch-$(PAPER).pdf.
PAPER ?= a4
pdf: book chromium
	$(PY) tools/print_book.py --html _build/html --paper $(PAPER)

# Debian's chromium prints the PDF; on a fresh Debian machine (as root) install it with apt-get.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } ; } \
	  || { echo "make pdf needs Debian's chromium: apt-get install chromium"; exit 1; }

test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory book-test FROM_NBVAL=1
	$(MAKE) --no-print-directory html-check
	$(MAKE) --no-print-directory pdf-test
	$(MAKE) --no-print-directory test-browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(PY) tools/nbtool.py check

unit: $(STAMP) $(CHP)
	$(BIN)/pytest -q -n 2 --durations=15 -m "not book and not browser and not pdf" tests

# TWITCH_BOOK_PANELS=1: the panel cells also compute their book versions, as the book build does
# (their grids are cached in _build/panel-cache, so the build that follows reuses them).
# tools/nbval_save.py keeps each notebook nbval ran, with its outputs, in $(NBVAL_SAVED): in
# `make test` the fresh book build takes its lessons from there instead of executing them again
# (`python -m pytest`: the plugin is imported as tools.nbval_save from the project folder).
NBVAL_SAVED := _build/nbval-executed
nbval: $(STAMP)
	rm -rf $(NBVAL_SAVED)
	TWITCH_BOOK_PANELS=1 $(PY) -m pytest -q -p tools.nbval_save --nbval-save $(NBVAL_SAVED) \
	  --nbval-lax --nbval-current-env -n 2 --dist loadfile lessons/

# A fresh build: an empty output folder has an empty execution cache, so every notebook runs
# (on all cores, by tools/execute_book.py; the build then only renders). In `make test`,
# FROM_NBVAL=1: the lessons nbval has just executed are cached with nbval's outputs instead (a
# lesson whose code or whose widgets/ changed since is executed as usual).
book-test: $(STAMP)
	rm -rf $(TEST_OUT)
	$(PY) tools/execute_book.py --cache $(TEST_OUT)/_build/.jupyter_cache \
	  $(if $(FROM_NBVAL),--executed $(NBVAL_SAVED))
	$(BIN)/jupyter-book build -W --keep-going --path-output $(TEST_OUT) .

html-check: $(STAMP)
	$(PY) tools/check_html.py $(TEST_OUT)/_build/html

# The print edition's quick check in `make test`: Part 1 of the fresh build (front matter, its
# lessons, both appendices for them, glossary; ~68 pages), printed and checked (~50 s measured).
pdf-test: $(STAMP) chromium
	$(PY) tools/print_book.py --html $(TEST_OUT)/_build/html --parts 1 --out $(TEST_OUT)/pdf/twitch-part1.pdf
	BOOK_PDF_PARTS=1 BOOK_HTML=$(TEST_OUT)/_build/html BOOK_PDF=$(TEST_OUT)/pdf/twitch-part1.pdf \
	  $(BIN)/pytest -q -p no:cacheprovider tests/test_pdf.py

# The whole print edition (`make pdf`, ~4 min) and the same checks on all of it. Not in `make
# test` (cost); run it before a release or after changing tools/print_book.py or print.css.
pdf-check: pdf
	BOOK_HTML=_build/html BOOK_PDF=_build/pdf/twitch-$(PAPER).pdf $(BIN)/pytest -q -p no:cacheprovider tests/test_pdf.py

# Two workers; the tests of one page stay on one worker (tests/browser/conftest.py groups them).
test-browser: $(STAMP)
	BOOK_HTML=$(TEST_OUT)/_build/html $(BIN)/pytest -q --durations=15 -n 2 --dist loadgroup -m "book or browser" tests

# JupyterLab on a working copy of the lessons (default ~/twitch-live; LIVE_DIR=... to choose, RESET=1
# to replace lessons you edited there, PORT=... for a fixed port, LIVE_ARGS for more options of
# tools/live.py; tests/browser/test_live_lab.py starts it this way). Never writes into the repository.
live: $(STAMP)
	@$(PY) tools/live.py $(if $(LIVE_DIR),--dir "$(LIVE_DIR)") $(if $(RESET),--reset) \
	  $(if $(PORT),--port $(PORT)) $(LIVE_ARGS)

# configurable-http-proxy (npm, pinned in deploy/local/package-lock.json), the proxy JupyterHub
# needs, into deploy/local/node_modules (CHP is defined at the top: `unit` depends on it).
$(CHP): deploy/local/package.json deploy/local/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd deploy/local && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CHP)

proxy: $(CHP)

# A real JupyterHub for a test class on 127.0.0.1 (STUDENTS=N, CLASS_DIR=... to keep it, PORT=...):
# per-user passwords, homes, limits and idle culling from deploy/local/. Ctrl-C stops everything.
class: $(STAMP) $(CHP)
	@$(PY) tools/class_hub.py $(if $(STUDENTS),--students $(STUDENTS)) \
	  $(if $(CLASS_DIR),--dir "$(CLASS_DIR)") $(if $(PORT),--port $(PORT))

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

strip: $(STAMP)
	$(PY) tools/nbtool.py strip $(NB)

refresh: $(STAMP)
	$(PY) tools/nbtool.py refresh $(NB)

# Screenshots for authors to look at: every page at 1280 px light, 1280 px dark and 390 px.
# BOOK=path/to/html to shoot another build (default: the one `make book` writes).
shots: $(STAMP)
	$(PY) tools/shots.py $(or $(BOOK),_build/html) --out _build/shots

clean:
	rm -rf _build .pytest_cache .hypothesis
