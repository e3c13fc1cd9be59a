"""The data tables of kerasnotes.migrate, re-checked against the installed Keras / TensorFlow.

rules/keras2_api.py was computed from the Keras 2.2.4 and 2.3.1 sources; the
TF 1.x tables are TensorFlow's own (tools/compatibility). Every entry must still
be true of the installed libraries: a name it calls removed is missing, a Keras 3
default it quotes is the real one.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from kerasnotes.migrate.rules import keras2_api, tf_upgrade


def _get(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name, None)


@pytest.mark.slow
@pytest.mark.parametrize("dotted", sorted(keras2_api.REMOVED_NAMES))
def test_removed_names_are_missing_from_installed_keras(dotted):
    pytest.importorskip("keras")
    entry = keras2_api.REMOVED_NAMES[dotted]
    assert entry.source.startswith("Keras 2.") and " keras/" in entry.source, entry
    assert _get(dotted) is None, f"{dotted} exists in the installed Keras: the table is stale"
    if re.fullmatch(r"[\w.]+", entry.replacement):
        assert _get(entry.replacement) is not None, f"{entry.replacement} does not exist"


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(keras2_api.DEFAULT_CHANGES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_changed_defaults_match_installed_keras(key):
    pytest.importorskip("keras")
    dotted, arg = key
    change = keras2_api.DEFAULT_CHANGES[key]
    obj = _get(dotted)
    assert obj is not None, dotted
    sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    assert sig.parameters[arg].default == change.keras3, (dotted, arg)
    assert change.keras2 != change.keras3
    assert (
        change.source.startswith("Keras 2.")
        and f"{arg.replace('learning_rate', '')}" in change.source
    )


def test_the_optimizer_rates_the_issue_names_are_in_the_table():
    table = keras2_api.DEFAULT_CHANGES
    assert table[("keras.optimizers.Adadelta", "learning_rate")].keras2 == 1.0
    assert table[("keras.optimizers.Adadelta", "learning_rate")].keras3 == 0.001
    assert table[("keras.layers.LSTM", "recurrent_activation")].keras2 == "hard_sigmoid"
    assert table[("keras.layers.GRU", "reset_after")].keras2 is False


@pytest.mark.slow
def test_tf_upgrade_tables_are_read_from_installed_tensorflow():
    tf = pytest.importorskip("tensorflow")
    renames = tf_upgrade.symbol_renames()
    assert len(renames) > 500, "TensorFlow's renames_v2 table was not read"
    assert renames["tf.read_file"] == "tf.io.read_file"
    assert tf_upgrade.keyword_renames()["tf.reduce_sum"]["reduction_indices"] == "axis"
    wrong = []
    for old in renames:
        if old.startswith("tf.compat.") or old.split(".")[1] in tf_upgrade.KERAS_BACKED:
            continue  # Keras-backed modules: names taken as present (a documented gap)
        parts = old.split(".")[1:]
        obj, missing = tf, False
        for part in parts:
            if not hasattr(obj, part):
                missing = True
                break
            obj = getattr(obj, part)
        if missing == tf_upgrade.tf2_has(old):  # the file-based check must agree with TF
            wrong.append(old)
    assert wrong == [], f"tf2_has disagrees with TensorFlow for {wrong[:10]}"
