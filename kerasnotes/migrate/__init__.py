"""``kerasnotes migrate``: find (and fix) Keras 1/2 and TF 1.x idioms in code and notebooks.

The checker is a package, one concern per module:

* :mod:`~kerasnotes.migrate.sources` reads files, notebooks and folders;
* :mod:`~kerasnotes.migrate.walker` walks a syntax tree and hands nodes to the rules;
* :mod:`~kerasnotes.migrate.rules` holds the rules, one module per family, each
  rule one object with its detector, examples and claims;
* :mod:`~kerasnotes.migrate.scanner` turns code and files into findings;
* :mod:`~kerasnotes.migrate.output`, :mod:`~kerasnotes.migrate.docs` and
  :mod:`~kerasnotes.migrate.cli` are the formats, the rules page and the command.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("model.fit_generator(gen)\\n")]
    ['KN211']
"""

from __future__ import annotations

from kerasnotes.migrate.cli import main
from kerasnotes.migrate.docs import render_rules_doc
from kerasnotes.migrate.model import FileReport, Finding, Rule
from kerasnotes.migrate.scanner import scan_file, scan_notebook, scan_path, scan_source

__all__ = [
    "FileReport",
    "Finding",
    "Rule",
    "main",
    "render_rules_doc",
    "scan_file",
    "scan_notebook",
    "scan_path",
    "scan_source",
]
