"""KN7xx: TensorFlow 1.x names that TensorFlow 2 removed or moved.

Names are canonical: ``tensorflow.X`` is matched as ``tf.X``; a rule matches its
names and everything below them.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("import tensorflow as tf\\nsess = tf.Session()\\n")]
    ['KN701']
"""

from __future__ import annotations

from kerasnotes.migrate.model import Claim, Rule
from kerasnotes.migrate.rules._paths import prefix

__all__ = ["RULES", "TF1_NAMES"]

_GRAPH_MODE = {
    f"tf.{name}": new
    for name, new in {
        "Session": "eager execution (call the function, read .numpy())",
        "InteractiveSession": "eager execution",
        "global_variables_initializer": "nothing: tf.Variable is initialised when created",
        "local_variables_initializer": "nothing: variables are initialised when created",
        "initialize_all_variables": "nothing: variables are initialised when created",
        "placeholder": "a function argument, or keras.Input(shape=...)",
        "placeholder_with_default": "a function argument with a default",
        "reset_default_graph": "keras.utils.clear_session()",
        "get_default_graph": "tf.function (there is no default graph to fetch)",
        "ConfigProto": "tf.config (e.g. tf.config.experimental.set_memory_growth)",
        "GPUOptions": "tf.config.experimental.set_memory_growth",
        "get_variable": "tf.Variable",
        "variable_scope": "tf.name_scope or keras layers",
        "global_variables": "model.variables",
        "trainable_variables": "model.trainable_variables",
        "assign": "variable.assign(value)",
        "Print": "tf.print",
        "train.Saver": "tf.train.Checkpoint or model.save_weights('x.weights.h5')",
        "summary.FileWriter": "tf.summary.create_file_writer",
    }.items()
}
_GFILE = {
    "tf.gfile": "tf.io.gfile",
    "tf.gfile.FastGFile": "tf.io.gfile.GFile",
    "tf.gfile.GFile": "tf.io.gfile.GFile",
    "tf.gfile.Open": "tf.io.gfile.GFile",
    "tf.gfile.Exists": "tf.io.gfile.exists",
    "tf.gfile.MakeDirs": "tf.io.gfile.makedirs",
    "tf.gfile.Glob": "tf.io.gfile.glob",
}
_RESIZE = {
    "tf.image.resize_images": "tf.image.resize",
    "tf.image.resize_bilinear": "tf.image.resize(..., method='bilinear')",
    "tf.image.resize_nearest_neighbor": "tf.image.resize(..., method='nearest')",
}
_LAYERS = {"tf.layers": "keras.layers", "tf.compat.v1.layers": "keras.layers"}
_SPARSE = {"tf.sparse_concat": "tf.sparse.concat"}
_GRAPH_SWITCH = {
    "tf.compat.v1.disable_eager_execution": "eager execution (the default)",
    "tf.compat.v1.disable_v2_behavior": "eager execution (the default)",
    "tf.disable_eager_execution": "eager execution (the default)",
}
_CONTRIB = {"tf.contrib": "the core API or keras"}
_RENAMED = {
    f"tf.{old}": new
    for old, new in {
        "log": "tf.math.log",
        "to_float": "tf.cast(x, tf.float32)",
        "to_int32": "tf.cast(x, tf.int32)",
        "to_int64": "tf.cast(x, tf.int64)",
        "random_normal": "tf.random.normal",
        "random_uniform": "tf.random.uniform",
        "truncated_normal": "tf.random.truncated_normal",
        "set_random_seed": "tf.random.set_seed",
        "squared_difference": "tf.math.squared_difference",
        "div": "tf.math.divide",
        "arg_max": "tf.math.argmax",
        "arg_min": "tf.math.argmin",
        "matrix_inverse": "tf.linalg.inv",
        "sparse_tensor_to_dense": "tf.sparse.to_dense",
        "enable_eager_execution": "nothing: eager is the default",
    }.items()
}
_OPTIMIZERS = {
    f"tf.train.{name}": f"keras.optimizers.{new}"
    for name, new in {
        "GradientDescentOptimizer": "SGD",
        "MomentumOptimizer": "SGD(momentum=...)",
        "AdamOptimizer": "Adam",
        "AdagradOptimizer": "Adagrad",
        "AdadeltaOptimizer": "Adadelta",
        "RMSPropOptimizer": "RMSprop",
        "FtrlOptimizer": "Ftrl",
    }.items()
}
_APP = {
    "tf.app": "absl.app",
    "tf.flags": "absl.flags",
    "tf.logging": "absl.logging or logging",
    "tf.estimator": "keras models",
}
#: Every TensorFlow 1 name these rules know (canonical ``tf.`` path -> replacement).
TF1_NAMES: dict[str, str] = {
    **_GRAPH_MODE, **_GFILE, **_RESIZE, **_LAYERS, **_SPARSE, **_GRAPH_SWITCH, **_CONTRIB,
    **_RENAMED, **_OPTIMIZERS, **_APP,
}  # fmt: skip


KN701 = Rule(
    id="KN701",
    title="TF1 sessions, graphs and placeholders",
    severity="error",
    template="`{old}` does not exist in TensorFlow 2 (AttributeError); {new}",
    replacement="run eagerly (tf.function for speed), tf.Variable for state",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\nwith tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n",
    good="import tensorflow as tf\nv = tf.Variable(1.0)\nprint(v.numpy())\n",
    checks=(
        Claim(kind="missing", expr="tf.Session"),
        Claim(kind="missing", expr="tf.global_variables_initializer"),
        Claim(kind="missing", expr="tf.placeholder"),
        Claim(kind="exists", expr="tf.function"),
    ),
    paths=prefix(_GRAPH_MODE),
    path_order=50,
)


KN702 = Rule(
    id="KN702",
    title="tf.gfile",
    severity="error",
    template="`{old}` moved in TensorFlow 2; use `{new}`",
    replacement="tf.io.gfile",
    lesson="24_pitfalls_faq",
    bad="import tensorflow as tf\ndata = tf.gfile.FastGFile('11.jpg', 'rb').read()\n",
    good="import tensorflow as tf\ndata = tf.io.gfile.GFile('11.jpg', 'rb').read()\n",
    checks=(
        Claim(kind="missing", expr="tf.gfile"),
        Claim(kind="exists", expr="tf.io.gfile.GFile"),
    ),
    paths=prefix(_GFILE),
    path_order=50,
)


KN703 = Rule(
    id="KN703",
    title="tf.image.resize_images",
    severity="error",
    template="`{old}` was renamed in TensorFlow 2; use `{new}`",
    replacement="tf.image.resize (or keras.layers.Resizing inside a model)",
    lesson="21_load_model_pitfalls",
    bad="import tensorflow as tf\ny = tf.image.resize_images(x, (64, 64))\n",
    good="import tensorflow as tf\ny = tf.image.resize(x, (64, 64))\n",
    checks=(
        Claim(kind="missing", expr="tf.image.resize_images"),
        Claim(kind="exists", expr="tf.image.resize"),
        Claim(kind="exists", expr="keras.layers.Resizing"),
    ),
    paths=prefix(_RESIZE),
    path_order=50,
)


KN704 = Rule(
    id="KN704",
    title="tf.layers",
    severity="error",
    template="`{old}` is gone (tf.layers does not exist; tf.compat.v1.layers raises 'not available with "
    "Keras 3'); use `{new}`",
    replacement="keras.layers (e.g. keras.layers.Conv2DTranspose)",
    lesson="14_upsampling_and_conv2dtranspose",
    bad="import tensorflow as tf\ny = tf.layers.conv2d_transpose(x, 1, 3, strides=2, padding='same')\n",
    good="import keras\ny = keras.layers.Conv2DTranspose(1, 3, strides=2, padding='same')(x)\n",
    checks=(
        Claim(kind="missing", expr="tf.layers"),
        Claim(
            kind="raises",
            expr="tf.compat.v1.layers.dense",
            error="AttributeError",
            match="`dense` is not available with Keras 3",
        ),
        Claim(kind="exists", expr="keras.layers.Conv2DTranspose"),
    ),
    paths=prefix(_LAYERS),
    path_order=50,
)


KN705 = Rule(
    id="KN705",
    title="tf.sparse_concat",
    severity="error",
    template="`{old}` was renamed in TensorFlow 2; use `{new}`",
    replacement="tf.sparse.concat",
    lesson="10_concatenate_axes",
    bad="import tensorflow as tf\nz = tf.sparse_concat(axis, tensors)\n",
    good="import tensorflow as tf\nz = tf.sparse.concat(axis, tensors)\n",
    checks=(
        Claim(kind="missing", expr="tf.sparse_concat"),
        Claim(kind="exists", expr="tf.sparse.concat"),
    ),
    paths=prefix(_SPARSE),
    path_order=50,
)


KN706 = Rule(
    id="KN706",
    title="disabling eager execution",
    severity="error",
    template="`{old}` switches TensorFlow back to graph mode, which Keras 3 does not support (fit raises "
    "RuntimeError); {new}",
    replacement="remove it and use tf.GradientTape / tf.function",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n",
    good="import tensorflow as tf\nassert tf.executing_eagerly()\n",
    checks=(
        Claim(kind="exists", expr="tf.compat.v1.disable_eager_execution"),
        Claim(kind="exists", expr="tf.executing_eagerly"),
    ),
    paths=prefix(_GRAPH_SWITCH),
    path_order=50,
)


KN707 = Rule(
    id="KN707",
    title="tf.contrib",
    severity="error",
    template="`{old}`: tf.contrib was removed in TensorFlow 2; {new}",
    replacement="use the core API, keras, or the successor package (e.g. tensorflow-addons' successors)",
    lesson="24_pitfalls_faq",
    bad="import tensorflow as tf\nx = tf.contrib.layers.flatten(y)\n",
    good="import keras\nx = keras.layers.Flatten()(y)\n",
    checks=(Claim(kind="missing", expr="tf.contrib"),),
    paths=prefix(_CONTRIB),
    path_order=50,
)


KN708 = Rule(
    id="KN708",
    title="renamed TF1 op",
    severity="error",
    template="`{old}` was removed in TensorFlow 2; use `{new}`",
    replacement="its tf.math / tf.random / tf.linalg name",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\ny = tf.log(tf.to_float(x))\n",
    good="import tensorflow as tf\ny = tf.math.log(tf.cast(x, tf.float32))\n",
    checks=(
        Claim(kind="missing", expr="tf.log"),
        Claim(kind="missing", expr="tf.to_float"),
        Claim(kind="missing", expr="tf.random_normal"),
        Claim(kind="exists", expr="tf.math.log"),
        Claim(kind="exists", expr="tf.random.normal"),
        Claim(kind="exists", expr="tf.random.set_seed"),
    ),
    paths=prefix(_RENAMED),
    path_order=50,
)


KN709 = Rule(
    id="KN709",
    title="tf.train optimizers",
    severity="error",
    template="`{old}` was removed in TensorFlow 2; use `{new}`",
    replacement="keras.optimizers",
    lesson="15_optimizers_and_lr_schedules",
    bad="import tensorflow as tf\nopt = tf.train.AdamOptimizer(1e-3)\n",
    good="import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n",
    checks=(
        Claim(kind="missing", expr="tf.train.AdamOptimizer"),
        Claim(kind="missing", expr="tf.train.Saver"),
    ),
    paths=prefix(_OPTIMIZERS),
    path_order=50,
)


KN710 = Rule(
    id="KN710",
    title="tf.app / tf.flags / tf.logging / tf.estimator",
    severity="error",
    template="`{old}` was removed from TensorFlow 2; use `{new}`",
    replacement="absl (app, flags, logging), Python's logging, or keras for estimators",
    lesson="24_pitfalls_faq",
    bad="import tensorflow as tf\ntf.logging.set_verbosity(tf.logging.ERROR)\n",
    good="import logging\nlogging.getLogger('tensorflow').setLevel(logging.ERROR)\n",
    checks=(
        Claim(kind="missing", expr="tf.logging"),
        Claim(kind="missing", expr="tf.flags"),
        Claim(kind="missing", expr="tf.estimator"),
    ),
    paths=prefix(_APP),
    path_order=50,
)


RULES = (KN701, KN702, KN703, KN704, KN705, KN706, KN707, KN708, KN709, KN710)
