"""The real Keras 2 files of tests/fixtures/keras2/ and what each needs in Keras 3.

Shared by tests/test_keras2_files.py and tools/measure_keras2_loads.py. The custom
objects are the formulas of tools/make_keras2_fixtures.py written again with keras.ops
(what a reader porting the notes' code would write); ``dice_coef`` is kerasnotes' own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import ops

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "keras2"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
FILES: dict[str, dict[str, Any]] = MANIFEST["files"]


def focal_loss(gamma: float = 2.0, alpha: float = 0.25):
    def focal_loss_fixed(y_true, y_pred):
        eps = keras.config.epsilon()
        y_pred = ops.clip(y_pred, eps, 1.0 - eps)
        pt = ops.where(ops.equal(y_true, 1.0), y_pred, 1.0 - y_pred)
        w = ops.where(ops.equal(y_true, 1.0), alpha, 1.0 - alpha)
        return ops.mean(-w * ops.power(1.0 - pt, gamma) * ops.log(pt))

    return focal_loss_fixed


class Attention(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(name="att_w", shape=(int(input_shape[-1]), self.units))
        self.v = self.add_weight(name="att_v", shape=(self.units, 1))

    def call(self, x):
        score = ops.matmul(ops.tanh(ops.matmul(x, self.w)), self.v)
        weights = ops.softmax(score, axis=1)
        return ops.sum(weights * x, axis=1)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def custom_objects_for(name: str) -> dict[str, Any]:
    """The ``custom_objects`` the manifest says a file needs, as Python objects."""
    from kerasnotes.metrics import dice_coef

    table = {
        "focal_loss_fixed": focal_loss(),
        "dice_coef": dice_coef,
        "Attention": Attention,
        "tf": tf,
        "H": 4,
        "W": 4,
    }
    entry = FILES[name]
    wanted = list(entry["custom_objects"]) + list(entry["load_kwargs"].get("custom_objects", []))
    return {k: table[k] for k in wanted}


def load_kwargs_for(name: str) -> dict[str, Any]:
    """The documented arguments: ``custom_objects`` plus ``safe_mode=False`` for Lambdas."""
    kwargs: dict[str, Any] = {"custom_objects": custom_objects_for(name)}
    if "safe_mode" in FILES[name]["load_kwargs"]:
        kwargs["safe_mode"] = FILES[name]["load_kwargs"]["safe_mode"]
    return kwargs


def reference(name: str) -> dict[str, np.ndarray]:
    entry = FILES[name]
    with np.load(FIXTURES / f"{entry['file']}.ref.npz") as ref:
        return {k: ref[k] for k in ref.files}


def probe_input(ref: dict[str, np.ndarray]) -> Any:
    return [ref["x"], ref["x2"]] if "x2" in ref else ref["x"]


def weights_only_model() -> keras.Model:
    """The architecture of weights_only.h5, as the manifest describes it."""
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(3, activation="relu", name="d1"),
            keras.layers.Dense(2, name="d2"),
        ]
    )


def evaluate_matches(model: keras.Model, name: str, ref: dict[str, np.ndarray]) -> bool:
    """Whether ``model.evaluate`` gives Keras 2's values (loss and each metric, 1e-4)."""
    values = model.evaluate(probe_input(ref), ref["y"], verbose=0, return_dict=True)
    expected = dict(zip(FILES[name]["evaluate_names"], ref["evaluate"].tolist(), strict=True))
    return set(values) == set(expected) and all(
        abs(float(values[k]) - expected[k]) <= 1e-4 * max(1.0, abs(expected[k])) for k in expected
    )
