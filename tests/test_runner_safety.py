"""kerasnotes run never loses a file and stops when told (issue 16's `kerasnotes run` cases).

Output folder: refused (exit 2, one line, nothing written) when it holds the
sources or foreign files, is a file, cannot be created, or is in use. Signals:
SIGINT/SIGTERM stop the whole run, shut the kernel down, exit 130/143, leave a
valid summary.json, print no traceback. Timeouts: a wall-clock budget per notebook.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from kerasnotes.cli import main as cli_main
from kerasnotes.course import runner
from kerasnotes.course.buildfolder import BuildFolder


def _write(path: Path, *sources: str) -> Path:
    nb = v4.new_notebook(cells=[v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _one_line_refusal(capsys) -> str:
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("kerasnotes run: ") and err.count("\n") == 1, err
    assert "Traceback" not in err + captured.out
    return err


@pytest.fixture()
def lesson(tmp_path):
    src = tmp_path / "lessons"
    src.mkdir()
    return _write(src / "01_a.ipynb", "print('hi')")


# ----------------------------------------------------------------------------- output folder


def test_output_is_the_notebooks_own_folder(lesson, capsys):
    before = _snapshot(lesson.parent)
    assert cli_main(["run", str(lesson), "-o", str(lesson.parent)]) == 2
    assert "holds the notebook" in _one_line_refusal(capsys)
    assert _snapshot(lesson.parent) == before  # the source and nothing else


def test_output_folder_above_the_notebooks(lesson, capsys):
    before = _snapshot(lesson.parent.parent)
    assert cli_main(["run", str(lesson), "-o", str(lesson.parent.parent)]) == 2
    assert "holds the notebook" in _one_line_refusal(capsys)
    assert _snapshot(lesson.parent.parent) == before


def test_foreign_files_are_never_overwritten(lesson, tmp_path, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("somebody's page", encoding="utf-8")
    assert cli_main(["run", str(lesson), "-o", str(out)]) == 2
    assert "not written by kerasnotes run" in _one_line_refusal(capsys)
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "somebody's page"


def test_a_foreign_file_added_to_a_build_folder_is_noticed(lesson, tmp_path, capsys):
    out = tmp_path / "build"
    assert cli_main(["run", str(lesson), "-o", str(out), "--no-html"]) == 0
    assert cli_main(["run", str(lesson), "-o", str(out), "--no-html"]) == 0  # ours: fine
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    before = _snapshot(out)
    assert cli_main(["run", str(lesson), "-o", str(out), "--no-html"]) == 2
    assert "'notes.txt'" in _one_line_refusal(capsys)
    assert _snapshot(out) == before


@pytest.mark.parametrize("case", ["file", "under_a_file", "proc", "unwritable_parent"])
def test_every_bad_output_is_one_line(lesson, tmp_path, capsys, case):
    if case == "unwritable_parent" and os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    out = {
        "file": a_file,
        "under_a_file": a_file / "build",
        "proc": Path("/proc/kerasnotes-build"),
        "unwritable_parent": locked / "build",
    }[case]
    assert cli_main(["run", str(lesson), "-o", str(out)]) == 2
    _one_line_refusal(capsys)
    assert a_file.read_text(encoding="utf-8") == "x" and not any(locked.iterdir())


def test_a_second_run_into_a_folder_in_use_is_refused(lesson, tmp_path, capsys):
    out = tmp_path / "build"
    with BuildFolder.claim(out, sources=[]):
        before = _snapshot(out)
        assert cli_main(["run", str(lesson), "-o", str(out)]) == 2
        assert "in use by another kerasnotes run" in _one_line_refusal(capsys)
        assert _snapshot(out) == before
    assert cli_main(["run", str(lesson), "-o", str(out), "--no-html"]) == 0  # free again


def test_no_lessons_outside_a_checkout_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "find_notebooks", lambda folder=None: [])
    assert cli_main(["run"]) == 2
    err = capsys.readouterr().err
    assert "no lessons found" in err and "notebooks/ folder of a kerasnotes checkout" in err
    assert not (tmp_path / "build").exists()


# ----------------------------------------------------------------------------- timeouts


def test_timeout_is_wall_clock_for_the_whole_notebook(tmp_path):
    """Twelve 0.8 s cells under --timeout 3: nbclient alone gave each cell 1 s and ran all."""
    nb = _write(tmp_path / "slow.ipynb", *["import time; time.sleep(0.8)"] * 12)
    start = time.monotonic()
    result = runner.run_notebook(nb, tmp_path / "out", timeout=3, render_html=False)
    elapsed = time.monotonic() - start
    assert result.status == "timeout", result.report()
    assert elapsed < 3 + 3, elapsed  # enforced within 3 s
    executed = nbformat.read(tmp_path / "out" / "slow.ipynb", as_version=4)
    assert sum(bool(c.get("execution_count")) for c in executed.cells) < 12


def test_a_tiny_timeout_is_enforced_not_ignored(tmp_path):
    nb = _write(tmp_path / "a.ipynb", "print(1)")
    result = runner.run_notebook(nb, tmp_path / "out", timeout=1e-9, render_html=False)
    assert result.status == "timeout"


# ----------------------------------------------------------------------------- signals


def _start_run(tmp_path: Path, cells: int = 1) -> tuple[subprocess.Popen, Path, Path]:
    """`kerasnotes run` on a notebook that records its kernel's pid, then sleeps."""
    pidfile = tmp_path / "kernel.pid"
    quick = _write(tmp_path / "00_quick.ipynb", "print('first')")
    sleepy = _write(
        tmp_path / "01_sleepy.ipynb",
        f"import os, pathlib; pathlib.Path({str(pidfile)!r}).write_text(str(os.getpid()))",
        *["import time; time.sleep(60)"] * cells,
    )
    after = _write(tmp_path / "02_after.ipynb", "print('never')")
    out = tmp_path / "build"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kerasnotes", "run", str(quick), str(sleepy), str(after)]
        + ["-o", str(out), "--no-html", "--jobs", "1"],  # -j 2: test_runner_parallel.py
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not pidfile.exists() or not pidfile.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run did not reach the sleeping cell: {proc.communicate()}")
        time.sleep(0.1)
    time.sleep(0.5)  # inside time.sleep(60) now
    return proc, out, pidfile


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "status", "to_group"),
    [(signal.SIGINT, 130, False), (signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)],
)
def test_a_signal_stops_the_whole_run(tmp_path, sig, status, to_group):
    proc, out, pidfile = _start_run(tmp_path)
    kernel = int(pidfile.read_text())
    sent = time.monotonic()
    if to_group:  # Ctrl-C in a terminal reaches the whole foreground process group
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 15
    assert proc.returncode == status, (stdout, stderr)
    assert "Traceback" not in stderr and "AssertionError" not in stderr, stderr
    assert f"stopped by {sig.name}" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(Path(r["notebook"]).name, r["status"]) for r in summary] == [
        ("00_quick.ipynb", "ok"),
        ("01_sleepy.ipynb", "interrupted"),
    ]  # and 02_after never started
    assert summary[1]["error"]["cell"] == 1 and summary[1]["executed"] == "01_sleepy.ipynb"
    assert not (out / "02_after.ipynb").exists()
    deadline = time.monotonic() + 5
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(kernel), "the kernel was left running"
