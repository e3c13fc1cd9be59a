"""The checker's value types: a rule, a claim about the installed library, a finding.

A :class:`Rule` is one unit: its id, severity, message, replacement, lesson, the
code that detects it, its :class:`Fix` (the rewrite and whether it is safe), its
bad/good examples and its claims all live on one object, defined in one module of
:mod:`kerasnotes.migrate.rules`.

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
    import libcst  # only for the annotations: libcst is imported when fixing only

    from kerasnotes.migrate.context import Context

__all__ = [
    "FIX_SAFETIES",
    "SEVERITIES",
    "Claim",
    "Detector",
    "FileReport",
    "Finding",
    "Fix",
    "Fixer",
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
#: ``(finding, libcst node) -> the new node``, ``libcst.RemovalSentinel.REMOVE``, or
#: None when the rewrite does not apply to that form (the finding is then left).
Fixer = Callable[["Finding", "libcst.CSTNode"], "libcst.CSTNode | libcst.RemovalSentinel | None"]
#: ``safe``: ``--fix`` applies it, the code keeps its meaning; ``unsafe``: only
#: ``--fix --unsafe-fixes`` does, because the rewrite pins or changes behaviour.
FIX_SAFETIES = ("safe", "unsafe")


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
class Fix:
    """How ``kerasnotes migrate --fix`` rewrites a rule's findings.

    A rule's fix is declared on the rule, and its functions are defined in the
    rule's module. They get the :class:`Finding` and a :mod:`libcst` node, import
    libcst themselves (scanning never does), and return the new node, or None when
    the rewrite does not apply there (the finding is then reported as left).

    Attributes:
        safety: One of :data:`FIX_SAFETIES`.
        title: What the rewrite does, in a few words (the rules table shows it).
        apply: Rewrites the node that starts and ends where the finding does (an
            ``Arg`` or ``ImportFrom`` only needs to start there).
        apply_to_call: Rewrites the whole call whose function or one of whose
            arguments the finding marks (``merge(...)``, ``decay=`` beside the rate).

    Raises:
        ValueError: If ``safety`` is unknown, ``title`` is empty or neither
            function is given.

    Example:
        >>> Fix(safety="safe", title="rename it", apply=lambda finding, node: None).safety
        'safe'
        >>> Fix(safety="maybe", title="t", apply=lambda finding, node: None)
        Traceback (most recent call last):
        ...
        ValueError: Fix(safety='maybe'): use one of ('safe', 'unsafe')
    """

    safety: str
    title: str
    apply: Fixer | None = None
    apply_to_call: Fixer | None = None

    def __post_init__(self) -> None:
        if self.safety not in FIX_SAFETIES:
            raise ValueError(f"Fix(safety={self.safety!r}): use one of {FIX_SAFETIES}")
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError(
                f"Fix(title={self.title!r}): give a few words saying what the rewrite does"
            )
        if self.apply is None and self.apply_to_call is None:
            raise ValueError(
                f"Fix({self.title!r}) has no function: give apply= (the node at the "
                "finding) or apply_to_call= (the call around it), or both"
            )


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
        fix: How ``--fix`` rewrites it and whether that is safe (a :class:`Fix`);
            None when it is fixed by hand.
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
    fix: Fix | None = None
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
