"""The `kerasnotes` command line: usage errors, --version, dispatch to each command's main(argv)."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import kerasnotes
from kerasnotes.cli import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kerasnotes {kerasnotes.__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--bogus"],
        ["frobnicate"],
        ["doctor", "--bogus"],
        ["run", "--timeout", "-5"],
        ["run", "--timeout", "soon"],
        ["run", "--timeout", "inf"],
        ["run", "--timeout", "-inf"],
        ["run", "--timeout", "nan"],
        ["run", "--timeout", "0"],
        ["run", "--timeout", "1e-400"],  # a positive literal that is 0.0 as a float
        ["run", "--bogus"],
        ["run", "--jobs", "0"],
        ["run", "--jobs", "-1"],
        ["run", "-j", "x"],
        ["run", "--jobs", "1.5"],
        ["table", "--bogus"],
    ],
)
def test_usage_errors_exit_2_with_usage(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: kerasnotes")
    assert "error:" in err
    assert "Traceback" not in err


def test_run_timeout_message_names_the_value(capsys):
    assert main(["run", "--timeout", "inf"]) == 2
    err = capsys.readouterr().err
    assert "--timeout expects a finite number of seconds > 0, received 'inf'" in err


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_run_jobs_message_names_the_value_and_the_fix(value, capsys):
    assert main(["run", "--jobs", value]) == 2
    err = capsys.readouterr().err
    assert f"--jobs={value!r}" in err and "1 runs them one after another" in err


@pytest.mark.parametrize("value", ["0", "x"])
def test_run_refuses_a_bad_kerasnotes_jobs_before_running_anything(
    value, tmp_path, monkeypatch, capsys
):
    from kerasnotes.course import runner

    monkeypatch.setenv("KERASNOTES_JOBS", value)
    monkeypatch.setattr(runner, "run_notebooks", lambda *a, **k: pytest.fail("it ran"))
    nb = tmp_path / "01_a.ipynb"
    nb.write_text("{}", encoding="utf-8")
    assert main(["run", str(nb), "-o", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kerasnotes run: ") and err.count("\n") == 1
    assert f"KERASNOTES_JOBS={value!r}" in err and "1 runs them one after another" in err
    assert not (tmp_path / "build").exists()


def test_run_jobs_option_wins_over_kerasnotes_jobs(tmp_path, monkeypatch):
    from kerasnotes.course import runner

    seen = []
    monkeypatch.setenv("KERASNOTES_JOBS", "x")  # not even read when --jobs is given
    monkeypatch.setattr(runner, "run_notebooks", lambda *a, **k: seen.append(k["jobs"]) or [])
    nb = tmp_path / "01_a.ipynb"
    nb.write_text("{}", encoding="utf-8")
    assert main(["run", str(nb), "-o", str(tmp_path / "build"), "-j", "3", "--no-html"]) == 0
    monkeypatch.setenv("KERASNOTES_JOBS", "1")
    assert main(["run", str(nb), "-o", str(tmp_path / "build"), "--no-html"]) == 0
    assert seen == [3, 1]


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("doctor", "run", "table", "migrate", "site", "convert"):
        assert f"\n  {command} " in out, command


def test_run_help_documents_force_and_the_cache(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kerasnotes run")
    assert "--force" in out and ".cache/" in out and "--timeout" in out
    assert "--jobs N" in out and "KERASNOTES_JOBS" in out


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("doctor", "kerasnotes.course.doctor"),
        ("run", "kerasnotes.course.runner"),
        ("table", "kerasnotes.course.notebooks"),
        ("migrate", "kerasnotes.migrate"),
        ("site", "kerasnotes.course.site"),
        ("convert", "kerasnotes.convert"),
    ],
)
def test_each_command_gets_its_arguments_untouched(command, module, monkeypatch):
    received = []
    fake = types.ModuleType(module)
    fake.main = lambda argv: received.append(argv) or 7
    monkeypatch.setitem(sys.modules, module, fake)
    argv = ["x.ipynb", "--help", "--", "-o", "build", "--version"]
    assert main([command, *argv]) == 7
    assert received == [argv]


@pytest.mark.parametrize(
    ("command", "module"), [("site", "kerasnotes.course.site"), ("convert", "kerasnotes.convert")]
)
def test_an_absent_command_module_is_one_line_and_exit_1(command, module, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, module, None)
    assert main([command, "anything"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"kerasnotes {command} is not available" in err
    assert module in err


def test_a_command_that_exits_through_argparse_returns_its_status(monkeypatch):
    fake = types.ModuleType("kerasnotes.convert")

    def fake_main(argv):
        raise SystemExit(2)

    fake.main = fake_main
    monkeypatch.setitem(sys.modules, "kerasnotes.convert", fake)
    assert main(["convert", "--nope"]) == 2


def _course(tmp_path: Path, marker: str) -> Path:
    from nbformat import v4, write

    (tmp_path / "notebooks").mkdir()
    nb = v4.new_notebook(
        cells=[v4.new_markdown_cell("# 01 · Tiny\n\n**Notes section:** `a.txt` › 一\n")]
    )
    write(nb, tmp_path / "notebooks" / "01_tiny.ipynb")
    text = f"intro\n{marker}\nold table\n<!-- notebook-table:end -->\noutro\n"
    for readme in (tmp_path / "README.md", tmp_path / "notebooks" / "README.md"):
        readme.write_text(text, encoding="utf-8")
    return tmp_path


def test_table_command_checks_then_rewrites(tmp_path, capsys):
    from kerasnotes.course.notebooks import TABLE_START

    root = _course(tmp_path, TABLE_START)
    before = (root / "README.md").read_bytes()
    assert main(["table", "--check", "--root", str(root)]) == 1
    assert (root / "README.md").read_bytes() == before  # --check writes nothing
    assert "fix: kerasnotes table" in capsys.readouterr().err
    assert main(["table", "--root", str(root)]) == 0
    assert main(["table", "--check", "--root", str(root)]) == 0
    top = (root / "README.md").read_text(encoding="utf-8")
    assert "| 01 | [Tiny](notebooks/01_tiny.ipynb) | `a.txt` › 一 |" in top
    assert "old table" not in top and top.startswith("intro\n") and top.endswith("outro\n")


def test_table_command_upgrades_the_old_marker(tmp_path):
    from kerasnotes.course.notebooks import TABLE_START

    old = "<!-- notebook-table:start (generated: python -m kerasnotes.course.runner --write-table) -->"
    root = _course(tmp_path, old)
    assert main(["table", "--root", str(root)]) == 0
    text = (root / "notebooks" / "README.md").read_text(encoding="utf-8")
    assert TABLE_START in text and old not in text and "[Tiny](01_tiny.ipynb)" in text


def test_table_command_without_markers_exits_2(tmp_path, capsys):
    root = _course(tmp_path, "no marker here")
    (root / "README.md").write_text("no markers\n", encoding="utf-8")
    assert main(["table", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kerasnotes table: ") and "Traceback" not in err


def test_migrate_forwards_every_argument(monkeypatch):
    received = []
    fake = types.ModuleType("kerasnotes.migrate")

    def fake_main(argv=None):
        received.append(argv)
        return 3

    fake.main = fake_main
    monkeypatch.setitem(sys.modules, "kerasnotes.migrate", fake)
    argv = ["old.py", "nb.ipynb", "--format", "json", "--help"]
    assert main(["migrate", *argv]) == 3
    assert received == [argv]


def test_migrate_missing_module_says_so(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "kerasnotes.migrate", None)
    assert main(["migrate", "x.py"]) == 1
    err = capsys.readouterr().err
    assert "kerasnotes migrate is not available" in err and "kerasnotes.migrate" in err


def test_migrate_without_main_says_so(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "kerasnotes.migrate", types.ModuleType("kerasnotes.migrate"))
    assert main(["migrate"]) == 1
    assert "defines no main(argv)" in capsys.readouterr().err


def test_python_dash_m_and_console_script():
    proc = subprocess.run(
        [sys.executable, "-m", "kerasnotes", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"kerasnotes {kerasnotes.__version__}"
    script = Path(sys.executable).with_name("kerasnotes")
    if not script.exists():
        pytest.skip("the kerasnotes console script is not installed next to this Python")
    proc = subprocess.run([str(script), "--nope"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stderr.startswith("usage: kerasnotes")


def test_migrate_end_to_end_with_the_real_module(tmp_path, capsys):
    pytest.importorskip("kerasnotes.migrate")
    old = tmp_path / "old.py"
    old.write_text("model.fit(x, y, nb_epoch=5)\n", encoding="utf-8")
    code = main(["migrate", str(old), "--format", "json"])
    out = capsys.readouterr().out
    assert isinstance(code, int) and code != 0  # an old idiom was found
    assert "nb_epoch" in json.dumps(json.loads(out))
    assert main(["migrate", "--no-such-option"]) == 2  # its own usage error, as a status


def test_run_without_the_course_extra_says_how_to_install_it(monkeypatch, capsys):
    from kerasnotes.course import runner

    monkeypatch.setattr(runner, "missing_course_packages", lambda: ["nbclient"])
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "needs nbclient" in err and 'pip install -e ".[course]"' in err


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`kerasnotes migrate big_project | head -1`: no BrokenPipeError traceback."""
    legacy = tmp_path / "old.py"
    legacy.write_text("model.fit_generator(gen, steps_per_epoch=10)\n" * 4000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kerasnotes", "migrate", str(legacy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away after one line, as `head -1` does
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert b"KN211" in first
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


@pytest.mark.parametrize(
    ("sig", "status", "word"), [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")]
)
def test_a_signal_before_the_command_handles_it_ends_quietly(
    sig, status, word, monkeypatch, capsys
):
    """Ctrl-C or SIGTERM while a command's modules load: a status, not a traceback."""
    import os
    import signal

    fake = types.ModuleType("kerasnotes.convert")
    fake.main = lambda argv: os.kill(os.getpid(), getattr(signal, sig)) or 0
    monkeypatch.setitem(sys.modules, "kerasnotes.convert", fake)
    # Ctrl-C as a terminal delivers it: Python's own handler, which raises KeyboardInterrupt.
    # (A background job of a non-interactive shell starts with SIGINT ignored, and Python
    # then leaves it ignored: that is how CI launched this suite once.)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    before = signal.getsignal(signal.SIGTERM)
    try:
        assert main(["convert"]) == status
    finally:
        signal.signal(signal.SIGINT, previous_int)
    assert capsys.readouterr().err == f"kerasnotes: {word}\n"
    assert signal.getsignal(signal.SIGTERM) is before  # restored
