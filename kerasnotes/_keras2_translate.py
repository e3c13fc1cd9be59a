"""Translate the JSON of a Keras 2 model file into a config Keras 3 accepts, rule by rule.

Private to :mod:`kerasnotes.saving`; the rules are listed in ``docs/keras2-files.md``.
Each rule is small, named, and works on a *copy* of the config read from the
file (the file itself is never written). A rule changes only what Keras 3 refuses
or reads differently, and :func:`translate` reports which rules changed something,
so a loaded model never differs from the file silently.

Two rules change more than spelling, and :func:`kerasnotes.saving.load_model` warns
when they apply:

- ``keras2_hard_sigmoid``: Keras 2 computed ``hard_sigmoid(x) = clip(0.2 x + 0.5, 0, 1)``,
  Keras 3 computes ``relu6(x + 3) / 6`` (slope 1/6). A Keras 2 file's
  ``"hard_sigmoid"`` is pointed at :func:`keras2_hard_sigmoid` (registered as
  ``"kerasnotes>keras2_hard_sigmoid"``), so the model predicts what Keras 2 predicted.
- ``legacy_optimizer_decay``: Keras 2's ``decay`` argument, which Keras 3 refuses,
  becomes the same formula as a schedule, ``InverseTimeDecay(lr, decay_steps=1,
  decay_rate=decay)``, i.e. ``lr / (1 + decay * iterations)``.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import keras

__all__ = [
    "RULES",
    "Rule",
    "is_keras2",
    "keras2_hard_sigmoid",
    "lambda_layers",
    "translate",
]

HARD_SIGMOID_NAME = "kerasnotes>keras2_hard_sigmoid"


@keras.saving.register_keras_serializable(package="kerasnotes", name="keras2_hard_sigmoid")
def keras2_hard_sigmoid(x: Any) -> Any:
    """Keras 2's ``hard_sigmoid``: ``clip(0.2 * x + 0.5, 0, 1)`` (Keras 3's has slope 1/6).

    Registered as ``"kerasnotes>keras2_hard_sigmoid"``; :func:`kerasnotes.load_model`
    gives it to every Keras 2 layer saved with ``"hard_sigmoid"``.

    Example:
        >>> import numpy as np
        >>> np.round(np.asarray(keras2_hard_sigmoid(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]))), 6)
        array([0. , 0.3, 0.5, 0.7, 1. ])
    """
    return keras.ops.clip(0.2 * keras.ops.convert_to_tensor(x) + 0.5, 0.0, 1.0)


def is_keras2(version: str | None, fmt: str) -> bool:
    """Whether a file was written by Keras 2 (tf.keras / tf_keras): version ``2.x``.

    An ``.h5`` without a recorded version is taken as Keras 2 (Keras 3 always records it).

    >>> is_keras2("2.21.0", "h5"), is_keras2("3.15.1", "keras"), is_keras2(None, "h5")
    (True, False, True)
    """
    if version is None:
        return fmt == "h5"
    return version.split(".", 1)[0] in ("1", "2")


def _objects(root: Any) -> Iterator[dict[str, Any]]:
    """Every dict with a string ``class_name`` and a dict ``config``, found without recursion."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("class_name"), str) and isinstance(item.get("config"), dict):
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _optimizer_configs(config: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    training = config.get("training_config")
    if isinstance(training, dict) and isinstance(training.get("optimizer_config"), dict):
        found.append(training["optimizer_config"])
    compiled = config.get("compile_config")
    if isinstance(compiled, dict):
        inner = compiled.get("config", compiled)
        if isinstance(inner, dict) and isinstance(inner.get("optimizer"), dict):
            found.append(inner["optimizer"])
    return found


_BUILTIN_OPTIMIZERS = {n for n in dir(keras.optimizers) if n[:1].isupper()}


def _optimizer_custom_prefix(config: dict[str, Any]) -> bool:
    """``Custom>Adam`` (how tf_keras >= 2.11 names its built-in optimizers) -> ``Adam``.

    Its tf_keras-only arguments ``jit_compile`` / ``is_legacy_optimizer`` go with it.
    """
    changed = False
    for opt in _optimizer_configs(config):
        for key in ("class_name", "registered_name"):
            name = opt.get(key)
            if isinstance(name, str) and name.startswith("Custom>"):
                if name.split(">", 1)[1] in _BUILTIN_OPTIMIZERS:
                    opt[key] = name.split(">", 1)[1]
                    changed = True
        inner = opt.get("config")
        if changed and isinstance(inner, dict):  # tf_keras-only arguments Keras 3 refuses
            for key in ("jit_compile", "is_legacy_optimizer"):
                inner.pop(key, None)
    return changed


def _optimizer_lr_name(config: dict[str, Any]) -> bool:
    """Keras 2 ``lr=`` -> ``learning_rate=``; a ``decay`` of 0 (no decay) is dropped."""
    changed = False
    for opt in _optimizer_configs(config):
        inner = opt.get("config")
        if not isinstance(inner, dict):
            continue
        if "lr" in inner and "learning_rate" not in inner:
            inner["learning_rate"] = inner.pop("lr")
            changed = True
        if "decay" in inner and inner["decay"] in (0, 0.0, None):
            del inner["decay"]
            changed = True
    return changed


def _legacy_optimizer_decay(config: dict[str, Any]) -> bool:
    """Keras 2 ``decay=d`` (d > 0) -> ``learning_rate=InverseTimeDecay(lr, 1, d)``, same formula."""
    changed = False
    for opt in _optimizer_configs(config):
        inner = opt.get("config")
        if not isinstance(inner, dict) or "decay" not in inner:
            continue
        decay, rate = inner["decay"], inner.get("learning_rate", inner.get("lr"))
        if not (isinstance(decay, (int, float)) and isinstance(rate, (int, float))):
            continue  # not a number: left for Keras to report
        del inner["decay"]
        inner.pop("lr", None)
        inner["learning_rate"] = {
            "module": "keras.optimizers.schedules",
            "class_name": "InverseTimeDecay",
            "config": {
                "initial_learning_rate": float(rate),
                "decay_steps": 1,
                "decay_rate": float(decay),
                "staircase": False,
                "name": "InverseTimeDecay",
            },
            "registered_name": None,
        }
        changed = True
    return changed


def _drop_key(config: dict[str, Any], classes: Callable[[str], bool], key: str, when: Any) -> bool:
    changed = False
    for obj in _objects(config):
        inner = obj["config"]
        if classes(obj["class_name"]) and key in inner and when(inner[key]):
            del inner[key]
            changed = True
    return changed


_RNN_CLASSES = {"SimpleRNN", "LSTM", "GRU", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}


def _rnn_time_major(config: dict[str, Any]) -> bool:
    """Drop ``time_major`` from recurrent layers (Keras 3 refuses it; Keras 2 saved False)."""
    return _drop_key(config, lambda c: c in _RNN_CLASSES, "time_major", lambda v: v is False)


def _takes_no_groups(class_name: str) -> bool:
    layer = getattr(keras.layers, class_name, None)
    if not isinstance(layer, type) or "Conv" not in class_name:
        return False
    init = vars(layer).get("__init__") or getattr(layer, "__init__")  # noqa: B009
    try:
        return "groups" not in inspect.signature(init).parameters
    except (TypeError, ValueError):
        return False


def _conv_transpose_groups(config: dict[str, Any]) -> bool:
    """Drop ``groups: 1`` from convolutions Keras 3 gives no ``groups`` argument:
    ``Conv*Transpose``, and ``DepthwiseConv*`` / ``SeparableConv*`` (Keras 2 wrote it there too)."""
    return _drop_key(config, _takes_no_groups, "groups", lambda v: v == 1)


def _keras2_hard_sigmoid(config: dict[str, Any]) -> bool:
    """Point Keras 2's ``"hard_sigmoid"`` activations at :func:`keras2_hard_sigmoid`."""
    replacement = {
        "module": "builtins",
        "class_name": "function",
        "config": HARD_SIGMOID_NAME,
        "registered_name": "function",
    }
    changed = False
    for obj in _objects(config):
        inner = obj["config"]
        for key in ("activation", "recurrent_activation"):
            value = inner.get(key)
            if isinstance(value, dict) and value.get("config") == "hard_sigmoid":
                value = "hard_sigmoid"
            if value == "hard_sigmoid":
                inner[key] = dict(replacement)
                changed = True
        if obj["class_name"] == "Activation" and inner.get("activation") == "hard_sigmoid":
            inner["activation"] = dict(replacement)
            changed = True
    return changed


_H5_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
}


def _loss_short_alias(config: dict[str, Any]) -> bool:
    """``.h5`` ``loss='mse'`` (and mae, mape, msle) -> the full name Keras 3 can rebuild."""
    training = config.get("training_config")
    if not isinstance(training, dict):
        return False
    loss = training.get("loss")
    if isinstance(loss, str) and loss in _H5_LOSS_ALIASES:
        training["loss"] = _H5_LOSS_ALIASES[loss]
        return True
    changed = False
    if isinstance(loss, (list, dict)):
        keys = range(len(loss)) if isinstance(loss, list) else list(loss)
        for k in keys:
            if isinstance(loss[k], str) and loss[k] in _H5_LOSS_ALIASES:
                loss[k] = _H5_LOSS_ALIASES[loss[k]]
                changed = True
    return changed


def _is_builtin_metric(name: str) -> bool:
    try:
        return callable(keras.metrics.get(name))
    except (ValueError, TypeError):
        return False


def _metric_wrapper_fn(config: dict[str, Any]) -> bool:
    """A ``MeanMetricWrapper`` whose ``fn`` is a bare name -> a function reference Keras 3 resolves.

    Keras 3 leaves the bare string as the metric function (``'str' object is not callable``
    at ``evaluate()``). A Keras built-in ``fn`` becomes a function reference, so the metric
    keeps its Keras 2 name (``"accuracy"`` around ``categorical_accuracy``); the user's own
    (``"dice_coef"``) becomes that bare name, looked up in ``custom_objects`` as Keras 2 did.
    """
    training = config.get("training_config")
    if not isinstance(training, dict):
        return False
    changed = False
    for key in ("metrics", "weighted_metrics"):
        stack: list[tuple[Any, Any]] = [(training, key)] if key in training else []
        while stack:
            parent, k = stack.pop()
            value = parent[k]
            if isinstance(value, list):
                stack.extend((value, i) for i in range(len(value)))
            elif isinstance(value, dict) and "class_name" not in value:
                stack.extend((value, kk) for kk in value)
            elif (
                isinstance(value, dict)
                and value.get("class_name") == "MeanMetricWrapper"
                and isinstance(value.get("config"), dict)
                and isinstance(value["config"].get("fn"), str)
            ):
                fn = value["config"]["fn"]
                if not _is_builtin_metric(fn):  # the user's function, logged under its name
                    parent[k] = fn
                    changed = True
                    continue
                value["config"]["fn"] = {
                    "module": "builtins",
                    "class_name": "function",
                    "config": value["config"]["fn"],
                    "registered_name": "function",
                }
                changed = True
    return changed


def _tf_keras_module_names(config: dict[str, Any]) -> bool:
    """``"module": "tf_keras.src.engine.functional"`` (tf_keras' .keras) -> Keras 3's module."""
    changed = False
    for obj in _objects(config):
        module = obj.get("module")
        if isinstance(module, str) and module.split(".", 1)[0] == "tf_keras":
            home = _keras_home(obj["class_name"])
            if home is not None:
                obj["module"] = home
                changed = True
    return changed


def _keras_home(class_name: str) -> str | None:
    if class_name in ("Functional", "Model"):
        return "keras.src.models.functional"  # where Keras 3 itself says Functional lives
    if class_name == "Sequential":
        return "keras"
    for module in ("layers", "models", "optimizers", "losses", "metrics", "initializers"):
        if hasattr(getattr(keras, module), class_name):
            return f"keras.{module}"
    return None


_COMPILE_DEFAULTS_KERAS2_NONE = ("steps_per_execution", "jit_compile", "run_eagerly")


def _compile_config_nones(config: dict[str, Any]) -> bool:
    """tf_keras' ``compile_config`` ``steps_per_execution: null`` (...) -> Keras 3's defaults."""
    compiled = config.get("compile_config")
    if not isinstance(compiled, dict):
        return False
    inner = compiled.get("config", compiled)
    if not isinstance(inner, dict):
        return False
    drop = [k for k in _COMPILE_DEFAULTS_KERAS2_NONE if k in inner and inner[k] is None]
    for k in drop:
        del inner[k]
    return bool(drop)


def _lambda_list_function(config: dict[str, Any]) -> bool:
    """A ``.keras`` Lambda's ``function: [code, defaults, closure]`` -> ``__lambda__`` form.

    Keras 3 only recognises (and only refuses in safe mode) the ``__lambda__`` form, so
    this keeps Keras' own safe_mode check in force for tf_keras files.
    """
    changed = False
    for obj in _objects(config):
        inner = obj["config"]
        if obj["class_name"] != "Lambda" or inner.get("function_type") != "lambda":
            continue
        for key, kind in (("function", "function_type"), ("output_shape", "output_shape_type")):
            value = inner.get(key)
            if isinstance(value, list) and len(value) == 3 and inner.get(kind) == "lambda":
                code, defaults, closure = value
                inner[key] = {
                    "class_name": "__lambda__",
                    "config": {"code": code, "defaults": defaults, "closure": closure},
                }
                changed = True
        for key in ("function_type", "module", "output_shape_type", "output_shape_module"):
            inner.pop(key, None)
    return changed


def _nested_node_indices(config: dict[str, Any]) -> bool:
    """Keras 2 counts a nested model's calls from 1 (node 0 is its own graph); Keras 3's
    legacy node lists count them from 0: shift references to nested models down by one."""
    changed = False
    for obj in _objects(config):
        inner = obj["config"]
        layers = inner.get("layers")
        if not isinstance(layers, list) or "input_layers" not in inner:
            continue
        nested = {
            layer.get("name") or layer["config"].get("name")
            for layer in layers
            if isinstance(layer, dict)
            and layer.get("class_name") in ("Functional", "Model", "Sequential")
        }
        for layer in layers:
            nodes = layer.get("inbound_nodes") if isinstance(layer, dict) else None
            for node in nodes if isinstance(nodes, list) else []:
                for ref in node if isinstance(node, list) else []:
                    if (
                        isinstance(ref, list)
                        and len(ref) >= 3
                        and ref[0] in nested
                        and isinstance(ref[1], int)
                        and ref[1] > 0
                    ):
                        ref[1] -= 1
                        changed = True
    return changed


@dataclass(frozen=True)
class Rule:
    """One translation: its name, what it does, and the function that applies it in place."""

    name: str
    summary: str
    apply: Callable[[dict[str, Any]], bool]
    keras2_only: bool = True
    formats: tuple[str, ...] = ("h5", "keras")


RULES: tuple[Rule, ...] = (
    Rule(
        "optimizer_custom_prefix",
        "optimizer 'Custom>Adam' (tf_keras >= 2.11) -> Keras' own 'Adam'",
        _optimizer_custom_prefix,
    ),
    Rule(
        "optimizer_lr_name",
        "optimizer lr= -> learning_rate=; decay=0 dropped",
        _optimizer_lr_name,
    ),
    Rule(
        "legacy_optimizer_decay",
        "optimizer decay=d -> learning_rate=InverseTimeDecay(lr, 1, d): lr / (1 + d * step)",
        _legacy_optimizer_decay,
    ),
    Rule(
        "loss_short_alias",
        ".h5 loss 'mse'/'mae'/'mape'/'msle' -> full name (Keras 3 cannot rebuild the alias)",
        _loss_short_alias,
        keras2_only=False,
        formats=("h5",),
    ),
    Rule(
        "metric_wrapper_fn",
        "MeanMetricWrapper(fn='dice_coef'): the bare name -> a function reference",
        _metric_wrapper_fn,
    ),
    Rule("rnn_time_major", "drop time_major=False from recurrent layers", _rnn_time_major),
    Rule(
        "conv_transpose_groups",
        "drop groups=1 from Conv*Transpose, DepthwiseConv*, SeparableConv* (no groups in Keras 3)",
        _conv_transpose_groups,
    ),
    Rule(
        "nested_node_indices",
        "a nested model's call k is node k in Keras 2, node k-1 in Keras 3's legacy lists",
        _nested_node_indices,
    ),
    Rule(
        "tf_keras_module_names",
        "'module': 'tf_keras.src...' (tf_keras .keras) -> Keras 3's 'keras' / 'keras.layers'",
        _tf_keras_module_names,
    ),
    Rule(
        "compile_config_nones",
        "tf_keras compile_config steps_per_execution/jit_compile/run_eagerly null -> default",
        _compile_config_nones,
    ),
    Rule(
        "lambda_list_function",
        ".keras Lambda function [code, defaults, closure] -> Keras 3's __lambda__ form",
        _lambda_list_function,
        formats=("keras",),
    ),
    Rule(
        "keras2_hard_sigmoid",
        "'hard_sigmoid' -> kerasnotes>keras2_hard_sigmoid, clip(0.2x+0.5, 0, 1) as in Keras 2",
        _keras2_hard_sigmoid,
    ),
)


def translate(
    config: dict[str, Any], fmt: str, version: str | None
) -> tuple[dict[str, Any], list[str]]:
    """Return a translated deep copy of ``config`` and the names of the rules that changed it.

    Example:
        >>> cfg = {"model_config": {"class_name": "Sequential", "config": {"layers": [
        ...     {"class_name": "LSTM", "config": {"units": 2, "time_major": False,
        ...      "recurrent_activation": "hard_sigmoid"}}]}}}
        >>> new, rules = translate(cfg, "h5", "2.21.0")
        >>> rules
        ['rnn_time_major', 'keras2_hard_sigmoid']
        >>> "time_major" in cfg["model_config"]["config"]["layers"][0]["config"]  # untouched
        True
    """
    new = copy.deepcopy(config)
    keras2 = is_keras2(version, fmt)
    applied = []
    for rule in RULES:
        if rule.keras2_only and not keras2:
            continue
        if fmt not in rule.formats:
            continue
        if rule.apply(new):
            applied.append(rule.name)
    return new, applied


def lambda_layers(config: Any) -> list[str]:
    """Names of ``Lambda`` layers holding a Python lambda, in both storage formats.

    Keras 3 (and tf_keras' ``.keras``) store ``{"class_name": "__lambda__", ...}``; Keras 2's
    ``.h5`` stores the bytecode as a list ``[code, defaults, closure]`` with
    ``function_type: "lambda"``. Nothing is decoded.

    >>> lambda_layers({"class_name": "Lambda", "config": {"name": "resize",
    ...     "function": ["4wEAAAA=", None, None], "function_type": "lambda"}})
    ['resize']
    """
    names = []
    for obj in _objects(config):
        if obj["class_name"] != "Lambda":
            continue
        inner = obj["config"]
        fn = inner.get("function")
        new_style = isinstance(fn, dict) and fn.get("class_name") == "__lambda__"
        old_style = inner.get("function_type") == "lambda" or (
            isinstance(fn, (list, str)) and inner.get("function_type") is None
        )
        if new_style or (old_style and not isinstance(fn, dict)):
            name = inner.get("name")
            names.append(name if isinstance(name, str) else "?")
    return names
