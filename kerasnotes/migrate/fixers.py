"""The fixers of ``kerasnotes migrate --fix``: one rewrite of a libcst node per rule id.

A fixer gets a :class:`~kerasnotes.migrate.model.Finding` and the libcst node found
at its exact position, and returns the new node, or None when the fix does not
apply there (the finding is then left, with the reason). :data:`FIXERS` maps each
fixable rule id to its fixer; :mod:`kerasnotes.migrate.fix` locates the nodes and
applies them. libcst is imported inside the fixers only, when fixing.

Example:
    >>> from kerasnotes.migrate.fixers import FIXERS
    >>> "KN401" in FIXERS  # lr= -> learning_rate=
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.model import Finding

if TYPE_CHECKING:  # libcst is imported only when fixing
    from typing import TypeAlias

    import libcst

    #: A fixer: the finding and the node at its position -> the new node, or None.
    _Fixer: TypeAlias = Callable[
        [Finding, libcst.CSTNode], "libcst.CSTNode | libcst.RemovalSentinel | None"
    ]

__all__ = ["FIXERS", "dotted_name"]

# A fixer gets the finding and the libcst node found at its position; it returns the
# new node, or None when the fix does not apply there (the finding is then "left").

_KEYWORD_RENAMES = {
    "KN401": {"lr": "learning_rate"},
    "KN403": {"nb_epoch": "epochs"},
    "KN404": {"output_dim": "units"},
    "KN405": {"init": "kernel_initializer"},
    "KN406": {"border_mode": "padding"},
    "KN407": {"dim_ordering": "data_format"},
    "KN408": {"input": "inputs", "output": "outputs"},
    "KN410": {"epsilon": "min_delta"},
}
_KERAS1_INIT = {"uniform": "random_uniform", "normal": "random_normal"}
_DIM_ORDERING = {"th": "channels_first", "tf": "channels_last"}
_METHOD_RENAMES = {
    "KN211": {"fit_generator": "fit"},
    "KN212": {"evaluate_generator": "evaluate"},
    "KN213": {"predict_generator": "predict"},
    "KN215": {"predict_proba": "predict"},
}
#: keras.backend functions whose Keras 3 equivalent is not keras.ops.<same name>.
_BACKEND_FIXES = {"int_shape": "keras.ops.shape"}  # static shape, None where unknown, as before
_DROPPED_KEYWORDS = {"KN412": ("workers", "use_multiprocessing", "max_queue_size")}


def _rename_keyword(rule: str) -> _Fixer:
    def fix(finding: Finding, node: libcst.CSTNode) -> libcst.Arg | None:
        import libcst as cst

        if not isinstance(node, cst.Arg) or node.keyword is None:
            return None
        old = node.keyword.value
        table = _KEYWORD_RENAMES.get(rule) or {}
        if rule == "KN413":
            from kerasnotes.migrate.rules.arguments import KERAS1_LAYER_KWARGS

            table = {k: v for k, v in KERAS1_LAYER_KWARGS.items() if k not in ("nb_row", "nb_col")}
        if old not in table:
            return None
        value = node.value
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            mapping = _KERAS1_INIT if rule == "KN405" else _DIM_ORDERING if rule == "KN407" else {}
            if isinstance(text, str) and text in mapping:
                quote = value.value[len(value.prefix)]
                value = cst.SimpleString(f"{value.prefix}{quote}{mapping[text]}{quote}")
        return node.with_changes(keyword=cst.Name(table[old]), value=value)

    return fix


def _rename_method(rule: str) -> _Fixer:
    def fix(finding: Finding, node: libcst.CSTNode) -> libcst.Attribute | None:
        import libcst as cst

        table = _METHOD_RENAMES[rule]
        if isinstance(node, cst.Attribute) and node.attr.value in table:
            return node.with_changes(attr=cst.Name(table[node.attr.value]))
        return None

    return fix


def _drop_keyword(finding: Finding, node: libcst.CSTNode) -> libcst.RemovalSentinel | None:
    import libcst as cst

    if isinstance(node, cst.Arg) and node.keyword is not None:
        if node.keyword.value in _DROPPED_KEYWORDS["KN412"]:
            return cst.RemovalSentinel.REMOVE
    return None


def _add_arguments(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
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


def _weights_name(
    finding: Finding, node: libcst.CSTNode
) -> libcst.Call | libcst.SimpleString | None:
    """KN501/KN505: a literal ``x.h5`` / ``x.hdf5`` becomes ``x.weights.h5`` (or ``x.keras``)."""
    import libcst as cst

    if isinstance(node, cst.Call):
        node_arg = node.args[0] if node.args else None
        if node_arg is None or not isinstance(node_arg.value, cst.SimpleString):
            return None
        new = _weights_name(finding, node_arg.value)
        return (
            None
            if new is None
            else node.with_changes(args=[node_arg.with_changes(value=new), *node.args[1:]])
        )
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


def _acc_key(finding: Finding, node: libcst.CSTNode) -> libcst.SimpleString | None:
    import libcst as cst

    if not isinstance(node, cst.SimpleString):
        return None
    text = node.evaluated_value
    if isinstance(text, str) and text in ("acc", "val_acc"):
        quote = node.value[len(node.prefix)]
        new = {"acc": "accuracy", "val_acc": "val_accuracy"}[text]
        return cst.SimpleString(node.prefix + quote + new + quote)
    return None


def _old_import(finding: Finding, node: libcst.CSTNode) -> libcst.ImportFrom | None:
    """KN101/KN103/KN106/KN250 in ``from old.module import X``: the module or name that replaced it."""
    import libcst as cst

    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return None
    module = dotted_name(node.module)
    if module is None:
        return None
    from kerasnotes.migrate.rules.keras2_api import REMOVED_NAMES
    from kerasnotes.migrate.rules.modules import OLD_MODULE_TARGETS

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
        elif not _keras3_has(new_module, name):
            return None
        names.append(alias)
    if module == "keras.utils.np_utils" or (new_module == module and names == list(node.names)):
        return None
    return node.with_changes(module=cst.parse_expression(new_module), names=names)


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


def _removed_attribute(finding: Finding, node: libcst.CSTNode) -> libcst.BaseExpression | None:
    """KN250 / KN305 on an attribute chain: ``optimizers.rmsprop`` -> ``optimizers.RMSprop``."""
    import libcst as cst

    if not isinstance(node, cst.Attribute):
        return None
    new = finding.replacement
    if finding.rule == "KN305":
        new = _BACKEND_FIXES.get(node.attr.value, new)
        module, _, name = new.rpartition(".")
        if (
            not module.startswith("keras.")
            or not name.isidentifier()
            or not _keras3_has(module, name)
        ):
            return None
        return cst.parse_expression(new)
    if " " in new or "." not in new:
        return None
    return node.with_changes(attr=cst.Name(new.rsplit(".", 1)[1]))


FIXERS: dict[str, _Fixer] = {
    **{rule: _rename_keyword(rule) for rule in [*_KEYWORD_RENAMES, "KN413"]},
    **{rule: _rename_method(rule) for rule in _METHOD_RENAMES},
    "KN412": _drop_keyword,
    "KN501": _weights_name,
    "KN505": _weights_name,
    "KN601": _acc_key,
    "KN101": _old_import,
    "KN103": _old_import,
    "KN106": _old_import,
    "KN102": _np_utils,
    "KN250": lambda f, n: _old_import(f, n) or _removed_attribute(f, n),
    "KN305": _removed_attribute,
    "KN801": _add_arguments,
    "KN802": _add_arguments,
    "KN804": _add_arguments,
}


def dotted_name(node: libcst.CSTNode | None) -> str | None:
    """``keras.layers.Dense`` for that Name / Attribute chain; None for anything else."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


_KERAS3_CACHE: dict[tuple[str, str], bool] = {}


def _keras3_has(module: str, name: str) -> bool:
    """Whether the installed Keras 3 has ``module.name`` (imports Keras once, when needed)."""
    key = (module, name)
    if key not in _KERAS3_CACHE:
        import importlib

        try:
            _KERAS3_CACHE[key] = hasattr(importlib.import_module(module), name)
        except ImportError:
            _KERAS3_CACHE[key] = False
    return _KERAS3_CACHE[key]
