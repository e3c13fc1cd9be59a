"""KN9xx: legacy idioms that still work on Keras 3 / TF 2, but are deprecated.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("model.save('m.h5')\\n")]
    ['KN903']
"""

from __future__ import annotations

import ast

from kerasnotes.migrate.context import Context
from kerasnotes.migrate.model import Claim, PathMatcher, Rule
from kerasnotes.migrate.rules._paths import exact, prefix
from kerasnotes.migrate.rules.arguments import layer_call, layer_keyword, method_call
from kerasnotes.migrate.rules.backend import (
    BACKEND_REPLACEMENTS,
    SPECIAL,
    TF_KERAS_BACKEND_SHIM,
    backend_name,
)
from kerasnotes.migrate.rules.saving import file_argument

__all__ = ["RULES"]

_TF_IMAGE = {
    "keras.preprocessing.image.ImageDataGenerator": "",
    "keras.preprocessing.image.DirectoryIterator": "",
    "keras.preprocessing.image.NumpyArrayIterator": "",
}
_TF_TEXT = {"keras.preprocessing.sequence.TimeseriesGenerator": "", "keras.preprocessing.text": ""}


def _via_tf(table: dict[str, str], replacement: str) -> PathMatcher:
    match = prefix(dict.fromkeys(table, replacement))

    def only_tf(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
        return match(path, via_tf, shown) if via_tf else None

    return only_tf


def _backend_shim(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    name = backend_name(path)
    if not via_tf or name is None or name in SPECIAL or name not in TF_KERAS_BACKEND_SHIM:
        return None
    return shown, BACKEND_REPLACEMENTS.get(name, f"keras.ops.{name}")


def _save_h5(context: Context, node: ast.Call, rule: Rule) -> None:
    if method_call(context, node) == "save":
        suffix = context.file_suffix(file_argument(node))
        if suffix is not None and suffix.endswith((".h5", ".hdf5")):
            context.report(node, rule, f"save({suffix!r})")


def _input_shape(context: Context, node: ast.Call, rule: Rule) -> None:
    layer = layer_call(context, node)
    if layer is None:
        return
    for keyword in node.keywords:
        if keyword.arg == "input_shape" or (keyword.arg == "input_dim" and layer != "Embedding"):
            context.report(keyword, rule, f"{keyword.arg}=")


KN901 = Rule(
    id="KN901",
    title="tf.keras ImageDataGenerator",
    severity="deprecated",
    template="`{old}` still works through tf.keras's legacy copy (not in standalone keras 3); prefer `{new}`",
    replacement="keras.utils.image_dataset_from_directory + Rescaling/RandomRotation/... layers",
    lesson="22_image_data_generator",
    bad="from tensorflow.keras.preprocessing.image import ImageDataGenerator\n",
    good="import keras\naugment = keras.layers.RandomRotation(0.1)\n",
    checks=(
        Claim(kind="exists", expr="tf.keras.preprocessing.image.ImageDataGenerator"),
        Claim(kind="missing", expr="keras.preprocessing.image.ImageDataGenerator"),
    ),
    paths=_via_tf(
        _TF_IMAGE, "keras.utils.image_dataset_from_directory + Rescaling/RandomRotation/... layers"
    ),
    path_order=30,
)


KN902 = Rule(
    id="KN902",
    title="tf.keras.backend legacy op",
    severity="deprecated",
    template="`{old}` still exists in tf.keras.backend's legacy shim (TensorFlow backend only); use `{new}`",
    replacement="keras.ops",
    lesson="10_concatenate_axes",
    bad="import tensorflow as tf\nd = tf.keras.backend.concatenate([t1, t2], axis=-1)\n",
    good="import keras\nd = keras.ops.concatenate([t1, t2], axis=-1)\n",
    checks=(
        Claim(kind="exists", expr="tf.keras.backend.concatenate"),
        Claim(kind="missing", expr="keras.backend.concatenate"),
    ),
    paths=_backend_shim,
    path_order=40,
)


KN903 = Rule(
    id="KN903",
    title="saving to legacy HDF5",
    severity="deprecated",
    template="`{old}` writes the legacy HDF5 format (Keras logs a warning; `.h5` saves also drop the "
    "optimizer); prefer `{new}`",
    replacement="model.save('name.keras')",
    lesson="20_saving_and_loading",
    bad="model.save('my_model.h5')\n",
    good="model.save('my_model.keras')\n",
    checks=(
        Claim(
            kind="runs",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.h5')",
        ),
        Claim(
            kind="runs",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.keras')",
        ),
    ),
    nodes=(ast.Call,),
    detect=_save_h5,
)


KN904 = Rule(
    id="KN904",
    title="keras.utils.Sequence",
    severity="deprecated",
    template="`{old}` is now an alias of `{new}`; subclass it and call super().__init__(**kwargs)",
    replacement="keras.utils.PyDataset",
    lesson="12_generators_and_pydataset",
    bad="import keras\nclass Gen(keras.utils.Sequence):\n    pass\n",
    good="import keras\nclass Gen(keras.utils.PyDataset):\n    pass\n",
    checks=(Claim(kind="true", expr="keras.utils.Sequence is keras.utils.PyDataset"),),
    paths=exact({"keras.utils.Sequence": "keras.utils.PyDataset"}),
    path_order=10,
)


KN905 = Rule(
    id="KN905",
    title="input_shape= / input_dim= on a layer",
    severity="deprecated",
    template="`{old}` on a layer still works but Keras 3 warns (UserWarning); start the model with `{new}`",
    replacement="keras.Input(shape=...)",
    lesson="03_sequential_models",
    bad="from keras.layers import Dense\nlayer = Dense(32, input_shape=(784,))\n",
    good="import keras\nmodel = keras.Sequential([keras.Input((784,)), keras.layers.Dense(32)])\n",
    checks=(
        Claim(kind="warns", expr="keras.layers.Dense(32, input_shape=(784,))"),
        Claim(kind="warns", expr="keras.layers.Dense(32, input_dim=784)"),
    ),
    nodes=(ast.Call,),
    detect=_input_shape,
)


KN906 = Rule(
    id="KN906",
    title="Embedding(input_length=)",
    severity="deprecated",
    template="`{old}` is deprecated and ignored by Keras 3 (UserWarning); {new}",
    replacement="remove it (give the length to keras.Input(shape=(length,)))",
    lesson="25_sequences_and_text",
    bad="from keras.layers import Embedding\ne = Embedding(10000, 256, input_length=100)\n",
    good="from keras.layers import Embedding\ne = Embedding(10000, 256)\n",
    checks=(Claim(kind="warns", expr="keras.layers.Embedding(10, 4, input_length=5)"),),
    nodes=(ast.Call,),
    detect=layer_keyword({"input_length": ""}, only=frozenset({"Embedding"})),
)


KN907 = Rule(
    id="KN907",
    title="tf.keras legacy text/sequence preprocessing",
    severity="deprecated",
    template="`{old}` only exists in tf.keras's legacy preprocessing copy (not in standalone keras 3); "
    "use `{new}`",
    replacement="keras.layers.TextVectorization / keras.utils.timeseries_dataset_from_array",
    lesson="25_sequences_and_text",
    bad="from tensorflow.keras.preprocessing.text import Tokenizer\n",
    good="import keras\nvectorize = keras.layers.TextVectorization(max_tokens=1000)\n",
    checks=(
        Claim(kind="exists", expr="tf.keras.preprocessing.text.Tokenizer"),
        Claim(kind="missing", expr="keras.preprocessing.text"),
        Claim(kind="exists", expr="keras.layers.TextVectorization"),
        Claim(kind="exists", expr="keras.utils.timeseries_dataset_from_array"),
    ),
    paths=_via_tf(
        _TF_TEXT, "keras.layers.TextVectorization / keras.utils.timeseries_dataset_from_array"
    ),
    path_order=30,
)


RULES = (KN901, KN902, KN903, KN904, KN905, KN906, KN907)
