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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kerasnotes.migrate.cst_helpers import dotted_name
from kerasnotes.migrate.model import Finding, Fix, Fixer
from kerasnotes.migrate.rules import RULES
from kerasnotes.migrate.scanner import scan_source, shows_legacy
from kerasnotes.migrate.sources import (
    MAX_BYTES,
    NOTEBOOK_FACTOR,
    notebook_code,
    read_text,
    walk,
)
from kerasnotes.migrate.target import DEFAULT_KERAS_VERSION

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = [
    "CALL_FIXERS",
    "FIXERS",
    "FIXES",
    "FixReport",
    "fix_notebook_text",
    "fix_source",
    "run_fixes",
]

# Views of the registry: each fix is declared on its rule (Rule.fix), with its safety.
#: Rule id -> its :class:`~kerasnotes.migrate.model.Fix`, for every rule that has one.
FIXES: dict[str, Fix] = {rule.id: rule.fix for rule in RULES if rule.fix is not None}
#: Rule id -> the rewrite of the node at the finding (:attr:`Fix.apply`).
FIXERS: dict[str, Fixer] = {rule: fix.apply for rule, fix in FIXES.items() if fix.apply}
#: Rule id -> the rewrite of the whole call whose function or argument the finding
#: marks (:attr:`Fix.apply_to_call`): ``decay=`` needs the rate beside it, ``merge``
#: and ``predict_classes`` replace the call.
CALL_FIXERS: dict[str, Fixer] = {
    rule: fix.apply_to_call for rule, fix in FIXES.items() if fix.apply_to_call
}


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


# --------------------------------------------------------------------------- applying


def _fixable(finding: Finding, unsafe: bool) -> str | None:
    """None when the finding may be fixed now, else why not."""
    fix = FIXES.get(finding.rule)
    if fix is None:
        return "no automatic fix: rewrite it by hand (see the message)"
    if fix.safety == "unsafe" and not unsafe:
        return "unsafe fix (pins the Keras 2 behaviour): run with --unsafe-fixes"
    return None


def fix_source(
    source: str, *, unsafe: bool = False, keras_version: str = DEFAULT_KERAS_VERSION
) -> tuple[str, FixReport]:
    """Apply the fixes to Python source; returns the new source and what was done.

    ``keras_version`` is the Keras the code was written for: the unsafe fixes pin
    that version's defaults, and skip those it shared with Keras 3.

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
        report.left = [
            (f, "the file does not parse") for f in scan_source(source, keras_version=keras_version)
        ]
        return source, report
    before = scan_source(source, keras_version=keras_version)
    # A changed default is reported only in old code. Once the safe fixes have removed
    # the other old idioms, the fixed code no longer looks old, so it is scanned as
    # old code: the unsafe pins still to make are listed as left, not dropped.
    legacy = shows_legacy(before)
    findings = [f for f in before if _fixable(f, unsafe) is None]
    if "sigmoid" in source:  # predict_classes of a sigmoid head was p > 0.5, not argmax
        findings = [f for f in findings if f.rule != "KN214"]
    if findings:
        new = _apply(module, findings, report)
        if new.count("keras.") > source.count("keras.") and not _imports(module, "keras", None):
            new = _ensure_import(new, "import keras\n")
        if new.count("np.") > source.count("np.") and not _imports(module, "numpy", "np"):
            new = _ensure_import(new, "import numpy as np\n")
    else:
        new = source
    for f in scan_source(new, assume_legacy=legacy, keras_version=keras_version):
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
                if not exact or f in done or f.rule not in FIXERS:
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

        def _fix_call(self, original: libcst.Call, updated: libcst.Call) -> libcst.BaseExpression:
            """CALL_FIXERS: a finding on the call's function or on one of its arguments."""
            starts = []
            for part in (original.func, *original.args):
                pos = self.get_metadata(PositionProvider, part)
                starts.append((pos.start.line, pos.start.column + 1))
            result: libcst.BaseExpression = updated
            for start in starts:
                for f in by_start.get(start, []):
                    if f.rule not in CALL_FIXERS or f in done:
                        continue
                    if not isinstance(result, cst.Call):
                        continue
                    new = CALL_FIXERS[f.rule](f, result)
                    if new is None or isinstance(new, cst.RemovalSentinel):
                        continue
                    done.add(f)
                    report.fixed.append(f.rule)
                    result = cast("libcst.BaseExpression", new)
            return result

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
            fixed = cast("libcst.BaseExpression", self._fix(original, updated))
            if isinstance(fixed, cst.Call):
                return self._fix_call(original, fixed)
            return fixed

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


def _imports(module: libcst.Module, name: str, asname: str | None) -> bool:
    """Whether the module has ``import name`` (``as asname``) at top level."""
    import libcst as cst

    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        bound = (
                            cast("libcst.Name", alias.asname.name).value if alias.asname else None
                        )
                        if dotted_name(alias.name) == name and bound == asname:
                            return True
    return False


def _ensure_import(source: str, statement: str) -> str:
    """Add the import ``statement`` before the first import (after ``__future__`` ones)."""
    lines = source.splitlines(keepends=True)
    last = -1
    for i, line in enumerate(lines):
        if line.startswith(("import ", "from ")) and not line.startswith("from __future__"):
            last = i
            break
    at = last if last >= 0 else 0
    return "".join(lines[:at] + [statement] + lines[at:])


def fix_notebook_text(
    text: str, *, unsafe: bool = False, keras_version: str = DEFAULT_KERAS_VERSION
) -> tuple[str, FixReport]:
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
        fixed, report = fix_source(code, unsafe=unsafe, keras_version=keras_version)
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
    keras_version: str = DEFAULT_KERAS_VERSION,
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
                new, report = fix_notebook_text(
                    read.text, unsafe=unsafe, keras_version=keras_version
                )
            elif path.suffix in (".py", ".pyw"):
                new, report = fix_source(read.text, unsafe=unsafe, keras_version=keras_version)
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
