"""The lesson format (cell roles) of every lesson, checked on the committed notebooks.

Executing a notebook (``tests/test_notebooks.py``) proves its claims; this file proves its
*shape*: what a learner sees, where the checks and the solutions are, and that the notebooks
are committed clean. The roles are nbformat ``metadata.tags`` (CONTRIBUTING.md):

- untagged cells are the lesson;
- ``check`` cells verify it and are folded (``metadata.jupyter.source_hidden``);
- ``exercise`` cells are empty "your turn" cells: comments, then ``...``;
- ``solution`` cells come last, every one of them, under a single "Solutions" heading.

Nothing here runs a kernel, so the whole file takes well under a second.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in LESSONS]
ROLES = {"check", "exercise", "solution"}

# The learner's view: visible code lines (untagged and exercise cells, comments and blank
# lines not counted) of the longest lesson, and of the shortest one that still teaches.
MAX_VISIBLE_LINES = 230
MIN_VISIBLE_LINES = 50
MAX_VISIBLE_ASSERTS = 5
MAX_SETUP_LINES = 14


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _code_lines(src: str, *, comments: bool = False) -> list[str]:
    return [
        line
        for line in src.splitlines()
        if line.strip() and (comments or not line.strip().startswith("#"))
    ]


def test_every_lesson_is_found() -> None:
    numbers = {int(p.name[:2]) for p in LESSONS}
    assert {*range(0, 8), *range(10, 18), *range(20, 27), 30} <= numbers, sorted(numbers)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_tags_are_roles_and_check_cells_are_folded(path: Path) -> None:
    for i, cell in enumerate(_cells(path)):
        tags = _tags(cell)
        assert len(tags & ROLES) <= 1, (path.name, i, tags)
        assert tags <= ROLES, f"{path.name} cell {i}: unknown tags {sorted(tags - ROLES)}"
        if "check" in tags:
            assert cell["cell_type"] == "code", (path.name, i)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (path.name, i)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_committed_without_outputs(path: Path) -> None:
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], (path.name, i)
            assert cell.get("execution_count") is None, (path.name, i)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_exercises_are_empty_your_turn_cells(path: Path) -> None:
    exercises = [c for c in _cells(path) if "exercise" in _tags(c)]
    # lesson 30 is the short closing lesson: two exercises; every other lesson has three or more
    assert len(exercises) >= (2 if path.name.startswith("30_") else 3), path.name
    for cell in exercises:
        src = _source(cell)
        assert cell["cell_type"] == "code", path.name
        assert _code_lines(src) == ["..."], (path.name, src)
        ast.parse(src)  # runs as it is: comments and an Ellipsis


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_solutions_come_last_under_one_heading(path: Path) -> None:
    cells = _cells(path)
    headings = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and re.search(r"^#+ Solutions\s*$", _source(c), re.M)
    ]
    assert len(headings) == 1, (path.name, headings)
    after = cells[headings[0] + 1 :]
    assert after and all("solution" in _tags(c) for c in after), path.name
    exercises = [i for i, c in enumerate(cells) if "exercise" in _tags(c)]
    solutions = [c for c in after if c["cell_type"] == "code"]
    assert max(exercises) < headings[0], path.name
    assert len(solutions) >= len(exercises), (path.name, len(solutions), len(exercises))


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_the_learners_view_stays_short(path: Path) -> None:
    visible = asserts = 0
    check_lines = all_lines = 0
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        src, tags = _source(cell), _tags(cell)
        all_lines += len(_code_lines(src, comments=True))
        if "check" in tags:
            check_lines += len(_code_lines(src, comments=True))
        if tags & {"check", "solution"}:
            continue
        visible += len(_code_lines(src))
        asserts += len(re.findall(r"^\s*assert\b", src, re.M))
    assert MIN_VISIBLE_LINES <= visible <= MAX_VISIBLE_LINES, (path.name, visible)
    assert asserts <= MAX_VISIBLE_ASSERTS, (path.name, asserts)
    assert check_lines <= 0.5 * all_lines, (path.name, check_lines, all_lines)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_first_cell_names_the_lesson_and_its_notes_section(path: Path) -> None:
    first = _cells(path)[0]
    assert first["cell_type"] == "markdown", path.name
    assert _source(first).startswith(f"# {path.name[:2]} · "), path.name
    assert "**Notes section:**" in _source(first), path.name


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_setup_cell_is_short_and_quiets_tensorflow_first(path: Path) -> None:
    setup = next(
        (_source(c) for c in _cells(path) if "kerasnotes.course.setup(seed=" in _source(c)), None
    )
    assert setup is not None, f"{path.name} never calls kerasnotes.course.setup(seed=...)"
    assert len(_code_lines(setup, comments=True)) <= MAX_SETUP_LINES, path.name
    # setup() must run before Keras or TensorFlow is imported, or their start-up lines show
    before = setup.split("kerasnotes.course.setup(")[0]
    assert not re.search(r"^\s*(import|from) (keras|tensorflow)\b", before, re.M), path.name
