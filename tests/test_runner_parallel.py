"""`kerasnotes run --jobs N`: notebooks side by side, with every guarantee of a serial run.

The oracles are independent of the runner's own report: the kernels write their
process id and the wall-clock moments they ran into files (overlap proves that two
ran at once; /proc says whether a kernel is still alive); a log line per execution
counts what the cache served; and a ``--jobs 1`` run of the same notebooks is the
reference for the files a ``--jobs 2`` run writes.
"""

from __future__ import annotations

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
from kerasnotes.course.buildfolder import OutputFolderError


def _write(path: Path, *sources: str) -> Path:
    nb = v4.new_notebook(
        cells=[v4.new_markdown_cell(f"# {path.stem} · a tiny lesson")]
        + [v4.new_code_cell(s) for s in sources]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _stamp(
    log: Path,
    name: str,
    seconds: float = 0.0,
    *,
    until: Path | None = None,
    mark: Path | None = None,
) -> str:
    """Code that appends "<name> <pid> <start> <end>" to ``log`` around a sleep.

    ``mark`` is created when the code starts. With ``until``, the code first waits
    until that file exists (60 s at most), then sleeps ``seconds``. Two notebooks that
    each wait for the other's mark overlap whenever they run side by side, however
    slowly their kernels start on a loaded machine.
    """
    touch = f"open({str(mark)!r}, 'a').close()\n" if mark else ""
    wait = (
        f"while not os.path.exists({str(until)!r}) and time.time() - _start < 60:\n"
        "    time.sleep(0.05)\n"
        if until
        else ""
    )
    return (
        "import os, time\n"
        "_start = time.time()\n"
        f"{touch}{wait}time.sleep({seconds})\n"
        f"with open({str(log)!r}, 'a') as f:\n"
        f"    f.write(f'{name} {{os.getpid()}} {{_start}} {{time.time()}}\\n')\n"
        f"print('{name} ran')"
    )


def _stamps(log: Path) -> dict[str, tuple[int, float, float]]:
    rows = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    return {name: (int(pid), float(a), float(b)) for name, pid, a, b in rows}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _comparable(folder: Path, name: str) -> dict:
    """An executed notebook without what differs between two runs of it: the timings."""
    nb = json.loads((folder / name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    return nb


@pytest.fixture()
def no_site(monkeypatch):
    monkeypatch.setitem(sys.modules, "kerasnotes.course.site", None)


# ----------------------------------------------------------------------------- the option


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("2", 2), (" 3 ", 3), (4, 4), ("16", 16)])
def test_check_jobs_accepts_whole_numbers_from_one(text, expected):
    assert runner.check_jobs(text) == expected


@pytest.mark.parametrize(
    ("value", "error", "shown"),
    [
        ("0", ValueError, "--jobs='0'"),
        ("-1", ValueError, "--jobs='-1'"),
        ("x", ValueError, "--jobs='x'"),
        ("1.5", ValueError, "--jobs='1.5'"),
        ("", ValueError, "--jobs=''"),
        (0, ValueError, "--jobs=0"),
        (True, TypeError, "--jobs=True"),
        (2.0, TypeError, "--jobs=2.0"),
    ],
)
def test_check_jobs_names_the_value_and_the_fix(value, error, shown):
    with pytest.raises(error) as info:
        runner.check_jobs(value)
    message = str(info.value)
    assert shown in message and "1 runs them one after another" in message


def test_default_jobs_is_the_environment_variable_else_at_most_two(monkeypatch):
    assert runner.default_jobs({"KERASNOTES_JOBS": "3"}) == 3
    assert runner.default_jobs({"KERASNOTES_JOBS": " "}) == min(2, os.cpu_count() or 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert runner.default_jobs({}) == 1
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert runner.default_jobs({}) == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert runner.default_jobs({}) == 2
    with pytest.raises(ValueError, match=r"KERASNOTES_JOBS='two'"):
        runner.default_jobs({"KERASNOTES_JOBS": "two"})


def test_run_notebooks_refuses_bad_jobs_before_touching_the_folder(tmp_path):
    nb = _write(tmp_path / "01_a.ipynb", "print(1)")
    with pytest.raises(ValueError, match=r"jobs must be >= 1; received jobs=0"):
        runner.run_notebooks([nb], tmp_path / "build", jobs=0)
    assert not (tmp_path / "build").exists()


def test_the_jobs_setting_is_not_part_of_the_cache_key(tmp_path, monkeypatch, no_site):
    log = tmp_path / "runs.log"
    nb = _write(tmp_path / "01_a.ipynb", _stamp(log, "a"))
    out = tmp_path / "build"
    monkeypatch.setenv("KERASNOTES_JOBS", "1")
    (first,) = runner.run_notebooks([nb], out, timeout=60, render_html=False, progress=None)
    monkeypatch.setenv("KERASNOTES_JOBS", "2")
    (again,) = runner.run_notebooks([nb], out, timeout=60, render_html=False, progress=None)
    assert (first.cached, again.cached) == (False, True)
    assert len(_stamps(log)) == 1  # executed once


# ----------------------------------------------------------------------------- side by side


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """Four notebooks: the first is the slowest, the second fails; run with -j 1 and -j 2."""
    src = tmp_path_factory.mktemp("lessons")
    log = src.parent / f"{src.name}-runs.log"
    go = [src.parent / f"{src.name}-{n}-started" for n in ("01", "02")]
    paths = [
        # 01 and 02 each wait (60 s at most) until the other has started, and 01 then
        # sleeps 5 s more: with -j 2 they overlap however slowly the kernels start; -j 1
        # finds both marks made beforehand and does not wait.
        _write(src / "01_slow.ipynb", _stamp(log, "01_slow", 5.0, until=go[1], mark=go[0])),
        _write(src / "02_fails.ipynb", _stamp(log, "02_fails", until=go[0], mark=go[1]), "1 / 0"),
        _write(src / "03_quick.ipynb", _stamp(log, "03_quick")),
        _write(src / "04_quick.ipynb", _stamp(log, "04_quick"), "print('four')"),
    ]
    runs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "kerasnotes.course.site", None)
        for jobs in (1, 2):
            log.unlink(missing_ok=True)
            for mark in go:
                if jobs == 1:
                    mark.touch()
                else:
                    mark.unlink()
            out = src.parent / f"{src.name}-build-j{jobs}"
            lines: list[str] = []
            results = runner.run_notebooks(
                paths, out, timeout=120, force=True, progress=lines.append, jobs=jobs
            )
            runs[jobs] = {"out": out, "results": results, "lines": lines, "stamps": _stamps(log)}
    return {"paths": paths, **runs}


def test_two_jobs_run_notebooks_at_the_same_time(four):
    stamps = four[2]["stamps"]
    _, slow_start, slow_end = stamps["01_slow"]
    _, quick_start, quick_end = stamps["02_fails"]
    assert slow_start < quick_end and quick_start < slow_end  # the intervals overlap
    assert len({pid for pid, _, _ in stamps.values()}) == 4  # a fresh kernel each
    serial = four[1]["stamps"]
    assert serial["01_slow"][2] <= serial["02_fails"][1]  # -j 1: one after another


def test_results_and_summary_keep_the_course_order(four):
    names = ["01_slow.ipynb", "02_fails.ipynb", "03_quick.ipynb", "04_quick.ipynb"]
    for jobs in (1, 2):
        results = four[jobs]["results"]
        assert [Path(r.notebook).name for r in results] == names
        assert [r.status for r in results] == ["ok", "failed", "ok", "ok"]
        rows = json.loads((four[jobs]["out"] / "summary.json").read_text(encoding="utf-8"))
        assert [Path(row["notebook"]).name for row in rows] == names
        assert rows[1]["error"]["ename"] == "ZeroDivisionError"
        page = (four[jobs]["out"] / "index.html").read_text(encoding="utf-8")
        positions = [page.index(f"{Path(n).stem}.html") for n in names]
        assert positions == sorted(positions)  # the course page lists them in order


def test_a_failing_notebook_does_not_stop_the_others(four):
    stamps = four[2]["stamps"]
    assert set(stamps) == {"01_slow", "02_fails", "03_quick", "04_quick"}
    executed = nbformat.read(four[2]["out"] / "04_quick.ipynb", as_version=4)
    assert executed.cells[2].outputs[0]["text"] == "four\n"


def test_output_files_are_those_of_a_serial_run(four):
    one, two = four[1]["out"], four[2]["out"]
    names = sorted(p.name for p in one.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in two.iterdir() if not p.name.startswith("."))
    for name in names:
        if name.endswith(".ipynb"):
            assert _comparable(one, name) == _comparable(two, name), name
    rows = [
        [dict(row, seconds=None) for row in json.loads((d / "summary.json").read_text("utf-8"))]
        for d in (one, two)
    ]
    assert rows[0] == rows[1]
    cache = [sorted(p.name for p in (d / ".cache").iterdir()) for d in (one, two)]
    assert cache[0] == cache[1] and cache[0]


def test_progress_lines_name_the_place_in_the_course_and_what_still_runs(four):
    lines = four[2]["lines"]
    assert len(lines) == 4
    places = sorted(line.split("]")[0] + "]" for line in lines)
    assert places == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    # the slow first notebook finishes after the failing second one started and ended
    order = [
        next(i for i, s in enumerate(lines) if f"{n}.ipynb" in s) for n in ("02_fails", "01_slow")
    ]
    assert order[0] < order[1]
    assert any("(running: 01_slow" in line for line in lines if "01_slow.ipynb" not in line)
    assert "cell [2] raised ZeroDivisionError" in next(s for s in lines if "02_fails" in s)
    assert all("running" not in line for line in four[1]["lines"])  # -j 1: as before


def test_a_timeout_does_not_stop_the_others(tmp_path, no_site):
    log = tmp_path / "runs.log"
    paths = [
        _write(tmp_path / "01_stuck.ipynb", _stamp(log, "01_stuck", 120.0)),
        _write(tmp_path / "02_ok.ipynb", _stamp(log, "02_ok")),
        _write(tmp_path / "03_ok.ipynb", _stamp(log, "03_ok")),
    ]
    start = time.monotonic()
    results = runner.run_notebooks(
        paths, tmp_path / "build", timeout=15, render_html=False, progress=None, jobs=2
    )
    assert time.monotonic() - start < 15 + 20
    assert [r.status for r in results] == ["timeout", "ok", "ok"]
    assert set(_stamps(log)) == {"02_ok", "03_ok"}


def test_cache_hits_are_served_side_by_side(tmp_path, no_site):
    log = tmp_path / "runs.log"
    paths = [_write(tmp_path / f"0{i}_x.ipynb", _stamp(log, f"0{i}")) for i in range(1, 4)]
    out = tmp_path / "build"
    first = runner.run_notebooks(paths, out, timeout=60, render_html=False, progress=None, jobs=2)
    before = {p.name: _comparable(out, p.name) for p in paths}
    again = runner.run_notebooks(paths, out, timeout=60, render_html=False, progress=None, jobs=2)
    assert [r.cached for r in first] == [False] * 3 and [r.cached for r in again] == [True] * 3
    assert len(_stamps(log)) == 3  # nothing executed the second time
    assert {p.name: _comparable(out, p.name) for p in paths} == before


def test_an_error_of_the_run_itself_stops_every_kernel(tmp_path, monkeypatch, no_site):
    """A worker that fails (say, a full disk) must not leave the other kernel running."""
    pidfile = tmp_path / "kernel.pid"
    sleepy = _write(
        tmp_path / "01_sleepy.ipynb",
        f"import os, pathlib; pathlib.Path({str(pidfile)!r}).write_text(str(os.getpid()))",
        "import time; time.sleep(120)",
    )
    doomed = _write(tmp_path / "02_doomed.ipynb", "print(2)")
    real = runner.run_notebook

    def run_notebook(path, *args, **kwargs):
        if Path(path).name == "02_doomed.ipynb":
            deadline = time.monotonic() + 60
            while not pidfile.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "run_notebook", run_notebook)
    start = time.monotonic()
    with pytest.raises(OSError, match="No space left"):
        runner.run_notebooks([sleepy, doomed], tmp_path / "build", timeout=300, jobs=2)
    assert time.monotonic() - start < 60
    kernel = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(kernel), "the other kernel was left running"


# ----------------------------------------------------------------------------- signals, lock


def _start_parallel_run(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[Path]]:
    """`kerasnotes run -j 2` on a quick notebook, then two that sleep (their kernels' pids)."""
    pidfiles = [tmp_path / "kernel-1.pid", tmp_path / "kernel-2.pid"]
    quick = _write(tmp_path / "00_quick.ipynb", "print('first')")
    sleepy = [
        _write(
            tmp_path / f"0{i}_sleepy.ipynb",
            f"import os, pathlib; pathlib.Path({str(pid)!r}).write_text(str(os.getpid()))",
            "import time; time.sleep(120)",
        )
        for i, pid in enumerate(pidfiles, 1)
    ]
    after = _write(tmp_path / "03_after.ipynb", "print('never')")
    out = tmp_path / "build"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kerasnotes", "run", *map(str, [quick, *sleepy, after])]
        + ["-o", str(out), "--no-html", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not all(p.exists() and p.read_text() for p in pidfiles):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run did not reach both sleeping cells: {proc.communicate()}")
        time.sleep(0.1)
    time.sleep(0.5)  # inside time.sleep(120) now
    return proc, out, pidfiles


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid``, from /proc (kernels are children of the runner)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "status", "to_group"),
    [(signal.SIGINT, 130, False), (signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)],
)
def test_a_signal_stops_every_kernel_of_a_parallel_run(tmp_path, sig, status, to_group, capsys):
    proc, out, pidfiles = _start_parallel_run(tmp_path)
    kernels = {int(p.read_text()) for p in pidfiles}
    descendants = _children(proc.pid)
    assert kernels <= descendants
    if not to_group:  # the lock is still exclusive while kernels run side by side
        assert cli_main(["run", str(tmp_path / "00_quick.ipynb"), "-o", str(out), "-j", "2"]) == 2
        assert "in use by another kerasnotes run" in capsys.readouterr().err
    sent = time.monotonic()
    if to_group:  # Ctrl-C in a terminal reaches the whole foreground process group
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 15
    assert proc.returncode == status, (stdout, stderr)
    assert "Traceback" not in stderr, stderr
    assert f"stopped by {sig.name} after 3 notebook(s)" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(Path(r["notebook"]).name, r["status"]) for r in summary] == [
        ("00_quick.ipynb", "ok"),
        ("01_sleepy.ipynb", "interrupted"),
        ("02_sleepy.ipynb", "interrupted"),
    ]  # and 03_after never started
    for row in summary[1:]:
        assert row["error"]["cell"] == 2 and row["error"]["ename"] == "Interrupted"
        assert (out / row["executed"]).exists()
    assert not (out / "03_after.ipynb").exists()
    deadline = time.monotonic() + 5
    while any(map(_alive, descendants)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in descendants if _alive(pid)], "a kernel was left running"


def test_the_lock_refuses_a_second_run_even_with_jobs(tmp_path, no_site):
    from kerasnotes.course.buildfolder import BuildFolder

    nb = _write(tmp_path / "01_a.ipynb", "print(1)")
    out = tmp_path / "build"
    with BuildFolder.claim(out, sources=[]):
        with pytest.raises(OutputFolderError, match="in use"):
            runner.run_notebooks([nb], out, timeout=60, progress=None, jobs=2)
