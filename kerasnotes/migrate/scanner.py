"""Scanning code, notebooks and files into :class:`~kerasnotes.migrate.model.Finding` lists.

The checker reads ``.py`` files and the code cells of ``.ipynb`` notebooks with
:mod:`ast` (it never imports or runs them). Code that does not parse (Python 2,
prose with code in it) is scanned paragraph by paragraph, then statement by
statement. ``# kerasnotes: ignore`` and ``# kerasnotes: ignore[KN101,KN203]``
silence a line; code inside ``with expect_error(...)`` / ``expect_warning(...)``
(the course's own demonstrations) is skipped unless ``include_demos=True``.

Example:
    >>> findings = scan_source("from keras.optimizers import SGD\\nsgd = SGD(lr=0.01)\\n")
    >>> [(f.line, f.rule, f.replacement) for f in findings]
    [(2, 'KN401', 'learning_rate=')]
    >>> scan_source("lr = 0.01\\n")
    []
"""

from __future__ import annotations

import ast
import os
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path

from kerasnotes.migrate.context import Context, ScanState
from kerasnotes.migrate.model import FileReport, Finding, RawHit
from kerasnotes.migrate.rules import REGISTRY, RULES_BY_ID
from kerasnotes.migrate.rules.inputs import KN001
from kerasnotes.migrate.sources import (
    MAX_BYTES,
    NOTEBOOK_FACTOR,
    notebook_cells,
    read_text,
    walk,
)
from kerasnotes.migrate.target import DEFAULT_KERAS_VERSION
from kerasnotes.migrate.walker import walk as walk_tree

__all__ = ["scan_file", "scan_notebook", "scan_path", "scan_source", "shows_legacy"]

_PRAGMA = re.compile(r"#\s*kerasnotes:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")
_TRAILING_NUMBERS_REVERSED = re.compile(r"(?:\.\d+\s*)+")
_PY2_PRINT = re.compile(r"print\s+(?!\()(.*)")
_CODE_LIKE = re.compile(r"[A-Za-z_][\w.\[\]'\"]*\s*(?:=[^=]|\()")
_DOT_CALL = re.compile(r"(?<=[\w)\]])\.([A-Za-z_]\w*)\s*\(")


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


def _strip_trailing_numbers(text: str) -> str:
    """``"...)1.2.3."`` (copied from web pages) -> ``"...)"``, in linear time.

    The pattern is matched on the reversed text, anchored at its start: each ``.``
    ends one group, so the regex never backtracks over what it consumed.
    """
    stripped = text.rstrip()
    match = _TRAILING_NUMBERS_REVERSED.match(stripped[::-1])
    return stripped[: len(stripped) - match.end()].rstrip() if match else text


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
    cleaned = _strip_trailing_numbers(stripped)
    if cleaned != stripped:
        yield cleaned, 1
    py2 = _PY2_PRINT.fullmatch(stripped)
    if py2:
        yield f"print({py2.group(1)})", 1


def _regex_fallback(line: str, number: int, context: Context) -> None:
    """Last resort for a code-like line that does not parse: its ``.method(`` calls."""
    if not _CODE_LIKE.match(line.lstrip()):
        return
    for match in _DOT_CALL.finditer(line):
        probe = ast.parse(f"_obj.{match.group(1)}")
        node = probe.body[0].value  # type: ignore[attr-defined]
        node.lineno, node.col_offset = 1, match.start()
        sub = Context(context.state, context.registry, number - 1)
        for rule in REGISTRY.by_node.get(ast.Attribute, ()):
            rule.detect(sub, node, rule)  # type: ignore[misc]
        context.hits.extend(sub.hits)


def _run(
    tree: ast.Module,
    context: Context,
    offset: int,
    col_offsets: dict[int, int] | None = None,
) -> None:
    sub = Context(context.state, context.registry, offset, col_offsets)
    walk_tree(tree, sub)
    context.hits.extend(sub.hits)


def _scan_lines(text: str, context: Context) -> None:
    """The fallback for text that does not parse: paragraph by paragraph, then line by line."""
    lines = text.splitlines()
    index, n = 0, len(lines)
    while index < n:
        end = index
        while end < n and lines[end].strip():
            end += 1
        if end > index + 1:  # a paragraph that parses as a whole keeps its structure
            block = lines[index:end]
            tree = _try_parse(textwrap.dedent("\n".join(block)))
            if tree is not None:
                common = min(len(x) - len(x.lstrip()) for x in block if x.strip())
                _run(tree, context, index, {i + 1: common for i in range(len(block))})
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
                _run(tree, context, index, {1: indent})
                used = span
                break
        if not used:
            _regex_fallback(lines[index], index + 1, context)
        index += used or 1


def _scan_text(text: str, context: Context, *, line_mode: bool = False) -> str | None:
    """Scan one piece of code into ``context.hits``; a parse-error note if it needed the fallback."""
    if not line_mode:
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            note = f"could not parse (Python 2 syntax?) at line {exc.lineno}: {exc.msg}"
        except (ValueError, RecursionError, MemoryError) as exc:
            note = f"could not parse ({type(exc).__name__}: {exc})"
        else:
            _run(tree, context, 0)
            return None
        _scan_lines(text, context)
        return note + "; scanned line by line"
    _scan_lines(text, context)
    return None


def _to_findings(
    hits: list[RawHit], text: str, path: str, include_demos: bool, cell: int | None
) -> list[Finding]:
    pragmas = _pragmas(text)
    seen: set[tuple[int, int, str]] = set()
    findings = []
    for hit in hits:
        if hit.demo and not include_demos:
            continue
        ignored = [pragmas[w] for w in (hit.line, hit.stmt_line) if w in pragmas]
        if any(ids is None or hit.rule in ids for ids in ignored):
            continue
        key = (hit.line, hit.col, hit.rule)
        if key in seen:
            continue
        seen.add(key)
        rule = RULES_BY_ID[hit.rule]
        findings.append(
            Finding(line=hit.line, col=hit.col, rule=hit.rule, message=hit.message,
                    replacement=hit.replacement, lesson=rule.lesson, severity=rule.severity,
                    path=path, cell=cell, end_line=hit.end_line, end_col=hit.end_col)
        )  # fmt: skip
    findings.sort(key=lambda f: (f.cell or 0, f.line, f.col, f.rule))
    return findings


def shows_legacy(findings: list[Finding]) -> bool:
    """Whether findings show old code: an idiom other than a changed default or a KN0xx note."""
    return any(
        not RULES_BY_ID[f.rule].legacy_only and not f.rule.startswith("KN0") for f in findings
    )


def _legacy_context(findings: list[Finding], python2_era: bool = False) -> list[Finding]:
    """Drop ``legacy_only`` findings unless the code is old: another legacy idiom, or
    ``from __future__ import print_function`` (Python 2 era, so Keras 2.3 at the latest)."""
    legacy = python2_era or shows_legacy(findings)
    return findings if legacy else [f for f in findings if not RULES_BY_ID[f.rule].legacy_only]


def _unread(report: FileReport, problem: str) -> FileReport:
    report.skipped = problem
    report.findings.append(
        Finding(line=1, col=1, rule=KN001.id, message=KN001.message(problem),
                replacement=KN001.replacement, lesson=KN001.lesson, severity=KN001.severity,
                path=report.path)
    )  # fmt: skip
    return report


def scan_source(
    source: str,
    filename: str = "<string>",
    *,
    include_demos: bool = False,
    assume_legacy: bool = False,
    keras_version: str = DEFAULT_KERAS_VERSION,
) -> list[Finding]:
    """Find legacy Keras / TF idioms in Python source code (never runs it).

    Args:
        source: The code. If it does not parse (Python 2, prose mixed with code),
            it is scanned statement by statement.
        filename: Reported as each finding's ``path``.
        include_demos: Also report code inside ``with expect_error(...)`` /
            ``with expect_warning(...)`` blocks.
        assume_legacy: Treat the code as Keras 2 code even when no other legacy
            idiom is left in it, so changed defaults are still reported (``--fix``
            uses it on code whose old idioms it has just rewritten).
        keras_version: The Keras version the code was written for (one of
            :data:`~kerasnotes.migrate.target.KERAS_VERSIONS`); defaults that were
            already the Keras 3 ones in that version are not reported.

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
    context = Context(ScanState(source, keras_version), REGISTRY)
    _scan_text(source, context)
    findings = _to_findings(context.hits, source, filename, include_demos, None)
    return _legacy_context(findings, context.state.python2_era or assume_legacy)


def scan_notebook(
    path: str | os.PathLike[str],
    *,
    include_demos: bool = False,
    max_bytes: int = MAX_BYTES,
    keras_version: str = DEFAULT_KERAS_VERSION,
) -> FileReport:
    """Scan the code cells of a ``.ipynb`` notebook (magics and shell lines are skipped).

    Findings carry ``cell`` (1-based, markdown cells counted) and the line inside it.
    Imports in one cell apply to the cells after it, as in a running kernel. A
    notebook that cannot be read or is not valid JSON gives a KN001 finding.

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
    read = read_text(Path(path), max_bytes * NOTEBOOK_FACTOR)
    if read.text is None:
        if read.problem is None:
            report.notes.append(str(read.skipped))
            return report
        return _unread(report, read.problem)
    try:
        codes = notebook_cells(read.text)
    except ValueError as exc:
        return _unread(report, str(exc))
    state = ScanState("\n".join(code for _, code in codes), keras_version)
    for number, code in codes:
        context = Context(state, REGISTRY)
        note = _scan_text(code, context)
        if note:
            report.notes.append(f"cell {number}: {note}")
        report.findings.extend(_to_findings(context.hits, code, str(path), include_demos, number))
    report.findings = _legacy_context(report.findings, state.python2_era)
    report.unchecked = list(state.unchecked)
    return report


def scan_file(
    path: str | os.PathLike[str],
    *,
    include_demos: bool = False,
    max_bytes: int = MAX_BYTES,
    keras_version: str = DEFAULT_KERAS_VERSION,
) -> FileReport:
    """Scan one file: ``.ipynb`` by cells, ``.py`` with ``ast``, other text line by line.

    A file that cannot be read (binary, undecodable, too large, a broken link) gives
    a KN001 finding; a FIFO or device is skipped with a note and never opened.

    Raises:
        FileNotFoundError: If ``path`` does not exist (and is not a broken link).

    Example:
        >>> import pathlib, tempfile
        >>> old = pathlib.Path(tempfile.mkdtemp()) / "old.py"
        >>> _ = old.write_text("model.fit_generator(gen, steps_per_epoch=10)\\n")
        >>> [(f.line, f.rule) for f in scan_file(old).findings]
        [(1, 'KN211')]
    """
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise FileNotFoundError(
            f"no such file or folder: {str(path)!r}; give .py/.ipynb files or folders to scan"
        )
    if p.suffix == ".ipynb":
        return scan_notebook(
            p, include_demos=include_demos, max_bytes=max_bytes, keras_version=keras_version
        )
    report = FileReport(str(path))
    read = read_text(p, max_bytes)
    if read.text is None:
        if read.problem is None:
            report.notes.append(str(read.skipped))
            return report
        return _unread(report, read.problem)
    text = read.text
    context = Context(ScanState(text, keras_version), REGISTRY)
    note = _scan_text(text, context, line_mode=p.suffix not in (".py", ".pyw", ""))
    if note and p.suffix in (".py", ".pyw"):
        report.notes.append(note)
    report.findings = _legacy_context(
        _to_findings(context.hits, text, str(path), include_demos, None), context.state.python2_era
    )
    report.unchecked = list(context.state.unchecked)
    return report


def scan_path(
    *paths: str | os.PathLike[str],
    include_demos: bool = False,
    max_bytes: int = MAX_BYTES,
    keras_version: str = DEFAULT_KERAS_VERSION,
) -> list[FileReport]:
    """Scan files and folders (folders: every ``.py`` and ``.ipynb`` below them).

    Raises:
        FileNotFoundError: If a path given does not exist (nothing is scanned then).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.py").write_text("import keras\\nkeras.layers.Dense(32)\\n")
        >>> _ = (folder / "b.py").write_text("from keras.utils import np_utils\\n")
        >>> [(pathlib.Path(r.path).name, [f.rule for f in r.findings]) for r in scan_path(folder)]
        [('a.py', []), ('b.py', ['KN102'])]
    """
    reports = []
    for entry in walk(paths):
        if entry.problem is not None:
            reports.append(_unread(FileReport(str(entry.path)), entry.problem))
        else:
            reports.append(
                scan_file(
                    entry.path,
                    include_demos=include_demos,
                    max_bytes=max_bytes,
                    keras_version=keras_version,
                )
            )
    return reports
