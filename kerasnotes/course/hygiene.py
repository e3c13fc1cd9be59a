"""Notebooks are committed clean: no outputs, no execution counts.

``python -m kerasnotes.course.hygiene notebooks/*.ipynb`` exits 1 and names each
notebook that carries outputs (the pre-commit hook runs it); ``--fix`` strips
them in place, atomically, and touches nothing else.

Example:
    >>> nb = {"cells": [{"cell_type": "code", "source": "1", "outputs": [], "execution_count": 3}]}
    >>> problems(nb)
    ['cell 0 has an execution count']
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kerasnotes.course.notebooks import atomic_write_text

__all__ = ["main", "problems", "strip"]


def problems(nb: dict[str, Any]) -> list[str]:
    """What keeps a notebook from being committed: outputs and execution counts.

    Args:
        nb: A notebook as parsed JSON.

    Returns:
        One line per problem (empty when the notebook is clean).

    Raises:
        ValueError: If ``nb`` is not a notebook (no list of cells).

    Example:
        >>> problems({"cells": [{"cell_type": "markdown", "source": "# hi"}]})
        []
    """
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError(
            f"not a notebook: expected a 'cells' list, received {type(cells).__name__}"
        )
    found = []
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i} has an execution count")
    return found


def strip(nb: dict[str, Any]) -> dict[str, Any]:
    """Return ``nb`` with every code cell's outputs and execution count cleared (in place).

    Args:
        nb: A notebook as parsed JSON.

    Returns:
        The same dictionary, cleaned.

    Example:
        >>> cell = {"cell_type": "code", "source": "1", "outputs": [{"x": 1}], "execution_count": 1}
        >>> strip({"cells": [cell]})["cells"][0]["outputs"]
        []
    """
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def main(argv: Sequence[str] | None = None) -> int:
    """Check (or ``--fix``) notebooks; returns 0 when all are clean, 1 otherwise, 2 on bad input.

    Args:
        argv: Notebook paths, optionally preceded by ``--fix``.

    Returns:
        The exit status.

    Example:
        >>> main([])
        0
    """
    parser = argparse.ArgumentParser(
        prog="python -m kerasnotes.course.hygiene",
        description="Fail when a notebook carries outputs or execution counts.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--fix", action="store_true", help="strip them in place")
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        try:
            text = path.read_text(encoding="utf-8")
            nb = json.loads(text)
            found = problems(nb)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"{path}: cannot check: {exc}", file=sys.stderr)
            status = 2
            continue
        if not found:
            continue
        if args.fix:
            indent = 1 if text.startswith('{\n "') else 2
            atomic_write_text(path, json.dumps(strip(nb), indent=indent, ensure_ascii=False) + "\n")
            print(f"{path}: stripped ({len(found)} problems)")
        else:
            print(
                f"{path}: {'; '.join(found)} (fix: python -m kerasnotes.course.hygiene --fix {path})"
            )
        status = max(status, 1)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
