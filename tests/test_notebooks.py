"""Every course notebook runs, top to bottom, in a real kernel (through `kerasnotes run`'s runner).

One test per ``notebooks/*.ipynb``, discovered when the tests are collected, so a
notebook added by anyone is tested without editing this file. Executing a
notebook is testing it: each one asserts its own claims.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kerasnotes.course.runner import DEFAULT_TIMEOUT, run_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_notebook(path, tmp_path, timeout=DEFAULT_TIMEOUT, render_html=False)
    print(f"{path.name}: {result.status} in {result.seconds:.1f} s")
    assert result.status == "ok", result.report()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the run modified the source"
