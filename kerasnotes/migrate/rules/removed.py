"""KN2xx: functions and methods that Keras 3 removed.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("probs = model.predict_proba(x)\\n")]
    ['KN215']
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from kerasnotes.migrate.context import Context, kw, unparse
from kerasnotes.migrate.cst_helpers import dotted_name, keyword_arg, with_args
from kerasnotes.migrate.model import Claim, Detector, Finding, Fix, Fixer, Rule
from kerasnotes.migrate.rules._paths import exact

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["RULES", "removed_method"]


def removed_method(table: dict[str, str]) -> Detector:
    """A detector for ``obj.name`` where ``name`` is a removed method (value: replacement).

    The receiver must be some object, not a module: ``kerasnotes.predict_classes``
    is a function, ``model.predict_classes`` the removed method.
    """

    def detect(context: Context, node: ast.Attribute, rule: Rule) -> None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and node.attr in table
            and not context.is_module(node.value)
        ):
            context.report(node, rule, f".{node.attr}()", table[node.attr])

    return detect


def _bare_call(names: frozenset[str], needs: str | None = None) -> Detector:
    """A detector for ``name(...)`` of a name the code never imported nor defined."""

    def detect(context: Context, node: ast.Call, rule: Rule) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in names and context.is_unbound(func):
            if needs is None or kw(node, needs) is not None:
                shown = f"{func.id}(..., {needs}=...)" if needs else f"{func.id}()"
                context.report(func, rule, shown)

    return detect


def _merge_call(context: Context, node: ast.Call, rule: Rule) -> None:
    """``merge(...)`` imported from ``keras.layers`` (each call breaks), or never imported."""
    func = node.func
    if isinstance(func, ast.Name) and func.id in ("merge", "Merge"):
        # the import of keras.layers.merge (also a Keras 2 module) is kept as keras.layers
        if context.state.aliases.get(func.id) in ("keras.layers", "keras.layers.merge"):
            context.report(func, rule, f"{func.id}(...)")
            return
    _bare_call(frozenset({"merge", "Merge"}), needs="mode")(context, node, rule)


def _both(on_attribute: Detector, on_call: Detector) -> Detector:
    def detect(context: Context, node: ast.AST, rule: Rule) -> None:
        (on_call if isinstance(node, ast.Call) else on_attribute)(context, node, rule)

    return detect


def _optimizer_lr(context: Context, node: ast.Attribute, rule: Rule) -> None:
    value = node.value
    if node.attr == "lr" and isinstance(value, ast.Attribute) and value.attr == "optimizer":
        context.report(node, rule, unparse(node))


KN201 = Rule(
    id="KN201",
    title="YAML model config",
    severity="error",
    template="`{old}` was removed (security risk of YAML loading); use `{new}`",
    replacement="model.to_json() / keras.models.model_from_json()",
    lesson="20_saving_and_loading",
    bad="yaml_string = model.to_yaml()\n",
    good="json_string = model.to_json()\n",
    checks=(
        Claim(kind="missing", expr="keras.models.model_from_yaml"),
        Claim(kind="missing", expr="keras.Model.to_yaml"),
        Claim(kind="exists", expr="keras.Model.to_json"),
        Claim(kind="exists", expr="keras.models.model_from_json"),
    ),
    paths=exact(
        {
            "keras.models.model_from_yaml": "keras.models.model_from_json",
            "keras.saving.model_from_yaml": "keras.models.model_from_json",
        }
    ),
    path_order=10,
    nodes=(ast.Attribute, ast.Call),
    detect=_both(
        removed_method({"to_yaml": "model.to_json()"}), _bare_call(frozenset({"model_from_yaml"}))
    ),
)


KN202 = Rule(
    id="KN202",
    title="multi_gpu_model",
    severity="error",
    template="`{old}` was removed (also from tf_keras); use `{new}`",
    replacement="tf.distribute.MirroredStrategy() and build/compile inside strategy.scope()",
    lesson="06_gpus_and_distribution",
    bad="import keras\nparallel = keras.utils.multi_gpu_model(model, gpus=2)\n",
    good="import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n",
    checks=(Claim(kind="missing", expr="keras.utils.multi_gpu_model"),),
    paths=exact(
        {
            "keras.utils.multi_gpu_model": "tf.distribute.MirroredStrategy",
            "keras.utils.training_utils.multi_gpu_model": "tf.distribute.MirroredStrategy",
        }
    ),
    path_order=10,
    nodes=(ast.Call,),
    detect=_bare_call(frozenset({"multi_gpu_model"})),
)


#: Keras 1 ``merge(mode=...)`` -> the Keras 2+ function of ``keras.layers``.
MERGE_MODES = {"concat": "concatenate", "sum": "add", "mul": "multiply", "ave": "average",
               "max": "maximum", "dot": "dot"}  # fmt: skip


def _merge(finding: Finding, node: libcst.CSTNode) -> libcst.CSTNode | None:
    """KN203: ``merge([a, b], mode='concat', concat_axis=1)`` -> ``keras.layers.concatenate([a, b], axis=1)``.

    On ``from keras.layers import merge`` the name is dropped from the import (the
    calls are rewritten to ``keras.layers.<function>``). Modes other than those of
    :data:`MERGE_MODES`, a computed mode, and Keras 1's shape/mask arguments are
    left for a rewrite by hand.
    """
    import libcst as cst

    if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        kept = [a for a in node.names if dotted_name(a.name) != "merge"]
        if len(kept) == len(node.names):
            return None
        if not kept:
            return cst.Import(names=[cst.ImportAlias(name=cst.Name("keras"))])
        last = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return node.with_changes(names=[*kept[:-1], last])
    if not isinstance(node, cst.Call):
        return None
    name = dotted_name(node.func)
    if name is None or name.rsplit(".", 1)[-1] != "merge":
        return None
    positional = [a for a in node.args if a.keyword is None]
    if len(positional) != 1 or positional[0].star:
        return None
    mode = "sum"  # Keras 1's default
    args = [positional[0]]
    for arg in node.args:
        if arg.keyword is None:
            continue
        key = arg.keyword.value
        if key == "mode":
            if not isinstance(arg.value, cst.SimpleString):
                return None
            mode = str(arg.value.evaluated_value)
        elif key in ("concat_axis", "dot_axes"):
            args.append(
                arg.with_changes(keyword=cst.Name("axis" if key == "concat_axis" else "axes"))
            )
        elif key == "name":
            args.append(arg)
        else:  # output_shape, output_mask, node_indices, ...: by hand
            return None
    if mode not in MERGE_MODES:
        return None
    keys = {a.keyword.value for a in args if a.keyword is not None}
    if mode != "concat" and "axis" in keys or mode != "dot" and "axes" in keys:
        args = [a for a in args if a.keyword is None or a.keyword.value not in ("axis", "axes")]
    if mode == "dot" and "axes" not in keys:  # Keras 1's dot_axes=-1
        args.append(keyword_arg("axes", cst.UnaryOperation(cst.Minus(), cst.Integer("1"))))
    func = cst.parse_expression(f"keras.layers.{MERGE_MODES[mode]}")
    return with_args(node.with_changes(func=func), args)


KN203 = Rule(
    id="KN203",
    title="Keras 1 merge / Merge",
    severity="error",
    template="Keras 1's `{old}` was removed; use `{new}`",
    replacement="keras.layers.concatenate / add / multiply (or the Concatenate, Add, ... layers)",
    lesson="10_concatenate_axes",
    bad="from keras.layers import merge\nx = merge([a, b], mode='concat')\n",
    good="from keras.layers import concatenate\nx = concatenate([a, b])\n",
    checks=(
        Claim(kind="missing", expr="keras.layers.merge"),
        Claim(kind="missing", expr="keras.layers.Merge"),
        Claim(kind="exists", expr="keras.layers.concatenate"),
    ),
    paths=exact(
        {
            "keras.layers.merge": "keras.layers.concatenate / add / multiply ...",
            "keras.layers.Merge": "keras.layers.Concatenate / Add / Multiply ...",
        }
    ),
    path_order=10,
    # merge(mode=...) with a literal mode; Merge (the Sequential layer) by hand
    fix=Fix(
        safety="safe",
        title="merge(mode=...) becomes the keras.layers function of that mode; merge leaves the import",
        apply=_merge,
        apply_to_call=_merge,
    ),
    nodes=(ast.Call,),
    detect=_merge_call,
)


KN204 = Rule(
    id="KN204",
    title="optimizer.lr attribute",
    severity="error",
    template="`{old}`: Keras 3 optimizers have no `lr` attribute (AttributeError); use `{new}`",
    replacement="optimizer.learning_rate (assign to it, or read float(optimizer.learning_rate))",
    lesson="15_optimizers_and_lr_schedules",
    bad="rate = model.optimizer.lr\n",
    good="rate = model.optimizer.learning_rate\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.optimizers.Adam().lr",
            error="AttributeError",
            match="has no attribute 'lr'",
        ),
        Claim(kind="runs", expr="float(keras.optimizers.Adam().learning_rate)"),
    ),
    nodes=(ast.Attribute,),
    detect=_optimizer_lr,
)


def _rename_method(old: str, new: str) -> Fixer:
    """A fix renaming the attribute ``.old`` of the finding to ``.new``."""

    def fix(finding: Finding, node: libcst.CSTNode) -> libcst.Attribute | None:
        import libcst as cst

        if isinstance(node, cst.Attribute) and node.attr.value == old:
            return node.with_changes(attr=cst.Name(new))
        return None

    return fix


KN211 = Rule(
    id="KN211",
    title="fit_generator",
    severity="error",
    template="`{old}` was removed (AttributeError); `{new}` takes generators and PyDatasets directly",
    replacement="model.fit(generator, steps_per_epoch=..., epochs=...)",
    lesson="11_fit_vs_fit_generator",
    bad="model.fit_generator(gen, steps_per_epoch=10, epochs=2)\n",
    good="model.fit(gen, steps_per_epoch=10, epochs=2)\n",
    checks=(
        Claim(kind="missing", expr="keras.Model.fit_generator"),
        Claim(kind="exists", expr="keras.Model.fit"),
    ),
    fix=Fix(
        safety="safe",
        title="rename fit_generator to fit",
        apply=_rename_method("fit_generator", "fit"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method({"fit_generator": "model.fit"}),
)


KN212 = Rule(
    id="KN212",
    title="evaluate_generator",
    severity="error",
    template="`{old}` was removed (AttributeError); use `{new}`",
    replacement="model.evaluate(generator, steps=...)",
    lesson="11_fit_vs_fit_generator",
    bad="model.evaluate_generator(gen, steps=5)\n",
    good="model.evaluate(gen, steps=5)\n",
    checks=(Claim(kind="missing", expr="keras.Model.evaluate_generator"),),
    fix=Fix(
        safety="safe",
        title="rename evaluate_generator to evaluate",
        apply=_rename_method("evaluate_generator", "evaluate"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method({"evaluate_generator": "model.evaluate"}),
)


KN213 = Rule(
    id="KN213",
    title="predict_generator",
    severity="error",
    template="`{old}` was removed (AttributeError); use `{new}` (the generator must yield tuples `(x,)`)",
    replacement="model.predict(generator, steps=...)",
    lesson="11_fit_vs_fit_generator",
    bad="probs = model.predict_generator(gen, steps=5)\n",
    good="probs = model.predict(gen, steps=5)\n",
    checks=(Claim(kind="missing", expr="keras.Model.predict_generator"),),
    fix=Fix(
        safety="safe",
        title="rename predict_generator to predict",
        apply=_rename_method("predict_generator", "predict"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method({"predict_generator": "model.predict"}),
)


def _predict_classes(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
    """KN214 (unsafe): ``m.predict_classes(x)`` -> ``np.argmax(m.predict(x), axis=-1)``.

    That is Keras 2's rule for more than one output unit; for one sigmoid unit Keras 2
    used ``p > 0.5`` instead, so the fix is unsafe, and :mod:`kerasnotes.migrate.fix`
    leaves it alone in a file that mentions ``sigmoid``.
    """
    import libcst as cst

    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value != "predict_classes":
        return None
    predict = node.with_changes(func=node.func.with_changes(attr=cst.Name("predict")))
    return cst.parse_expression("np.argmax(_predict_, axis=-1)").with_changes(
        args=[cst.Arg(value=predict, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
              keyword_arg("axis", cst.UnaryOperation(cst.Minus(), cst.Integer("1")))]
    )  # fmt: skip


KN214 = Rule(
    id="KN214",
    title="predict_classes",
    severity="error",
    template="`{old}` was removed (AttributeError); use `{new}`",
    replacement="np.argmax(model.predict(x), axis=-1) for softmax, (model.predict(x) > 0.5).astype('int32') "
    "for sigmoid, or kerasnotes.predict_classes(model, x)",
    lesson="16_predict_vs_predict_classes",
    bad="labels = model.predict_classes(x_test)\n",
    good="import numpy as np\nlabels = np.argmax(model.predict(x_test), axis=-1)\n",
    checks=(Claim(kind="missing", expr="keras.Sequential.predict_classes"),),
    # argmax is Keras 2's rule for several units only (a sigmoid unit used p > 0.5)
    fix=Fix(
        safety="unsafe",
        title="np.argmax(model.predict(x), axis=-1), Keras 2's rule for more than one unit",
        apply_to_call=_predict_classes,
    ),
    nodes=(ast.Attribute,),
    detect=removed_method(
        {
            "predict_classes": "np.argmax(model.predict(x), axis=-1) for softmax, "
            "(model.predict(x) > 0.5).astype('int32') for sigmoid, or kerasnotes.predict_classes(model, x)"
        }
    ),
)


KN215 = Rule(
    id="KN215",
    title="predict_proba",
    severity="error",
    template="`{old}` was removed (AttributeError); `{new}` returns the probabilities",
    replacement="model.predict(x)",
    lesson="16_predict_vs_predict_classes",
    bad="probs = model.predict_proba(x_test)\n",
    good="probs = model.predict(x_test)\n",
    checks=(Claim(kind="missing", expr="keras.Sequential.predict_proba"),),
    fix=Fix(
        safety="safe",
        title="rename predict_proba to predict",
        apply=_rename_method("predict_proba", "predict"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method({"predict_proba": "model.predict"}),
)


KN216 = Rule(
    id="KN216",
    title="layer node accessors",
    severity="error",
    template="`{old}` was removed from layers (AttributeError); use `{new}`",
    replacement="layer.output / layer.input (and .shape)",
    lesson="07_inspecting_models",
    bad="out = model.layers[1].get_output_at(0)\n",
    good="out = model.layers[1].output\n",
    checks=(
        Claim(kind="missing", expr="keras.layers.Dense.get_output_at"),
        Claim(kind="exists", expr="keras.layers.Dense.output"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method(
        {
            "get_output_at": "layer.output",
            "get_input_at": "layer.input",
            "get_output_shape_at": "layer.output.shape",
            "get_input_shape_at": "layer.input.shape",
        }
    ),
)


def _model_add_loss(context: Context, node: ast.Attribute, rule: Rule) -> None:
    receiver = node.value
    if (
        node.attr == "add_loss"
        and isinstance(node.ctx, ast.Load)
        and isinstance(receiver, ast.Name)
        and receiver.id != "self"
        and not context.is_module(receiver)
    ):
        context.report(node, rule, f"{receiver.id}.add_loss(...)")


KN217 = Rule(
    id="KN217",
    title="add_loss on a functional model",
    severity="error",
    template="`{old}` on a functional model raises NotImplementedError in Keras 3; {new}",
    replacement="compute the extra loss inside a layer's call() with self.add_loss(...), or "
    "subclass keras.Model and override compute_loss()",
    lesson="17_losses_optimizers_metrics",
    bad="vae = Model(inputs, outputs)\nvae.add_loss(kl_loss)\n",
    good="class KL(keras.layers.Layer):\n    def call(self, z):\n        self.add_loss(z)\n"
    "        return z\n",
    checks=(
        Claim(
            kind="raises",
            expr="(i := keras.Input((2,)), keras.Model(i, keras.layers.Dense(1)(i))"
            ".add_loss(keras.ops.sum(i)))",
            error="NotImplementedError",
            match="^$",
        ),
    ),  # fmt: skip
    nodes=(ast.Attribute,),
    detect=_model_add_loss,
)

RULES = (KN201, KN202, KN203, KN204, KN211, KN212, KN213, KN214, KN215, KN216, KN217)
