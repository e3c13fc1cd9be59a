"""``docs/migrate-rules.md``, generated from the rules.

Example:
    >>> doc = render_rules_doc()
    >>> doc.startswith("#") and "KN401" in doc
    True
"""

from __future__ import annotations

from kerasnotes.migrate.rules import RULES

__all__ = ["render_rules_doc"]


def _code(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "`" + "; ".join(lines).replace("|", "\\|") + "`" if lines else ""


def _fix(rule_id: str, safety: str) -> str:
    from kerasnotes.migrate.fixers import CALL_FIXERS, FIXERS

    if rule_id not in FIXERS and rule_id not in CALL_FIXERS:
        return ""
    return safety or "safe"


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
        "(the rewrite pins or changes behaviour); empty = reported, fixed by hand.",
        "",
        "| id | severity | idiom | example of old code | what replaced it | fix | lesson |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        lines.append(
            f"| {rule.id} | {rule.severity} | {rule.title} | {_code(rule.bad)} | "
            f"{rule.replacement.replace('|', '/')} | {_fix(rule.id, rule.fix)} | `{rule.lesson}` |"
        )
    return "\n".join(lines) + "\n"
