"""KN0xx: inputs the checker could not read.

A file it could not read is not "clean": it is reported as a finding, so a CI
guard fails instead of passing a file it never looked at. These rules have no
detector and no code examples; the readers in :mod:`kerasnotes.migrate.sources`
raise them.

Example:
    >>> KN001.severity
    'error'
"""

from __future__ import annotations

from kerasnotes.migrate.model import Rule

__all__ = ["KN001", "RULES"]

KN001 = Rule(
    id="KN001",
    title="input not read",
    severity="error",
    template="{old}; nothing in it was checked",
    replacement="fix or exclude the file",
    lesson="30_migrating_old_code",
    bad="",
    good="",
)

RULES = (KN001,)
