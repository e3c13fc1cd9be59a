"""kerasnotes migrate --fix / --unsafe-fixes / --diff."""

from __future__ import annotations

import json

import pytest

from kerasnotes.migrate import main, scan_source
from kerasnotes.migrate.fix import CALL_FIXERS, FIXERS, fix_notebook_text, fix_source
from kerasnotes.migrate.rules import RULES, RULES_BY_ID

pytest.importorskip("libcst")

OLD = """\
from keras.models import Sequential
from keras.layers.core import Dense
from keras.optimizers import Adadelta
model = Sequential()
model.add(Dense(output_dim=10, init='uniform', input_dim=3))  # a comment stays
model.compile(loss='mse', optimizer=Adadelta())
model.fit_generator(gen, nb_epoch=3, workers=2)
model.save_weights('w.h5')
"""


def test_safe_fixes_keep_comments_and_leave_unsafe_ones():
    new, report = fix_source(OLD)
    assert new == OLD.replace("keras.layers.core", "keras.layers").replace(
        "output_dim=10, init='uniform'", "units=10, kernel_initializer='random_uniform'"
    ).replace("fit_generator(gen, nb_epoch=3, workers=2)", "fit(gen, epochs=3)").replace(
        "'w.h5'", "'w.weights.h5'"
    )
    left = {f.rule: why for f, why in report.left}
    assert "--unsafe-fixes" in left["KN801"]  # Adadelta() is only pinned on request
    assert "no automatic fix" in left["KN905"]


def test_unsafe_pin_is_still_listed_when_the_safe_fixes_leave_no_other_old_idiom():
    # A changed default is only reported in old code; after --fix renamed nb_epoch, the
    # code no longer looks old, yet Adadelta() still trains with Keras 3's rate.
    old = (
        "import keras\nopt = keras.optimizers.Adadelta()\n"
        "model.compile(optimizer=opt, loss='mse')\nmodel.fit(x, y, nb_epoch=3)\n"
    )
    new, report = fix_source(old)
    assert new == old.replace("nb_epoch", "epochs")
    assert scan_source(new) == []  # alone, the fixed code reads as Keras 3 code
    assert [(f.rule, f.line) for f, _ in report.left] == [("KN801", 2)]
    assert "--unsafe-fixes" in report.left[0][1]
    pinned, report = fix_source(old, unsafe=True)
    assert "Adadelta(learning_rate=1.0)" in pinned and report.left == []


def test_unsafe_fixes_pin_the_keras2_default():
    new, _ = fix_source(OLD, unsafe=True)
    assert "optimizer=Adadelta(learning_rate=1.0)" in new
    new, _ = fix_source("from keras.layers import GRU\nr = GRU(4, init='uniform')\n", unsafe=True)
    assert (
        "GRU(4, kernel_initializer='random_uniform', recurrent_activation='hard_sigmoid', reset_after=False)"
        in new
    )


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.id in FIXERS or r.id in CALL_FIXERS], ids=lambda r: r.id
)
def test_each_fix_removes_its_finding_and_is_idempotent(rule):
    once, report = fix_source(rule.bad, unsafe=True)
    assert rule.id in report.fixed, f"{rule.id}: its own example was not fixed"
    assert rule.id not in [f.rule for f in scan_source(once)], once
    twice, again = fix_source(once, unsafe=True)
    assert twice == once and again.fixed == []
    compile(once, rule.id, "exec")  # still Python


def test_unparsable_file_is_never_touched(tmp_path, capsys):
    path = tmp_path / "py2.py"
    path.write_text('print "hello"\nmodel.fit(x, nb_epoch=1)\n')
    before = path.read_bytes()
    assert main(["--fix", str(path)]) == 1
    assert path.read_bytes() == before
    out = capsys.readouterr().out
    assert "does not parse" in out and "KN403 not fixed" in out


def test_notebook_is_fixed_cell_by_cell_with_outputs_and_magics_kept(tmp_path):
    outputs = [{"output_type": "stream", "name": "stdout", "text": ["12 epochs\n"]}]
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["model.fit(x, nb_epoch=1)"]},
        {"cell_type": "code", "metadata": {"tags": ["x"]}, "execution_count": 7, "outputs": outputs,
         "source": ["%matplotlib inline\n", "model.fit(x, y, nb_epoch=2)\n", "!ls"]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    new, report = fix_notebook_text(json.dumps(nb))
    cells = json.loads(new)["cells"]
    assert cells[0] == nb["cells"][0]  # markdown untouched
    assert cells[1]["source"] == ["%matplotlib inline\n", "model.fit(x, y, epochs=2)\n", "!ls"]
    assert cells[1]["outputs"] == outputs and cells[1]["execution_count"] == 7
    assert report.fixed == ["KN403"]
    assert fix_notebook_text(new)[0] == new  # idempotent


def test_diff_prints_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "old.py"
    path.write_text("from keras.optimizers import SGD\nsgd = SGD(lr=0.1)\n")
    assert main(["--diff", str(path)]) == 0
    out = capsys.readouterr().out
    assert "-sgd = SGD(lr=0.1)\n+sgd = SGD(learning_rate=0.1)" in out
    assert path.read_text() == "from keras.optimizers import SGD\nsgd = SGD(lr=0.1)\n"
    assert main(["--fix", str(path)]) == 0
    assert path.read_text() == "from keras.optimizers import SGD\nsgd = SGD(learning_rate=0.1)\n"
    assert main([str(path)]) == 0  # clean now


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path, capsys):
    assert main(["--unsafe-fixes", str(tmp_path)]) == 2
    assert "--unsafe-fixes needs --fix or --diff" in capsys.readouterr().err


def test_fix_source_refuses_bytes():
    with pytest.raises(TypeError, match="received bytes"):
        fix_source(b"import keras")  # type: ignore[arg-type]


def test_rules_with_fixes_say_so_in_the_docs():
    from kerasnotes.migrate import render_rules_doc

    doc = render_rules_doc()
    assert "| safe |" in doc and "| unsafe |" in doc
    assert RULES_BY_ID["KN801"].fix.safety == "unsafe"


def test_pre_commit_hooks_file_runs_this_command():
    yaml = pytest.importorskip("yaml")
    from pathlib import Path

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["kerasnotes-migrate"]["entry"] == "kerasnotes migrate"
    assert by_id["kerasnotes-migrate-fix"]["entry"] == "kerasnotes migrate --fix"
    for hook in hooks:
        assert hook["language"] == "python" and set(hook["types_or"]) == {"python", "jupyter"}
