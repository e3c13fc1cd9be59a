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

.PHONY: run test lint typecheck format doctor table test-backends test-oldest zh clean help

help:
	@echo "make run            execute the whole course into build/ (creates .venv)"
	@echo "make test           lint + all tests, notebooks included (creates .venv)"
	@echo "make test-backends  re-run the backend-agnostic tests under KERAS_BACKEND=torch"
	@echo "make test-oldest    the helper tests and a smoke run of lessons at the lowest declared versions"
	@echo "make lint           the pre-commit hooks on every file (ruff, mypy, clean notebooks, migrate)"
	@echo "make typecheck      mypy, strict on kerasnotes/"
	@echo "make format         apply ruff's formatter and import sorting"
	@echo "make doctor         check this machine (versions, keras.json, Graphviz, MNIST)"
	@echo "make table          regenerate the notebook tables of README.md and notebooks/README.md"
	@echo "make zh             update the Chinese catalogs (locale/) and build build/zh/notebooks/"
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

# The hooks of .pre-commit-config.yaml, on every file: ruff (check + format), mypy (strict on
# kerasnotes/), notebooks without outputs, and kerasnotes migrate on the course's own code.
lint: $(VENV)/.dev-installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

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

# The lowest versions pyproject.toml admits (constraints/oldest.txt), in a venv of their own:
# the helpers' tests and a smoke run of lessons. A test keeps the file equal to the floors.
OLDEST_VENV ?= .venv-oldest
OLDEST_TESTS := tests/test_schedules.py tests/test_metrics.py tests/test_saving.py tests/test_viz.py \
	tests/test_predict.py tests/test_reference.py tests/test_data.py tests/test_generators.py \
	tests/test_inspect.py tests/test_migrate_fix.py
OLDEST_LESSONS := notebooks/01_quickstart.ipynb notebooks/15_optimizers_and_lr_schedules.ipynb \
	notebooks/22_image_data_generator.ipynb notebooks/23_callbacks.ipynb
$(OLDEST_VENV)/.installed: pyproject.toml constraints/oldest.txt
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -e ".[dev]" -c constraints/oldest.txt
	@touch $@
test-oldest: $(OLDEST_VENV)/.installed
	$(OLDEST_VENV)/bin/python -c "import keras, tensorflow as tf; print('oldest lane: TensorFlow', tf.__version__, 'Keras', keras.__version__)"
	$(OLDEST_VENV)/bin/python -m pytest -p no:cacheprovider -q $(OLDEST_TESTS)
	$(OLDEST_VENV)/bin/kerasnotes run $(OLDEST_LESSONS) -o build/oldest --no-html

# The Chinese edition: English markdown (lessons and docs/) -> locale/zh_CN/LC_MESSAGES/ (*.po,
# docs/*.po) -> build/zh/notebooks/ (with the files the lessons read through ../ copied beside).
# `make run` builds the Chinese site (build/zh/index.html) and these notebooks with the English
# site, from one run; `kerasnotes site -o build` re-renders both sites without executing anything.
zh: $(VENV)/.course-installed
	$(PY) -m kerasnotes.course.i18n update
	$(PY) -m kerasnotes.course.i18n build  # into build/zh/notebooks, listed in build/'s manifest
	-$(PY) -m kerasnotes.course.i18n check  # lists entries still to translate; the tests enforce it

clean:
	rm -rf build
