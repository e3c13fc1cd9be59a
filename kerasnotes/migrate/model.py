"""The checker's value types: a rule, a claim about the installed library, a finding.

A :class:`Rule` is one unit: its id, severity, message, replacement, lesson, the
code that detects it, its bad/good examples and its claims all live on one object,
defined in one module of :mod:`kerasnotes.migrate.rules`.

Example:
    >>> f = Finding(line=3, col=5, rule="KN401", message="m", replacement="learning_rate=",
    ...             lesson="15_optimizers_and_lr_schedules", path="old.py")
    >>> f.location
    'old.py:3:5'
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from kerasnotes.migrate.context import Context

__all__ = [
    "SEVERITIES",
    "Claim",
    "Detector",
    "FileReport",
    "Finding",
    "PathMatcher",
    "RawHit",
    "Rule",
]

#: ``error``: raises on Keras 3 / TF 2; ``silent``: runs but does something other
#: than the old code did; ``deprecated``: still works, but is legacy.
SEVERITIES = ("error", "silent", "deprecated")

#: ``(canonical dotted path, went through tf.keras, shown text) -> (old, new) or None``.
PathMatcher = Callable[[str, bool, str], "tuple[str, str] | None"]
#: ``(context, node, rule)``: calls ``context.report(node, rule, ...)`` for what it finds.
Detector = Callable[["Context", Any, "Rule"], None]


@dataclass(frozen=True, kw_only=True)
class Claim:
    """A statement about the installed Keras / TensorFlow that the tests check.

    Attributes:
        kind: ``raises`` (``expr`` raises ``error`` whose message matches ``match``),
            ``runs``, ``warns``, ``true`` (``expr`` is truthy), ``missing`` or
            ``exists`` (``expr`` is a dotted name).
        expr: The expression or dotted name.
        error: For ``raises``: the exception class name (``"TypeError"``).
        match: For ``raises``/``warns``: a regular expression the message must match.
    """

    kind: str
    expr: str
    error: str | None = None
    match: str | None = None


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One legacy idiom, how to find it and what replaced it.

    Attributes:
        id: Stable id (``KN101``); never reused for another idiom.
        title: A few words naming the idiom.
        severity: One of :data:`SEVERITIES`.
        template: The finding's message; ``{old}`` and ``{new}`` are filled in.
        replacement: The modern spelling used when a match has no specific one.
        lesson: The course notebook that teaches it (file stem).
        bad: A short legacy snippet the rule must flag (its positive test).
        good: The same code written for Keras 3; the rule must stay silent on it.
        checks: :class:`Claim` objects about the installed library.
        paths: Matches dotted names (imports, attribute chains); ``None`` if the
            rule does not look at names.
        path_order: Lower runs first; the first rule matching a name reports it.
        nodes: The :mod:`ast` node types ``detect`` is called with.
        fix: ``"safe"`` when ``--fix`` rewrites it, ``"unsafe"`` when only
            ``--unsafe-fixes`` does (the rewrite may change behaviour), else ``""``.
        legacy_only: Report only in code that also shows another legacy idiom: a
            changed default is a bug in Keras 2 code, and what Keras 3 code means.
        detect: The detector, called as ``detect(context, node, rule)`` for each
            node of a type in ``nodes``.
    """

    id: str
    title: str
    severity: str
    template: str
    replacement: str
    lesson: str
    bad: str
    good: str
    checks: tuple[Claim, ...] = ()
    paths: PathMatcher | None = None
    path_order: int = 50
    fix: str = ""
    legacy_only: bool = False
    nodes: tuple[type[ast.AST], ...] = ()
    detect: Detector | None = None

    def message(self, old: str, new: str | None = None) -> str:
        """The finding's message for ``old`` (and its replacement ``new``)."""
        return self.template.format(old=old, new=new or self.replacement)


@dataclass(frozen=True, kw_only=True)
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
        path: The file (or the ``filename`` given to ``scan_source``).
        cell: 1-based cell number in a notebook (all cells counted), else ``None``.
        end_line: Where the matched code ends (line), if known.
        end_col: Where the matched code ends (1-based column just after it), if known.
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
    end_line: int | None = None
    end_col: int | None = None

    @property
    def location(self) -> str:
        """``path:line:col`` or, in a notebook, ``path:cell N:line M:col C``."""
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:line {self.line}:col {self.col}"
        return f"{self.path}:{self.line}:{self.col}"

    def format(self) -> str:
        """The one-line text form: ``location: RULE message [lesson]``."""
        return f"{self.location}: {self.rule} {self.message} [lesson: {self.lesson}]"


@dataclass(frozen=True)
class RawHit:
    """A match before pragmas, demos and de-duplication are applied (internal)."""

    line: int
    col: int
    rule: str
    message: str
    replacement: str
    demo: bool
    stmt_line: int
    end_line: int | None = None
    end_col: int | None = None


@dataclass
class FileReport:
    """What scanning one file produced.

    Attributes:
        path: The file.
        findings: The legacy idioms found.
        notes: Parse trouble and what could not be checked (dynamic access).
        skipped: Why the file could not be read at all (a problem: exit status 1).
        unchecked: Places the checker cannot see through (``getattr``, star imports).
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    unchecked: list[str] = field(default_factory=list)
