"""KN2xx: functions and methods that Keras 3 removed.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("probs = model.predict_proba(x)\\n")]
    ['KN215']
"""

from __future__ import annotations

import ast

from kerasnotes.migrate.context import Context, kw, unparse
from kerasnotes.migrate.model import Claim, Detector, Rule
from kerasnotes.migrate.rules._paths import exact

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
    fix="safe",  # merge(mode=...) with a literal mode; Merge (the Sequential layer) by hand
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
    nodes=(ast.Attribute,),
    detect=removed_method({"predict_generator": "model.predict"}),
)


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
    fix="unsafe",  # argmax is Keras 2's rule for several units only (a sigmoid unit used p > 0.5)
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
