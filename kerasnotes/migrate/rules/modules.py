"""KN1xx: Keras 2 module paths that no longer exist in Keras 3.

Every rule here matches dotted names (imports and attribute chains) against the
old module it covers; the finding names the module, not the whole chain.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("from keras.layers.core import Dense\\n")]
    ['KN101']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.cst_helpers import dotted_name, keras3_has
from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules._paths import prefix

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["OLD_MODULE_TARGETS", "RULES", "rewrite_old_import"]

_LAYER_SUBMODULES = {
    f"keras.layers.{name}": "keras.layers"
    for name in (
        "core", "convolutional", "normalization", "recurrent", "embeddings", "pooling", "merge",
        "advanced_activations", "noise", "local", "wrappers", "cudnn_recurrent",
        "convolutional_recurrent", "normalization_v2", "recurrent_v2", "dense_attention",
    )
}  # fmt: skip
_PRIVATE = {
    "keras.engine": "keras.layers",
    "keras.utils.generic_utils": "keras.utils",
    "keras.utils.data_utils": "keras.utils",
    "keras.utils.io_utils": "keras.utils",
    "keras.utils.layer_utils": "keras.utils",
    "keras.utils.conv_utils": "keras.utils",
    "keras.layers.experimental.preprocessing": "keras.layers",
    "keras.layers.experimental": "keras.layers",
    "keras.objectives": "keras.losses",
}
_SMALL = {
    "keras.utils.np_utils": "keras.utils",
    "keras.utils.vis_utils": "keras.utils",
    "keras.wrappers.scikit_learn": "keras.wrappers",
    "keras.utils.training_utils": "keras.utils",
    "keras.optimizers.legacy": "keras.optimizers",
}
#: Old keras.preprocessing classes and modules -> what replaced each (standalone keras).
PREPROCESSING = {
    "keras.preprocessing.image.ImageDataGenerator": "keras.utils.image_dataset_from_directory "
    "plus preprocessing layers",
    "keras.preprocessing.image.DirectoryIterator": "keras.utils.image_dataset_from_directory",
    "keras.preprocessing.image.NumpyArrayIterator": "tf.data.Dataset.from_tensor_slices",
    "keras.preprocessing.sequence.TimeseriesGenerator": "keras.utils.timeseries_dataset_from_array",
    "keras.preprocessing.text": "keras.layers.TextVectorization",
}
#: Every old module path -> the module that replaced it (used to resolve aliases).
OLD_MODULE_TARGETS: dict[str, str] = {**_LAYER_SUBMODULES, **_PRIVATE, **_SMALL}


def _one(old: str) -> dict[str, str]:
    return {old: _SMALL[old]}


def _preprocessing(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    if via_tf:
        return None  # tf.keras still ships a legacy copy: KN901 / KN907
    return prefix(PREPROCESSING)(path, via_tf, shown)


def rewrite_old_import(finding: Finding, node: libcst.CSTNode) -> libcst.ImportFrom | None:
    """KN101/KN103/KN106/KN250 in ``from old.module import X``: the module or name that replaced it."""
    import libcst as cst

    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return None
    module = dotted_name(node.module)
    if module is None:
        return None
    from kerasnotes.migrate.rules.keras2_api import REMOVED_NAMES

    new_module = module
    for old, new in sorted(OLD_MODULE_TARGETS.items(), key=lambda kv: -len(kv[0])):
        if module == old or module.startswith(old + "."):
            new_module = new
            break
    names = []
    for alias in node.names:
        name = dotted_name(alias.name)
        if name is None:  # not a dotted name (never, in an import)
            return None
        entry = REMOVED_NAMES.get(f"{new_module}.{name}")
        if entry is not None:
            target = entry.replacement
            if not target.startswith(new_module + ".") or " " in target:
                return None
            # an import's "as" target is always a Name
            local = cast("libcst.Name", alias.asname.name).value if alias.asname else name
            alias = alias.with_changes(
                name=cst.Name(target.rsplit(".", 1)[1]),
                asname=cst.AsName(name=cst.Name(local)),
            )
        elif not keras3_has(new_module, name):
            return None
        names.append(alias)
    if module == "keras.utils.np_utils" or (new_module == module and names == list(node.names)):
        return None
    return node.with_changes(module=cst.parse_expression(new_module), names=names)


KN101 = Rule(
    id="KN101",
    title="old keras.layers submodule",
    severity="error",
    template="`{old}` no longer exists in Keras 3 (ModuleNotFoundError); every layer lives in `{new}`",
    replacement="keras.layers",
    lesson="02_core_concepts",
    bad="from keras.layers.core import Dense\n",
    good="from keras.layers import Dense\n",
    checks=(
        Claim(kind="missing", expr="keras.layers.core"),
        Claim(kind="missing", expr="keras.layers.normalization"),
        Claim(kind="missing", expr="keras.layers.convolutional"),
        Claim(kind="missing", expr="keras.layers.recurrent"),
        Claim(kind="missing", expr="keras.layers.embeddings"),
        Claim(kind="missing", expr="keras.layers.pooling"),
        Claim(kind="missing", expr="keras.layers.merge"),
        Claim(kind="missing", expr="keras.layers.advanced_activations"),
        Claim(kind="exists", expr="keras.layers.Dense"),
        Claim(kind="exists", expr="keras.layers.BatchNormalization"),
        Claim(kind="exists", expr="keras.layers.Conv2DTranspose"),
    ),
    fix=Fix(
        safety="safe",
        title="import from the module that replaced it (when Keras 3 has every name there)",
        apply=rewrite_old_import,
    ),
    paths=prefix(_LAYER_SUBMODULES, show_key=True),
    path_order=20,
)


def _np_utils(finding: Finding, node: libcst.CSTNode) -> libcst.CSTNode | None:
    """KN102: ``from keras.utils import np_utils`` -> ``from keras import utils as np_utils``."""
    import libcst as cst

    if isinstance(node, cst.ImportFrom) and dotted_name(node.module) == "keras.utils":
        names = node.names
        if (
            not isinstance(names, cst.ImportStar)
            and len(names) == 1
            and dotted_name(names[0].name) == "np_utils"
        ):
            asname = names[0].asname
            local = cast("libcst.Name", asname.name).value if asname else "np_utils"
            line = cst.parse_statement(f"from keras import utils as {local}\n")
            return cast("libcst.SimpleStatementLine", line).body[0]
    if isinstance(node, cst.ImportFrom) and dotted_name(node.module) == "keras.utils.np_utils":
        return node.with_changes(module=cst.parse_expression("keras.utils"))
    return None


KN102 = Rule(
    id="KN102",
    title="keras.utils.np_utils",
    severity="error",
    template="`{old}` was removed (ImportError); its functions are in `{new}`, e.g. keras.utils.to_categorical",
    replacement="keras.utils",
    lesson="01_quickstart",
    bad="from keras.utils import np_utils\ny = np_utils.to_categorical(labels, 10)\n",
    good="import keras\ny = keras.utils.to_categorical(labels, 10)\n",
    checks=(
        Claim(kind="missing", expr="keras.utils.np_utils"),
        Claim(kind="exists", expr="keras.utils.to_categorical"),
    ),
    fix=Fix(
        safety="safe",
        title="import keras.utils in its place (from keras import utils as np_utils)",
        apply=_np_utils,
    ),
    paths=prefix(_one("keras.utils.np_utils"), show_key=True),
    path_order=20,
)


KN103 = Rule(
    id="KN103",
    title="keras.utils.vis_utils",
    severity="error",
    template="`{old}` was removed (ModuleNotFoundError); plot_model and model_to_dot are in `{new}`",
    replacement="keras.utils",
    lesson="07_inspecting_models",
    bad="from keras.utils.vis_utils import plot_model\n",
    good="from keras.utils import plot_model\n",
    checks=(
        Claim(kind="missing", expr="keras.utils.vis_utils"),
        Claim(kind="exists", expr="keras.utils.plot_model"),
        Claim(kind="exists", expr="keras.utils.model_to_dot"),
    ),
    fix=Fix(
        safety="safe",
        title="import from keras.utils (when Keras 3 has every name there)",
        apply=rewrite_old_import,
    ),
    paths=prefix(_one("keras.utils.vis_utils"), show_key=True),
    path_order=20,
)


KN104 = Rule(
    id="KN104",
    title="keras.wrappers.scikit_learn",
    severity="error",
    template="`{old}` (KerasClassifier/KerasRegressor) was removed; Keras 3 has `{new}`",
    replacement="keras.wrappers.SKLearnClassifier / SKLearnRegressor",
    lesson="24_pitfalls_faq",
    bad="from keras.wrappers.scikit_learn import KerasClassifier\n",
    good="from keras.wrappers import SKLearnClassifier\n",
    checks=(
        Claim(kind="missing", expr="keras.wrappers.scikit_learn"),
        Claim(kind="exists", expr="keras.wrappers.SKLearnClassifier"),
        Claim(kind="exists", expr="keras.wrappers.SKLearnRegressor"),
    ),
    paths=prefix(_one("keras.wrappers.scikit_learn"), show_key=True),
    path_order=20,
)


KN105 = Rule(
    id="KN105",
    title="keras.utils.training_utils",
    severity="error",
    template="`{old}` was removed together with multi_gpu_model; use `{new}`",
    replacement="tf.distribute.MirroredStrategy() and build/compile inside strategy.scope()",
    lesson="06_gpus_and_distribution",
    bad="from keras.utils.training_utils import multi_gpu_model\n",
    good="import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n",
    checks=(
        Claim(kind="missing", expr="keras.utils.training_utils"),
        Claim(kind="exists", expr="tf.distribute.MirroredStrategy"),
    ),
    paths=prefix(_one("keras.utils.training_utils"), show_key=True),
    path_order=20,
)


KN106 = Rule(
    id="KN106",
    title="private Keras 2 module",
    severity="error",
    template="`{old}` was a Keras 2 internal module and is gone in Keras 3; use `{new}`",
    replacement="the public namespaces (keras.layers, keras.utils, keras.losses, ...)",
    lesson="02_core_concepts",
    bad="from keras.engine.topology import Layer\n",
    good="from keras.layers import Layer\n",
    checks=(
        Claim(kind="missing", expr="keras.engine"),
        Claim(kind="missing", expr="keras.utils.generic_utils"),
        Claim(kind="missing", expr="keras.utils.data_utils"),
        Claim(kind="missing", expr="keras.objectives"),
        Claim(kind="missing", expr="keras.layers.experimental"),
        Claim(kind="exists", expr="keras.layers.Layer"),
        Claim(kind="exists", expr="keras.utils.get_file"),
    ),
    fix=Fix(
        safety="safe",
        title="import from the public module (when Keras 3 has every name there)",
        apply=rewrite_old_import,
    ),
    paths=prefix(_PRIVATE, show_key=True),
    path_order=20,
)


KN107 = Rule(
    id="KN107",
    title="keras.optimizers.legacy",
    severity="error",
    template="`{old}` is not supported in Keras 3 (ImportError); use `{new}`",
    replacement="keras.optimizers (SGD, Adam, ...) with learning_rate=",
    lesson="15_optimizers_and_lr_schedules",
    bad="from keras.optimizers.legacy import SGD\n",
    good="from keras.optimizers import SGD\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.optimizers.legacy.SGD(learning_rate=0.1)",
            error="ImportError",
            match="`keras.optimizers.legacy` is not supported in Keras 3",
        ),
        Claim(kind="runs", expr="keras.optimizers.SGD(learning_rate=0.1)"),
    ),
    paths=prefix(_one("keras.optimizers.legacy"), show_key=True),
    path_order=20,
)


KN108 = Rule(
    id="KN108",
    title="keras.preprocessing legacy class",
    severity="error",
    template="`{old}` is not in Keras 3's keras.preprocessing (ImportError); use `{new}`",
    replacement="keras.utils.image_dataset_from_directory plus preprocessing layers",
    lesson="22_image_data_generator",
    bad="from keras.preprocessing.image import ImageDataGenerator\n",
    good="import keras\nds = keras.utils.image_dataset_from_directory('data', image_size=(150, 150))\n",
    checks=(
        Claim(kind="missing", expr="keras.preprocessing.image.ImageDataGenerator"),
        Claim(kind="missing", expr="keras.preprocessing.text"),
        Claim(kind="exists", expr="keras.utils.image_dataset_from_directory"),
        Claim(kind="exists", expr="keras.layers.TextVectorization"),
    ),
    paths=_preprocessing,
    path_order=30,
)


RULES = (KN101, KN102, KN103, KN104, KN105, KN106, KN107, KN108)
