"""Output formats of ``kerasnotes migrate``: text, JSON and GitHub workflow annotations.

Example:
    >>> from kerasnotes.migrate.model import FileReport, Finding
    >>> f = Finding(line=2, col=7, rule="KN401", message="`lr=` ...", replacement="learning_rate=",
    ...             lesson="15_optimizers_and_lr_schedules", path="old.py")
    >>> print(render_github([FileReport("old.py", [f])]), end="")
    ::error file=old.py,line=2,col=7,title=KN401::`lr=` ... [lesson: 15_optimizers_and_lr_schedules]
"""

from __future__ import annotations

import json
from dataclasses import asdict

from kerasnotes.migrate.model import SEVERITIES, FileReport, Finding

__all__ = ["FORMATS", "Summary", "render_github", "render_json", "render_text"]

FORMATS = ("text", "json", "github")
_GITHUB_LEVEL = {"error": "error", "silent": "warning", "deprecated": "notice"}


class Summary:
    """Counts over the reports (after --select/--ignore)."""

    def __init__(self, reports: list[FileReport], findings: list[Finding], seconds: float):
        self.files = len(reports)
        self.findings = findings
        self.files_with = len({f.path for f in findings})
        self.counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
        self.unread = sum(r.skipped is not None for r in reports)
        self.unchecked = sum(len(r.unchecked) for r in reports)
        self.seconds = seconds

    def line(self) -> str:
        """The closing sentence of the text output."""
        scanned = f"{self.files} file{'s' if self.files != 1 else ''}"
        extra = ""
        if self.unread:
            extra += f" {self.unread} could not be read (KN001): they were not checked."
        if self.unchecked:
            extra += (
                f" Not checked: {self.unchecked} dynamic access{'es' if self.unchecked > 1 else ''}"
                " (getattr, star imports, modules chosen at run time)."
            )
        if self.findings:
            n = len(self.findings)
            detail = ", ".join(f"{k} {s}" for s, k in self.counts.items() if k)
            return (
                f"Found {n} legacy idiom{'s' if n != 1 else ''} ({detail}) in {self.files_with} "
                f"of {scanned}.{extra}"
            )
        return f"No legacy Keras/TF idioms found in {scanned}.{extra}"


def render_text(reports: list[FileReport], findings: list[Finding], summary: Summary) -> str:
    """One line per note and finding, then the summary sentence."""
    out = []
    for report in reports:
        out += [f"{report.path}: note: {note}" for note in report.notes]
        out += [f"{report.path}: not checked: {where}" for where in report.unchecked]
    out += [f.format() for f in findings]
    out.append(summary.line())
    return "\n".join(out) + "\n"


def render_json(reports: list[FileReport], findings: list[Finding], summary: Summary) -> str:
    """A JSON document: findings, notes, skipped files, unchecked places, summary."""
    payload = {
        "findings": [asdict(f) | {"location": f.location} for f in findings],
        "notes": [{"path": r.path, "message": m} for r in reports for m in r.notes],
        "skipped": [{"path": r.path, "reason": r.skipped} for r in reports if r.skipped],
        "not_checked": [{"path": r.path, "where": w} for r in reports for w in r.unchecked],
        "summary": {"files": summary.files, "files_with_findings": summary.files_with,
                    "findings": len(findings), **summary.counts, "unread": summary.unread,
                    "not_checked": summary.unchecked, "seconds": round(summary.seconds, 3)},
    }  # fmt: skip
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(reports: list[FileReport], findings: list[Finding] | None = None) -> str:
    """GitHub Actions workflow commands (``::error file=...``), one per finding."""
    if findings is None:
        findings = [f for r in reports for f in r.findings]
    out = []
    for f in findings:
        level = _GITHUB_LEVEL.get(f.severity, "warning")
        where = f"file={_escape(f.path, prop=True)},line={f.line},col={f.col}"
        title = f.rule if f.cell is None else f"{f.rule} (cell {f.cell})"
        out.append(
            f"::{level} {where},title={_escape(title, prop=True)}::"
            f"{_escape(f.message)} [lesson: {f.lesson}]"
        )
    for r in reports:
        out += [f"::notice file={_escape(r.path, prop=True)}::{_escape(n)}" for n in r.notes]
    return "\n".join(out) + ("\n" if out else "")
