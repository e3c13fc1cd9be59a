"""The `kerasnotes` command line: usage errors, --version, migrate forwarding."""

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
    ],
)
def test_usage_errors_exit_2_with_usage(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: kerasnotes")
    assert "error:" in err


def test_help_lists_the_three_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("doctor", "run", "migrate"):
        assert command in out


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
    assert "kerasnotes migrate is not available" in err and "kerasnotes/migrate/" in err


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
