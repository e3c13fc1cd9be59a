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

__all__ = ["CALL_FIXERS", "FIXERS", "dotted_name"]

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
        if node.attr.value == "int_shape":
            return None  # the call is rewritten (CALL_FIXERS)
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


def _code(node: libcst.CSTNode) -> str:
    import libcst as cst

    return cst.Module(body=[]).code_for_node(node)


def _with_args(node: libcst.Call, args: list[libcst.Arg]) -> libcst.Call:
    """``node`` with ``args``; the last one without a dangling comma, the others with one."""
    import libcst as cst

    fixed = []
    for i, arg in enumerate(args):
        last = i == len(args) - 1
        if last and arg.comma is not cst.MaybeSentinel.DEFAULT:
            arg = arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        elif not last and arg.comma is cst.MaybeSentinel.DEFAULT:
            arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fixed.append(arg)
    return node.with_changes(args=fixed)


def _keyword_arg(name: str, value: libcst.BaseExpression) -> libcst.Arg:
    """``name=value`` without spaces around ``=``."""
    import libcst as cst

    no_space = cst.SimpleWhitespace("")
    return cst.Arg(keyword=cst.Name(name), value=value,
                   equal=cst.AssignEqual(whitespace_before=no_space, whitespace_after=no_space))  # fmt: skip


def _keyword(node: libcst.Call, *names: str) -> libcst.Arg | None:
    return next((a for a in node.args if a.keyword is not None and a.keyword.value in names), None)


def _keras2_rate(optimizer: str) -> str | None:
    """The Keras 2 default learning rate of ``optimizer`` (a class or lowercase alias)."""
    import inspect

    import keras

    from kerasnotes.migrate.rules.silent import OPTIMIZER_RATES

    names = {n.lower(): n for n in dir(keras.optimizers)}
    name = names.get(optimizer.lower())
    if name is None:
        return None
    if name in OPTIMIZER_RATES:  # changed since Keras 2: the Keras 2 value
        return repr(OPTIMIZER_RATES[name][0])
    default = inspect.signature(getattr(keras.optimizers, name)).parameters.get("learning_rate")
    if default is None or not isinstance(default.default, (int, float)):
        return None
    return repr(default.default)  # unchanged since Keras 2 (else it would be in the table)


def _decay_schedule(finding: Finding, node: libcst.CSTNode) -> libcst.Call | None:
    """KN402: ``SGD(lr, decay=d)`` -> ``SGD(learning_rate=InverseTimeDecay(lr, 1, d))``.

    Keras 2 used ``lr / (1 + decay * iterations)`` at each step; ``InverseTimeDecay``
    with ``decay_steps=1`` (not staircase) computes the same. ``decay=0`` is dropped.
    """
    import libcst as cst

    if not isinstance(node, cst.Call):
        return None
    decay = _keyword(node, "decay")
    name = dotted_name(node.func)
    if decay is None or name is None:
        return None
    others = [a for a in node.args if a is not decay]
    if isinstance(decay.value, (cst.Integer, cst.Float)) and float(decay.value.value) == 0:
        return _with_args(node, others)
    rate = _keyword(node, "learning_rate", "lr")
    if rate is None and others and others[0].keyword is None and others[0].star == "":
        rate = others[0]
    if rate is not None and rate.star:
        return None
    rate_code = _code(rate.value) if rate is not None else _keras2_rate(name.rsplit(".", 1)[-1])
    if rate_code is None:
        return None
    schedule = cst.parse_expression(
        f"keras.optimizers.schedules.InverseTimeDecay({rate_code}, decay_steps=1, "
        f"decay_rate={_code(decay.value)})"
    )
    if rate is None:
        return _with_args(node, [*others, _keyword_arg("learning_rate", schedule)])
    keyword = cst.Name("learning_rate") if rate.keyword is not None else None
    new_rate = rate.with_changes(value=schedule, keyword=keyword)
    return _with_args(node, [new_rate if a is rate else a for a in others])


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
        args.append(_keyword_arg("axes", cst.UnaryOperation(cst.Minus(), cst.Integer("1"))))
    func = cst.parse_expression(f"keras.layers.{MERGE_MODES[mode]}")
    return _with_args(node.with_changes(func=func), args)


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
              _keyword_arg("axis", cst.UnaryOperation(cst.Minus(), cst.Integer("1")))]
    )  # fmt: skip


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


def _int_argument(finding: Finding, node: libcst.CSTNode) -> libcst.Arg | None:
    """KN430: ``Dense(n)`` -> ``Dense(int(n))`` (a NumPy integer made a Python int)."""
    import libcst as cst

    if not isinstance(node, cst.Arg) or not isinstance(node.value, cst.Name):
        return None
    return node.with_changes(value=cst.Call(func=cst.Name("int"), args=[cst.Arg(value=node.value)]))


#: Fixers that rewrite the whole call a finding sits in (the finding marks its
#: function or one of its arguments): ``decay=`` needs the rate beside it, ``merge``
#: and ``predict_classes`` replace the call.
CALL_FIXERS: dict[str, _Fixer] = {
    "KN203": _merge,
    "KN214": _predict_classes,
    "KN305": _int_shape,
    "KN402": _decay_schedule,
}


FIXERS: dict[str, _Fixer] = {
    **{rule: _rename_keyword(rule) for rule in [*_KEYWORD_RENAMES, "KN413"]},
    **{rule: _rename_method(rule) for rule in _METHOD_RENAMES},
    "KN412": _drop_keyword,
    "KN430": _int_argument,
    "KN501": _weights_name,
    "KN505": _weights_name,
    "KN601": _acc_key,
    "KN602": _acc_key,
    "KN101": _old_import,
    "KN103": _old_import,
    "KN106": _old_import,
    "KN102": _np_utils,
    "KN250": lambda f, n: _old_import(f, n) or _removed_attribute(f, n),
    "KN305": _removed_attribute,
    "KN801": _add_arguments,
    "KN802": _add_arguments,
    "KN804": _add_arguments,
    "KN203": _merge,  # the import; the calls through CALL_FIXERS
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
