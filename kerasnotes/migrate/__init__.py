"""``kerasnotes migrate``: find Keras 1/2 and TF 1.x idioms in code and notebooks.

The checker is a package: :mod:`kerasnotes.migrate.scanner` reads sources and
walks their syntax trees, :mod:`kerasnotes.migrate.rules` holds the rules.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("model.fit_generator(gen)\\n")]
    ['KN201']
"""

from __future__ import annotations

from kerasnotes.migrate.scanner import (
    FileReport,
    Finding,
    main,
    render_rules_doc,
    scan_file,
    scan_notebook,
    scan_path,
    scan_source,
)

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
