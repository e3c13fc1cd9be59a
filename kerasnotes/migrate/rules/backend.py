"""KN3xx: ``keras.backend`` functions that Keras 3 removed.

Keras 3's ``keras.backend`` keeps only a handful of names (:data:`KERAS3_BACKEND`);
the math moved to ``keras.ops``. ``tf.keras.backend`` still ships a legacy shim
(:data:`TF_KERAS_BACKEND_SHIM`), reported as deprecated (KN902) instead.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("import keras.backend as K\\ny = K.mean(x)\\n")]
    ['KN305']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kerasnotes.migrate.cst_helpers import keras3_has
from kerasnotes.migrate.model import Claim, Finding, Fix, PathMatcher, Rule

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = [
    "BACKEND_REPLACEMENTS",
    "KERAS3_BACKEND",
    "RULES",
    "SPECIAL",
    "TF_KERAS_BACKEND_SHIM",
    "backend_name",
]

#: The 14 public names of Keras 3.15's keras.backend (checked by the tests).
KERAS3_BACKEND = frozenset(
    "backend clear_session epsilon floatx get_uid image_data_format is_float_dtype "
    "is_int_dtype is_keras_tensor result_type set_epsilon set_floatx set_image_data_format "
    "standardize_dtype".split()
)
#: Names that tf.keras.backend still provides as a legacy shim (TF 2.21; checked by the tests).
TF_KERAS_BACKEND_SHIM = frozenset(
    "abs all any arange argmax argmin backend batch_dot batch_flatten batch_get_value "
    "batch_normalization batch_set_value bias_add binary_crossentropy binary_focal_crossentropy "
    "cast cast_to_floatx categorical_crossentropy categorical_focal_crossentropy clear_session "
    "clip concatenate constant conv1d conv2d conv2d_transpose conv3d cos count_params "
    "ctc_batch_cost ctc_decode ctc_label_dense_to_sparse cumprod cumsum depthwise_conv2d dot "
    "dropout dtype elu epsilon equal eval exp expand_dims eye flatten floatx foldl foldr gather "
    "get_uid get_value gradients greater greater_equal hard_sigmoid image_data_format in_top_k "
    "int_shape is_float_dtype is_int_dtype is_keras_tensor is_sparse l2_normalize less "
    "less_equal log map_fn max maximum mean min minimum moving_average_update name_scope ndim "
    "not_equal one_hot ones ones_like permute_dimensions pool2d pool3d pow prod random_bernoulli "
    "random_normal random_normal_variable random_uniform random_uniform_variable relu repeat "
    "repeat_elements reshape resize_images resize_volumes result_type reverse rnn round "
    "separable_conv2d set_epsilon set_floatx set_image_data_format set_value shape sigmoid sign "
    "sin softmax softplus softsign sparse_categorical_crossentropy spatial_2d_padding "
    "spatial_3d_padding sqrt square squeeze stack standardize_dtype std stop_gradient sum switch "
    "tanh temporal_padding tile to_dense transpose truncated_normal update update_add update_sub "
    "var variable zeros zeros_like".split()
)
_GRADIENTS = {"gradients": "tf.GradientTape"}
_FUNCTION = {"function": "keras.Model(inputs, outputs)"}
_DIM_ORDERING = {
    "image_dim_ordering": "keras.config.image_data_format()",
    "set_image_dim_ordering": "keras.config.set_image_data_format(...)",
}
_SESSION = {
    "set_session": "nothing: there is no session to set",
    "get_session": "nothing: there is no session; call the model eagerly",
    "placeholder": "keras.Input(shape=...)",
    "learning_phase": "the training= argument of a layer's call",
    "set_learning_phase": "the training= argument of a layer's call",
    "tensorflow_backend": "keras.ops and tf.* directly",
}
#: keras.backend names with a rule of their own -> replacement.
SPECIAL: dict[str, str] = {**_GRADIENTS, **_FUNCTION, **_DIM_ORDERING, **_SESSION}
#: keras.backend name -> its keras.* replacement when it is not keras.ops.<same name>.
BACKEND_REPLACEMENTS: dict[str, str] = {
    "variable": "keras.Variable",
    "eval": "keras.ops.convert_to_numpy",
    "get_value": "keras.ops.convert_to_numpy (or variable.numpy())",
    "set_value": "variable.assign(value)",
    "batch_get_value": "[keras.ops.convert_to_numpy(v) for v in variables]",
    "batch_set_value": "variable.assign(value) for each pair",
    "int_shape": "tuple(x.shape)",
    "resize_images": "keras.ops.image.resize(..., interpolation='nearest') or "
    "keras.layers.UpSampling2D",
    "switch": "keras.ops.where",
    "pow": "keras.ops.power",
    "batch_flatten": "keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))",
    "permute_dimensions": "keras.ops.transpose",
    "repeat_elements": "keras.ops.repeat",
    "random_normal": "keras.random.normal",
    "random_uniform": "keras.random.uniform",
    "truncated_normal": "keras.random.truncated_normal",
    "count_params": "layer.count_params()",
    "l2_normalize": "keras.utils.normalize or keras.ops.normalize",
    "set_epsilon": "keras.config.set_epsilon",
    "set_floatx": "keras.config.set_floatx",
}


def backend_name(path: str) -> str | None:
    """``keras.backend.mean`` -> ``mean``; None for other paths and Keras 3's own names."""
    if not path.startswith("keras.backend."):
        return None
    name = path.split(".")[2]
    return None if name in KERAS3_BACKEND else name


def _special(table: dict[str, str]) -> PathMatcher:
    def match(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
        name = backend_name(path)
        return (shown, table[name]) if name in table else None

    return match


def _math_op(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    name = backend_name(path)
    if name is None or name in SPECIAL or (via_tf and name in TF_KERAS_BACKEND_SHIM):
        return None
    return shown, BACKEND_REPLACEMENTS.get(name, f"keras.ops.{name}")


KN301 = Rule(
    id="KN301",
    title="K.gradients",
    severity="error",
    template="`{old}` is gone from keras.backend, and symbolic gradients do not run in eager mode; "
    "use `{new}`",
    replacement="tf.GradientTape (tape.gradient(loss, variables))",
    lesson="26_gradients_and_autodiff",
    bad="from keras import backend as K\ngrads = K.gradients(loss, model.input)[0]\n",
    good="import tensorflow as tf\nwith tf.GradientTape() as tape:\n    loss = f(x)\ngrads = tape.gradient(loss, x)\n",
    checks=(
        Claim(kind="missing", expr="keras.backend.gradients"),
        Claim(kind="exists", expr="tf.GradientTape"),
    ),
    paths=_special(_GRADIENTS),
    path_order=40,
)


KN302 = Rule(
    id="KN302",
    title="K.function",
    severity="error",
    template="`{old}` is gone (also from tf.keras.backend); use `{new}`",
    replacement="keras.Model(inputs, layer.output) and call or predict it",
    lesson="07_inspecting_models",
    bad="from keras import backend as K\nf = K.function([model.input], [model.layers[3].output])\n",
    good="import keras\nf = keras.Model(model.input, model.layers[3].output)\n",
    checks=(
        Claim(kind="missing", expr="keras.backend.function"),
        Claim(kind="missing", expr="tf.keras.backend.function"),
    ),
    paths=_special(_FUNCTION),
    path_order=40,
)


KN303 = Rule(
    id="KN303",
    title="image_dim_ordering",
    severity="error",
    template="`{old}` is Keras 1 ('th'/'tf' ordering) and is gone; use `{new}`",
    replacement="keras.config.image_data_format() / keras.config.set_image_data_format('channels_last')",
    lesson="02_core_concepts",
    bad="from keras import backend as K\nK.set_image_dim_ordering('th')\n",
    good="import keras\nkeras.config.set_image_data_format('channels_first')\n",
    checks=(
        Claim(kind="missing", expr="keras.backend.set_image_dim_ordering"),
        Claim(kind="missing", expr="tf.keras.backend.image_dim_ordering"),
        Claim(kind="exists", expr="keras.config.set_image_data_format"),
    ),
    paths=_special(_DIM_ORDERING),
    path_order=40,
)


KN304 = Rule(
    id="KN304",
    title="sessions and graph-mode backend",
    severity="error",
    template="`{old}` belonged to TF1 graph mode and is gone; Keras 3 has no session: {new}",
    replacement="run eagerly, use keras.Input for inputs and the `training=` argument for the learning phase",
    lesson="26_gradients_and_autodiff",
    bad="from keras import backend as K\nK.set_session(sess)\n",
    good="import keras\nkeras.utils.clear_session()\n",
    checks=(
        Claim(kind="missing", expr="keras.backend.set_session"),
        Claim(kind="missing", expr="tf.keras.backend.get_session"),
        Claim(kind="missing", expr="tf.keras.backend.placeholder"),
        Claim(kind="missing", expr="tf.keras.backend.learning_phase"),
    ),
    paths=_special(_SESSION),
    path_order=40,
)


def _ops_name(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
    """KN305 on an attribute chain: ``K.mean`` -> ``keras.ops.mean`` (if Keras 3 has it)."""
    import libcst as cst

    if not isinstance(node, cst.Attribute) or node.attr.value == "int_shape":
        return None  # K.int_shape(x): the call is rewritten (_int_shape)
    module, _, name = finding.replacement.rpartition(".")
    if not module.startswith("keras.") or not name.isidentifier() or not keras3_has(module, name):
        return None
    return cst.parse_expression(finding.replacement)


def _int_shape(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
    """KN305 ``K.int_shape(x)`` -> ``tuple(x.shape)``: the static shape, None where unknown.

    (``keras.ops.shape`` is not the same: under TensorFlow it gives tensors for the
    unknown dimensions inside a ``tf.function``.)
    """
    import libcst as cst

    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value != "int_shape" or len(node.args) != 1 or node.args[0].keyword:
        return None
    value = node.args[0].value
    if not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    shape = cst.Attribute(value=value, attr=cst.Name("shape"))
    return cst.Call(func=cst.Name("tuple"), args=[cst.Arg(value=shape)])


KN305 = Rule(
    id="KN305",
    title="keras.backend math op",
    severity="error",
    template="`{old}` is gone from Keras 3's keras.backend (AttributeError); use `{new}`",
    replacement="keras.ops",
    lesson="10_concatenate_axes",
    bad="import keras.backend as K\nd = K.concatenate([t1, t2], axis=-1)\n",
    good="import keras\nd = keras.ops.concatenate([t1, t2], axis=-1)\n",
    checks=(
        Claim(kind="missing", expr="keras.backend.concatenate"),
        Claim(kind="missing", expr="keras.backend.mean"),
        Claim(kind="missing", expr="keras.backend.variable"),
        Claim(kind="exists", expr="keras.ops.concatenate"),
        Claim(kind="exists", expr="keras.Variable"),
    ),
    fix=Fix(
        safety="safe",
        title="K.name becomes keras.ops.name; K.int_shape(x) becomes tuple(x.shape)",
        apply=_ops_name,
        apply_to_call=_int_shape,
    ),
    paths=_math_op,
    path_order=40,
)


RULES = (KN301, KN302, KN303, KN304, KN305)
