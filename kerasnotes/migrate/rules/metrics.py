"""KN6xx: metric names that Keras 3 logs differently.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("print(history.history['val_acc'])\\n")]
    ['KN601']
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from kerasnotes.migrate.context import Context, unparse
from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules.arguments import method_call

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["RULES"]

_ACC_KEYS = {"acc": "accuracy", "val_acc": "val_accuracy"}


def _history_like(node: ast.AST) -> bool:
    last = re.split(r"[.\[]", unparse(node).lower())[-1]
    return "hist" in last or last in ("log", "logs")


def _explicit_mode(call: ast.Call) -> bool:
    """Whether a callback call says ``mode='max'`` / ``'min'`` (Keras 3 then only warns)."""
    mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
    return isinstance(mode, ast.Constant) and mode.value in ("max", "min")


def _acc_key(context: Context, node: ast.AST, rule: Rule) -> None:
    if context.state.acc_metric:
        return  # the code asked for metrics=['acc'] itself: the old keys are logged
    keys: list[ast.AST] = []
    if isinstance(node, ast.Subscript) and _history_like(node.value):
        keys.append(node.slice)
    elif isinstance(node, ast.Call):
        # KN601: mode='auto' raises at fit start; KN602: an explicit mode only warns
        if _explicit_mode(node) == (rule.id == "KN602"):
            keys += [k.value for k in node.keywords if k.arg == "monitor"]
        if rule.id == "KN601" and method_call(context, node) == "get" and node.args:
            if _history_like(node.func.value):  # type: ignore[attr-defined]
                keys.append(node.args[0])
    for key in keys:
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in _ACC_KEYS:
            context.report(key, rule, repr(key.value), repr(_ACC_KEYS[key.value]))


def _rename_acc_key(finding: Finding, node: libcst.CSTNode) -> libcst.SimpleString | None:
    """KN601: the history key ``'acc'`` / ``'val_acc'`` -> ``'accuracy'`` / ``'val_accuracy'``."""
    import libcst as cst

    if not isinstance(node, cst.SimpleString):
        return None
    text = node.evaluated_value
    if isinstance(text, str) and text in _ACC_KEYS:
        quote = node.value[len(node.prefix)]
        return cst.SimpleString(node.prefix + quote + _ACC_KEYS[text] + quote)
    return None


KN601 = Rule(
    id="KN601",
    title="'acc' / 'val_acc' metric names",
    severity="error",
    template="`{old}`: with metrics=['accuracy'] Keras 3 logs `accuracy`/`val_accuracy`, so "
    "history[...] raises KeyError and a callback monitoring it raises ValueError at fit start "
    "(mode='auto') or only warns that the metric is not available; use `{new}`",
    replacement="'accuracy' / 'val_accuracy'",
    lesson="17_losses_optimizers_metrics",
    bad="import matplotlib.pyplot as plt\nplt.plot(history.history['acc'])\n",
    good="import matplotlib.pyplot as plt\nplt.plot(history.history['accuracy'])\n",
    checks=(
        Claim(
            kind="true",
            expr="(m := keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])).compile('sgd', 'binary_crossentropy', metrics=['accuracy']) or sorted(m.fit(np.zeros((4, 1)), np.zeros((4, 1)), verbose=0).history) == ['accuracy', 'loss']",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="the history key acc / val_acc becomes accuracy / val_accuracy",
        apply=_rename_acc_key,
    ),
    nodes=(ast.Subscript, ast.Call),
    detect=_acc_key,
)

_FIT_WITH = (
    "(m := keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')]))"
    ".compile('sgd', 'binary_crossentropy', metrics=['accuracy']) or m.fit(np.zeros((4, 1)), "
    "np.zeros((4, 1)), validation_data=(np.zeros((4, 1)), np.zeros((4, 1))), verbose=0, "
    "callbacks=[{}])"
)

KN602 = Rule(
    id="KN602",
    title="'val_acc' monitor with an explicit mode",
    severity="silent",
    template="`{old}` with mode='max'/'min': Keras 3 logs `val_accuracy`, so the callback only "
    "warns that the metric is not available and never acts (no early stop, no best model "
    "saved, no rate reduction); use `{new}`",
    replacement="'accuracy' / 'val_accuracy'",
    lesson="23_callbacks",
    bad="import keras\nstop = keras.callbacks.EarlyStopping(monitor='val_acc', mode='max')\n",
    good="import keras\nstop = keras.callbacks.EarlyStopping(monitor='val_accuracy', mode='max')\n",
    checks=(
        Claim(
            kind="warns",
            expr=_FIT_WITH.format("keras.callbacks.EarlyStopping(monitor='val_acc', mode='max')"),
            match="val_acc` which is not available",
        ),
        Claim(
            kind="raises",
            expr=_FIT_WITH.format("keras.callbacks.EarlyStopping(monitor='val_acc')"),
            error="ValueError",
            match="monitor=val_acc, but Keras isn't able to automatically determine",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="rename the monitored key to 'accuracy' / 'val_accuracy'",
        apply=_rename_acc_key,
    ),
    nodes=(ast.Call,),
    detect=_acc_key,
)


RULES = (KN601, KN602)
