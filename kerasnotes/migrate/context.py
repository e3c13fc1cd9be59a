"""What a detector sees: resolved names, the scan's state, and ``report``.

The rules in :mod:`kerasnotes.migrate.rules` never walk the tree themselves: the
scanner calls each rule's detector with a :class:`Context` and one node, and the
detector asks the context what a name means (``context.resolve(node)``) and
reports what it found (``context.report(node, RULE, old)``).

Example:
    >>> import ast
    >>> canon("tensorflow.keras.layers.Dense")
    ('keras.layers.Dense', True)
    >>> literal_suffix(ast.parse("f'w_{epoch}.hdf5'", mode="eval").body)
    '.hdf5'
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

from kerasnotes.migrate.model import RawHit, Rule
from kerasnotes.migrate.target import DEFAULT_KERAS_VERSION, release_for

if TYPE_CHECKING:  # pragma: no cover
    from kerasnotes.migrate.rules import Registry

__all__ = [
    "BARE_DEFAULTS",
    "KNOWN_LAYERS",
    "OPTIMIZERS",
    "Context",
    "ScanState",
    "bound_names",
    "canon",
    "is_true",
    "kw",
    "literal_suffix",
    "prefix_lookup",
    "unparse",
]

V = TypeVar("V")

#: Keras optimizer class names (keras.optimizers.<name>).
OPTIMIZERS = frozenset(
    "SGD RMSprop Adam Adagrad Adadelta Adamax Nadam Ftrl AdamW Lion Lamb Muon Adafactor".split()
)
#: Layer class names a snippet may use without importing them (only when the name is
#: neither imported nor defined in the file).
KNOWN_LAYERS = frozenset(
    "Dense Activation Dropout Flatten Reshape Permute RepeatVector Lambda Masking Embedding "
    "Conv1D Conv2D Conv3D Convolution1D Convolution2D Convolution3D Conv2DTranspose "
    "Conv3DTranspose Deconvolution2D SeparableConv2D DepthwiseConv2D AtrousConvolution2D "
    "MaxPooling1D MaxPooling2D MaxPooling3D MaxPool1D MaxPool2D AveragePooling1D "
    "AveragePooling2D GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D "
    "GlobalMaxPooling2D UpSampling1D UpSampling2D ZeroPadding2D Cropping2D LSTM GRU SimpleRNN "
    "ConvLSTM2D BatchNormalization LayerNormalization TimeDistributed Bidirectional "
    "LeakyReLU PReLU ELU GaussianNoise GaussianDropout SpatialDropout2D Input".split()
)
#: Bare names a snippet may call without importing them -> canonical path.
BARE_DEFAULTS: dict[str, str] = {
    **{name: f"keras.optimizers.{name}" for name in OPTIMIZERS},
    **{name: f"keras.layers.{name}" for name in KNOWN_LAYERS},
    "Model": "keras.Model",
    "Sequential": "keras.Sequential",
    "ModelCheckpoint": "keras.callbacks.ModelCheckpoint",
    "ReduceLROnPlateau": "keras.callbacks.ReduceLROnPlateau",
    "EarlyStopping": "keras.callbacks.EarlyStopping",
    "to_categorical": "keras.utils.to_categorical",
    "ImageDataGenerator": "keras.preprocessing.image.ImageDataGenerator",
    "tf": "tensorflow",
    "K": "keras.backend",
    "keras": "keras",
}
_ACC_METRICS = re.compile(r"metrics\s*=\s*[\[\(\{][^\]\)\}\n]{0,500}['\"]acc['\"]")


def canon(path: str) -> tuple[str, bool]:
    """Canonical dotted path (``keras.X`` / ``tf.X``) and whether it went through tf.keras."""
    for prefix in ("tensorflow.python.keras.", "tensorflow.keras.", "tf.keras.",
                   "keras._tf_keras.keras."):  # fmt: skip
        if path.startswith(prefix):
            return "keras." + path[len(prefix) :], True
    if path in ("tensorflow.keras", "tf.keras"):
        return "keras", True
    if path == "tensorflow" or path.startswith("tensorflow."):
        return "tf" + path[len("tensorflow") :], False
    return path, False


def prefix_lookup(table: Mapping[str, V], path: str) -> tuple[str | None, V | None]:
    """Longest key of ``table`` equal to ``path`` or a dotted prefix of it."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in table:
            return key, table[key]
    return None, None


def literal_suffix(node: ast.AST | None) -> str | None:
    """The end of a file name given as a literal, f-string, ``%``/``.format``, join or ``/``."""
    for _ in range(100):  # iterative: deeply nested sums must not recurse
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr) and node.values:
            node = node.values[-1]
            if not isinstance(node, ast.Constant):
                return None
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            node = node.right
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            node = node.left
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (node.func.attr == "format")
        ):
            node = node.func.value
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("join", "Path", "PurePath"):
                return None
            node = node.args[-1]
        else:
            return None
    return None


def kw(call: ast.Call, name: str) -> ast.keyword | None:
    """The keyword argument ``name`` of ``call``, if given."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword
    return None


def is_true(node: ast.AST | None) -> bool:
    """Whether ``node`` is a truthy literal."""
    return isinstance(node, ast.Constant) and bool(node.value)


def unparse(node: ast.AST, limit: int = 200) -> str:
    """``ast.unparse`` that survives deep trees and keeps messages short."""
    try:
        text = ast.unparse(node)
    except RecursionError:
        return "<expression>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bound_names(tree: ast.AST) -> set[str]:
    """Names the code binds itself (assignments, defs, arguments, loops, with ... as)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


class ScanState:
    """What a scan learns as it goes (shared by the cells of a notebook)."""

    def __init__(self, text: str, keras_version: str = DEFAULT_KERAS_VERSION) -> None:
        #: The Keras 2 release whose defaults the code relied on (``--keras-version``).
        self.release = release_for(keras_version)
        self.aliases: dict[str, str] = {}  # local name -> dotted path it was imported as
        self.reported_aliases: set[str] = set()  # names whose import was already reported
        self.bound: set[str] = set()
        self.acc_metric = bool(_ACC_METRICS.search(text))
        self.strings: dict[str, ast.expr] = {}  # name -> the expression last assigned to it
        self.compiled: set[str] = set()  # receivers on which .compile(...) was called
        self.unchecked: list[str] = []  # "line N: getattr(...)" and the like
        self.python2_era = False  # `from __future__ import print_function` and friends
        # KN430's dataflow, for the tree being walked: NumPy's local names, the ids of
        # the Name loads holding a NumPy scalar, and function id -> such parameters
        self.numpy_aliases: dict[str, str] = {}
        self.numpy_uses: set[int] = set()
        self.numpy_params: dict[int, set[str]] = {}


class Context:
    """The view a detector has of the scan: name resolution and ``report``."""

    def __init__(
        self,
        state: ScanState,
        registry: Registry,
        line_offset: int = 0,
        col_offsets: dict[int, int] | None = None,
    ) -> None:
        self.state = state
        self.registry = registry
        self.line_offset = line_offset
        self.col_offsets = col_offsets or {}
        self.hits: list[RawHit] = []
        self.demo_depth = 0
        self.stmt_line = 1

    def report(self, node: ast.AST, rule: Rule, old: str, new: str | None = None) -> None:
        """Record that ``rule`` matched ``node`` (``old`` is what the code says)."""
        new = new or rule.replacement
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + self.col_offsets.get(line, 0)
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is not None and end_col is not None:
            end_col += self.col_offsets.get(end_line, 0) + 1
            end_line += self.line_offset
        self.hits.append(
            RawHit(line=line + self.line_offset, col=col + 1, rule=rule.id,
                   message=rule.message(old, new), replacement=new, demo=self.demo_depth > 0,
                   stmt_line=self.stmt_line + self.line_offset, end_line=end_line,
                   end_col=end_col)
        )  # fmt: skip

    def note_unchecked(self, node: ast.AST, what: str) -> None:
        """Remember a place the checker cannot see through (dynamic access)."""
        line = getattr(node, "lineno", 1) + self.line_offset
        self.state.unchecked.append(f"line {line}: {what}")

    def resolve(self, node: ast.AST) -> tuple[str | None, bool]:
        """Dotted path of a Name/Attribute chain and whether its root was imported."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None, False
        root = node.id
        if root in self.state.aliases:
            base, imported = self.state.aliases[root], True
        elif root not in self.state.bound and root in BARE_DEFAULTS:
            base, imported = BARE_DEFAULTS[root], False
        else:
            return None, False
        return ".".join([base, *reversed(parts)]), imported

    def call_path(self, call: ast.Call) -> str | None:
        """The canonical dotted path a call goes to (``keras.layers.Dense``), if known."""
        path, _ = self.resolve(call.func)
        return canon(path)[0] if path else None

    def call_origin(self, call: ast.Call) -> tuple[str | None, bool]:
        """The canonical path a call goes to and whether it went through ``tf.keras``."""
        path, _ = self.resolve(call.func)
        if not path:
            return None, False
        return canon(path)

    def tf_keras_only(self) -> bool:
        """Whether the code imported Keras through ``tf.keras`` only (so far)."""
        origins = [canon(p) for p in self.state.aliases.values()]
        keras = [via_tf for path, via_tf in origins if path.split(".")[0] == "keras"]
        return bool(keras) and all(keras)

    def is_module(self, node: ast.AST) -> bool:
        """Whether an expression is rooted in an imported module (not some object)."""
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and (
            node.id in self.state.aliases
            or (node.id not in self.state.bound and node.id in BARE_DEFAULTS)
        )

    def is_unbound(self, name: ast.AST) -> bool:
        """Whether ``name`` is a bare name the code neither imports nor defines."""
        return (
            isinstance(name, ast.Name)
            and name.id not in self.state.aliases
            and name.id not in self.state.bound
        )

    def check_path(self, node: ast.AST, raw: str, shown: str) -> bool:
        """Report ``raw`` (a dotted path) if a rule matches it; True when reported."""
        path, via_tf = canon(raw)
        for rule in self.registry.path_rules:
            hit = rule.paths(path, via_tf, shown)  # type: ignore[misc]
            if hit is not None:
                self.report(node, rule, hit[0], hit[1])
                return True
        return False

    def file_suffix(self, node: ast.AST | None) -> str | None:
        """The end of a file name given literally or through a variable assigned one."""
        if isinstance(node, ast.Name) and node.id in self.state.strings:
            node = self.state.strings[node.id]
        return literal_suffix(node)

    def modernize(self, path: str) -> str:
        """``keras.layers.core.Dense`` -> ``keras.layers.Dense`` (old module paths replaced)."""
        canonical, _ = canon(path)
        key, new = prefix_lookup(self.registry.old_modules, canonical)
        if key is not None and new is not None:
            return new + canonical[len(key) :]
        return path
