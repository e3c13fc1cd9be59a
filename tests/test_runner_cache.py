"""kerasnotes run's cache: unchanged -> not executed; changed -> only that one; damage detected.

Each notebook appends a line to a log file when its code runs: the number of
lines is the number of executions, an oracle independent of the runner's own
``cached`` flag. Its output is a fresh random token, so a served copy can be told
from a new run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from kerasnotes.course import runcache, runner

CODE = (
    "import pathlib, uuid\n"
    "with open({log!r}, 'a') as f: f.write('{name}\\n')\n"
    "print('token', uuid.uuid4().hex)"
)


def _lesson(folder: Path, name: str, log: Path, extra: str = "") -> Path:
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(f"# 01 · {name}\n\nFirst version of the prose."),
            v4.new_code_cell(CODE.format(log=str(log), name=name) + extra),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _runs(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def _token(out: Path, name: str) -> str:
    nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
    return "".join(o.get("text", "") for o in nb.cells[1].outputs).split()[1]


@pytest.fixture()
def lessons(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", None)
    src = tmp_path / "notebooks"
    src.mkdir()
    log = tmp_path / "executions.log"
    paths = [_lesson(src, name, log) for name in ("a", "b")]
    return {"paths": paths, "log": log, "out": tmp_path / "build"}


def _run(lessons, **kwargs):
    # jobs=1: the log then lists executions in course order (side by side, its order
    # is the kernels'; test_runner_parallel.py covers the cache with --jobs 2)
    return runner.run_notebooks(
        lessons["paths"],
        lessons["out"],
        timeout=120,
        render_html=False,
        progress=None,
        jobs=1,
        **kwargs,
    )


def test_unchanged_changed_force(lessons):
    out, log = lessons["out"], lessons["log"]
    first = _run(lessons)
    assert [r.cached for r in first] == [False, False] and _runs(log) == ["a", "b"]
    tokens = {n: _token(out, n) for n in "ab"}

    again = _run(lessons)
    assert [r.cached for r in again] == [True, True] and [r.status for r in again] == ["ok"] * 2
    assert _runs(log) == ["a", "b"]  # nothing executed
    assert {n: _token(out, n) for n in "ab"} == tokens  # the cached outputs are served
    assert [r.seconds for r in again] == [round(r.seconds, 2) for r in first]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [row["cached"] for row in summary] == [True, True]

    _lesson(lessons["paths"][1].parent, "b", log, extra="\nprint('changed')")
    changed = _run(lessons)
    assert [r.cached for r in changed] == [True, False] and _runs(log) == ["a", "b", "b"]
    assert _token(out, "b") != tokens["b"]

    forced = _run(lessons, force=True)
    assert [r.cached for r in forced] == [False, False] and _runs(log)[-2:] == ["a", "b"]


def test_markdown_edit_is_served_with_the_new_prose(lessons):
    out, log = lessons["out"], lessons["log"]
    _run(lessons)
    path = lessons["paths"][0]
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# 01 · a\n\nSecond version of the prose."
    nb.cells[1].metadata["tags"] = ["solution"]  # presentation only
    nbformat.write(nb, path)
    result = _run(lessons)[0]
    assert result.cached and _runs(log) == ["a", "b"]
    executed = nbformat.read(out / "a.ipynb", as_version=4)
    assert executed.cells[0].source.endswith("Second version of the prose.")
    assert executed.cells[1].metadata["tags"] == ["solution"]
    assert executed.cells[1].outputs  # and the outputs of the earlier run


def test_execution_tags_are_part_of_the_key(lessons):
    _run(lessons)
    path = lessons["paths"][0]
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, path)
    assert _run(lessons)[0].cached is False


@pytest.mark.parametrize("damage", ["flip", "truncate", "meta", "missing"])
def test_a_damaged_entry_is_detected_and_rerun(lessons, damage):
    out, log = lessons["out"], lessons["log"]
    _run(lessons)
    entry = out / ".cache" / "a.ipynb"
    if damage == "flip":
        data = bytearray(entry.read_bytes())
        i = data.index(b"token") + 7
        data[i] = ord("0") if data[i] != ord("0") else ord("1")  # still valid JSON
        entry.write_bytes(bytes(data))
    elif damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:50])
    elif damage == "meta":
        (out / ".cache" / "a.json").write_text("[1, 2", encoding="utf-8")
    else:
        entry.unlink()
    results = _run(lessons)
    assert [r.cached for r in results] == [False, True]
    assert _runs(log) == ["a", "b", "a"] and results[0].ok


def test_a_stale_entry_is_never_served(lessons, monkeypatch):
    """A change to kerasnotes' source, or to the kernel's environment, re-runs everything."""
    log = lessons["log"]
    _run(lessons)
    monkeypatch.setattr(runcache, "package_digest", lambda: "another kerasnotes")
    assert [r.cached for r in _run(lessons)] == [False, False]
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert [r.cached for r in _run(lessons)] == [False, False]
    assert [r.cached for r in _run(lessons, allow_downloads=True)] == [False, False]
    assert len(_runs(log)) == 8


def test_failed_runs_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", None)
    log = tmp_path / "log"
    path = _lesson(tmp_path, "bad", log, extra="\nraise RuntimeError('no')")
    out = tmp_path / "out"
    for _ in range(2):
        (result,) = runner.run_notebooks([path], out, timeout=60, render_html=False, progress=None)
        assert result.status == "failed" and not result.cached
    assert _runs(log) == ["bad", "bad"]
    cache = out / ".cache"
    assert not cache.exists() or not any(cache.iterdir())


def test_a_notebook_that_starts_failing_drops_its_entry(lessons):
    _run(lessons)
    _lesson(lessons["paths"][0].parent, "a", lessons["log"], extra="\n1 / 0")
    assert _run(lessons)[0].status == "failed"
    assert not (lessons["out"] / ".cache" / "a.json").exists()


def test_key_covers_code_versions_and_env(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": ["x = ", "1"], "metadata": {}}], "metadata": {}}
    path = tmp_path / "n.ipynb"
    key = runcache.notebook_key(nb, path, {})
    assert runcache.notebook_key(nb, path, {"UNRELATED": "1"}) == key
    assert runcache.notebook_key(nb, path, {"KERASNOTES_OFFLINE": "1"}) != key
    moved = tmp_path / "elsewhere" / "n.ipynb"
    assert runcache.notebook_key(nb, moved, {}) != key  # another working directory
    markdown = {"cells": nb["cells"] + [{"cell_type": "markdown", "source": "hi"}], "metadata": {}}
    assert runcache.notebook_key(markdown, path, {}) == key
