"""The fallback course page of ``kerasnotes run``: nbconvert pages and a status table.

Used only when the course site (:mod:`kerasnotes.course.site`) is missing or
fails: one nbconvert HTML page per executed notebook, and an ``index.html``
table (number, title, notes section, status, seconds).

Example:
    >>> from kerasnotes.course.runner import Result
    >>> page = course_page([Result("notebooks/01_x.ipynb", "ok", 2.0)])
    >>> "1 of 1 notebooks ran without error" in page
    True
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kerasnotes.course.notebooks import atomic_write_text

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from kerasnotes.course.runner import Result

__all__ = ["course_page", "render_notebook"]


def render_notebook(nb: NotebookNode, target: Path, title: str) -> str:
    """Render ``nb`` with nbconvert into ``target`` (atomically); return the file name."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()  # type: ignore[no-untyped-call]  # nbconvert: unannotated __init__
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    atomic_write_text(target, body)
    return target.name


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kerasnotes: the course</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; vertical-align: top; }}
td.seconds {{ text-align: right; font-variant-numeric: tabular-nums; }}
.ok {{ color: #17692d; }} .failed, .timeout, .interrupted {{ color: #b00020; font-weight: bold; }}
.reason {{ color: #555; font-size: .9em; }}
</style>
</head>
<body>
<h1>kerasnotes: classic Keras notes, running on Keras 3</h1>
<p>{summary}</p>
<table>
<thead><tr><th>#</th><th>Notebook</th><th>Notes section it mirrors</th><th>Status</th><th>Seconds</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _inline_markdown(text: str) -> str:
    """Escape ``text`` for HTML, turning markdown `code spans` into <code> elements."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def course_page(results: Sequence[Result]) -> str:
    """The ``index.html`` of a run: one row per notebook.

    Args:
        results: The run's results, in course order.

    Returns:
        The page's HTML.
    """
    rows = []
    for r in results:
        title = _inline_markdown(r.info.title or Path(r.notebook).stem)
        link = f'<a href="{html.escape(r.html)}">{title}</a>' if r.html else title
        reason = f'<div class="reason">{html.escape(r.reason)}</div>' if r.reason else ""
        rows.append(
            f"<tr><td>{html.escape(r.info.number)}</td><td>{link}{reason}</td>"
            f"<td>{_inline_markdown(r.info.notes_section)}</td>"
            f'<td class="{r.status}">{r.status}</td>'
            f'<td class="seconds">{r.seconds:.1f}</td></tr>'
        )
    n_ok = sum(r.ok for r in results)
    total = sum(r.seconds for r in results)
    summary = f"{n_ok} of {len(results)} notebooks ran without error in {total:.0f} s."
    return _PAGE.format(summary=html.escape(summary), rows="\n".join(rows))
