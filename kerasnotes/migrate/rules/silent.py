"""KN8xx: code that still runs on Keras 3 but silently does something else.

These are the costly ones: nothing raises, the model just trains differently.
Each rule cites the Keras 2 value (read from the Keras 2.2.4 / 2.3.1 sources, see
:mod:`kerasnotes.migrate.rules.keras2_api`) and proves the Keras 3 value with a
claim checked against the installed library.

``tf.keras`` in TensorFlow 2.x already had the new defaults, so code that
imports Keras only through ``tf.keras`` is not reported for default changes; and
a default is only reported in code that shows another legacy idiom (an
``LSTM(32)`` in Keras 3 code means the Keras 3 default).

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> old = "from keras.optimizers import Adadelta\\nopt = Adadelta()\\nmodel.fit(x, nb_epoch=2)\\n"
    >>> [f.rule for f in scan_source(old)]
    ['KN801', 'KN403']
    >>> [f.rule for f in scan_source("from keras.optimizers import Adadelta\\nopt = Adadelta()\\n")]
    []
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.context import Context, kw, unparse
from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules.arguments import layer_call, method_call, optimizer_call
from kerasnotes.migrate.rules.keras2_api import DEFAULT_CHANGES, DefaultChange

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = [
    "OPTIMIZER_RATES",
    "OTHER_DEFAULTS",
    "RNN_DEFAULTS",
    "RULES",
    "proof_trainable_after_compile",
]

#: Optimizer class -> (Keras 2 default learning rate, Keras 3 default), where they differ.
OPTIMIZER_RATES: dict[str, tuple[object, object]] = {
    path.rsplit(".", 1)[-1]: (change.keras2, change.keras3)
    for (path, arg), change in DEFAULT_CHANGES.items()
    if path.startswith("keras.optimizers.") and arg == "learning_rate"
}
_STRING_NAMES = {name.lower(): name for name in OPTIMIZER_RATES}
#: Recurrent layer -> {argument: (Keras 2 default, Keras 3 default)} where they differ.
RNN_DEFAULTS: dict[str, dict[str, tuple[object, object]]] = {}
for (_path, _arg), _change in DEFAULT_CHANGES.items():
    if _arg in ("recurrent_activation", "reset_after"):
        RNN_DEFAULTS.setdefault(_path.rsplit(".", 1)[-1], {})[_arg] = (
            _change.keras2,
            _change.keras3,
        )


def _release_key(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split("."))


def _held(path: str, arg: str, release: str) -> tuple[object, object] | None:
    """``(Keras 2 value in release, Keras 3 value)``, or None if they were already equal.

    A default listed for an older release and not for ``release`` had moved to the
    Keras 3 value by then (LSTM's ``recurrent_activation`` in 2.3.1). One listed only
    for newer releases was new after ``release`` (``plot_model(dpi=)`` came in 2.3):
    its oldest known value is reported, as before ``--keras-version`` existed.
    """
    change = DEFAULT_CHANGES[(path, arg)]
    listed = change.versions.split()
    if release in listed:
        return change.keras2_in(release), change.keras3
    if any(_release_key(v) < _release_key(release) for v in listed):
        return None
    return change.keras2_in(min(listed, key=_release_key)), change.keras3


def _optimizer_rate(context: Context, node: ast.Call, rule: Rule) -> None:
    name = optimizer_call(context, node)
    if name in OPTIMIZER_RATES and not context.call_origin(node)[1]:
        if node.args or kw(node, "learning_rate") or kw(node, "lr"):
            return
        held = _held(f"keras.optimizers.{name}", "learning_rate", context.state.release)
        if held is None:
            return
        old, new = held
        context.report(node, rule, f"{name}() with no rate (Keras 2: {old}, Keras 3: {new})",
                       f"learning_rate={old}")  # fmt: skip
        return
    if method_call(context, node) != "compile" or context.tf_keras_only():
        return
    given = kw(node, "optimizer")
    value = given.value if given is not None else (node.args[0] if node.args else None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        cls = _STRING_NAMES.get(value.value.lower())
        held = None
        if cls is not None:
            held = _held(f"keras.optimizers.{cls}", "learning_rate", context.state.release)
        if held is not None:
            old, new = held
            context.report(value, rule, f"optimizer={value.value!r} (Keras 2 rate {old}, "
                           f"Keras 3 rate {new})", f"optimizer=keras.optimizers.{cls}("
                           f"learning_rate={old})")  # fmt: skip


def _rnn_defaults(context: Context, node: ast.Call, rule: Rule) -> None:
    layer = layer_call(context, node)
    if layer not in RNN_DEFAULTS or context.call_origin(node)[1]:
        return
    release = context.state.release
    missing = [
        (a, *held)
        for a in RNN_DEFAULTS[layer]
        if kw(node, a) is None and (held := _held(f"keras.layers.{layer}", a, release))
    ]
    if missing:
        shown = ", ".join(f"{a}= (Keras 2: {o!r}, Keras 3: {n!r})" for a, o, n in missing)
        context.report(node, rule, f"{layer}() without {shown}",
                       ", ".join(f"{a}={o!r}" for a, o, _ in missing))  # fmt: skip


def _trainable_after_compile(context: Context, node: ast.AST, rule: Rule) -> None:
    compiled = context.state.compiled
    if isinstance(node, ast.Call):
        if method_call(context, node) == "compile":
            compiled.add(unparse(node.func.value))  # type: ignore[attr-defined]
        return
    for target in node.targets:  # type: ignore[attr-defined]
        if isinstance(target, ast.Attribute) and target.attr == "trainable":
            owner = unparse(target.value)
            if owner in compiled:
                context.report(target, rule, f"{owner}.trainable = ... after {owner}.compile()")


#: Path -> {argument: change} for the defaults KN801/KN802 do not already cover.
OTHER_DEFAULTS: dict[str, dict[str, DefaultChange]] = {}
for (_path, _arg), _change in DEFAULT_CHANGES.items():
    if (_path.startswith("keras.optimizers.") and _arg == "learning_rate") or _arg in (
        "recurrent_activation",
        "reset_after",
    ):
        continue
    OTHER_DEFAULTS.setdefault(_path, {})[_arg] = _change


def _other_defaults(context: Context, node: ast.Call, rule: Rule) -> None:
    path, via_tf = context.call_origin(node)
    if path not in OTHER_DEFAULTS or via_tf:
        return
    release = context.state.release
    missing = [
        (arg, *held)
        for arg, change in OTHER_DEFAULTS[path].items()
        if kw(node, arg) is None and not (0 <= change.position < len(node.args))
        and (held := _held(path, arg, release))
    ]  # fmt: skip
    if missing:
        name = path.rsplit(".", 1)[-1]
        shown = ", ".join(f"{a}= (Keras 2: {o!r}, Keras 3: {n!r})" for a, o, n in missing)
        new = ", ".join(f"{a}={o!r}" for a, o, _ in missing)
        context.report(node, rule, f"{name}() without {shown}", new)


def proof_trainable_after_compile() -> bool:
    """True when Keras 3 applies ``trainable = False`` set after ``compile`` (Keras 2 did not).

    Builds a one-layer model, compiles it, freezes it, trains one batch and checks
    that the weights did not move: in Keras 2 they moved, because the trainable
    state was captured by ``compile``.
    """
    import keras
    import numpy as np

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    before = [w.copy() for w in model.get_weights()]
    model.trainable = False
    model.train_on_batch(np.ones((4, 2), "float32"), np.full((4, 1), 10.0, "float32"))
    return all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def _pin_keras2_default(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
    """KN801/KN802/KN804: pin the Keras 2 default (``finding.replacement`` holds it)."""
    import libcst as cst

    if isinstance(node, cst.SimpleString):  # compile(optimizer='adadelta')
        expr = finding.replacement.split("=", 1)[1]
        return cst.parse_expression(expr)
    if not isinstance(node, cst.Call):
        return None
    extra = cast("libcst.Call", cst.parse_expression(f"f({finding.replacement})")).args
    args = list(node.args)
    if args and args[-1].comma is cst.MaybeSentinel.DEFAULT:
        args[-1] = args[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    return node.with_changes(args=[*args, *extra])


KN801 = Rule(
    id="KN801",
    title="optimizer default learning rate changed",
    severity="silent",
    template="`{old}`: the default learning rate changed, so the same code trains at another "
    "rate; to keep the Keras 2 behaviour write `{new}`",
    replacement="the Keras 2 rate, given explicitly",
    lesson="15_optimizers_and_lr_schedules",
    bad="from keras.optimizers import Adadelta\nopt = Adadelta()\nmodel.fit(x, y, nb_epoch=5)\n",
    good="from keras.optimizers import Adadelta\nopt = Adadelta(learning_rate=1.0)\n"
    "model.fit(x, y, epochs=5)\n",
    checks=tuple(
        Claim(
            kind="true", expr=f"abs(float(keras.optimizers.{name}().learning_rate) - {new}) < 1e-9"
        )
        for name, (_old, new) in sorted(OPTIMIZER_RATES.items())
    ),
    nodes=(ast.Call,),
    detect=_optimizer_rate,
    fix=Fix(
        safety="unsafe",
        title="pass the Keras 2 learning rate explicitly",
        apply=_pin_keras2_default,
    ),
    legacy_only=True,
)

KN802 = Rule(
    id="KN802",
    title="recurrent layer defaults changed",
    severity="silent",
    template="`{old}`: the default changed, so the layer computes something else and old "
    "weights give other outputs; to keep the Keras 2 behaviour write `{new}`",
    replacement="the Keras 2 value, given explicitly",
    lesson="25_sequences_and_text",
    bad="from keras.layers import LSTM\nlayer = LSTM(32, init='uniform')\n",
    good="from keras.layers import LSTM\nlayer = LSTM(32, recurrent_activation='hard_sigmoid')\n",
    checks=tuple(
        Claim(kind="true", expr=f"keras.layers.{layer}(4).get_config()[{arg!r}] == {new!r}")
        for layer, args in sorted(RNN_DEFAULTS.items())
        if layer in ("LSTM", "GRU")
        for arg, (_old, new) in sorted(args.items())
    ),
    nodes=(ast.Call,),
    detect=_rnn_defaults,
    fix=Fix(
        safety="unsafe",
        title="pass the Keras 2 defaults explicitly (recurrent_activation, reset_after)",
        apply=_pin_keras2_default,
    ),
    legacy_only=True,
)

KN803 = Rule(
    id="KN803",
    title="trainable set after compile",
    severity="silent",
    template="`{old}`: Keras 2 froze the trainable state at compile(), Keras 3 applies the change "
    "at once, so this model stops training (a GAN's discriminator stays at chance); {new}",
    replacement="set trainable before compile(), or give each model its own compile() after "
    "setting it",
    lesson="24_pitfalls_faq",
    bad="model.compile(optimizer='sgd', loss='mse')\nmodel.trainable = False\n",
    good="model.trainable = False\nmodel.compile(optimizer='sgd', loss='mse')\n",
    checks=(
        Claim(kind="check", expr="kerasnotes.migrate.rules.silent.proof_trainable_after_compile"),
    ),
    nodes=(ast.Call, ast.Assign),
    detect=_trainable_after_compile,
)

KN804 = Rule(
    id="KN804",
    title="other default changed since Keras 2",
    severity="silent",
    template="`{old}`: the default differs, so the call does something else than in Keras 2; "
    "to keep the old behaviour write `{new}`",
    replacement="the Keras 2 value, given explicitly",
    lesson="30_migrating_old_code",
    bad="from keras.regularizers import l1_l2\nreg = l1_l2()\nmodel.fit(x, y, nb_epoch=1)\n",
    good="from keras.regularizers import l1_l2\nreg = l1_l2(l1=0.01, l2=0.01)\n",
    checks=(
        Claim(
            kind="true", expr="keras.regularizers.l1_l2().get_config() == {'l1': 0.0, 'l2': 0.0}"
        ),
    ),
    nodes=(ast.Call,),
    detect=_other_defaults,
    fix=Fix(
        safety="unsafe", title="pass the Keras 2 default explicitly", apply=_pin_keras2_default
    ),
    legacy_only=True,
)

RULES = (KN801, KN802, KN803, KN804)
