"""kerasnotes migrate on bad input: each bug of the bad-input run has its regression test."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from kerasnotes.migrate import main, scan_file, scan_path, scan_source
from kerasnotes.migrate import sources as sources_module

LEGACY = "model.fit_generator(gen)\n"


@pytest.mark.parametrize(
    "deep",
    [
        "x = " + " + ".join(f"a{i}" for i in range(350)) + "\n",
        "if a == 0:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(1, 331)),
        "s = " + " + ".join(f"'p{i}'" for i in range(400)) + "\n",
    ],
    ids=["350-term sum", "330-branch elif", "400-piece concatenation"],
)
def test_deeply_nested_valid_code_is_scanned(deep):
    assert [f.rule for f in scan_source(deep + LEGACY)] == ["KN211"]


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the best of three: load on the machine only adds time
        start = time.perf_counter()
        scan_source(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "x = f(" + "1." * n + "\n",  # digits and dots: the trailing-number cleanup
        lambda n: "model.compile(metrics=(" * (n // 20) + "\n",  # unclosed metrics=( lists
        lambda n: " " * n + "print 1\n",  # leading spaces on a line that does not parse
        lambda n: "a." * n + "fit_generator(\n",  # a long dotted chain that does not parse
    ],
    ids=["digits", "metrics", "spaces", "dots"],
)
def test_scan_time_grows_linearly_on_long_lines(make):
    small, large = make(10_000), make(100_000)
    ratio = _seconds(large) / max(_seconds(small), 1e-4)
    # linear: about 10 (up to ~40 on a loaded machine); quadratic: 100 and more
    assert ratio < 70, f"10x longer line took {ratio:.0f}x longer (quadratic?)"


def test_notebook_line_with_many_leading_spaces_is_linear(tmp_path):
    def notebook(n: int) -> Path:
        path = tmp_path / f"nb{n}.ipynb"
        cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                "source": [" " * n + "x = 1\n", LEGACY]}  # fmt: skip
        path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                    "nbformat_minor": 5}))  # fmt: skip
        return path

    small, large = notebook(10_000), notebook(100_000)
    scan_file(small)
    start = time.perf_counter()
    scan_file(small)
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    report = scan_file(large)
    ratio = (time.perf_counter() - start) / max(t_small, 1e-4)
    assert ratio < 70 and [f.rule for f in report.findings] == ["KN211"]


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_skipped_with_a_message_not_read(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.py")  # opening it for reading would block forever
    (tmp_path / "old.py").write_text(LEGACY)
    reports = {Path(r.path).name: r for r in scan_path(tmp_path)}
    assert reports["pipe.py"].notes == ["skipped: a FIFO, not a regular file"]
    assert reports["pipe.py"].findings == []
    assert main([str(tmp_path)]) == 1
    assert "pipe.py: note: skipped: a FIFO" in capsys.readouterr().out


def test_broken_and_looping_symlinks_do_not_abort_the_scan(tmp_path, capsys):
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a folder loop
    (tmp_path / "old.py").write_text(LEGACY)
    rules = {Path(r.path).name: [f.rule for f in r.findings] for r in scan_path(tmp_path)}
    assert rules == {"dangling.py": ["KN001"], "loop.py": ["KN001"], "old.py": ["KN211"]}
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "dangling.py:1:1: KN001 cannot read: broken or looping symbolic link" in out


def test_unreadable_input_is_a_finding_and_never_exit_0(tmp_path, monkeypatch, capsys):
    path = tmp_path / "secret.py"
    path.write_text("import keras\n")

    def refuse(file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(sources_module, "open", refuse, raising=False)
    report = scan_file(path)
    assert [f.rule for f in report.findings] == ["KN001"]
    assert report.skipped == "cannot read: Permission denied"
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "KN001 cannot read: Permission denied" in out and "could not be read" in out
    assert "1 could not be read (KN001): they were not checked" in out


@pytest.mark.parametrize(
    "nb,why",
    [
        ({"cells": 5}, '"cells" is a int, not a list'),
        ({"cells": None}, '"cells" is a NoneType, not a list'),
        ({"cells": [{"cell_type": "code", "source": 7}]}, "cell 1's source is int, not text"),
        ({"cells": [{"cell_type": "code", "source": [1, 2]}]}, "cell 1's source is list"),
        ([1, 2], '"cells" is a NoneType'),
    ],
)
def test_malformed_notebook_json_is_a_finding(tmp_path, nb, why):
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb))
    report = scan_file(path)
    assert [f.rule for f in report.findings] == ["KN001"]
    assert why in report.findings[0].message


def test_write_rules_doc_into_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "rules.md"
    assert main(["--write-rules-doc", str(target)]) == 2
    err = capsys.readouterr().err
    assert "does not exist; create it first" in err and "Traceback" not in err
    assert not target.exists()


def test_huge_file_is_reported_without_being_loaded(tmp_path, capsys):
    path = tmp_path / "huge.py"
    with open(path, "w") as handle:
        for _ in range(40_000):
            handle.write("x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]  # padding padding padding\n")
    size = path.stat().st_size
    tracemalloc.start()
    report = scan_file(path, max_bytes=size // 4)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.rule for f in report.findings] == ["KN001"]
    assert "over the" in report.findings[0].message
    assert peak < size // 4, f"peak {peak} bytes while refusing a {size}-byte file"
    assert main([str(path), "--max-bytes", str(size // 4)]) == 1
    assert main([str(path), "--max-bytes", "0"]) == 2  # a usage error, not a traceback
    assert "expected a positive number of bytes" in capsys.readouterr().err


def test_one_bad_path_never_aborts_the_others(tmp_path):
    (tmp_path / "a.py").write_bytes(b"\x00binary")
    (tmp_path / "b.ipynb").write_text("{not json")
    (tmp_path / "c.py").write_text(LEGACY)
    (tmp_path / "d.py").write_text("def f(:\n" + LEGACY)  # does not parse: line by line
    rules = {Path(r.path).name: [f.rule for f in r.findings] for r in scan_path(tmp_path)}
    assert rules == {"a.py": ["KN001"], "b.ipynb": ["KN001"], "c.py": ["KN211"], "d.py": ["KN211"]}


def test_dynamic_access_is_reported_as_not_checked(tmp_path, capsys):
    path = tmp_path / "dyn.py"
    path.write_text(
        "import keras\nfrom keras.layers import *\nname = 'Dense'\n"
        "layer = getattr(keras.layers, name)(3)\nmod = __import__(pkg)\n"
    )
    report = scan_file(path)
    assert len(report.unchecked) == 3, report.unchecked
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "not checked: line 2: from keras.layers import *" in out
    assert "Not checked: 3 dynamic accesses" in out


def test_github_format_annotations(tmp_path, capsys):
    path = tmp_path / "old.py"
    path.write_text("import keras\nopt = keras.optimizers.Adadelta()\nmodel.fit(x, nb_epoch=1)\n")
    assert main([str(path), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"::warning file={path},line=2,col=7,title=KN801::")
    assert lines[1].startswith(f"::error file={path},line=3,col=14,title=KN403::")
