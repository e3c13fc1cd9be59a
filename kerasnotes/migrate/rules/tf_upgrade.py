"""KN72x: TensorFlow 1.x names and arguments, from TensorFlow's own upgrade tables.

TensorFlow ships the tables its ``tf_upgrade_v2`` tool uses, under
``tensorflow/tools/compatibility/`` (``renames_v2.py``, ``all_renames_v2.py`` and
``tf_upgrade_v2.py``). They are read here with :mod:`ast` from the installed
TensorFlow's folder, without importing TensorFlow, the first time a ``tf.`` name
is checked (about 0.1 s); without TensorFlow these rules find nothing. The
hand-written rules of :mod:`.tensorflow1` have better messages and win.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("import tensorflow as tf\\ny = tf.reduce_sum(x, reduction_indices=1)\\n")]
    ['KN721']
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from pathlib import Path
from typing import Any

from kerasnotes.migrate.context import Context, kw
from kerasnotes.migrate.model import Claim, Rule
from kerasnotes.migrate.rules.removed import removed_method

__all__ = [
    "CHANGED_MEANING",
    "KERAS_BACKED",
    "RULES",
    "keyword_renames",
    "proof_dropout_takes_rate",
    "symbol_renames",
    "tf2_has",
]


def _tables_folder() -> Path | None:
    spec = importlib.util.find_spec("tensorflow")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "tools" / "compatibility"
    return folder if folder.is_dir() else None


def _module_dict(path: Path, name: str) -> dict[Any, Any]:
    """The dict literal assigned to ``name`` (at top level or as ``self.name``) in ``path``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            for target in node.targets:
                found = (isinstance(target, ast.Name) and target.id == name) or (
                    isinstance(target, ast.Attribute) and target.attr == name
                )
                if found:
                    try:
                        table: dict[Any, Any] = ast.literal_eval(node.value)  # a dict display
                    except ValueError:
                        return {}
                    return table
    return {}


@functools.lru_cache(maxsize=1)
def symbol_renames() -> dict[str, str]:
    """``tf.X`` (TF 1.x) -> what ``tf_upgrade_v2`` rewrites it to (empty without TensorFlow)."""
    folder = _tables_folder()
    if folder is None:
        return {}
    table = dict(_module_dict(folder / "renames_v2.py", "renames"))
    table.update(_module_dict(folder / "all_renames_v2.py", "manual_symbol_renames"))
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}


@functools.lru_cache(maxsize=1)
def keyword_renames() -> dict[str, dict[str, str]]:
    """``tf.X`` -> {TF 1.x keyword: TF 2 keyword} (``reduction_indices`` -> ``axis``)."""
    folder = _tables_folder()
    if folder is None:
        return {}
    return _module_dict(folder / "tf_upgrade_v2.py", "function_keyword_renames")


@functools.lru_cache(maxsize=64)
def _tf2_names(module: str) -> frozenset[str]:
    """Public names of TensorFlow 2's ``tf.<module>``, read from its generated ``__init__``."""
    spec = importlib.util.find_spec("tensorflow")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    root = Path(list(spec.submodule_search_locations)[0])
    init = (
        root / "__init__.py"
        if not module
        else root / "_api" / "v2" / module.replace(".", "/") / "__init__.py"
    )
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    names = {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    return frozenset(names)


#: TF 2 modules that TensorFlow loads lazily from Keras 3 (``tf.losses`` is
#: ``keras._tf_keras.keras.losses``): their names are read from that Keras package.
KERAS_BACKED = ("initializers", "losses", "metrics", "optimizers", "keras")


@functools.lru_cache(maxsize=16)
def _keras_backed_names(module: str) -> frozenset[str] | None:
    """Public names of ``tf.<module>`` for a Keras-backed module; None if Keras is not found."""
    spec = importlib.util.find_spec("keras")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "_tf_keras" / "keras"
    init = folder.joinpath(*module.split(".")) / "__init__.py"
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    names = {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    return frozenset(names | {p.name for p in init.parent.iterdir() if p.is_dir()})


def tf2_has(path: str) -> bool:
    """Whether TensorFlow 2 still has the dotted ``tf.`` name (read from files, not imported).

    Example:
        >>> tf2_has("tf.losses.softmax_cross_entropy"), tf2_has("tf.io.read_file")
        (False, True)
    """
    module, _, name = path[len("tf.") :].rpartition(".")
    top = module.split(".")[0]
    if top in KERAS_BACKED:
        names = None if top == "keras" else _keras_backed_names(module)
        return True if names is None else name in names
    return name in _tf2_names(module)


def _lookup(path: str) -> tuple[str, str] | None:
    if not path.startswith("tf.") or path.startswith("tf.compat."):
        return None
    table = symbol_renames()
    parts = path.split(".")
    for n in range(len(parts), 1, -1):
        key = ".".join(parts[:n])
        if key in table:
            return key, table[key]
    return None


def _renamed(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    hit = _lookup(path)
    return None if hit is None or tf2_has(hit[0]) else (shown, hit[1])


#: Names TF 2 kept with another meaning, that tf_upgrade_v2 pins to tf.compat.v1 (its other
#: "changed" entries, such as the initializers, behave the same in ordinary calls).
CHANGED_MEANING = {
    "tf.where": "tf.compat.v1.where (TF 2 broadcasts the condition)",
    "tf.summary.scalar": "tf.summary.scalar(name, data, step=...) inside a writer's as_default()",
    "tf.summary.histogram": "tf.summary.histogram(name, data, step=...) inside a writer",
    "tf.summary.image": "tf.summary.image(name, data, step=...) inside a writer",
    "tf.summary.text": "tf.summary.text(name, data, step=...) inside a writer",
    "tf.summary.audio": "tf.summary.audio(name, data, sample_rate, step=...) inside a writer",
}


def _changed(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    new = CHANGED_MEANING.get(path)
    return None if new is None else (shown, new)


def _keywords(context: Context, node: ast.Call, rule: Rule) -> None:
    path = context.call_path(node)
    if not path or not path.startswith("tf."):
        return
    table = keyword_renames().get(path)
    for keyword in node.keywords if table else ():
        if keyword.arg in table:  # type: ignore[operator]
            context.report(keyword, rule, f"{path}({keyword.arg}=...)", f"{table[keyword.arg]}=")  # type: ignore[index]


def _dropout(context: Context, node: ast.Call, rule: Rule) -> None:
    if context.call_path(node) != "tf.nn.dropout":
        return
    keep = kw(node, "keep_prob")
    if keep is not None:
        context.report(keep, rule, "tf.nn.dropout(x, keep_prob=p)", "rate=1 - p")
    elif len(node.args) >= 2:
        context.report(node.args[1], rule, "tf.nn.dropout(x, p)", "tf.nn.dropout(x, rate=1 - p)")


def proof_dropout_takes_rate() -> bool:
    """True when TF 2's ``tf.nn.dropout`` reads its second argument as the drop rate."""
    import numpy as np
    import tensorflow as tf

    kept = tf.nn.dropout(tf.ones((20000,)), 0.75, seed=1).numpy()
    return abs(float(np.mean(kept != 0)) - 0.25) < 0.02  # 0.75 dropped: 25% kept


KN720 = Rule(
    id="KN720",
    title="TensorFlow 1.x name (tf_upgrade_v2 table)",
    severity="error",
    template="`{old}` is not in TensorFlow 2 (AttributeError); tf_upgrade_v2 rewrites it to `{new}`",
    replacement="the TensorFlow 2 name",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\ndata = tf.read_file(path)\nkeys = tf.GraphKeys.TRAINABLE_VARIABLES\n",
    good="import tensorflow as tf\ndata = tf.io.read_file(path)\n",
    checks=(
        Claim(kind="missing", expr="tf.read_file"),
        Claim(kind="missing", expr="tf.GraphKeys"),
        Claim(kind="missing", expr="tf.losses.softmax_cross_entropy"),  # tf.losses is Keras' now
        Claim(kind="missing", expr="tf.losses.mean_squared_error"),
        Claim(kind="exists", expr="tf.io.read_file"),
    ),
    paths=_renamed,
    path_order=60,
)

KN721 = Rule(
    id="KN721",
    title="TensorFlow 1.x keyword argument",
    severity="error",
    template="`{old}`: TensorFlow 2 renamed this argument (TypeError); write `{new}`",
    replacement="the TensorFlow 2 argument",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\ns = tf.reduce_sum(x, reduction_indices=1, keep_dims=True)\n",
    good="import tensorflow as tf\ns = tf.reduce_sum(x, axis=1, keepdims=True)\n",
    checks=(
        Claim(
            kind="raises",
            expr="tf.reduce_sum(tf.ones((2, 2)), reduction_indices=1)",
            error="TypeError",
            match="reduction_indices",
        ),
    ),  # fmt: skip
    nodes=(ast.Call,),
    detect=_keywords,
)

KN722 = Rule(
    id="KN722",
    title="tf.nn.dropout keep_prob",
    severity="silent",
    template="`{old}`: TensorFlow 1 read the second argument as the keep probability, TensorFlow 2 "
    "as the drop rate (0.75 kept becomes 0.75 dropped); write `{new}`",
    replacement="tf.nn.dropout(x, rate=1 - keep_prob)",
    lesson="24_pitfalls_faq",
    bad="import tensorflow as tf\nh = tf.nn.dropout(h, 0.75)\n",
    good="import tensorflow as tf\nh = tf.nn.dropout(h, rate=0.25)\n",
    checks=(
        Claim(kind="check", expr="kerasnotes.migrate.rules.tf_upgrade.proof_dropout_takes_rate"),
    ),
    nodes=(ast.Call,),
    detect=_dropout,
)

KN723 = Rule(
    id="KN723",
    title="Dataset iterator methods",
    severity="error",
    template="`{old}` was removed from tf.data.Dataset in TensorFlow 2 (AttributeError); use `{new}`",
    replacement="for batch in dataset: ... (or iter(dataset))",
    lesson="12_generators_and_pydataset",
    bad="it = dataset.make_one_shot_iterator()\n",
    good="it = iter(dataset)\n",
    checks=(
        Claim(kind="missing", expr="tf.data.Dataset.make_one_shot_iterator"),
        Claim(kind="missing", expr="tf.data.Dataset.make_initializable_iterator"),
    ),
    nodes=(ast.Attribute,),
    detect=removed_method(
        {"make_one_shot_iterator": "iter(dataset)", "make_initializable_iterator": "iter(dataset)"}
    ),
)

KN724 = Rule(
    id="KN724",
    title="TensorFlow 1.x name whose meaning changed",
    severity="silent",
    template="`{old}` still exists in TensorFlow 2 but behaves differently: without a change it "
    "runs and does something else (a TF 1 summary without a default writer writes nothing); use "
    "`{new}`",
    replacement="the tf.compat.v1 spelling, or the TF 2 semantics on purpose",
    lesson="26_gradients_and_autodiff",
    bad="import tensorflow as tf\nsess = tf.Session()\nc = tf.where(mask, a, b)\n",
    good="import tensorflow as tf\nc = tf.where(mask, a, b)\n",
    checks=(
        Claim(kind="true", expr="not bool(tf.summary.scalar('loss', 1.0, step=0))"),
        Claim(
            kind="true", expr="tf.where([True, False], [1, 2], [3, 4]).numpy().tolist() == [1, 4]"
        ),
        Claim(kind="exists", expr="tf.compat.v1.where"),
    ),
    paths=_changed,
    path_order=61,
    legacy_only=True,
)

RULES = (KN720, KN721, KN722, KN723, KN724)
