"""kerasnotes.course.runner: real kernels on tiny notebooks; outputs, failures, bad input, atomicity.

The cache is in test_runner_cache.py; the output folder, lock, signals and
timeouts in test_runner_safety.py; the fault-injection run in test_runner_faults.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import types
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from kerasnotes.cli import main as cli_main
from kerasnotes.course import notebooks as _course
from kerasnotes.course import runner

FIRST_CELL = (
    "# 01 · A tiny lesson\n\n**Notes section:** `keras-learning.txt` › 一、keras 安装和入门\n"
)


def _write(path: Path, *cells) -> Path:
    nb = v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A folder of good, failing and malformed notebooks, run once through run_notebooks."""
    src = tmp_path_factory.mktemp("notebooks")
    out = tmp_path_factory.mktemp("build")
    good = _write(
        src / "01_good.ipynb",
        v4.new_markdown_cell(FIRST_CELL),
        v4.new_code_cell(
            "import os, pathlib\n"
            "print('cwd=' + os.getcwd())\n"
            "print('offline=' + str(os.environ.get('KERASNOTES_OFFLINE')))\n"
            "import matplotlib.pyplot as plt\n"
            "plt.plot([0, 1], [1, 0]); plt.show()"
        ),
    )
    bad = _write(
        src / "02_bad.ipynb",
        v4.new_markdown_cell("# 02 · Raises\n\n**Notes section:** `keras-learning.txt` › 六、x"),
        v4.new_code_cell("x = 1"),
        v4.new_code_cell("y = 2\nraise ValueError(f'boom {x + y}')"),
        v4.new_code_cell("print('not reached')"),
    )
    broken = src / "03_broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    text = src / "04_notes.txt"
    text.write_text("not a notebook", encoding="utf-8")
    after = _write(src / "05_after.ipynb", v4.new_code_cell("print('still runs')"))
    inputs = [good, bad, broken, text, src / "06_missing.ipynb", after]
    before = {p: _sha(p) for p in inputs if p.exists()}
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("KERASNOTES_OFFLINE", raising=False)
        mp.setenv("MPLBACKEND", "Agg")  # must not leak into the kernel: plots would vanish
        mp.setitem(sys.modules, "kerasnotes.course.site", None)  # the fallback pages
        # one after another: the progress lines below are in course order (-j 2 in
        # test_runner_parallel.py)
        results = runner.run_notebooks(inputs, out, timeout=120, progress=lines.append, jobs=1)
    return {"src": src, "out": out, "results": results, "before": before, "lines": lines}


def test_statuses_and_one_line_reasons(course):
    results = course["results"]
    assert [r.status for r in results] == ["ok", "failed", "failed", "failed", "failed", "ok"]
    reasons = [r.reason for r in results]
    assert reasons[0] == "" and reasons[5] == ""
    assert reasons[1] == "cell [2] raised ValueError: boom 3"
    assert reasons[2].startswith("not valid JSON")
    assert reasons[3].startswith("not a notebook") and "04_notes.txt" in reasons[3]
    assert reasons[4].startswith("no such file") and "06_missing.ipynb" in reasons[4]
    assert all("\n" not in r for r in reasons)


def test_failure_report_shows_the_failing_cell_and_traceback(course):
    bad = course["results"][1]
    assert bad.cell_index == 2
    assert bad.cell_source == "y = 2\nraise ValueError(f'boom {x + y}')"
    report = bad.report()
    assert "--- failing cell [2] ---" in report and "ValueError: boom 3" in report
    assert "\x1b[" not in report  # ANSI colours stripped


def test_progress_line_per_notebook(course):
    lines = course["lines"]
    assert len(lines) == 6
    assert lines[0].startswith("[1/6] ") and lines[0].rstrip().endswith("ok")
    assert "failed" in lines[1] and "cell [2] raised ValueError" in lines[1]


def test_source_notebooks_are_never_modified(course):
    for path, digest in course["before"].items():
        assert _sha(path) == digest, f"{path} was modified by the run"
    assert sorted(p.name for p in course["src"].iterdir()) == [
        "01_good.ipynb",
        "02_bad.ipynb",
        "03_broken.ipynb",
        "04_notes.txt",
        "05_after.ipynb",
    ]


def test_kernel_runs_in_the_notebook_folder_offline_with_inline_plots(course):
    executed = nbformat.read(course["out"] / "01_good.ipynb", as_version=4)
    outputs = executed.cells[1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"cwd={course['src']}" in text
    assert "offline=1" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot is missing"


def test_build_folder_contents(course):
    out = course["out"]
    names = sorted(p.name for p in out.iterdir())
    pages = ["01_good.ipynb", "01_good.html", "02_bad.ipynb", "02_bad.html"]
    pages += ["05_after.ipynb", "05_after.html", "index.html", "summary.json"]
    bookkeeping = [".cache", ".kerasnotes-build.json", ".kerasnotes-build.lock"]
    assert names == sorted(pages + bookkeeping), names  # no temporary files left behind
    # every page is in the manifest that makes the folder ours
    manifest = json.loads((out / ".kerasnotes-build.json").read_text(encoding="utf-8"))
    assert manifest["files"] == sorted(pages) and manifest["pending"] is False
    # only the successful runs are cached
    assert sorted(p.name for p in (out / ".cache").iterdir()) == [
        "01_good.ipynb",
        "01_good.json",
        "05_after.ipynb",
        "05_after.json",
    ]
    page = (out / "01_good.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page and "offline=1" in page
    failed_page = (out / "02_bad.html").read_text(encoding="utf-8")
    assert "boom 3" in failed_page


def test_summary_json(course):
    summary = json.loads((course["out"] / "summary.json").read_text(encoding="utf-8"))
    keys = {"notebook", "status", "seconds", "cached", "executed", "error"}
    assert [set(entry) for entry in summary] == [keys] * 6
    assert [e["cached"] for e in summary] == [False] * 6
    assert [e["executed"] for e in summary] == [
        "01_good.ipynb",
        "02_bad.ipynb",
        None,
        None,
        None,
        "05_after.ipynb",
    ]
    assert summary[0]["error"] is None
    assert summary[1]["error"] == {"cell": 2, "ename": "ValueError", "evalue": "boom 3"}
    assert summary[2]["error"]["cell"] is None
    assert summary[2]["error"]["evalue"].startswith("not valid JSON")
    assert [Path(e["notebook"]).name for e in summary] == [
        "01_good.ipynb",
        "02_bad.ipynb",
        "03_broken.ipynb",
        "04_notes.txt",
        "06_missing.ipynb",
        "05_after.ipynb",
    ]
    assert [e["status"] for e in summary] == [r.status for r in course["results"]]
    assert all(isinstance(e["seconds"], float) and e["seconds"] >= 0 for e in summary)


def test_course_page(course):
    page = (course["out"] / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_good.html">A tiny lesson</a>' in page
    assert "<code>keras-learning.txt</code> › 一、keras 安装和入门" in page
    assert '<td class="failed">failed</td>' in page and "boom 3" in page
    assert "2 of 6 notebooks ran without error" in page


def test_timeout_is_per_notebook_and_reported(tmp_path):
    slow = _write(
        tmp_path / "slow.ipynb",
        v4.new_code_cell("x = 1"),
        v4.new_code_cell("import time\ntime.sleep(60)"),
    )
    result = runner.run_notebook(slow, tmp_path / "out", timeout=4, render_html=False)
    assert result.status == "timeout"
    assert result.seconds < 4 + 3  # enforced within 3 s of the budget
    assert "4 s" in result.reason and "running cell [1]" in result.reason
    assert result.cell_index == 1 and result.cell_source == "import time\ntime.sleep(60)"
    assert (tmp_path / "out" / "slow.ipynb").is_file()


@pytest.mark.parametrize("bad", [0, -1, "300", float("nan"), float("inf"), True, 1e-400])
def test_timeout_must_be_positive(tmp_path, bad):
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        runner.run_notebook(tmp_path / "x.ipynb", tmp_path, timeout=bad)


def test_valid_json_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "odd.ipynb"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    result = runner.run_notebook(path, tmp_path / "out")
    assert result.status == "failed"
    assert result.reason.startswith("not a valid Jupyter notebook")


def test_cli_run_exit_status(tmp_path, capsys):
    good = _write(tmp_path / "a.ipynb", v4.new_code_cell("print(1 + 1)"))
    bad = _write(tmp_path / "b.ipynb", v4.new_code_cell("1 / 0"))
    assert cli_main(["run", str(good), "--output", str(tmp_path / "ok"), "--no-html"]) == 0
    assert cli_main(["run", str(good), str(bad), "-o", str(tmp_path / "ko"), "--no-html"]) == 1
    captured = capsys.readouterr()
    assert "1 ok (0 cached), 1 failed" in captured.out
    assert "ZeroDivisionError: division by zero" in captured.err
    assert not (tmp_path / "ko" / "index.html").exists()


def test_cli_run_folder_without_notebooks(tmp_path, capsys):
    assert cli_main(["run", str(tmp_path)]) == 2
    assert f"no notebooks (*.ipynb) in {tmp_path}" in capsys.readouterr().err


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    _course.atomic_write_text(target, "old page")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _course.atomic_write_text(target, "new page")
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # temp file cleaned up


def test_expand_paths_expands_folders_in_order(tmp_path):
    for name in ["10_b.ipynb", "02_a.ipynb", "notes.md"]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in runner.expand_paths([tmp_path])] == ["02_a.ipynb", "10_b.ipynb"]
    assert runner.expand_paths(["missing.ipynb"]) == [Path("missing.ipynb")]


def test_parse_first_cell():
    info = _course.parse_first_cell(FIRST_CELL + "\nWhat you will learn: things.")
    assert info == _course.LessonInfo(
        "01", "A tiny lesson", "`keras-learning.txt` › 一、keras 安装和入门"
    )
    assert _course.parse_first_cell("no title here") == _course.LessonInfo()


def test_table_markers_missing_says_how_to_fix():
    with pytest.raises(ValueError, match="run: kerasnotes table"):
        _course.replace_table("# README without markers\n", "| table |\n", where="README.md")


def test_table_generation_round_trip(tmp_path):
    (tmp_path / "notebooks").mkdir()
    _write(tmp_path / "notebooks" / "01_good.ipynb", v4.new_markdown_cell(FIRST_CELL))
    markers = f"intro\n{_course.TABLE_START}\nstale\n{_course.TABLE_END}\noutro\n"
    (tmp_path / "README.md").write_text(markers, encoding="utf-8")
    (tmp_path / "notebooks" / "README.md").write_text(markers, encoding="utf-8")
    assert _course.main(["--check", "--root", str(tmp_path)]) == 1
    assert _course.main(["--root", str(tmp_path)]) == 0
    assert _course.main(["--check", "--root", str(tmp_path)]) == 0
    top = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (
        "| 01 | [A tiny lesson](notebooks/01_good.ipynb) | `keras-learning.txt` › 一、keras 安装和入门 |"
        in top
    )
    assert top.startswith("intro\n") and top.endswith("outro\n")
    inner = (tmp_path / "notebooks" / "README.md").read_text(encoding="utf-8")
    assert "[A tiny lesson](01_good.ipynb)" in inner


def test_allow_downloads_lifts_the_offline_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("KERASNOTES_OFFLINE", "1")
    nb = _write(
        tmp_path / "env.ipynb",
        v4.new_code_cell(
            "import os\nassert 'KERASNOTES_OFFLINE' not in os.environ, os.environ['KERASNOTES_OFFLINE']"
        ),
    )
    assert runner.run_notebook(nb, tmp_path / "out", allow_downloads=True, render_html=False).ok
    assert not runner.run_notebook(nb, tmp_path / "out2", render_html=False).ok


def test_course_page_escapes_and_renders_code_spans():
    result = runner.Result(
        "notebooks/12_x.ipynb",
        "ok",
        1.0,
        info=_course.LessonInfo("12", "Generators, `Sequence` & <PyDataset>", "`fit.txt` › 一"),
        html="12_x.html",
    )
    page = runner.course_page([result])
    assert (
        '<a href="12_x.html">Generators, <code>Sequence</code> &amp; &lt;PyDataset&gt;</a>' in page
    )
    assert "<td><code>fit.txt</code> › 一</td>" in page


def _fake_site(calls: list, *, fail: bool = False) -> types.ModuleType:
    site = types.ModuleType("kerasnotes.course.site")

    def build_site(out_dir, *, root):
        out_dir = Path(out_dir)
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        calls.append((out_dir, Path(root), [row["executed"] for row in summary]))
        if fail:
            raise RuntimeError("theme not found\nsecond line")
        (out_dir / "_static").mkdir(exist_ok=True)
        (out_dir / "_static" / "search.js").write_text("// index", encoding="utf-8")
        (out_dir / "index.html").write_text("<h1>site</h1>", encoding="utf-8")

    site.build_site = build_site
    return site


def test_the_site_is_built_from_the_run_and_its_files_are_ours(tmp_path, monkeypatch, capsys):
    calls: list = []
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", _fake_site(calls))
    nb = _write(tmp_path / "01_a.ipynb", v4.new_code_cell("print(1)"))
    out = tmp_path / "build"
    assert cli_main(["run", str(nb), "-o", str(out)]) == 0
    assert calls == [(out, _course.course_root(), ["01_a.ipynb"])]
    assert not (out / "01_a.html").exists()  # no fallback pages when the site works
    manifest = json.loads((out / ".kerasnotes-build.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["01_a.ipynb", "_static/search.js", "index.html", "summary.json"]
    assert cli_main(["run", str(nb), "-o", str(out)]) == 0  # the site's files are not foreign
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("how", ["raises", "missing"])
def test_without_a_working_site_the_fallback_pages_are_written(tmp_path, monkeypatch, capsys, how):
    calls: list = []
    site = _fake_site(calls, fail=True) if how == "raises" else None
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", site)
    nb = _write(tmp_path / "01_a.ipynb", v4.new_code_cell("print('from ' + 'the kernel')"))
    out = tmp_path / "build"
    assert cli_main(["run", str(nb), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    expected = "the course site failed (RuntimeError: theme not found)" if site else "not installed"
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert "<pre>from the kernel\n</pre>" in (out / "01_a.html").read_text(encoding="utf-8")
    assert '<a href="01_a.html">' in (out / "index.html").read_text(encoding="utf-8")


def test_pages_of_notebooks_left_out_of_a_run_are_removed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", None)
    a = _write(tmp_path / "01_a.ipynb", v4.new_code_cell("print(1)"))
    b = _write(tmp_path / "02_b.ipynb", v4.new_code_cell("print(2)"))
    out = tmp_path / "build"
    runner.run_notebooks([a, b], out, timeout=60, progress=None)
    assert (out / "02_b.html").exists()
    runner.run_notebooks([a], out, timeout=60, progress=None)
    assert not (out / "02_b.ipynb").exists() and not (out / "02_b.html").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [row["executed"] for row in summary] == ["01_a.ipynb"]


def test_ctrl_c_while_the_site_is_written_leaves_a_folder_the_next_run_accepts(
    tmp_path, monkeypatch, capsys
):
    import signal

    site = types.ModuleType("kerasnotes.course.site")

    def build_site(out_dir, *, root):
        (Path(out_dir) / "half.html").write_text("<p>half", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGINT)
        raise AssertionError("not reached: the signal stops the run")

    site.build_site = build_site
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", site)
    nb = _write(tmp_path / "01_a.ipynb", v4.new_code_cell("print(1)"))
    out = tmp_path / "build"
    assert cli_main(["run", str(nb), "-o", str(out)]) == 130
    err = capsys.readouterr().err
    assert "stopped by SIGINT after 1 notebook(s)" in err and "Traceback" not in err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [row["status"] for row in summary] == ["ok"]
    manifest = json.loads((out / ".kerasnotes-build.json").read_text(encoding="utf-8"))
    assert "half.html" in manifest["files"]  # the site's files stay ours
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", None)
    assert cli_main(["run", str(nb), "-o", str(out)]) == 0
