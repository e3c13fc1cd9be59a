"""``docs/migrate-rules.md``, generated from the rules.

Example:
    >>> doc = render_rules_doc()
    >>> doc.startswith("#") and "KN401" in doc
    True
"""

from __future__ import annotations

from kerasnotes.migrate.model import Rule
from kerasnotes.migrate.rules import RULES

__all__ = ["render_rules_doc"]


def _code(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "`" + "; ".join(lines).replace("|", "\\|") + "`" if lines else ""


def _fix(rule: Rule) -> str:
    """The fix columns: ``safe``/``unsafe``/``none`` and what the rewrite does."""
    if rule.fix is None:
        return "none | "
    return f"{rule.fix.safety} | {rule.fix.title.replace('|', '/')}"


def render_rules_doc() -> str:
    """The Markdown rules table (``docs/migrate-rules.md``), generated from the rules.

    Returns:
        The whole Markdown page; ``--write-rules-doc PATH`` writes it.

    Example:
        >>> "| KN401 |" in render_rules_doc()
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
        "Fix column: **safe** = `--fix` rewrites it; **unsafe** = only with `--unsafe-fixes`",
        "(the rewrite pins or changes behaviour); **none** = reported, fixed by hand. A fix",
        "leaves the forms it cannot rewrite (a computed value, say) and says so.",
        "",
        "| id | severity | idiom | example of old code | what replaced it | fix | the rewrite | lesson |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        lines.append(
            f"| {rule.id} | {rule.severity} | {rule.title} | {_code(rule.bad)} | "
            f"{rule.replacement.replace('|', '/')} | {_fix(rule)} | `{rule.lesson}` |"
        )
    return "\n".join(lines) + "\n"
