"""KN5xx: file names and saving options that Keras 3 refuses.

File names are followed through literals, f-strings, ``%`` and ``.format``,
``os.path.join`` and variables assigned one of those.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("name = 'w_{}.hdf5'.format(1)\\nmodel.save_weights(name)\\n")]
    ['KN501']
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.context import Context, is_true, kw
from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules.arguments import method_call

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["RULES", "file_argument"]


def file_argument(call: ast.Call) -> ast.expr | None:
    """The file name argument of a save/load call or ModelCheckpoint (first or filepath=)."""
    if call.args:
        return call.args[0]
    keyword = kw(call, "filepath")
    return keyword.value if keyword is not None else None


def _save_weights_name(context: Context, node: ast.Call, rule: Rule) -> None:
    if method_call(context, node) == "save_weights":
        suffix = context.file_suffix(file_argument(node))
        if suffix is not None and not suffix.endswith(".weights.h5"):
            context.report(node, rule, f"save_weights({suffix!r})")


def _load_weights_by_name(context: Context, node: ast.Call, rule: Rule) -> None:
    by_name = kw(node, "by_name")
    if by_name is None or method_call(context, node) != "load_weights":
        return
    if isinstance(by_name.value, ast.Constant) and not by_name.value.value:
        return
    suffix = context.file_suffix(node.args[0] if node.args else None)
    legacy = (
        suffix is not None
        and suffix.endswith((".h5", ".hdf5"))
        and not suffix.endswith(".weights.h5")
    )
    if not legacy:
        context.report(by_name, rule, "load_weights(..., by_name=True)")


def _save_format(context: Context, node: ast.Call, rule: Rule) -> None:
    keyword = kw(node, "save_format")
    if keyword is not None and method_call(context, node) in ("save", "save_weights"):
        context.report(keyword, rule, "save_format=")


def _save_folder(context: Context, node: ast.Call, rule: Rule) -> None:
    if method_call(context, node) != "save":
        return
    suffix = context.file_suffix(file_argument(node))
    if suffix is not None:
        base = suffix.replace("\\", "/").rsplit("/", 1)[-1]
        if base and "." not in base and "{" not in base:
            context.report(node, rule, f"save({suffix!r})")


def _checkpoint_name(context: Context, node: ast.Call, rule: Rule) -> None:
    if context.call_path(node) != "keras.callbacks.ModelCheckpoint":
        return
    target = file_argument(node)
    suffix = context.file_suffix(target)
    if suffix is None or target is None:
        return
    weights_only = is_true(getattr(kw(node, "save_weights_only"), "value", None))
    ok = suffix.endswith(".weights.h5") if weights_only else suffix.endswith((".keras", ".h5"))
    if not ok:
        context.report(target, rule, repr(suffix))


def _weights_name(
    finding: Finding, node: libcst.CSTNode
) -> libcst.Call | libcst.SimpleString | None:
    """KN501/KN505: a literal ``x.h5`` / ``x.hdf5`` becomes ``x.weights.h5`` (or ``x.keras``)."""
    import libcst as cst

    if isinstance(node, cst.Call):
        node_arg = node.args[0] if node.args else None
        if node_arg is None:
            return None
        value = node_arg.value
        # 'w_{}.hdf5'.format(epoch) and 'w_%d.hdf5' % epoch: the template is renamed
        template = (
            value.func.value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "format"
            else value.left
            if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo)
            else value
        )  # fmt: skip
        if not isinstance(template, cst.SimpleString):
            return None
        renamed_template = _weights_name(finding, template)
        if renamed_template is None:
            return None
        if template is value:
            new: libcst.BaseExpression = renamed_template
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            new = value.with_changes(func=value.func.with_changes(value=renamed_template))
        else:
            new = cast("libcst.BinaryOperation", value).with_changes(left=renamed_template)
        return node.with_changes(args=[node_arg.with_changes(value=new), *node.args[1:]])
    if not isinstance(node, cst.SimpleString):
        return None
    text = node.evaluated_value
    if not isinstance(text, str):
        return None
    weights = (
        finding.rule == "KN501"
        or "weights.h5" in finding.replacement
        and "save_weights_only" in finding.message
    )
    stem, dot, ext = text.rpartition(".")
    if not dot:
        return None
    quote = node.value[len(node.prefix)] if node.prefix else node.value[0]
    renamed = f"{stem}.weights.h5" if (finding.rule == "KN501" or weights) else f"{stem}.keras"
    return cst.SimpleString(node.prefix + quote + renamed + quote)


KN501 = Rule(
    id="KN501",
    title="save_weights file name",
    severity="error",
    template="`{old}`: Keras 3 save_weights raises ValueError unless the name ends in `.weights.h5`; "
    "write `{new}`",
    replacement="model.save_weights('name.weights.h5')",
    lesson="20_saving_and_loading",
    bad="model.save_weights('my_model_weights.h5')\n",
    good="model.save_weights('my_model.weights.h5')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save_weights('w.h5')",
            error="ValueError",
            match="must end in `\\.weights\\.h5`",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="a literal file name (or its .format / % template) becomes x.weights.h5",
        apply=_weights_name,
    ),
    nodes=(ast.Call,),
    detect=_save_weights_name,
)


KN502 = Rule(
    id="KN502",
    title="load_weights(by_name=True)",
    severity="error",
    template="`{old}`: by_name only works for legacy `.h5`/`.hdf5` files in Keras 3 (ValueError for "
    "`.weights.h5` and `.keras`); {new}",
    replacement="load a legacy .h5 by name, or drop by_name (a .weights.h5 file is matched by structure; "
    "skip_mismatch=True skips layers whose shapes differ)",
    lesson="21_load_model_pitfalls",
    bad="model.load_weights('my_model.weights.h5', by_name=True)\n",
    good="model.load_weights('my_model.weights.h5')\n",
    checks=(
        Claim(
            kind="raises",
            expr="(m := keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])).save_weights('w.weights.h5') or m.load_weights('w.weights.h5', by_name=True)",
            error="ValueError",
            match="`by_name` only supports loading legacy '\\.h5' or '\\.hdf5' files",
        ),
    ),
    nodes=(ast.Call,),
    detect=_load_weights_by_name,
)


KN503 = Rule(
    id="KN503",
    title="save_format=",
    severity="error",
    template="`{old}` is gone in Keras 3: save_weights raises TypeError, save raises ValueError unless "
    "the path ends in .keras/.h5 (then it is only logged as deprecated); {new}",
    replacement="the file extension chooses the format (.keras, .h5, .weights.h5); model.export(dir) "
    "writes a SavedModel",
    lesson="20_saving_and_loading",
    bad="model.save('model.h5', save_format='h5')\n",
    good="model.save('model.keras')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save_weights('w.weights.h5', save_format='h5')",
            error="TypeError",
            match="unexpected keyword argument 'save_format'",
        ),
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('folder', save_format='tf')",
            error="ValueError",
            match="The `save_format` argument is deprecated in Keras 3",
        ),
        Claim(
            kind="runs",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.keras', save_format='keras')",
        ),
    ),
    nodes=(ast.Call,),
    detect=_save_format,
)


KN504 = Rule(
    id="KN504",
    title="save to a SavedModel folder",
    severity="error",
    template="`{old}`: Keras 3 model.save needs a `.keras` (or legacy `.h5`) file name, SavedModel "
    "folders are gone (ValueError); use `{new}`",
    replacement="model.save('name.keras'), or model.export('dir') for serving",
    lesson="20_saving_and_loading",
    bad="model.save('my_model')\n",
    good="model.save('my_model.keras')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('folder')",
            error="ValueError",
            match="Invalid filepath extension for saving",
        ),
        Claim(kind="exists", expr="keras.Model.export"),
    ),
    nodes=(ast.Call,),
    detect=_save_folder,
)


KN505 = Rule(
    id="KN505",
    title="ModelCheckpoint file name",
    severity="error",
    template="`{old}`: Keras 3 ModelCheckpoint needs `.weights.h5` with save_weights_only=True and "
    "`.keras` (or `.h5`) otherwise (ValueError); write `{new}`",
    replacement="'best.weights.h5' or 'best.keras'",
    lesson="23_callbacks",
    bad="from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('w.h5', save_weights_only=True)\n",
    good="from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('w.weights.h5', save_weights_only=True)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.callbacks.ModelCheckpoint('w.h5', save_weights_only=True)",
            error="ValueError",
            match="must end in `\\.weights\\.h5`",
        ),
        Claim(
            kind="raises",
            expr="keras.callbacks.ModelCheckpoint('m.hdf5')",
            error="ValueError",
            match="must end in `\\.keras`",
        ),
        Claim(
            kind="runs",
            expr="keras.callbacks.ModelCheckpoint('w.weights.h5', save_weights_only=True)",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="a literal checkpoint name becomes x.keras (x.weights.h5 with save_weights_only)",
        apply=_weights_name,
    ),
    nodes=(ast.Call,),
    detect=_checkpoint_name,
)


RULES = (KN501, KN502, KN503, KN504, KN505)
