"""The lesson format (cell roles) of lessons 10-17, checked on the committed notebooks.

The roles are nbformat ``metadata.tags``: untagged cells are the lesson, ``check``
cells verify it (and are collapsed in Jupyter), ``exercise`` cells are empty
"your turn" cells, and ``solution`` cells come last, under a "Solutions" heading.
Nothing here executes a notebook (``tests/test_notebooks.py`` does that); these
checks read the JSON only, so they are fast.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(
    p for p in (ROOT / "notebooks").glob("1[0-7]_*.ipynb") if int(p.name[:2]) in range(10, 18)
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _code_lines(src: str) -> list[str]:
    return [line for line in src.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_eight_lessons_are_found() -> None:
    assert [p.name[:2] for p in LESSONS] == [str(n) for n in range(10, 18)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_check_cells_are_collapsed(path: Path) -> None:
    for i, cell in enumerate(_cells(path)):
        if "check" in _tags(cell):
            assert cell["cell_type"] == "code", (path.name, i)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (path.name, i)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_exercises_are_empty_your_turn_cells(path: Path) -> None:
    exercises = [c for c in _cells(path) if "exercise" in _tags(c)]
    assert len(exercises) >= 3, path.name
    for cell in exercises:
        lines = _code_lines(_source(cell))
        assert lines == ["..."], (path.name, _source(cell))
        ast.parse(_source(cell))  # runs as is: a comment and an Ellipsis


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_solutions_come_last_under_a_heading(path: Path) -> None:
    cells = _cells(path)
    heading = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and re.search(r"^#+ Solutions\s*$", _source(c), re.M)
    ]
    assert len(heading) == 1, path.name
    after = cells[heading[0] + 1 :]
    assert after and all("solution" in _tags(c) for c in after), path.name
    last_exercise = max(i for i, c in enumerate(cells) if "exercise" in _tags(c))
    assert last_exercise < heading[0], path.name


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_learners_view_stays_short(path: Path) -> None:
    visible = [
        _source(c)
        for c in _cells(path)
        if c["cell_type"] == "code" and not _tags(c) & {"check", "solution"}
    ]
    lines = sum(len(_code_lines(src)) for src in visible)
    asserts = sum(len(re.findall(r"^\s*assert\b", src, re.M)) for src in visible)
    assert 50 <= lines <= 200, (path.name, lines)
    assert asserts <= 5, (path.name, asserts)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_setup_cell_is_short_and_quiets_tensorflow_first(path: Path) -> None:
    setup = next(_source(c) for c in _cells(path) if "kerasnotes.course.setup(" in _source(c))
    lines = [line for line in setup.splitlines() if line.strip()]
    assert len(lines) <= 12, (path.name, len(lines))
    order = [line.split()[1] for line in lines if line.startswith(("import ", "from "))]
    call = setup.index("kerasnotes.course.setup(")
    for heavy in ("keras", "tensorflow"):
        at = re.search(rf"^import {heavy}\b", setup, re.M)
        assert at is None or at.start() > call, (path.name, heavy, order)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_committed_without_outputs(path: Path) -> None:
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name
