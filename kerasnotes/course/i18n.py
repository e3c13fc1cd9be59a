"""The Chinese edition: gettext catalogs of the lessons' markdown, and notebooks built from them.

Every markdown cell of an English lesson is one catalog entry: ``msgid`` is the whole
cell text and ``msgctxt`` is the cell's id, so two cells with the same text stay apart.
Catalogs live in ``locale/zh_CN/LC_MESSAGES/<lesson>.po`` (one per lesson) and open in
any gettext tool (Poedit, Weblate). They are read and written with :mod:`polib`.

- :func:`update_catalogs` merges the English text into the existing catalogs: an
  unchanged cell keeps its translation; a changed cell keeps the old translation as a
  suggestion, marked ``fuzzy`` (with the old English as ``#| msgid``); a cell that
  disappeared becomes an obsolete entry (``#~``), so no translation is ever lost.
- :func:`build_notebooks` writes the Chinese notebooks: the English notebook with its
  markdown taken from the catalog, code cells unchanged, ``metadata.language = "zh_CN"``.
- :func:`check` reports what is missing, fuzzy or stale, and the coverage.

A lesson without a catalog is untranslated; ``init`` starts its catalog.

Command line (``make zh`` runs ``update`` then ``build``)::

    python -m kerasnotes.course.i18n update            # English -> catalogs
    python -m kerasnotes.course.i18n build [-o DIR]    # catalogs -> build/zh/notebooks/
    python -m kerasnotes.course.i18n check             # exit 1 if a catalog is out of date
    python -m kerasnotes.course.i18n init 20           # start the catalog of lesson 20
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polib

from kerasnotes.course.notebooks import atomic_write_text, course_root, find_notebooks

__all__ = [
    "LOCALE",
    "Problem",
    "Report",
    "build_notebooks",
    "catalog_path",
    "check",
    "init_catalog",
    "main",
    "markdown_cells",
    "update_catalog",
    "update_catalogs",
]

LOCALE = "zh_CN"
_FIX = "run `make zh` (or `python -m kerasnotes.course.i18n update`) and translate the entry"


def _locale_dir(root: Path) -> Path:
    return root / "locale" / LOCALE / "LC_MESSAGES"


def catalog_path(notebook: os.PathLike[str] | str, locale_dir: os.PathLike[str] | str) -> Path:
    """The catalog of ``notebook``: ``<locale_dir>/<notebook stem>.po``.

    >>> catalog_path("notebooks/20_saving_and_loading.ipynb", "locale/zh_CN/LC_MESSAGES").name
    '20_saving_and_loading.po'
    """
    return Path(locale_dir) / (Path(notebook).stem + ".po")


def _read_notebook(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {str(path)!r}; pass a path to an .ipynb file")
    nb: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return nb


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def markdown_cells(nb: dict[str, Any]) -> list[tuple[str, str]]:
    """``(cell id, text)`` of every non-empty markdown cell of the notebook ``nb``, in order.

    Raises:
        ValueError: if a markdown cell has no id (nbformat 4.5 gives every cell one).

    >>> nb = {"cells": [{"cell_type": "markdown", "id": "a1", "source": ["# Title\\n", "Text"]},
    ...                 {"cell_type": "code", "id": "b2", "source": "x = 1"}]}
    >>> markdown_cells(nb)
    [('a1', '# Title\\nText')]
    """
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell)
        if not text.strip():
            continue
        if not cell.get("id"):
            raise ValueError(
                f"markdown cell {index} has no id; upgrade the notebook to nbformat 4.5 "
                "(open and save it in Jupyter, or nbformat.validator.normalize)"
            )
        cells.append((cell["id"], text))
    return cells


def _new_catalog(lesson: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"kerasnotes {lesson}",
        "PO-Revision-Date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M%z"),
        "Last-Translator": "kerasnotes developers",
        "Language-Team": "kerasnotes zh_CN",
        "Language": LOCALE,
        "Plural-Forms": "nplurals=1; plural=0;",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def _save(po: polib.POFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, str(po))  # what polib.POFile.save writes, atomically


def update_catalog(
    notebook: os.PathLike[str] | str, po_path: os.PathLike[str] | str
) -> polib.POFile:
    """Merge the markdown of ``notebook`` into the catalog at ``po_path`` and save it.

    An entry whose context (cell id) and English are unchanged keeps its translation
    and flags. When the English of a cell changed, the old translation is kept as a
    suggestion: the entry is marked ``fuzzy`` and records the old English in
    ``previous_msgid``. A cell whose id changed but whose text did not keeps its
    translation, marked ``fuzzy``. Entries of cells that no longer exist become obsolete.
    The catalog is created when missing.

    Args:
        notebook: The English notebook.
        po_path: Its catalog.

    Returns:
        The saved catalog.

    Raises:
        FileNotFoundError: if ``notebook`` does not exist.

    >>> import json, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "markdown", "id": "c1", "metadata": {}, "source": "A loss."}
    >>> _ = (tmp / "01_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> po = update_catalog(tmp / "01_x.ipynb", tmp / "01_x.po")
    >>> po[0].msgstr = "一个损失。"; po.save(str(tmp / "01_x.po"))
    >>> cell["source"] = "A new loss."
    >>> _ = (tmp / "01_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> entry = update_catalog(tmp / "01_x.ipynb", tmp / "01_x.po")[0]
    >>> entry.msgstr, entry.fuzzy, entry.previous_msgid
    ('一个损失。', True, 'A loss.')
    """
    notebook, po_path = Path(notebook), Path(po_path)
    cells = markdown_cells(_read_notebook(notebook))
    old = polib.pofile(str(po_path), wrapwidth=0) if po_path.is_file() else None
    po = _new_catalog(notebook.stem)
    if old is not None:
        po.metadata.update(old.metadata)
    old_entries = [e for e in old if not e.obsolete] if old is not None else []
    old_obsolete = [e for e in old if e.obsolete] if old is not None else []
    by_key = {(e.msgctxt, e.msgid): e for e in old_entries + old_obsolete}
    by_ctxt = {e.msgctxt: e for e in old_entries}
    by_text: dict[str, polib.POEntry] = {}
    for e in old_entries + old_obsolete:
        if e.msgstr:
            by_text.setdefault(e.msgid, e)
    used: set[int] = set()
    for cell_id, text in cells:
        entry = polib.POEntry(msgctxt=cell_id, msgid=text, msgstr="")
        match = by_key.get((cell_id, text))
        if match is not None:
            entry.msgstr = match.msgstr
            entry.flags = list(match.flags)
            entry.previous_msgid = match.previous_msgid
            entry.tcomment = match.tcomment
        else:
            match = by_ctxt.get(cell_id) or by_text.get(text)
            if match is not None and match.msgstr:
                entry.msgstr = match.msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = match.msgid
                entry.tcomment = match.tcomment
        if match is not None:
            used.add(id(match))
        entry.occurrences = [(f"{notebook.name}#{cell_id}", "")]
        po.append(entry)
    keys = {(e.msgctxt, e.msgid) for e in po}
    for e in old_entries + old_obsolete:
        # A translation that no current cell uses is kept as obsolete, never dropped.
        if e.msgstr and (e.msgctxt, e.msgid) not in keys and id(e) not in used:
            e.obsolete = True
            e.occurrences = []
            po.append(e)
    _save(po, po_path)
    return po


def _paths(
    notebook_dir: os.PathLike[str] | str | None, locale_dir: os.PathLike[str] | str | None
) -> tuple[list[Path], Path]:
    root = course_root()
    notebooks = find_notebooks(notebook_dir if notebook_dir is not None else root / "notebooks")
    return notebooks, Path(locale_dir) if locale_dir is not None else _locale_dir(root)


def init_catalog(
    lesson: str,
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> Path:
    """Start the catalog of one lesson, given its number or file stem (``"20"``).

    Raises:
        ValueError: if no notebook, or more than one, matches ``lesson``.

    >>> import json, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "markdown", "id": "c1", "metadata": {}, "source": "Hi."}
    >>> _ = (tmp / "07_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> init_catalog("07", tmp, tmp / "po").name
    '07_x.po'
    """
    notebooks, locale_dir = _paths(notebook_dir, locale_dir)
    matches = [nb for nb in notebooks if nb.stem == lesson or nb.stem.split("_")[0] == lesson]
    if len(matches) != 1:
        names = ", ".join(nb.stem for nb in notebooks)
        raise ValueError(
            f"lesson {lesson!r} matches {len(matches)} notebooks; pick one of: {names}"
        )
    path = catalog_path(matches[0], locale_dir)
    update_catalog(matches[0], path)
    return path


def update_catalogs(
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> list[Path]:
    """Merge every English lesson that has a catalog into it (see :func:`update_catalog`).

    Lessons without a catalog are left alone (start one with :func:`init_catalog`).

    Returns:
        The catalogs updated.

    >>> import tempfile
    >>> update_catalogs(tempfile.mkdtemp(), tempfile.mkdtemp())
    []
    """
    notebooks, locale_dir = _paths(notebook_dir, locale_dir)
    updated = []
    for nb in notebooks:
        path = catalog_path(nb, locale_dir)
        if path.is_file():
            update_catalog(nb, path)
            updated.append(path)
    return updated


@dataclass(frozen=True)
class Problem:
    """One out-of-date entry: the lesson, the cell id and what is wrong."""

    lesson: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{self.lesson}, cell {self.cell}: {self.what}; {_FIX}"


@dataclass
class Report:
    """What :func:`check` found: problems, lessons with and without a catalog, entries."""

    problems: list[Problem] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    entries: int = 0

    @property
    def coverage(self) -> str:
        """``"N of M lessons translated, K entries"``."""
        total = len(self.translated) + len(self.untranslated)
        return f"{len(self.translated)} of {total} lessons translated, {self.entries} entries"


def _translations(po: polib.POFile) -> dict[tuple[str, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}


def check(
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> Report:
    """Compare every catalog with its English lesson, without writing anything.

    Each English markdown cell of a lesson that has a catalog needs an entry with the
    same cell id and the same English, translated and not fuzzy.

    >>> import tempfile
    >>> check(tempfile.mkdtemp(), tempfile.mkdtemp()).coverage
    '0 of 0 lessons translated, 0 entries'
    """
    notebooks, locale_dir = _paths(notebook_dir, locale_dir)
    report = Report()
    for nb in notebooks:
        path = catalog_path(nb, locale_dir)
        if not path.is_file():
            report.untranslated.append(nb.stem)
            continue
        report.translated.append(nb.stem)
        entries = _translations(polib.pofile(str(path), wrapwidth=0))
        contexts = {ctxt for ctxt, _ in entries}
        for cell_id, text in markdown_cells(_read_notebook(nb)):
            entry = entries.get((cell_id, text))
            if entry is None:
                what = "the English changed" if cell_id in contexts else "no entry"
                report.problems.append(Problem(nb.stem, cell_id, what))
            elif not entry.msgstr.strip():
                report.problems.append(Problem(nb.stem, cell_id, "not translated"))
            elif entry.fuzzy:
                report.problems.append(Problem(nb.stem, cell_id, "fuzzy (English changed)"))
            else:
                report.entries += 1
    return report


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def build_notebooks(
    out_dir: os.PathLike[str] | str,
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> list[Path]:
    """Write the Chinese notebook of every lesson that has a catalog into ``out_dir``.

    Markdown cells take their translation from the catalog (the English stays where
    the entry is missing, fuzzy or stale: :func:`check` reports those); every other
    cell is copied unchanged, and ``metadata.language`` is ``"zh_CN"``.

    Returns:
        The notebooks written, in lesson order.

    >>> import tempfile
    >>> build_notebooks(tempfile.mkdtemp(), tempfile.mkdtemp(), tempfile.mkdtemp())
    []
    """
    notebooks, locale_dir = _paths(notebook_dir, locale_dir)
    out_dir = Path(out_dir)
    written = []
    for nb_path in notebooks:
        path = catalog_path(nb_path, locale_dir)
        if not path.is_file():
            continue
        entries = _translations(polib.pofile(str(path), wrapwidth=0))
        nb = _read_notebook(nb_path)
        zh = copy.deepcopy(nb)
        for cell in zh.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            entry = entries.get((cell.get("id"), _source(cell)))
            if entry is not None and entry.msgstr.strip() and not entry.fuzzy:
                cell["source"] = _lines(entry.msgstr)
        zh.setdefault("metadata", {})["language"] = LOCALE
        target = out_dir / nb_path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, json.dumps(zh, indent=1, ensure_ascii=False) + "\n")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``update``, ``build [-o DIR]``, ``check`` or ``init LESSON``.

    Returns:
        The exit status: 1 when ``check`` finds a problem, else 0.

    >>> import tempfile
    >>> main(["check", "--notebooks", tempfile.mkdtemp(), "--locale", tempfile.mkdtemp()])
    0 of 0 lessons translated, 0 entries
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m kerasnotes.course.i18n", description=__doc__.splitlines()[0]
    )
    parser.add_argument("command", choices=["update", "build", "check", "init"])
    parser.add_argument("lesson", nargs="?", help="init: the lesson number or file stem")
    parser.add_argument("-o", "--out", default=None, help="build: output folder")
    parser.add_argument("--notebooks", default=None, help="the English notebooks' folder")
    parser.add_argument("--locale", default=None, help="the folder of the .po catalogs")
    args = parser.parse_args(argv)
    if args.command == "init":
        if not args.lesson:
            parser.error("init needs a lesson, for example: init 20")
        print(f"wrote {init_catalog(args.lesson, args.notebooks, args.locale)}")
        return 0
    if args.command == "update":
        for path in update_catalogs(args.notebooks, args.locale):
            print(f"updated {path}")
        return 0
    if args.command == "build":
        out = args.out if args.out is not None else course_root() / "build" / "zh" / "notebooks"
        written = build_notebooks(out, args.notebooks, args.locale)
        print(f"wrote {len(written)} Chinese notebooks to {out}")
        return 0
    report = check(args.notebooks, args.locale)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.untranslated:
        print("no catalog yet: " + ", ".join(report.untranslated), file=sys.stderr)
    print(report.coverage)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
