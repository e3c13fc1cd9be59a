"""Unit tests of the Keras 2 translation rules (kerasnotes/_keras2_translate.py).

Oracle: Keras 3 itself. Each rule's input is a config Keras 3 refuses (checked), its output
one Keras 3 builds; the real-file tests are in tests/test_keras2_files.py.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

keras = pytest.importorskip("keras")

from kerasnotes._keras2_translate import RULES, translate  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs" / "keras2-files.md"


def _model(*layers):
    return {"model_config": {"class_name": "Sequential", "config": {"layers": list(layers)}}}


def test_every_rule_is_named_once_and_documented():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    text = DOCS.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.name}` |" in text, f"{rule.name} is missing from docs/keras2-files.md"
        assert rule.summary and rule.apply.__doc__


@pytest.mark.parametrize(
    ("cls", "config", "rule"),
    [
        ("LSTM", {"units": 2, "time_major": False}, "rnn_time_major"),
        ("GRU", {"units": 2, "time_major": False}, "rnn_time_major"),
        ("Conv2DTranspose", {"filters": 1, "kernel_size": 2, "groups": 1}, "conv_transpose_groups"),
        ("DepthwiseConv2D", {"kernel_size": 2, "groups": 1}, "conv_transpose_groups"),
    ],
)
def test_layer_rules_turn_a_refused_config_into_one_keras3_builds(cls, config, rule):
    layer_class = getattr(keras.layers, cls)
    with pytest.raises((TypeError, ValueError)):
        layer_class.from_config(dict(config))  # the oracle: Keras 3 refuses it
    new, applied = translate(_model({"class_name": cls, "config": config}), "h5", "2.15.0")
    assert applied == [rule]
    layer_class.from_config(new["model_config"]["config"]["layers"][0]["config"])


def test_rules_leave_keras3_files_alone():
    config = _model({"class_name": "LSTM", "config": {"units": 2, "time_major": False}})
    new, applied = translate(config, "keras", "3.15.1")
    assert applied == [] and new == config


def test_translate_never_changes_its_input():
    config = _model(
        {"class_name": "LSTM", "config": {"units": 2, "recurrent_activation": "hard_sigmoid"}}
    )
    before = copy.deepcopy(config)
    translate(config, "h5", "2.21.0")
    assert config == before


def test_old_optimizer_lr_and_zero_decay():
    config = {
        "model_config": {"class_name": "Sequential", "config": {"layers": []}},
        "training_config": {
            "optimizer_config": {"class_name": "Adam", "config": {"lr": 0.01, "decay": 0.0}}
        },
    }
    with pytest.raises((TypeError, ValueError)):
        keras.optimizers.Adam.from_config({"lr": 0.01, "decay": 0.0, "name": "adam"})
    new, applied = translate(config, "h5", "2.2.4")
    assert applied == ["optimizer_lr_name"]  # no decay: spelling only, no warning
    opt = keras.optimizers.deserialize(new["training_config"]["optimizer_config"])
    assert float(opt.learning_rate) == pytest.approx(0.01)


def test_custom_prefix_only_for_builtin_optimizers():
    config = {
        "model_config": {"class_name": "Sequential", "config": {"layers": []}},
        "training_config": {"optimizer_config": {"class_name": "Custom>MyOpt", "config": {}}},
    }
    new, applied = translate(config, "h5", "2.21.0")
    assert (
        applied == [] and new["training_config"]["optimizer_config"]["class_name"] == "Custom>MyOpt"
    )
