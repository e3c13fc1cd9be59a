"""tools/measure_migrate.py: the oracle's own bookkeeping, on snippets of our own.

The measurement itself needs the Keras 2 corpus (see docs/migrate-measured.md); these
tests check the parts that decide what is judged, without it.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "measure_migrate.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("measure_migrate", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure_migrate"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("measure_migrate", None)


def test_a_placeholder_records_the_script_lines_that_use_it(tool, monkeypatch):
    monkeypatch.setattr(tool, "_SCRIPT", "<old script>")
    tool._TOUCHED.clear()
    code = "ok = 1 + 1\nmodel.fit_generator(gen, workers=4)\nfor batch in model.layers:\n    pass\n"
    exec(compile(code, "<old script>", "exec"), {"model": tool.UNBOUND, "gen": None})  # noqa: S102
    assert sorted(tool._TOUCHED) == [2, 3]  # line 1 never touched it


def test_changed_names_cover_bindings_mutations_and_receivers(tool):
    stmt = ast.parse("for k in keys:\n    feats[k] = f(k)\n    cfg.size = 2\n    model.fit(x)\n")
    assert tool._changed_names(stmt.body[0]) == {"k", "feats", "cfg", "model"}


def test_truth_keeps_a_hard_break_and_a_silent_change_on_one_statement(tool, tmp_path):
    pytest.importorskip("keras")
    corpus = tmp_path / "Keras-2.x"
    (corpus / "examples").mkdir(parents=True)
    (corpus / "keras").mkdir()
    # a Keras 2 source of our own: LSTM had hard_sigmoid as its recurrent activation
    (corpus / "keras" / "__init__.py").write_text("")
    (corpus / "keras" / "layers.py").write_text(
        "class LSTM(object):\n"
        "    def __init__(self, units, recurrent_activation='hard_sigmoid', **kwargs):\n"
        "        pass\n"
    )
    script = corpus / "examples" / "old.py"
    script.write_text("from keras.layers import LSTM\nlayer = LSTM(4, batch_size=1)\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    # the run's result, as a child process writes it: line 2 raised
    run = {"events": [{"kind": "hard", "line": 2, "why": "ValueError: batch_size"}],
           "ran": [1, 2], "covered": [1, 2]}  # fmt: skip
    (cache / "old.json").write_text(__import__("json").dumps(run))
    tally = tool.measure(corpus, [script], 10.0, cache, rerun=False)
    assert (tally.hard, tally.silent) == (1, 1)
    assert tally.hard_found == 1 and tally.silent_found == 1  # KN416 and KN802
    assert tally.wrong == []


@pytest.mark.slow
def test_a_keyword_keras3_says_it_ignores_is_a_silent_change(tool):
    keras = pytest.importorskip("keras")
    call = ast.parse("RMSprop(learning_rate=0.1, decay=0.01)", mode="eval").body
    params = [("lr", 0.001), ("decay", 0.0)]
    found = tool._ignored_keywords(keras.optimizers.RMSprop, call, params)
    assert len(found) == 1 and "decay" in found[0]
    # a keyword Keras 3 refuses is a hard break, not a silent change
    call = ast.parse("RMSprop(lr=0.1)", mode="eval").body
    assert tool._ignored_keywords(keras.optimizers.RMSprop, call, params) == []


@pytest.mark.parametrize(
    ("folder", "expected"),
    [("Keras-2.3.1", "2.3.1"), ("Keras-2.2.4", "2.2.4"), ("keras-1.2.2", "1.2.2"),
     ("examples", "2.2")],
)  # fmt: skip
def test_the_corpus_folder_name_gives_the_keras_version(tool, tmp_path, folder, expected):
    corpus = tmp_path / folder
    corpus.mkdir()
    assert tool.corpus_keras_version(corpus) == expected


def test_a_bad_keras_version_is_a_usage_error(tool, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        tool.main([str(tmp_path), "--keras-version", "3.1"])
    assert exit_info.value.code == 2
    assert "'3.1'" in capsys.readouterr().err
