"""``kerasnotes migrate --fix / --unsafe-fixes / --diff``: rewrite what the scan found.

The fixes follow the findings: the file is scanned, each finding with a fixer is
located in the file's concrete syntax tree (:mod:`libcst`, which keeps formatting
and comments) by its exact start and end, and the node there is rewritten. Safe
fixes keep the meaning the code had on Keras 2 (``lr=`` -> ``learning_rate=``);
unsafe fixes (``--unsafe-fixes``) pin a Keras 2 default that Keras 3 changed, so
the code behaves as before but differently from a plain Keras 3 reading.

A file that does not parse is never touched. Notebooks are fixed cell by cell;
outputs and IPython magics stay as they were. Running ``--fix`` twice changes
nothing the second time. What could not be fixed is listed, with the reason.

Example:
    >>> fixed, report = fix_source("from keras.optimizers import SGD\\nsgd = SGD(lr=0.1)\\n")
    >>> print(fixed, end="")
    from keras.optimizers import SGD
    sgd = SGD(learning_rate=0.1)
    >>> report.fixed
    ['KN401']
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.model import Finding
from kerasnotes.migrate.rules import RULES_BY_ID
from kerasnotes.migrate.scanner import scan_source
from kerasnotes.migrate.sources import (
    MAX_BYTES,
    NOTEBOOK_FACTOR,
    notebook_code,
    read_text,
    walk,
)

if TYPE_CHECKING:  # libcst is imported only when fixing
    from typing import TypeAlias

    import libcst

    #: A fixer: the finding and the node at its position -> the new node, or None.
    _Fixer: TypeAlias = Callable[
        [Finding, libcst.CSTNode], "libcst.CSTNode | libcst.RemovalSentinel | None"
    ]

__all__ = ["FixReport", "fix_notebook_text", "fix_source", "run_fixes"]


@dataclass
class FixReport:
    """What a fix pass did to one piece of code.

    Attributes:
        fixed: Rule ids of the findings rewritten.
        left: ``(finding, why it was not fixed)`` for the findings still there.
        note: Why the file was not touched at all (it does not parse), if so.
    """

    fixed: list[str] = field(default_factory=list)
    left: list[tuple[Finding, str]] = field(default_factory=list)
    note: str | None = None


# --------------------------------------------------------------------------- fixers
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
    module = _dotted(node.module)
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
        name = _dotted(alias.name)
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

    if isinstance(node, cst.ImportFrom) and _dotted(node.module) == "keras.utils":
        names = node.names
        if (
            not isinstance(names, cst.ImportStar)
            and len(names) == 1
            and _dotted(names[0].name) == "np_utils"
        ):
            asname = names[0].asname
            local = cast("libcst.Name", asname.name).value if asname else "np_utils"
            line = cst.parse_statement(f"from keras import utils as {local}\n")
            return cast("libcst.SimpleStatementLine", line).body[0]
    if isinstance(node, cst.ImportFrom) and _dotted(node.module) == "keras.utils.np_utils":
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


def _dotted(node: libcst.CSTNode | None) -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
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


# --------------------------------------------------------------------------- applying


def _safety(rule: str) -> str:
    return RULES_BY_ID[rule].fix if rule in RULES_BY_ID else ""


def _fixable(finding: Finding, unsafe: bool) -> str | None:
    """None when the finding may be fixed now, else why not."""
    if finding.rule not in FIXERS:
        return "no automatic fix: rewrite it by hand (see the message)"
    if _safety(finding.rule) == "unsafe" and not unsafe:
        return "unsafe fix (pins the Keras 2 behaviour): run with --unsafe-fixes"
    return None


def fix_source(source: str, *, unsafe: bool = False) -> tuple[str, FixReport]:
    """Apply the fixes to Python source; returns the new source and what was done.

    Raises:
        TypeError: If ``source`` is not a string.
    """
    if not isinstance(source, str):
        raise TypeError(f"fix_source() needs the code as a str; received {type(source).__name__}")
    import libcst as cst

    report = FixReport()
    try:
        module = cst.parse_module(source)
        compile(source, "<fix>", "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        report.note = (
            f"not fixed: the file does not parse ({type(exc).__name__}); nothing was changed"
        )
        report.left = [(f, "the file does not parse") for f in scan_source(source)]
        return source, report
    findings = [f for f in scan_source(source) if _fixable(f, unsafe) is None]
    if findings:
        new = _apply(module, findings, report)
        if new.count("keras.") > source.count("keras.") and not _imports_keras(module):
            new = _ensure_import_keras(new)
    else:
        new = source
    for f in scan_source(new):
        report.left.append(
            (
                f,
                _fixable(f, unsafe)
                or "the fix does not apply to this form (e.g. a computed value)",
            )
        )
    return new, report


def _apply(module: libcst.Module, findings: list[Finding], report: FixReport) -> str:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    by_start: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        by_start.setdefault((f.line, f.col), []).append(f)
    wrapper = MetadataWrapper(module)

    class Fixer(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def _fix(
            self, original: libcst.CSTNode, updated: libcst.CSTNode
        ) -> libcst.CSTNode | libcst.RemovalSentinel:
            pos = self.get_metadata(PositionProvider, original)
            result = updated
            for f in by_start.get((pos.start.line, pos.start.column + 1), []):
                exact = (
                    isinstance(original, cst.Arg)
                    or isinstance(original, cst.ImportFrom)
                    or (f.end_line == pos.end.line and f.end_col == pos.end.column + 1)
                )
                if not exact or f in done:
                    continue
                new = FIXERS[f.rule](f, result)
                if new is None:
                    continue
                done.add(f)
                report.fixed.append(f.rule)
                if new is cst.RemovalSentinel.REMOVE:
                    return new
                result = new
            return result

        # The fixers check the node's type and, for an Arg, return an Arg or REMOVE; for
        # an import, a small statement; for an expression, an expression.
        def leave_Arg(  # noqa: N802
            self, original: libcst.Arg, updated: libcst.Arg
        ) -> libcst.Arg | libcst.RemovalSentinel:
            return cast("libcst.Arg | libcst.RemovalSentinel", self._fix(original, updated))

        def leave_Call(  # noqa: N802
            self, original: libcst.Call, updated: libcst.Call
        ) -> libcst.BaseExpression:
            if (
                updated.args
                and original.args
                and len(updated.args) < len(original.args)
                and original.args[-1].comma is cst.MaybeSentinel.DEFAULT
            ):  # an argument was dropped: no dangling comma
                updated = updated.with_changes(
                    args=[
                        *updated.args[:-1],
                        updated.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT),
                    ]
                )
            return cast("libcst.BaseExpression", self._fix(original, updated))

        def leave_Attribute(  # noqa: N802
            self, original: libcst.Attribute, updated: libcst.Attribute
        ) -> libcst.BaseExpression:
            return cast("libcst.BaseExpression", self._fix(original, updated))

        def leave_ImportFrom(  # noqa: N802
            self, original: libcst.ImportFrom, updated: libcst.ImportFrom
        ) -> libcst.BaseSmallStatement:
            return cast("libcst.BaseSmallStatement", self._fix(original, updated))

        def leave_SimpleString(  # noqa: N802
            self, original: libcst.SimpleString, updated: libcst.SimpleString
        ) -> libcst.BaseExpression:
            return cast("libcst.BaseExpression", self._fix(original, updated))

    done: set[Finding] = set()
    return wrapper.visit(Fixer()).code


def _imports_keras(module: libcst.Module) -> bool:
    """Whether the module binds the name ``keras`` at top level (``import keras``)."""
    import libcst as cst

    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if _dotted(alias.name) == "keras" and alias.asname is None:
                            return True
    return False


def _ensure_import_keras(source: str) -> str:
    """Add ``import keras`` after the first import block unless the module has it."""
    lines = source.splitlines(keepends=True)
    last = -1
    for i, line in enumerate(lines):
        if line.startswith(("import ", "from ")) and not line.startswith("from __future__"):
            last = i
            break
    at = last if last >= 0 else 0
    return "".join(lines[:at] + ["import keras\n"] + lines[at:])


def fix_notebook_text(text: str, *, unsafe: bool = False) -> tuple[str, FixReport]:
    """Fix the code cells of a notebook's JSON text, cell by cell (outputs untouched).

    Raises:
        ValueError: If the text is not a notebook.
    """
    from kerasnotes.migrate.sources import notebook_cells

    notebook_cells(text)  # validates, raises ValueError with the reason
    nb = json.loads(text)
    total = FixReport()
    for number, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        code = notebook_code(source)
        if code is None:
            continue
        fixed, report = fix_source(code, unsafe=unsafe)
        for f, why in report.left:
            total.left.append((_in_cell(f, number), why))
        if fixed == code:
            continue
        original_lines, code_lines = source.split("\n"), code.split("\n")
        new_lines = fixed.split("\n")
        if len(new_lines) != len(code_lines):
            if code.strip() != source.strip():  # magics blanked out: lines must line up
                total.left.extend((_in_cell(f, number), "the fix changes the line count of a "
                                   "cell with magics: fix it by hand") for f in scan_source(code))  # fmt: skip
                continue
            merged = fixed
        else:  # magic and shell lines come back from the original, the rest from the fix
            merged = "\n".join(
                [
                    o if c != o else n
                    for o, c, n in zip(original_lines, code_lines, new_lines, strict=False)
                ]
                + original_lines[len(code_lines) :]
            )
        cell["source"] = merged.splitlines(keepends=True)
        total.fixed.extend(report.fixed)
    if not total.fixed:
        return text, total
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n", total


def _in_cell(f: Finding, number: int) -> Finding:
    from dataclasses import replace

    return replace(f, cell=number)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


def run_fixes(
    paths: Sequence[str | os.PathLike[str]],
    *,
    write: bool,
    unsafe: bool = False,
    max_bytes: int = MAX_BYTES,
) -> int:
    """Fix (``write=True``) or show as a diff (``write=False``) every file under ``paths``.

    Returns:
        0 when nothing is left to fix by hand, 1 otherwise (findings left, files
        not parsed or not read).
    """
    left_total = 0
    fixed_total = 0
    files_changed = 0
    for entry in walk(paths):
        path = entry.path
        limit = max_bytes * (NOTEBOOK_FACTOR if path.suffix == ".ipynb" else 1)
        read = read_text(path, limit) if entry.problem is None else None
        if read is None or read.text is None:
            why = entry.problem if read is None else (read.problem or read.skipped)
            print(f"{path}: not fixed: {why}")
            left_total += 1 if (read is None or read.problem) else 0
            continue
        try:
            if path.suffix == ".ipynb":
                new, report = fix_notebook_text(read.text, unsafe=unsafe)
            elif path.suffix in (".py", ".pyw"):
                new, report = fix_source(read.text, unsafe=unsafe)
            else:
                print(f"{path}: not fixed: only .py files and notebooks are rewritten")
                continue
        except ValueError as exc:
            print(f"{path}: not fixed: {exc}")
            left_total += 1
            continue
        if report.note:
            print(f"{path}: {report.note}")
        for f, why in report.left:
            where = f"cell {f.cell}:line {f.line}" if f.cell else f"{f.line}:{f.col}"
            print(f"{path}:{where}: {f.rule} not fixed: {why}")
        left_total += len(report.left)
        if new != read.text:
            files_changed += 1
            fixed_total += len(report.fixed)
            if write:
                _write_atomically(path, new)
            else:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        read.text.splitlines(keepends=True), new.splitlines(keepends=True),
                        fromfile=f"a/{_shown(path)}", tofile=f"b/{_shown(path)}",
                    )
                )  # fmt: skip
    verb = "Fixed" if write else "Would fix"
    print(f"{verb} {fixed_total} finding{'s' if fixed_total != 1 else ''} in {files_changed} "
          f"file{'s' if files_changed != 1 else ''}; {left_total} left to fix by hand.")  # fmt: skip
    return 1 if left_total else 0
