"""``kerasnotes migrate``: find Keras 1/2 and TF 1.x idioms in code and notebooks.

The checker reads ``.py`` files and the code cells of ``.ipynb`` notebooks with
:mod:`ast` (it never imports or runs them) and reports, line by line, what each
old idiom does on Keras 3 / TensorFlow 2, its modern spelling, and the course
notebook that teaches it. The rules live in :mod:`kerasnotes.migrate.rules`;
``docs/migrate-rules.md`` is generated from them.

Things it understands:

* import aliases (``import keras.backend as K``, ``from keras.optimizers import
  SGD``, ``tensorflow.keras.*``, ``tf.keras.*``);
* calls, keyword arguments, imports and attribute chains, not strings, comments
  or unrelated names (a variable called ``lr`` is not a finding);
* code inside ``with expect_error(...):`` / ``with expect_warning(...):`` blocks
  (the course's own demonstrations) is skipped unless ``include_demos=True``;
* ``# kerasnotes: ignore`` and ``# kerasnotes: ignore[KN101,KN203]`` pragmas;
* files that do not parse (Python 2, prose with code in it) are scanned
  statement by statement instead.

Example:
    >>> findings = scan_source("from keras.optimizers import SGD\\nsgd = SGD(lr=0.01)\\n")
    >>> [(f.line, f.rule, f.replacement) for f in findings]
    [(2, 'KN401', 'learning_rate=')]
    >>> scan_source("lr = 0.01\\n")
    []
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import sys
import textwrap
import time
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kerasnotes.migrate.rules import _table as R

__all__ = [
    "FileReport",
    "Finding",
    "main",
    "render_rules_doc",
    "scan_file",
    "scan_notebook",
    "scan_path",
    "scan_source",
]

#: Folders never entered when a directory is scanned.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "build", "dist", "__pycache__", ".ipynb_checkpoints",
     "node_modules", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)  # fmt: skip
#: File types scanned inside a directory (other files are scanned when named explicitly).
DIR_SUFFIXES = (".py", ".ipynb")

_PRAGMA = re.compile(r"#\s*kerasnotes:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")
_DEMO_CONTEXTS = frozenset({"expect_error", "expect_warning"})
_FIT_LIKE = frozenset(
    {"fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator"}
)
_METHODS = {
    "fit_generator": ("KN211", "model.fit"),
    "evaluate_generator": ("KN212", "model.evaluate"),
    "predict_generator": ("KN213", "model.predict"),
    "predict_classes": ("KN214", R.RULES_BY_ID["KN214"].replacement),
    "predict_proba": ("KN215", "model.predict"),
    "to_yaml": ("KN201", "model.to_json()"),
    "get_output_at": ("KN216", "layer.output"),
    "get_input_at": ("KN216", "layer.input"),
    "get_output_shape_at": ("KN216", "layer.output.shape"),
    "get_input_shape_at": ("KN216", "layer.input.shape"),
}
_ACC_KEYS = {"acc": "accuracy", "val_acc": "val_accuracy"}
_ACC_METRICS = re.compile(r"metrics\s*=\s*[\[\(\{][^\]\)\}]*['\"]acc['\"]")


@dataclass(frozen=True)
class Finding:
    """One legacy idiom found in a file.

    Attributes:
        line: 1-based line (inside the cell, for a notebook).
        col: 1-based column.
        rule: Stable rule id, e.g. ``KN401``.
        message: What the old code does on Keras 3 and what replaced it.
        replacement: The modern spelling.
        lesson: The course notebook that teaches it.
        severity: ``error``, ``silent`` or ``deprecated``.
        path: The file (or the ``filename`` given to :func:`scan_source`).
        cell: 1-based cell number in a notebook (all cells counted), else ``None``.
    """

    line: int
    col: int
    rule: str
    message: str
    replacement: str
    lesson: str
    severity: str = "error"
    path: str = "<string>"
    cell: int | None = None

    @property
    def location(self) -> str:
        """``path:line:col`` or, in a notebook, ``path:cell N:line M:col C``."""
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:line {self.line}:col {self.col}"
        return f"{self.path}:{self.line}:{self.col}"

    def format(self) -> str:
        """The one-line text form: ``location: RULE message [lesson]``."""
        return f"{self.location}: {self.rule} {self.message} [lesson: {self.lesson}]"


@dataclass
class FileReport:
    """What scanning one file produced: findings, notes (parse trouble) or a skip reason."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None


# --------------------------------------------------------------------------- helpers


def _canon(path: str) -> tuple[str, bool]:
    """Canonical dotted path and whether it went through tf.keras."""
    for prefix in (
        "tensorflow.python.keras.",
        "tensorflow.keras.",
        "tf.keras.",
        "keras._tf_keras.keras.",
    ):
        if path.startswith(prefix):
            return "keras." + path[len(prefix) :], True
    if path in ("tensorflow.keras", "tf.keras"):
        return "keras", True
    if path == "tensorflow" or path.startswith("tensorflow."):
        return "tf" + path[len("tensorflow") :], False
    return path, False


def _prefix_lookup(table: dict, path: str):
    """Longest key of ``table`` equal to ``path`` or a dotted prefix of it."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in table:
            return key, table[key]
    return None, None


def _modernize(path: str) -> str:
    """``keras.layers.core.Dense`` -> ``keras.layers.Dense`` (old module paths replaced)."""
    canon, _ = _canon(path)
    key, hit = _prefix_lookup(R.OLD_MODULES, canon)
    if hit:
        return hit[1] + canon[len(key) :]
    return path


def _literal_suffix(node: ast.AST | None) -> str | None:
    """The end of a file name given as a literal, f-string, join(...) or a / b."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        last = node.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            return last.value
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
        return _literal_suffix(node.right)
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("join", "Path", "PurePath"):
            return _literal_suffix(node.args[-1])
    return None


def _kw(call: ast.Call, name: str) -> ast.keyword | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _bound_names(tree: ast.AST) -> set[str]:
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


class _State:
    """What a scan learns as it goes: aliases, bound names, pragmas."""

    def __init__(self, text: str) -> None:
        self.aliases: dict[str, str] = {}  # local name -> dotted path it was imported as
        self.reported_aliases: set[str] = set()  # names whose import was already reported
        self.bound: set[str] = set()
        self.acc_metric = bool(_ACC_METRICS.search(text))


class _Visitor(ast.NodeVisitor):
    def __init__(
        self, state: _State, line_offset: int = 0, col_offsets: dict[int, int] | None = None
    ):
        self.s = state
        self.line_offset = line_offset
        self.col_offsets = col_offsets or {}
        self.out: list[tuple[int, int, str, str, str, bool, int]] = []
        self.demo_depth = 0
        self.stmt_line = 1

    # ---- recording
    def add(self, node: ast.AST, rule_id: str, old: str, new: str | None = None) -> None:
        rule = R.RULES_BY_ID[rule_id]
        new = new or rule.replacement
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + self.col_offsets.get(line, 0)
        message = rule.template.format(old=old, new=new)
        self.out.append(
            (line + self.line_offset, col + 1, rule_id, message, new, self.demo_depth > 0,
             self.stmt_line + self.line_offset)
        )  # fmt: skip

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            saved, self.stmt_line = self.stmt_line, node.lineno
            super().visit(node)
            self.stmt_line = saved
        else:
            super().visit(node)

    # ---- name resolution
    def resolve(self, node: ast.AST) -> tuple[str | None, bool]:
        """Dotted path of a Name/Attribute chain and whether its root was imported."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None, False
        root = node.id
        if root in self.s.aliases:
            base, imported = self.s.aliases[root], True
        elif root not in self.s.bound and root in R.BARE_DEFAULTS:
            base, imported = R.BARE_DEFAULTS[root], False
        else:
            return None, False
        return ".".join([base, *reversed(parts)]), imported

    def _receiver_is_module(self, node: ast.AST) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and (
            node.id in self.s.aliases
            or (node.id not in self.s.bound and node.id in R.BARE_DEFAULTS)
        )

    # ---- paths (imports and attribute chains)
    def check_path(self, node: ast.AST, raw: str, shown: str) -> bool:
        """Report ``raw`` (a dotted path) if it is a legacy one; True when reported."""
        path, via_tf = _canon(raw)
        if path in R.OLD_ATTRIBUTES:
            rule_id, repl = R.OLD_ATTRIBUTES[path]
            self.add(node, rule_id, shown, repl)
            return True
        key, hit = _prefix_lookup(R.OLD_MODULES, path)
        if hit:
            self.add(node, hit[0], shown if key == path else key, hit[1])
            return True
        key, hit = _prefix_lookup(R.PREPROCESSING, path)
        if hit:
            rule_id = hit[1] if via_tf else hit[0]
            repl = R.RULES_BY_ID[rule_id].replacement
            self.add(node, rule_id, shown, repl)
            return True
        if path.startswith("keras.backend."):
            name = path.split(".")[2]
            if name in R.KERAS3_BACKEND:
                return False
            if name in R.BACKEND_SPECIAL:
                rule_id, repl = R.BACKEND_SPECIAL[name]
                self.add(node, rule_id, shown, repl)
                return True
            repl = R.BACKEND_REPLACEMENTS.get(name, f"keras.ops.{name}")
            if via_tf and name in R.TF_KERAS_BACKEND_SHIM:
                self.add(node, "KN902", shown, repl)
            else:
                self.add(node, "KN305", shown, repl)
            return True
        key, hit = _prefix_lookup(R.TF1_ATTRIBUTES, path)
        if hit:
            self.add(node, hit[0], shown, hit[1])
            return True
        return False

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            reported = self.check_path(node, alias.name, f"import {alias.name}")
            local = alias.asname or alias.name.split(".")[0]
            self.s.aliases[local] = alias.name if alias.asname else local
            if reported and alias.asname:
                self.s.reported_aliases.add(local)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        module = node.module
        if self.check_path(node, module, f"from {module} import ..."):
            reported_module = True
        else:
            reported_module = False
        for alias in node.names:
            if alias.name == "*":
                continue
            full = f"{module}.{alias.name}"
            local = alias.asname or alias.name
            reported = reported_module or self.check_path(
                node, full, f"from {module} import {alias.name}"
            )
            self.s.aliases[local] = _modernize(full)
            if reported:
                self.s.reported_aliases.add(local)
            self.s.bound.discard(local)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            path, imported = self.resolve(node)
            if path is not None:
                root = node
                while isinstance(root, ast.Attribute):
                    root = root.value
                if root.id in self.s.reported_aliases:  # type: ignore[union-attr]
                    return
                shown = ast.unparse(node)
                if self.check_path(node, path, shown):
                    return  # the whole chain is reported once
                if path.endswith(".optimizer.lr"):
                    self.add(node, "KN204", shown)
                return
            # a method on some object (not a module): removed Model/layer methods
            if node.attr in _METHODS and not self._receiver_is_module(node.value):
                rule_id, repl = _METHODS[node.attr]
                self.add(node, rule_id, f".{node.attr}()", repl)
            elif (
                node.attr == "lr"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "optimizer"
            ):
                self.add(node, "KN204", ast.unparse(node))
        self.generic_visit(node)

    # ---- calls and keyword arguments
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        path, _ = self.resolve(func)
        canon = _canon(path)[0] if path else None
        name = canon.rsplit(".", 1)[-1] if canon else None
        if (
            isinstance(func, ast.Name)
            and func.id not in self.s.aliases
            and func.id not in self.s.bound
        ):
            if func.id in ("merge", "Merge") and _kw(node, "mode") is not None:
                self.add(func, "KN203", f"{func.id}(..., mode=...)")
            elif func.id in ("model_from_yaml", "multi_gpu_model"):
                self.add(func, "KN201" if func.id == "model_from_yaml" else "KN202", f"{func.id}()")
        if canon:
            self._keyword_rules(node, canon, name or "")
        if isinstance(func, ast.Attribute) and not self._receiver_is_module(func.value):
            self._method_rules(node, func.attr)
        self.generic_visit(node)

    def _keyword_rules(self, node: ast.Call, canon: str, name: str) -> None:
        is_optimizer = canon.startswith("keras.optimizers.") and (
            name in R.OPTIMIZERS or canon.startswith("keras.optimizers.legacy.")
        )
        is_layer = canon.startswith("keras.layers.") and name[:1].isupper()
        if is_optimizer:
            for kw in node.keywords:
                if kw.arg == "lr":
                    self.add(kw, "KN401", "lr=")
                elif kw.arg == "decay":
                    self.add(kw, "KN402", "decay=")
        if is_layer:
            for kw in node.keywords:
                if kw.arg == "output_dim" and name != "Embedding":
                    self.add(kw, "KN404", "output_dim=")
                elif kw.arg == "init":
                    self.add(kw, "KN405", "init=")
                elif kw.arg == "border_mode":
                    self.add(kw, "KN406", "border_mode=")
                elif kw.arg == "dim_ordering":
                    self.add(kw, "KN407", "dim_ordering=")
                elif kw.arg == "mode" and name == "BatchNormalization":
                    self.add(kw, "KN409", "BatchNormalization(mode=...)")
                elif kw.arg in R.KERAS1_LAYER_KWARGS:
                    self.add(kw, "KN413", f"{kw.arg}=", f"{R.KERAS1_LAYER_KWARGS[kw.arg]}=")
                elif kw.arg == "input_shape" or (kw.arg == "input_dim" and name != "Embedding"):
                    self.add(kw, "KN905", f"{kw.arg}=")
                elif kw.arg == "input_length" and name == "Embedding":
                    self.add(kw, "KN906", "input_length=")
            if name in ("Conv2D", "Convolution2D") and len(node.args) >= 3:
                second, third = node.args[1], node.args[2]
                if not any(
                    isinstance(a, (ast.Tuple, ast.List, ast.Starred)) for a in (second, third)
                ):
                    self.add(node, "KN414", ast.unparse(node.func) + "(filters, rows, cols)")
        if canon in ("keras.Model", "keras.models.Model"):
            for kw in node.keywords:
                if kw.arg in ("input", "output"):
                    self.add(kw, "KN408", f"{kw.arg}=", f"{kw.arg}s=")
        if canon == "keras.callbacks.ReduceLROnPlateau" and _kw(node, "epsilon"):
            self.add(_kw(node, "epsilon"), "KN410", "epsilon=")
        if canon == "keras.callbacks.ModelCheckpoint":
            period = _kw(node, "period")
            if period is not None:
                self.add(period, "KN411", "period=")
            target = node.args[0] if node.args else getattr(_kw(node, "filepath"), "value", None)
            suffix = _literal_suffix(target)
            if suffix is not None:
                weights_only = _is_true(getattr(_kw(node, "save_weights_only"), "value", None))
                ok = (
                    suffix.endswith(".weights.h5")
                    if weights_only
                    else suffix.endswith((".keras", ".h5"))
                )
                if not ok:
                    self.add(target, "KN505", repr(suffix))
        if canon == "keras.utils.to_categorical" and _kw(node, "dtype"):
            self.add(_kw(node, "dtype"), "KN415", "to_categorical(..., dtype=...)")
        for kw in node.keywords:
            if kw.arg == "monitor" and isinstance(kw.value, ast.Constant):
                self._acc(kw.value, kw.value.value)

    def _method_rules(self, node: ast.Call, method: str) -> None:
        if method in _FIT_LIKE:
            for kw in node.keywords:
                if kw.arg == "nb_epoch":
                    self.add(kw, "KN403", "nb_epoch=")
                elif kw.arg in ("workers", "use_multiprocessing", "max_queue_size"):
                    self.add(kw, "KN412", f"{method}({kw.arg}=...)")
        elif method == "save_weights":
            suffix = _literal_suffix(
                node.args[0] if node.args else getattr(_kw(node, "filepath"), "value", None)
            )
            if suffix is not None and not suffix.endswith(".weights.h5"):
                self.add(node, "KN501", f"save_weights({suffix!r})")
        elif method == "load_weights":
            by_name = _kw(node, "by_name")
            if by_name is not None and not (
                isinstance(by_name.value, ast.Constant) and not by_name.value.value
            ):
                suffix = _literal_suffix(node.args[0] if node.args else None)
                legacy = (
                    suffix is not None
                    and suffix.endswith((".h5", ".hdf5"))
                    and not suffix.endswith(".weights.h5")
                )
                if not legacy:
                    self.add(by_name, "KN502", "load_weights(..., by_name=True)")
        elif method == "save":
            suffix = _literal_suffix(
                node.args[0] if node.args else getattr(_kw(node, "filepath"), "value", None)
            )
            if suffix is not None:
                base = suffix.replace("\\", "/").rsplit("/", 1)[-1]
                if suffix.endswith((".h5", ".hdf5")):
                    self.add(node, "KN903", f"save({suffix!r})")
                elif base and "." not in base and "{" not in base:
                    self.add(node, "KN504", f"save({suffix!r})")
        if method in ("save", "save_weights") and _kw(node, "save_format"):
            self.add(_kw(node, "save_format"), "KN503", "save_format=")
        if method == "get" and node.args and isinstance(node.args[0], ast.Constant):
            if self._history_like(node.func.value):  # type: ignore[attr-defined]
                self._acc(node.args[0], node.args[0].value)

    # ---- metric names
    def _history_like(self, node: ast.AST) -> bool:
        last = re.split(r"[.\[]", ast.unparse(node).lower())[-1]
        return "hist" in last or last in ("log", "logs")

    def _acc(self, node: ast.AST, value: object) -> None:
        if isinstance(value, str) and value in _ACC_KEYS and not self.s.acc_metric:
            self.add(node, "KN601", repr(value), repr(_ACC_KEYS[value]))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if isinstance(key, ast.Constant) and self._history_like(node.value):
            self._acc(key, key.value)
        self.generic_visit(node)

    # ---- demos
    def visit_With(self, node: ast.With) -> None:
        demo = any(self._is_demo(item.context_expr) for item in node.items)
        for item in node.items:
            self.visit(item)
        self.demo_depth += demo
        for stmt in node.body:
            self.visit(stmt)
        self.demo_depth -= demo

    visit_AsyncWith = visit_With  # type: ignore[assignment]

    def _is_demo(self, expr: ast.AST) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in self.s.aliases:
            name = self.s.aliases[name].rsplit(".", 1)[-1]
        return name in _DEMO_CONTEXTS


# --------------------------------------------------------------------------- scanning


def _pragmas(text: str) -> dict[int, set[str] | None]:
    """Line -> the rule ids ignored there (``None`` = all rules)."""
    out: dict[int, set[str] | None] = {}
    if "kerasnotes:" not in text:
        return out
    for number, line in enumerate(text.splitlines(), 1):
        match = _PRAGMA.search(line)
        if match:
            ids = match.group(1)
            out[number] = (
                None if ids is None else {i.strip().upper() for i in ids.split(",") if i.strip()}
            )
    return out


def _suppressed(pragmas: dict[int, set[str] | None], line: int, stmt_line: int, rule: str) -> bool:
    for where in (line, stmt_line):
        if where in pragmas:
            ids = pragmas[where]
            if ids is None or rule in ids:
                return True
    return False


_TRAILING_JUNK = re.compile(r"(\s*\d+\.)+\s*$")  # "...)1.2.3." copied from web pages
_PY2_PRINT = re.compile(r"^print\s+(?!\()(.*)$")


def _try_parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _bracket_balance(line: str) -> int:
    depth = 0
    quote: str | None = None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
    return depth


def _statement_candidates(lines: list[str], start: int) -> Iterable[tuple[str, int]]:
    """Texts to try for the statement starting at ``lines[start]`` and the lines they use."""
    first = lines[start]
    stripped = first.strip()
    yield stripped, 1
    balance = _bracket_balance(first)
    if balance > 0:
        chunk = [stripped]
        for extra in range(1, 40):
            if start + extra >= len(lines):
                break
            nxt = lines[start + extra]
            chunk.append(nxt.strip())
            balance += _bracket_balance(nxt)
            if balance <= 0:
                yield "\n".join(chunk), extra + 1
                break
    if stripped.endswith(":"):
        yield stripped + " pass", 1
    cleaned = _TRAILING_JUNK.sub("", stripped)
    if cleaned != stripped:
        yield cleaned, 1
    py2 = _PY2_PRINT.match(stripped)
    if py2:
        yield f"print({py2.group(1)})", 1


def _scan_lines(text: str, state: _State, out: list) -> None:
    """The fallback for text that does not parse: paragraph by paragraph, then line by line."""
    lines = text.splitlines()
    index = 0
    n = len(lines)
    while index < n:
        # a paragraph (up to the next blank line) that parses as a whole keeps its structure
        end = index
        while end < n and lines[end].strip():
            end += 1
        if end > index + 1:
            block = textwrap.dedent("\n".join(lines[index:end]))
            tree = _try_parse(block)
            if tree is not None:
                _run(tree, state, out, index, lines[index:end])
                index = end
                continue
        if not lines[index].strip():
            index += 1
            continue
        used = 0
        for candidate, span in _statement_candidates(lines, index):
            tree = _try_parse(candidate)
            if tree is not None:
                indent = len(lines[index]) - len(lines[index].lstrip())
                _run(tree, state, out, index, None, {1: indent})
                used = span
                break
        if not used:
            _regex_fallback(lines[index], index + 1, out)
        index += used or 1


_CODE_LIKE = re.compile(r"^\s*[A-Za-z_][\w.\[\]'\"]*\s*(=[^=]|\()")
_METHOD_CALL = re.compile(r"(?<=[\w)\]])\.(" + "|".join(_METHODS) + r")\s*\(")


def _regex_fallback(line: str, number: int, out: list) -> None:
    """Last resort for a code-like line that does not parse (e.g. statements run together)."""
    if not _CODE_LIKE.match(line):
        return
    for match in _METHOD_CALL.finditer(line):
        rule_id, repl = _METHODS[match.group(1)]
        rule = R.RULES_BY_ID[rule_id]
        message = rule.template.format(old=f".{match.group(1)}()", new=repl)
        out.append((number, match.start() + 1, rule_id, message, repl, False, number))


def _run(
    tree: ast.Module, state: _State, out: list, offset: int, block_lines, col_offsets=None
) -> None:
    if block_lines is not None:
        # textwrap.dedent removed a common indent: add it back to the columns
        common = min((len(x) - len(x.lstrip()) for x in block_lines if x.strip()), default=0)
        col_offsets = {i + 1: common for i in range(len(block_lines))}
    state.bound |= _bound_names(tree) - set(state.aliases)
    visitor = _Visitor(state, offset, col_offsets)
    visitor.visit(tree)
    out.extend(visitor.out)


def _scan_text(text: str, state: _State, *, line_mode: bool = False) -> tuple[list, str | None]:
    """Raw findings for one piece of code, and a parse-error note if it needed the fallback."""
    out: list = []
    tree = None if line_mode else _try_parse(text)
    if tree is not None:
        _run(tree, state, out, 0, None)
        return out, None
    note = None
    if not line_mode:
        try:
            ast.parse(text)
        except SyntaxError as exc:
            note = f"could not parse (Python 2 syntax?) at line {exc.lineno}: {exc.msg}; scanned line by line"
        except (ValueError, RecursionError, MemoryError) as exc:
            note = f"could not parse ({type(exc).__name__}: {exc}); scanned line by line"
    _scan_lines(text, state, out)
    return out, note


def _to_findings(
    raw: list, text: str, path: str, include_demos: bool, cell: int | None
) -> list[Finding]:
    pragmas = _pragmas(text)
    seen = set()
    findings = []
    for line, col, rule_id, message, replacement, demo, stmt_line in raw:
        if demo and not include_demos:
            continue
        if _suppressed(pragmas, line, stmt_line, rule_id):
            continue
        key = (line, col, rule_id)
        if key in seen:
            continue
        seen.add(key)
        rule = R.RULES_BY_ID[rule_id]
        findings.append(
            Finding(
                line, col, rule_id, message, replacement, rule.lesson, rule.severity, path, cell
            )
        )
    findings.sort(key=lambda f: (f.cell or 0, f.line, f.col, f.rule))
    return findings


def scan_source(
    source: str, filename: str = "<string>", *, include_demos: bool = False
) -> list[Finding]:
    """Find legacy Keras / TF idioms in Python source code (never runs it).

    Args:
        source: The code. If it does not parse (Python 2, prose mixed with code),
            it is scanned statement by statement.
        filename: Reported as each finding's ``path``.
        include_demos: Also report code inside ``with expect_error(...)`` /
            ``with expect_warning(...)`` blocks.

    Returns:
        The findings, sorted by position; an empty list when the code is clean.

    Raises:
        TypeError: If ``source`` is not a string.

    Example:
        >>> [f.rule for f in scan_source("import keras.backend as K\\ng = K.gradients(l, x)")]
        ['KN301']
    """
    if not isinstance(source, str):
        raise TypeError(
            f"scan_source() needs the code as a str; received {type(source).__name__}. "
            "Read the file first, or call scan_file(path)."
        )
    raw, _ = _scan_text(source, _State(source))
    return _to_findings(raw, source, filename, include_demos, None)


# --------------------------------------------------------------------------- files

_MAGIC_LINE = re.compile(r"^\s*([%!?]|[\w.]+\?{1,2}\s*$|[\w.,\s]+=\s*[!%])")
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


def _notebook_code(source: str) -> str | None:
    """A code cell with IPython magics and shell lines blanked out (None: not Python)."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split()
        name = magic[0] if magic else ""
        if name in ("writefile", "file") and len(magic) > 1 and magic[-1].endswith(".py"):
            pass
        elif name not in _PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        if _MAGIC_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass" if indent else "")
        else:
            out.append(line)
    return "\n".join(out)


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """The file's text, or a one-line reason why it is skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if b"\0" in data[:8192]:
        return None, "skipped: binary file"
    encoding = "utf-8-sig"
    if path.suffix == ".py":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError:
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        return None, f"skipped: not {encoding.upper().replace('-SIG', '')} text{where}"


def scan_notebook(path: str | os.PathLike, *, include_demos: bool = False) -> FileReport:
    """Scan the code cells of a ``.ipynb`` notebook (magics and shell lines are skipped).

    Findings carry ``cell`` (1-based, markdown cells counted) and the line inside it.
    Imports in one cell apply to the cells after it, as in a running kernel.

    Raises:
        FileNotFoundError: If ``path`` does not exist.

    Example:
        >>> import json, pathlib, tempfile
        >>> nb = {"cells": [{"cell_type": "markdown", "source": "# old"},
        ...                 {"cell_type": "code", "source": "%matplotlib inline\\nmodel.predict_classes(x)"}],
        ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "old.ipynb"
        >>> _ = path.write_text(json.dumps(nb))
        >>> [(f.cell, f.line, f.rule) for f in scan_notebook(path).findings]
        [(2, 2, 'KN214')]
    """
    report = FileReport(str(path))
    text, reason = _read_text(Path(path))
    if text is None:
        report.skipped = reason
        return report
    try:
        nb = json.loads(text)
        cells = nb["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        report.skipped = f"skipped: not a valid notebook ({type(exc).__name__}: {exc})"
        return report
    codes = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        code = _notebook_code(source)
        if code is not None:
            codes.append((number, code))
    state = _State("\n".join(code for _, code in codes))
    for number, code in codes:
        raw, note = _scan_text(code, state)
        if note:
            report.notes.append(f"cell {number}: {note}")
        report.findings.extend(_to_findings(raw, code, str(path), include_demos, number))
    return report


def scan_file(path: str | os.PathLike, *, include_demos: bool = False) -> FileReport:
    """Scan one file: ``.ipynb`` by cells, ``.py`` with ``ast``, other text line by line.

    Raises:
        FileNotFoundError: If ``path`` does not exist.

    Example:
        >>> import pathlib, tempfile
        >>> old = pathlib.Path(tempfile.mkdtemp()) / "old.py"
        >>> _ = old.write_text("model.fit_generator(gen, steps_per_epoch=10)\\n")
        >>> [(f.line, f.rule) for f in scan_file(old).findings]
        [(1, 'KN211')]
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(
            f"no such file or folder: {str(path)!r}; give .py/.ipynb files or folders to scan"
        )
    if p.suffix == ".ipynb":
        return scan_notebook(p, include_demos=include_demos)
    report = FileReport(str(path))
    text, reason = _read_text(p)
    if text is None:
        report.skipped = reason
        return report
    state = _State(text)
    raw, note = _scan_text(text, state, line_mode=p.suffix not in (".py", ".pyw", ""))
    if note and p.suffix in (".py", ".pyw"):
        report.notes.append(note)
    report.findings = _to_findings(raw, text, str(path), include_demos, None)
    return report


def _walk(paths: Sequence[str | os.PathLike]) -> Iterable[Path]:
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise FileNotFoundError(
                f"no such file or folder: {str(given)!r}; give .py/.ipynb files or folders to scan"
            )
        if p.is_file():
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith(DIR_SUFFIXES):
                    yield Path(root) / name


def scan_path(*paths: str | os.PathLike, include_demos: bool = False) -> list[FileReport]:
    """Scan files and folders (folders: every ``.py`` and ``.ipynb`` below them).

    Raises:
        FileNotFoundError: If a path does not exist.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.py").write_text("import keras\\nkeras.layers.Dense(32)\\n")
        >>> _ = (folder / "b.py").write_text("from keras.utils import np_utils\\n")
        >>> [(pathlib.Path(r.path).name, [f.rule for f in r.findings]) for r in scan_path(folder)]
        [('a.py', []), ('b.py', ['KN102'])]
    """
    return [scan_file(p, include_demos=include_demos) for p in _walk(paths)]


# --------------------------------------------------------------------------- docs


def render_rules_doc() -> str:
    """The Markdown rules table (``docs/migrate-rules.md``), generated from the rules.

    Returns:
        The whole Markdown page; ``--write-rules-doc PATH`` writes it.

    Example:
        >>> doc = render_rules_doc()
        >>> doc.startswith("#") and "KN401" in doc
        True
    """
    lines = [
        "# `kerasnotes migrate` rules",
        "",
        "<!-- Generated from kerasnotes/migrate/rules/; do not edit by hand. Regenerate with:",
        "     python -m kerasnotes.migrate --write-rules-doc docs/migrate-rules.md -->",
        "",
        "Severity: **error** = raises on Keras 3 / TensorFlow 2; **silent** = runs but no longer",
        "does what the old code did; **deprecated** = still works, but is legacy.",
        "Silence one line with `# kerasnotes: ignore` or `# kerasnotes: ignore[KN401]`.",
        "",
        "| id | severity | idiom | example of old code | what replaced it | lesson |",
        "| --- | --- | --- | --- | --- | --- |",
    ]

    def cell(text: str) -> str:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        return "`" + "; ".join(lines).replace("|", "\\|") + "`"

    for rule in R.RULES:
        lines.append(
            f"| {rule.id} | {rule.severity} | {rule.title} | {cell(rule.bad)} | "
            f"{rule.replacement.replace('|', '/')} | `{rule.lesson}` |"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- CLI


def _rule_filter(values: list[str] | None, option: str) -> list[str]:
    out = []
    for value in values or []:
        for item in value.split(","):
            item = item.strip().upper()
            if not item:
                continue
            if not re.fullmatch(r"KN\d{0,3}", item) or not any(
                r.startswith(item) for r in R.RULES_BY_ID
            ):
                raise ValueError(
                    f"{option}: unknown rule id or prefix {item!r}; use ids such as KN401 or a "
                    "prefix such as KN4 (see docs/migrate-rules.md or --list-rules)"
                )
            out.append(item)
    return out


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kerasnotes migrate",
        description="Find Keras 1/2 and TF 1.x idioms in .py files and .ipynb notebooks "
        "(the code is read, never run) and say what replaced each one.",
        epilog="Exit status: 0 nothing found, 1 findings, 2 usage error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="IDS",
        help="only these rule ids/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="IDS",
        help="skip these rule ids/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--include-demos", action="store_true",
        help="also report code inside `with expect_error(...)` / `expect_warning(...)` blocks",
    )  # fmt: skip
    parser.add_argument("--list-rules", action="store_true", help="print the rules table and exit")
    parser.add_argument(
        "--write-rules-doc", metavar="FILE", help="write the Markdown rules table to FILE and exit"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``kerasnotes migrate``; returns the exit status (0 clean, 1 findings, 2 usage error).

    Args:
        argv: The arguments after ``kerasnotes migrate`` (default: ``sys.argv[1:]``).

    Returns:
        0 when nothing was found, 1 when a legacy idiom was found, 2 on a usage error
        (unknown option or rule id, missing path); argparse's own errors exit 2 too.

    Raises:
        SystemExit: From argparse, for ``--help`` and malformed options.

    Example:
        >>> import pathlib, tempfile
        >>> old = pathlib.Path(tempfile.mkdtemp()) / "old.py"
        >>> _ = old.write_text("from keras.optimizers import SGD\\nopt = SGD(lr=0.1)\\n")
        >>> main([str(old), "--format", "json"])  # doctest: +ELLIPSIS
        {...KN401...}
        1
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, usage errors are 2
        return int(exc.code or 0)
    if args.write_rules_doc:
        Path(args.write_rules_doc).write_text(render_rules_doc(), encoding="utf-8")
        print(f"wrote {args.write_rules_doc} ({len(R.RULES)} rules)")
        return 0
    if args.list_rules:
        for rule in R.RULES:
            print(
                f"{rule.id}  {rule.severity:<10} {rule.title}: {rule.replacement}  [{rule.lesson}]"
            )
        return 0
    if not args.paths:
        parser.print_usage(sys.stderr)
        print(
            "kerasnotes migrate: error: give at least one file or folder to scan", file=sys.stderr
        )
        return 2
    try:
        select = _rule_filter(args.select, "--select")
        ignore = _rule_filter(args.ignore, "--ignore")
        start = time.perf_counter()
        reports = scan_path(*args.paths, include_demos=args.include_demos)
        seconds = time.perf_counter() - start
        # A folder of notes (.txt, .md) holds nothing a folder scan reads: say so, rather
        # than report "no legacy idioms" about files that were never looked at.
        unread = [p for p in args.paths if Path(p).is_dir() and not any(_walk([p]))]
    except (ValueError, FileNotFoundError) as exc:
        print(f"kerasnotes migrate: error: {exc}", file=sys.stderr)
        return 2

    def keep(f: Finding) -> bool:
        return (not select or f.rule.startswith(tuple(select))) and not f.rule.startswith(
            tuple(ignore) or ("\0",)
        )

    findings = [f for r in reports for f in r.findings if keep(f)]
    files_with = len({f.path for f in findings})
    counts = {s: sum(f.severity == s for f in findings) for s in R.SEVERITIES}
    unread_note = (
        f"no {' or '.join(DIR_SUFFIXES)} files in this folder; other files are scanned "
        "only when named, e.g. kerasnotes migrate notes/*.txt"
    )
    if args.format == "json":
        payload = {
            "findings": [asdict(f) | {"location": f.location} for f in findings],
            "notes": [{"path": r.path, "message": m} for r in reports for m in r.notes]
            + [{"path": str(p), "message": unread_note} for p in unread],
            "skipped": [{"path": r.path, "reason": r.skipped} for r in reports if r.skipped],
            "summary": {"files": len(reports), "files_with_findings": files_with,
                        "findings": len(findings), **counts, "seconds": round(seconds, 3)},
        }  # fmt: skip
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for p in unread:
            print(f"{p}: note: {unread_note}")
        for r in reports:
            if r.skipped:
                print(f"{r.path}: {r.skipped}")
            for note in r.notes:
                print(f"{r.path}: note: {note}")
        for f in findings:
            print(f.format())
        scanned = f"{len(reports)} file{'s' if len(reports) != 1 else ''}"
        if findings:
            detail = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
            print(f"Found {len(findings)} legacy idiom{'s' if len(findings) != 1 else ''} ({detail}) "
                  f"in {files_with} of {scanned}.")  # fmt: skip
        else:
            print(f"No legacy Keras/TF idioms found in {scanned}.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
