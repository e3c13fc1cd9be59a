"""The tree walk: one pass over a syntax tree that hands each node to the rules.

The walk is iterative (a stack, not recursion), so a 400-term sum or a 330-branch
``elif`` chain cannot raise RecursionError. It keeps the scan's own bookkeeping:
imports become aliases, ``with expect_error(...)`` blocks are marked as demos,
string assignments are remembered (for file names held in variables), and
dynamic access (``getattr`` on a module, star imports) is noted as not checked.
The rules themselves are reached through the registry: the walk has no rule ids.

Example:
    >>> import ast
    >>> from kerasnotes.migrate.context import Context, ScanState
    >>> from kerasnotes.migrate.rules import REGISTRY
    >>> code = "import keras\\nkeras.optimizers.SGD(lr=0.1)\\n"
    >>> context = Context(ScanState(code), REGISTRY)
    >>> walk(ast.parse(code), context)
    >>> [hit.rule for hit in context.hits]
    ['KN401']
"""

from __future__ import annotations

import ast

from kerasnotes.migrate.context import Context, bound_names, unparse

__all__ = ["walk"]

_DEMO_CONTEXTS = frozenset({"expect_error", "expect_warning"})
_WATCHED_ROOTS = ("keras", "tf", "tensorflow")
_PY2_FUTURES = frozenset({"print_function", "division", "absolute_import", "unicode_literals"})
_DYNAMIC_CALLS = frozenset({"getattr", "__import__", "import_module"})


def walk(tree: ast.AST, context: Context) -> None:
    """Run every rule over ``tree``; findings accumulate in ``context.hits``."""
    state = context.state
    state.bound |= bound_names(tree) - set(state.aliases)
    by_node = context.registry.by_node
    stack: list[tuple[ast.AST, int, int]] = [(tree, 0, 1)]
    while stack:
        node, demo, stmt_line = stack.pop()
        if isinstance(node, ast.stmt):
            stmt_line = node.lineno
        context.demo_depth, context.stmt_line = demo, stmt_line
        run_rules, descend = _bookkeeping(context, node)
        if run_rules:
            for rule in by_node.get(type(node), ()):
                rule.detect(context, node, rule)  # type: ignore[misc]
        if not descend:
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)):
            inner = demo + any(_is_demo(context, item.context_expr) for item in node.items)
            stack.extend((child, inner, stmt_line) for child in reversed(node.body))
            stack.extend((item, demo, stmt_line) for item in reversed(node.items))
            continue
        children = list(ast.iter_child_nodes(node))
        stack.extend((child, demo, stmt_line) for child in reversed(children))


def _bookkeeping(context: Context, node: ast.AST) -> tuple[bool, bool]:
    """Imports, names and notes; returns (run the rules on ``node``, walk into its children)."""
    if isinstance(node, ast.Import):
        _import(context, node)
    elif isinstance(node, ast.ImportFrom):
        _import_from(context, node)
    elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
        return _attribute(context, node)
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                context.state.strings[target.id] = node.value
    elif isinstance(node, ast.Call):
        _dynamic(context, node)
    return True, True


def _import(context: Context, node: ast.Import) -> None:
    state = context.state
    for alias in node.names:
        reported = context.check_path(node, alias.name, f"import {alias.name}")
        local = alias.asname or alias.name.split(".")[0]
        state.aliases[local] = alias.name if alias.asname else local
        if reported and alias.asname:
            state.reported_aliases.add(local)


def _import_from(context: Context, node: ast.ImportFrom) -> None:
    if node.level or not node.module:
        return
    state = context.state
    module = node.module
    if module == "__future__" and any(a.name in _PY2_FUTURES for a in node.names):
        state.python2_era = True  # Python 2 era code: Keras 2.3 at the latest
    reported_module = context.check_path(node, module, f"from {module} import ...")
    for alias in node.names:
        if alias.name == "*":
            if module.split(".")[0] in _WATCHED_ROOTS:
                context.note_unchecked(node, f"from {module} import * (names not checked)")
            continue
        full = f"{module}.{alias.name}"
        local = alias.asname or alias.name
        shown = f"from {module} import {alias.name}"
        reported = reported_module or context.check_path(node, full, shown)
        state.aliases[local] = context.modernize(full)
        if reported:
            state.reported_aliases.add(local)
        state.bound.discard(local)


def _attribute(context: Context, node: ast.Attribute) -> tuple[bool, bool]:
    """A module chain (``keras.layers.core.Dense``) is matched once, as a whole."""
    path, _ = context.resolve(node)
    if path is None:
        return True, True  # a method or attribute of some object
    root = node.value
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root.id in context.state.reported_aliases:
        return False, False  # its import was already reported
    if context.check_path(node, path, unparse(node)):
        return False, False
    return True, False


def _dynamic(context: Context, node: ast.Call) -> None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in _DYNAMIC_CALLS or not node.args:
        return
    first = node.args[0]
    if name == "getattr":
        if context.is_module(first) and not isinstance(
            node.args[1] if len(node.args) > 1 else None, ast.Constant
        ):
            context.note_unchecked(node, f"{unparse(node, 80)} (a name built at run time)")
    elif not isinstance(first, ast.Constant):
        context.note_unchecked(node, f"{unparse(node, 80)} (a module chosen at run time)")


def _is_demo(context: Context, expr: ast.AST) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in context.state.aliases:
        name = context.state.aliases[name].rsplit(".", 1)[-1]
    return name in _DEMO_CONTEXTS
