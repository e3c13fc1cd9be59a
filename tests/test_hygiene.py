"""kerasnotes.course.hygiene: the committed notebooks carry no outputs; the check catches them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kerasnotes.course import hygiene

ROOT = Path(__file__).resolve().parents[1]


def _nb(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_every_committed_notebook_is_clean():
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert paths, "no notebooks found"
    assert hygiene.main([str(p) for p in paths]) == 0


def test_outputs_and_counts_are_found_and_stripped(tmp_path, capsys):
    dirty = _nb(
        [
            {"cell_type": "markdown", "metadata": {}, "source": "# t"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["check"]},
                "source": "print(1)",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}],
                "execution_count": 7,
            },
        ]
    )
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(dirty, indent=1), encoding="utf-8")
    assert hygiene.main([str(path)]) == 1
    assert "cell 1 has outputs; cell 1 has an execution count" in capsys.readouterr().out
    assert hygiene.main(["--fix", str(path)]) == 1
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert fixed["cells"][1]["outputs"] == [] and fixed["cells"][1]["execution_count"] is None
    assert fixed["cells"][1]["metadata"] == {"tags": ["check"]}  # nothing else touched
    assert hygiene.main([str(path)]) == 0


@pytest.mark.parametrize("content", ["not json", '{"cells": 5}', "[]"])
def test_unreadable_notebooks_are_reported_not_passed(tmp_path, content, capsys):
    path = tmp_path / "bad.ipynb"
    path.write_text(content, encoding="utf-8")
    assert hygiene.main([str(path)]) == 2
    assert "cannot check" in capsys.readouterr().err
