# Everything runs inside .venv, which `make` creates from requirements.txt on first use.
# `make book` builds the website into _build/html; `make test` runs every test (CI runs it).
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
NOTEBOOKS := $(wildcard chapters/*.ipynb)
OPTLIB_SOURCES := $(shell find optlib -name '*.py')

# Notebooks run with one BLAS thread (the website, stored outputs, and under the tests, see
# tests/conftest.py), so a page shows the numbers its checked outputs store. Chapter 1, whose long
# training runs depend on the thread count in their last digits, fixes its own.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

.PHONY: book browser-deps colab course test lint outputs student lock clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

## The website: executed notebooks (cached in _build/.jupyter_cache), warnings are errors.
book: $(STAMP) _build/.optlib-stamp
	$(ONE_THREAD) $(BIN)/jupyter-book build . -W -n --keep-going
	cp _static/* _build/html/_static/  # Sphinx copies them only when a page is rebuilt too
	$(BIN)/python -m tools.student_notebooks exercises _build/html/student
	touch _build/html/.built

## The student notebooks (solutions and hidden tests taken out), committed in student/ so that
## Binder and Colab open them from the repository; a test checks they are up to date.
student: $(STAMP)
	$(BIN)/python -m tools.student_notebooks exercises student

## An nbgrader course directory with every chapter's assignment generated (see the book's
## appendix "For instructors"): make course COURSE=/path/to/course
COURSE ?= _build/course
course: $(STAMP)
	$(BIN)/python -m tools.course $(COURSE)

## The chapters' Colab copies (plain Markdown for MyST), committed in colab/ for the Colab button;
## they need the built website (its objects.inv), and a test checks they are up to date.
colab: book
	$(BIN)/python -m tools.colab_notebooks colab

## What the website's browser tests need beyond the venv: Debian's chromium and a local MathJax.
browser-deps:
	command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
	test -f .cache/browser/node_modules/mathjax/es5/tex-mml-chtml.js || \
	  npm install --prefix .cache/browser --no-save --no-audit --no-fund mathjax@3.2.2

# The execution cache is keyed on the notebooks' code only; the pages also show optlib's source
# and results, so a change to optlib empties the cache (and Sphinx's record of what it read)
# and the notebooks run again.
_build/.optlib-stamp: $(OPTLIB_SOURCES)
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

## Every test: lint, optlib's unit/property tests and doctests, every notebook under nbval, the
## website, JupyterLab, Colab copies and the course kit. The website is built first (the browser
## tests read it), and the test files run on two processes, each with one BLAS thread (two
## threads each on two cores wait for each other: 11 min 17 s against 11 min 47 s, one run each).
test: $(STAMP) book
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(ONE_THREAD) $(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Re-execute the notebooks and store only the outputs nbval checks (cells tagged keep_output).
outputs: $(STAMP)
	$(ONE_THREAD) $(BIN)/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to notebook --inplace --CoalesceStreamsPreprocessor.enabled=True $(NOTEBOOKS)  # one output per stream
	$(BIN)/nbstripout --keep-count $(NOTEBOOKS)

## Regenerate requirements.txt from requirements.in in a throw-away venv.
lock:
	rm -rf /tmp/optbook-lock && $(PYTHON) -m venv /tmp/optbook-lock
	/tmp/optbook-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by 'make lock' (pip freeze of a fresh venv). Python 3.11."; \
	  /tmp/optbook-lock/bin/pip freeze; echo '-e .'; } > requirements.txt

clean:
	rm -rf _build
