"""The course's notebooks as data: discovery, first-cell metadata, the README tables.

Helpers shared by the runner, the CLI and the packaging tests, and the
``kerasnotes table`` command (:func:`main`), which rewrites or checks the notebook
tables of ``README.md`` and ``notebooks/README.md``. Standard library only (plain
``json``, not nbformat), so they work before the course's extras are installed.

Example:
    >>> info = parse_first_cell("# 03 · Fit versus fit_generator\\n\\n"
    ...     "**Notes section:** `keras-learning.txt` › 2. 两种训练模型方式fit和fit_generator\\n")
    >>> info.number, info.title
    ('03', 'Fit versus fit_generator')
    >>> info.notes_section
    '`keras-learning.txt` › 2. 两种训练模型方式fit和fit_generator'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "TABLE_END",
    "TABLE_START",
    "LessonInfo",
    "atomic_write_bytes",
    "atomic_write_text",
    "course_root",
    "find_notebooks",
    "lesson_info",
    "main",
    "notebook_table",
    "parse_first_cell",
    "replace_table",
    "sync_tables",
]

TITLE_RE = re.compile(r"^#\s+(\d{2})\s*·\s*(.+?)\s*$", re.MULTILINE)
# The notes-section paragraph: from the bold label (English, or the Chinese edition's
# "**笔记章节：**") to the next blank line.
NOTES_RE = re.compile(
    r"^\*\*(?:Notes section:|笔记章节[：:])\*\*\s*(.+?)\s*(?:\n\s*\n|\Z)",
    re.MULTILINE | re.DOTALL,
)
TABLE_START = "<!-- notebook-table:start (generated: kerasnotes table) -->"
# The marker written before `kerasnotes table` existed; still recognised, replaced on rewrite.
_OLD_TABLE_START = (
    "<!-- notebook-table:start (generated: python -m kerasnotes.course.runner --write-table) -->"
)
TABLE_END = "<!-- notebook-table:end -->"


@dataclass(frozen=True)
class LessonInfo:
    """What a notebook's first cell says about it (empty strings when it says nothing)."""

    number: str = ""
    title: str = ""
    notes_section: str = ""


def parse_first_cell(source: str) -> LessonInfo:
    """Read ``# NN · Title`` and the ``**Notes section:**`` line of a first cell.

    The Chinese edition's label ``**笔记章节：**`` is read the same way.

    >>> parse_first_cell("# 23 · 回调\\n\\n**笔记章节：** `keras-learning.txt` › 七\\n").notes_section
    '`keras-learning.txt` › 七'

    Args:
        source: The markdown text of the notebook's first cell.

    Returns:
        A :class:`LessonInfo`; fields the cell lacks are empty strings.
    """
    title = TITLE_RE.search(source)
    notes = NOTES_RE.search(source)
    return LessonInfo(
        number=title.group(1) if title else "",
        title=title.group(2) if title else "",
        notes_section=" ".join(notes.group(1).split()) if notes else "",
    )


def lesson_info(nb: dict[str, Any] | os.PathLike[str] | str) -> LessonInfo:
    """The :class:`LessonInfo` of a notebook given as a path or an nbformat-4 dict.

    Args:
        nb: A path to a ``.ipynb`` file, or the already-parsed notebook.

    Returns:
        The metadata of its first cell, or an empty :class:`LessonInfo` when the
        notebook has no markdown first cell.

    Raises:
        ValueError: If the file is not valid JSON.
    """
    data: dict[str, Any]
    if isinstance(nb, dict):
        data = nb
    else:
        path = Path(nb)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON ({exc}); is it a notebook?") from exc
    cells = data.get("cells") or []
    if not cells or cells[0].get("cell_type") != "markdown":
        return LessonInfo()
    source = cells[0].get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    return parse_first_cell(source)


def course_root() -> Path:
    """The folder holding ``notebooks/``: the current directory if it has one, else the checkout.

    The checkout is the folder above the ``kerasnotes`` package (an editable
    install); an installed wheel has no lessons, so the returned folder may lack
    ``notebooks/`` and callers must say where the lessons come from.
    """
    cwd = Path.cwd()
    if (cwd / "notebooks").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


def find_notebooks(folder: os.PathLike[str] | str | None = None) -> list[Path]:
    """The course notebooks of ``folder`` (default ``<course root>/notebooks``), in order.

    Checkpoint copies (``.ipynb_checkpoints``) are skipped; order is by file name,
    which is the lesson number.
    """
    folder = Path(folder) if folder is not None else course_root() / "notebooks"
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def notebook_table(notebooks: list[Path], link_prefix: str = "") -> str:
    """A markdown table of the notebooks: number, linked title, notes section.

    Args:
        notebooks: Notebook paths, in course order.
        link_prefix: Prepended to each file name in the links (``"notebooks/"`` for
            the top README, ``""`` for ``notebooks/README.md``).

    Returns:
        The table, ending with a newline.
    """
    lines = ["| # | Notebook | Notes section it mirrors |", "| --- | --- | --- |"]
    for path in notebooks:
        info = lesson_info(path)
        title = info.title or path.stem
        number = info.number or "?"
        notes = info.notes_section or "(first cell lacks a `**Notes section:**` line)"
        lines.append(f"| {number} | [{_cell(title)}]({link_prefix}{path.name}) | {_cell(notes)} |")
    return "\n".join(lines) + "\n"


def replace_table(text: str, table: str, *, where: str = "the file") -> str:
    """Put ``table`` between the table markers of ``text``.

    Raises:
        ValueError: If the markers are missing (naming the file and the markers to add).
    """
    start = text.find(TABLE_START)
    if start < 0:
        start = text.find(_OLD_TABLE_START)
    end = text.find(TABLE_END, max(start, 0))
    if start < 0 or end < start:
        raise ValueError(
            f"{where} has no generated notebook table; add the two lines\n{TABLE_START}\n"
            f"{TABLE_END}\nwhere the table belongs, then run: kerasnotes table"
        )
    return text[:start] + TABLE_START + "\n" + table + text[end:]


def sync_tables(root: os.PathLike[str] | str | None = None, *, write: bool) -> list[Path]:
    """Check (or rewrite) the notebook tables of ``README.md`` and ``notebooks/README.md``.

    Args:
        root: The repository folder (default: :func:`course_root`).
        write: Rewrite stale tables when True; only report them when False.

    Returns:
        The files whose table was stale (and, with ``write=True``, has been rewritten).
    """
    root = Path(root) if root is not None else course_root()
    notebooks = find_notebooks(root / "notebooks")
    stale = []
    for readme, prefix in (
        (root / "README.md", "notebooks/"),
        (root / "notebooks" / "README.md", ""),
    ):
        text = readme.read_text(encoding="utf-8")
        new = replace_table(text, notebook_table(notebooks, prefix), where=str(readme))
        if new != text:
            stale.append(readme)
            if write:
                atomic_write_text(readme, new)
    return stale


def main(argv: list[str] | None = None) -> int:
    """``kerasnotes table [--check] [--root DIR]``; returns the exit status.

    Rewrites the stale notebook tables (exit 0), or with ``--check`` only reports
    them and exits 1 when one is stale. A missing README or table marker exits 2.
    """
    parser = argparse.ArgumentParser(
        prog="kerasnotes table",
        description="Regenerate the notebook tables of README.md and notebooks/README.md "
        "from each notebook's first cell.",
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a table is stale"
    )
    parser.add_argument("--root", default=None, help="repository folder (default: autodetect)")
    args = parser.parse_args(argv)
    root = Path(args.root) if args.root else course_root()
    try:
        stale = sync_tables(root, write=not args.check)
    except (OSError, ValueError) as exc:
        print(f"kerasnotes table: {exc}", file=sys.stderr)
        return 2
    for readme in stale:
        print(f"{'stale' if args.check else 'rewrote'}: {readme}")
    if args.check and stale:
        print("fix: kerasnotes table   (or: make table)", file=sys.stderr)
        return 1
    if not stale:
        print("notebook tables are up to date")
    return 0


def atomic_write_bytes(path: os.PathLike[str] | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader (or an interrupted run) sees either the old file or the new one,
    never half of it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide the page from a web server
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path: os.PathLike[str] | str, text: str) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))
