# kerasnotes: the two commands of the README, plus a few helpers.
#   make run    create .venv, install the course, check the machine, run every notebook into build/
#   make test   create .venv, install the dev extra, lint, run the whole test suite
# Each target installs what it needs from nothing; only Python 3 (>= 3.10) and make are assumed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

# Real MNIST kept beside the project (never committed); used when present, skipped otherwise.
MNIST_COPY := $(wildcard ../shared/data/mnist/mnist-10k.npz)
ifneq ($(MNIST_COPY),)
export KERASNOTES_MNIST ?= $(abspath $(MNIST_COPY))
endif
# Notebooks and tests never download anything.
export KERASNOTES_OFFLINE ?= 1
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: run test lint format doctor table test-backends clean help

help:
	@echo "make run            execute the whole course into build/ (creates .venv)"
	@echo "make test           lint + all tests, notebooks included (creates .venv)"
	@echo "make test-backends  re-run the backend-agnostic tests under KERAS_BACKEND=torch"
	@echo "make format         apply ruff's formatter and import sorting"
	@echo "make doctor         check this machine (versions, keras.json, Graphviz, MNIST)"
	@echo "make table          regenerate the notebook tables of README.md and notebooks/README.md"
	@echo "make clean          remove build/ (keeps .venv)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.course-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[course]"
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.course-installed

run: $(VENV)/.course-installed
	$(BIN)/kerasnotes doctor
	$(BIN)/kerasnotes run

doctor: $(VENV)/.course-installed
	$(BIN)/kerasnotes doctor

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

table: $(VENV)/.course-installed
	$(BIN)/kerasnotes table

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

# --durations: the slowest tests (mostly notebooks) are listed, to keep an eye on CI's budget.
test: lint
	$(PY) -m pytest --durations=15

# The helpers that claim to be backend-agnostic, under PyTorch. torch==2.13.0 (CPU) is
# what this project's CI machines carry locally; elsewhere pip fetches it.
TORCH_SPEC ?= torch==2.13.0
test-backends: $(VENV)/.dev-installed
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet "$(TORCH_SPEC)"
	KERAS_BACKEND=torch $(PY) -m pytest -m backend_agnostic -p no:cacheprovider

clean:
	rm -rf build
