"""Small :mod:`libcst` helpers shared by the rules' fixes.

Each rule's fix lives beside the rule, in its module of
:mod:`kerasnotes.migrate.rules` (see :class:`~kerasnotes.migrate.model.Fix`);
what several of them need is here. libcst is imported inside the functions, so
importing this module (as every rules module does) does not load it: scanning
never needs libcst, only ``--fix`` does.

Example:
    >>> import libcst
    >>> dotted_name(libcst.parse_expression("keras.layers.Dense"))
    'keras.layers.Dense'
    >>> code_of(keyword_arg("axis", libcst.Integer("1")))
    'axis=1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["code_of", "dotted_name", "find_keyword", "keras3_has", "keyword_arg", "with_args"]


def dotted_name(node: libcst.CSTNode | None) -> str | None:
    """``keras.layers.Dense`` for that Name / Attribute chain; None for anything else."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def code_of(node: libcst.CSTNode) -> str:
    """The source text of ``node``."""
    import libcst as cst

    return cst.Module(body=[]).code_for_node(node)


def with_args(node: libcst.Call, args: list[libcst.Arg]) -> libcst.Call:
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


def keyword_arg(name: str, value: libcst.BaseExpression) -> libcst.Arg:
    """``name=value`` without spaces around ``=``."""
    import libcst as cst

    no_space = cst.SimpleWhitespace("")
    return cst.Arg(keyword=cst.Name(name), value=value,
                   equal=cst.AssignEqual(whitespace_before=no_space, whitespace_after=no_space))  # fmt: skip


def find_keyword(node: libcst.Call, *names: str) -> libcst.Arg | None:
    """The first ``name=...`` argument of the call with one of ``names``, else None."""
    return next((a for a in node.args if a.keyword is not None and a.keyword.value in names), None)


_KERAS3_CACHE: dict[tuple[str, str], bool] = {}


def keras3_has(module: str, name: str) -> bool:
    """Whether the installed Keras 3 has ``module.name`` (imports it once, when needed)."""
    key = (module, name)
    if key not in _KERAS3_CACHE:
        import importlib

        try:
            _KERAS3_CACHE[key] = hasattr(importlib.import_module(module), name)
        except ImportError:
            _KERAS3_CACHE[key] = False
    return _KERAS3_CACHE[key]
