"""The lesson format (cell roles) of lessons 00-07, checked without running a kernel.

Executing a notebook (``tests/test_notebooks.py``) proves its claims; this file proves
its *shape*: what a learner sees, where the checks and the solutions are, and that the
notebooks are committed clean. The rules are the course's cell roles: untagged cells are
the lesson, ``check`` cells are folded, ``exercise`` cells are empty "your turn" cells, and
the solutions come last, under a "Solutions" heading.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [
    "00_setup",
    "01_quickstart",
    "02_core_concepts",
    "03_sequential_models",
    "04_functional_api",
    "05_pretrained_and_transfer",
    "06_gpus_and_distribution",
    "07_inspecting_models",
]


def _cells(name: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _code_lines(src: str, *, comments: bool) -> int:
    return sum(
        1
        for line in src.splitlines()
        if line.strip() and (comments or not line.strip().startswith("#"))
    )


@pytest.mark.parametrize("name", LESSONS)
def test_check_cells_are_folded_and_tags_are_known(name: str) -> None:
    for i, cell in enumerate(_cells(name)):
        tags = _tags(cell)
        assert tags <= {"check", "exercise", "solution"}, (name, i, tags)
        if "check" in tags:
            assert cell["cell_type"] == "code", (name, i)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (name, i)


@pytest.mark.parametrize("name", LESSONS)
def test_committed_without_outputs(name: str) -> None:
    for i, cell in enumerate(_cells(name)):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, (name, i)


@pytest.mark.parametrize("name", LESSONS)
def test_exercises_are_empty_and_solutions_come_last(name: str) -> None:
    cells = _cells(name)
    exercises = [i for i, c in enumerate(cells) if "exercise" in _tags(c)]
    solutions = [i for i, c in enumerate(cells) if "solution" in _tags(c)]
    assert len(exercises) >= (1 if name.startswith("00") else 3), exercises
    assert len(solutions) >= len(exercises)
    assert min(solutions) > max(exercises)
    for i in exercises:
        body = [line.strip() for line in _source(cells[i]).splitlines() if line.strip()]
        assert body[-1] == "..." and all(line.startswith("#") for line in body[:-1]), (name, i)
    headings = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and _source(c).strip().startswith("## Solutions")
    ]
    assert headings and max(exercises) < headings[0] < min(solutions), headings


@pytest.mark.parametrize("name", LESSONS)
def test_learners_view(name: str) -> None:
    cells = _cells(name)
    visible = asserts = check_lines = all_lines = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src, tags = _source(cell), _tags(cell)
        all_lines += _code_lines(src, comments=True)
        if "check" in tags:
            check_lines += _code_lines(src, comments=True)
        if tags & {"check", "solution"}:
            continue
        visible += _code_lines(src, comments=False)
        asserts += len(re.findall(r"^\s*assert\b", src, re.M))
    assert 50 <= visible <= 160, visible
    assert asserts <= 5, asserts
    assert check_lines <= 0.5 * all_lines, (check_lines, all_lines)


@pytest.mark.parametrize("name", LESSONS)
def test_first_cell_and_setup_cell(name: str) -> None:
    cells = _cells(name)
    first = _source(cells[0])
    assert first.startswith(f"# {name[:2]} · ") and "**Notes section:**" in first
    setup = next(_source(c) for c in cells if c["cell_type"] == "code")
    assert "kerasnotes.course.setup(seed=" in setup
    # setup() must run before Keras or TensorFlow is imported, or their start-up lines show
    before = setup.split("kerasnotes.course.setup(")[0]
    assert not re.search(r"^\s*(import|from) (keras|tensorflow)\b", before, re.M), before
