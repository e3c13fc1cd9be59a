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

Markdown documents (``docs/<name>.md``) have catalogs too, at
``locale/zh_CN/LC_MESSAGES/docs/<name>.po``, one entry per block (:func:`markdown_blocks`):
the text is split on the blank lines outside fenced code blocks; a block with no letter
(``---``) is not an entry and is copied as it is; ``msgid`` is the block, with no
``msgctxt``, and the occurrence is ``docs/<name>.md:<line of the block's first line>``.
The Chinese document (:func:`translate_document`) is the blocks joined by a blank line,
each replaced by its translation when it has one that is not fuzzy.

The top ``README.md`` has a document catalog too, ``locale/zh_CN/LC_MESSAGES/docs/README.po``
(occurrences ``README.md:<line>``); ``build`` writes its Chinese version ``README.zh-CN.md``
(:func:`readme_zh`) beside it. Two of its blocks are generated, not translated: the notebook
table (``kerasnotes table``) is rebuilt from each lesson's translated first cell, and the
language line (``English · [中文](README.zh-CN.md)``) becomes ``[English](README.md) · 中文``.

Command line (``make zh`` runs ``update`` then ``build``)::

    python -m kerasnotes.course.i18n update            # English -> catalogs
    python -m kerasnotes.course.i18n build [-o DIR]    # catalogs -> build/zh/notebooks/
                                                       # (without -o: README.zh-CN.md too)
    python -m kerasnotes.course.i18n check             # exit 1 if a catalog is out of date
    python -m kerasnotes.course.i18n init 20           # start the catalog of lesson 20
    python -m kerasnotes.course.i18n init docs/instructors   # ... of docs/instructors.md
    python -m kerasnotes.course.i18n init README       # ... of README.md (docs/README.po)
    python -m kerasnotes.course.i18n quotes [LESSON]   # "..." -> “...” in the Chinese prose
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polib

from kerasnotes.course.notebooks import (
    TABLE_START,
    atomic_write_text,
    course_root,
    find_notebooks,
    parse_first_cell,
)

__all__ = [
    "LOCALE",
    "Problem",
    "README_SWITCH",
    "README_SWITCH_ZH",
    "README_ZH",
    "Report",
    "build_notebooks",
    "catalog_path",
    "check",
    "chinese_quotes",
    "doc_catalog_path",
    "init_catalog",
    "main",
    "markdown_blocks",
    "markdown_cells",
    "normalise_quotes",
    "readme_zh",
    "readme_zh_table",
    "relative_inputs",
    "translate_document",
    "translate_notebook",
    "update_catalog",
    "update_catalogs",
    "update_doc_catalog",
    "write_readme_zh",
]

LOCALE = "zh_CN"
README_ZH = "README.zh-CN.md"
# The language line of README.md (its first line) and what README.zh-CN.md has instead.
README_SWITCH = f"English · [中文]({README_ZH})"
README_SWITCH_ZH = "[English](README.md) · 中文"
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


# --------------------------------------------------------------------------- quotation marks

# What is not prose: fenced code, inline code, a link's target (with its title), HTML tags and
# <autolinks>, bare URLs. Their ASCII quotes are syntax and stay.
_NOT_PROSE = re.compile(
    r"```.*?(?:```|\Z)|`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>|https?://[^\s)]+", re.DOTALL
)
_ASCII_PAIR = re.compile(r'"([^"\n]*)"')


def chinese_quotes(text: str) -> str:
    """``text`` with each pair of ASCII double quotes in its prose written “…”.

    Chinese prose quotes with full-width marks. Quotes inside fenced or inline code, link
    targets, HTML and URLs are left as they are; in the prose the quotes pair up left to
    right within a line, and a lone ``"`` is left alone.

    Args:
        text: A translation (markdown).

    Returns:
        The text with its prose quotes normalised.

    Raises:
        TypeError: if ``text`` is not a string.

    >>> chinese_quotes('按 "显示答案"，`print("x")` 不变，[见此](a.md "标题") 亦然。')
    '按 “显示答案”，`print("x")` 不变，[见此](a.md "标题") 亦然。'
    """
    if not isinstance(text, str):
        raise TypeError(f"chinese_quotes expects the translation's text (str), received {text!r}")
    masked = _NOT_PROSE.sub(lambda m: "\0" * len(m.group()), text)
    out = list(text)
    for pair in _ASCII_PAIR.finditer(masked):
        out[pair.start()], out[pair.end() - 1] = "\u201c", "\u201d"
    return "".join(out)


def normalise_quotes(po_path: os.PathLike[str] | str) -> int:
    """Rewrite the translations of the catalog at ``po_path`` with :func:`chinese_quotes`.

    Obsolete entries are left as they are; the catalog is saved only when something changed.

    Returns:
        How many translations changed.

    Raises:
        FileNotFoundError: if there is no catalog at ``po_path``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.po"
    >>> po = polib.POFile(wrapwidth=0)
    >>> po.append(polib.POEntry(msgid='A "loss".', msgstr='一个"损失"。'))
    >>> po.save(str(path))
    >>> normalise_quotes(path), polib.pofile(str(path))[0].msgstr
    (1, '一个“损失”。')
    """
    path = Path(po_path)
    if not path.is_file():
        raise FileNotFoundError(f"no catalog at {str(path)!r}; pass a locale/zh_CN/... .po file")
    po = polib.pofile(str(path), wrapwidth=0)
    changed = 0
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        new = chinese_quotes(entry.msgstr)
        if new != entry.msgstr:
            entry.msgstr = new
            changed += 1
    if changed:
        _save(po, path)
    return changed


# --------------------------------------------------------------------------- documents

_FENCE = re.compile(r"^\s*```")


def markdown_blocks(text: str) -> list[tuple[int, str]]:
    """The blocks of a markdown document, as ``(1-based line of the first line, text)``.

    The text is split on blank lines (empty or only whitespace) that are outside
    fenced code blocks (`````` fences); each block keeps its lines as they are
    (trailing spaces included), without leading or trailing newlines.

    >>> markdown_blocks("# Title\\n\\nOne.\\nTwo.\\n\\n```\\na\\n\\nb\\n```\\n")
    [(1, '# Title'), (3, 'One.\\nTwo.'), (6, '```\\na\\n\\nb\\n```')]
    """
    if not isinstance(text, str):
        raise TypeError(f"markdown_blocks expects the document's text (str), received {text!r}")
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not fenced and not line.strip():
            if current:
                blocks.append((start, "\n".join(current).strip("\n")))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
        if _FENCE.match(line):
            fenced = not fenced
    if current:
        blocks.append((start, "\n".join(current).strip("\n")))
    return blocks


def _is_entry(block: str) -> bool:
    """A block is a catalog entry when it has a letter or a CJK character (not ``---``).

    The blocks that are generated rather than translated are not entries: the notebook
    table of the README (``kerasnotes table``) and its language line.
    """
    if TABLE_START in block or block == README_SWITCH:
        return False
    return any(ch.isalpha() for ch in block)


def _occurrence(document: Path) -> str:
    """How a catalog names its document: ``README.md``, else ``docs/<name>.md``."""
    return document.name if document.name == "README.md" else f"docs/{document.name}"


def _document_of(po_path: Path, notebook_dir: os.PathLike[str] | str | None) -> Path:
    """The English document of a document catalog: ``README.md`` or ``docs/<name>.md``."""
    docs = _docs_dir(notebook_dir)
    return docs.parent / "README.md" if po_path.stem == "README" else docs / f"{po_path.stem}.md"


def doc_catalog_path(document: os.PathLike[str] | str, locale_dir: os.PathLike[str] | str) -> Path:
    """The catalog of a markdown document: ``<locale_dir>/docs/<document stem>.po``.

    >>> doc_catalog_path("docs/instructors.md", "locale/zh_CN/LC_MESSAGES").as_posix()
    'locale/zh_CN/LC_MESSAGES/docs/instructors.po'
    """
    return Path(locale_dir) / "docs" / (Path(document).stem + ".po")


def _read_document(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"no document at {str(path)!r}; pass a path to a .md file")
    return path.read_text(encoding="utf-8")


def update_doc_catalog(
    document: os.PathLike[str] | str, po_path: os.PathLike[str] | str
) -> polib.POFile:
    """Merge the blocks of a markdown ``document`` into the catalog at ``po_path`` and save it.

    One entry per block (see :func:`markdown_blocks`) that has a letter; a block that
    occurs twice is one entry with two occurrences. An unchanged block keeps its
    translation and flags; a changed block whose old English is close to it (difflib
    ratio >= 0.8) gets the old translation as a ``fuzzy`` suggestion, with the old
    English as ``previous_msgid``. Translations no block uses become obsolete.

    Returns:
        The saved catalog.

    Raises:
        FileNotFoundError: if ``document`` does not exist.

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "guide.md").write_text("# Guide\\n\\n---\\n\\nA callback.\\n")
    >>> po = update_doc_catalog(tmp / "guide.md", tmp / "guide.po")
    >>> [(e.msgid, e.occurrences) for e in po]
    [('# Guide', [('docs/guide.md', '1')]), ('A callback.', [('docs/guide.md', '5')])]
    """
    document, po_path = Path(document), Path(po_path)
    blocks = markdown_blocks(_read_document(document))
    old = polib.pofile(str(po_path), wrapwidth=0) if po_path.is_file() else None
    po = _new_catalog(_occurrence(document).removesuffix(".md"))
    if old is not None:
        po.metadata.update(old.metadata)
    old_entries = list(old) if old is not None else []
    by_id = {e.msgid: e for e in old_entries if not e.obsolete}
    by_id.update({e.msgid: e for e in old_entries if e.obsolete and e.msgid not in by_id})
    translated = [e for e in old_entries if e.msgstr]
    used: set[str] = set()
    entries: dict[str, polib.POEntry] = {}
    for line, block in blocks:
        if not _is_entry(block):
            continue
        where = (_occurrence(document), str(line))
        if block in entries:
            entries[block].occurrences.append(where)
            continue
        entry = polib.POEntry(msgid=block, msgstr="", occurrences=[where])
        match = by_id.get(block)
        if match is not None:
            entry.msgstr = match.msgstr
            entry.flags = list(match.flags)
            entry.previous_msgid = match.previous_msgid
            entry.tcomment = match.tcomment
            used.add(match.msgid)
        else:
            close = difflib.get_close_matches(
                block, [e.msgid for e in translated if e.msgid not in used], n=1, cutoff=0.8
            )
            if close:
                suggestion = next(e for e in translated if e.msgid == close[0])
                entry.msgstr = suggestion.msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = suggestion.msgid
                used.add(suggestion.msgid)
        entries[block] = entry
        po.append(entry)
    for e in translated:
        if e.msgid not in entries and e.msgid not in used:
            e.obsolete = True
            e.occurrences = []
            po.append(e)
    _save(po, po_path)
    return po


def translate_document(
    text: str, po: polib.POFile | os.PathLike[str] | str | None
) -> tuple[str, int]:
    """The Chinese version of a markdown document's ``text``, and how many blocks stayed English.

    The blocks of ``text`` (:func:`markdown_blocks`) are joined by a blank line, each
    replaced by its catalog entry's translation when it has one that is not fuzzy. A
    block with a letter and no usable translation stays English and is counted.

    Args:
        text: The English document.
        po: Its catalog (a :class:`polib.POFile` or a path), or None (nothing translated).

    >>> po = polib.POFile()
    >>> po.append(polib.POEntry(msgid="A callback.", msgstr="一个回调。"))
    >>> translate_document("# Guide\\n\\n---\\n\\nA callback.\\n", po)
    ('# Guide\\n\\n---\\n\\n一个回调。', 1)
    """
    catalog: list[polib.POEntry] = []
    if isinstance(po, polib.POFile):
        catalog = list(po)
    elif po is not None:
        catalog = list(polib.pofile(str(po), wrapwidth=0))
    usable = {
        e.msgid: e.msgstr for e in catalog if not e.obsolete and not e.fuzzy and e.msgstr.strip()
    }
    out, english = [], 0
    for _line, block in markdown_blocks(text):
        if block in usable:
            out.append(usable[block])
        else:
            english += _is_entry(block)
            out.append(block)
    return "\n\n".join(out), english


# --------------------------------------------------------------------------- README.zh-CN.md

_README_ZH_HEADER = (
    "<!-- 由 `make zh`（python -m kerasnotes.course.i18n build）根据 README.md 和"
    " locale/zh_CN/LC_MESSAGES/docs/README.po 生成，请勿直接编辑。 -->\n\n"
)


def _cell_text(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def readme_zh_table(
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
    link_prefix: str = "notebooks/",
) -> str:
    """The notebook table of ``README.zh-CN.md``, from each lesson's translated first cell.

    The rows are those of ``kerasnotes table`` (number, linked title, notes section), read
    from the Chinese first cell (``# NN · 标题`` and ``**笔记章节：**``) when its catalog
    entry is current, else from the English cell. Links go to the English notebooks (same
    code; the Chinese notebooks are built into ``build/zh/notebooks/``).

    Returns:
        The table, after a comment saying where it comes from, ending with a newline.

    >>> import json, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# 07 · Plots"}
    >>> _ = (tmp / "07_plots.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> readme_zh_table(tmp, tmp / "locale").splitlines()[-1]
    '| 07 | [Plots](notebooks/07_plots.ipynb) | （第一个单元格没有笔记章节） |'
    """
    notebooks, folder = _paths(notebook_dir, locale_dir)
    lines = [
        "<!-- 课程表：根据各课中文目录的第一个单元格生成 -->",
        "| # | 课程 | 对应的笔记章节 |",
        "| --- | --- | --- |",
    ]
    for path in notebooks:
        nb = _read_notebook(path)
        po = catalog_path(path, folder)
        zh, _english = translate_notebook(nb, po if po.is_file() else None)
        cells = zh.get("cells") or [{}]
        info = parse_first_cell(
            _source(cells[0]) if cells[0].get("cell_type") == "markdown" else ""
        )
        title = _cell_text(info.title or path.stem)
        notes = _cell_text(info.notes_section) or "（第一个单元格没有笔记章节）"
        lines.append(f"| {info.number or '?'} | [{title}]({link_prefix}{path.name}) | {notes} |")
    return "\n".join(lines) + "\n"


def readme_zh(
    root: os.PathLike[str] | str | None = None, locale_dir: os.PathLike[str] | str | None = None
) -> str:
    """The text of ``README.zh-CN.md``: ``<root>/README.md`` translated by its catalog.

    Each block is replaced by its translation (:func:`translate_document`'s rule: an entry
    that is not fuzzy, else the English stays), except the two generated blocks: the
    notebook table becomes :func:`readme_zh_table`, and the language line points back to
    ``README.md``.

    Args:
        root: The repository (default: :func:`course_root`).
        locale_dir: The catalogs (default: ``<root>/locale/zh_CN/LC_MESSAGES``).

    Raises:
        FileNotFoundError: if ``<root>/README.md`` does not exist.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "notebooks").mkdir()
    >>> _ = (root / "README.md").write_text(README_SWITCH + "\\n\\n# Demo\\n")
    >>> readme_zh(root).splitlines()[2:]
    ['[English](README.md) · 中文', '', '# Demo']
    """
    root = Path(root) if root is not None else course_root()
    folder = Path(locale_dir) if locale_dir is not None else _locale_dir(root)
    text = _read_document(root / "README.md")
    po_path = folder / "docs" / "README.po"
    po = polib.pofile(str(po_path), wrapwidth=0) if po_path.is_file() else None
    out = []
    for _line, block in markdown_blocks(text):
        if TABLE_START in block:
            out.append(readme_zh_table(root / "notebooks", folder).rstrip("\n"))
        elif block == README_SWITCH:
            out.append(README_SWITCH_ZH)
        else:
            out.append(translate_document(block, po)[0])
    return _README_ZH_HEADER + "\n\n".join(out) + "\n"


def write_readme_zh(
    root: os.PathLike[str] | str | None = None, locale_dir: os.PathLike[str] | str | None = None
) -> Path | None:
    """Write ``<root>/README.zh-CN.md`` (:func:`readme_zh`) when ``docs/README.po`` exists.

    Returns:
        The file written (it is rewritten only when its text changed), or None when the
        README has no catalog.

    >>> import tempfile
    >>> write_readme_zh(tempfile.mkdtemp()) is None
    True
    """
    root = Path(root) if root is not None else course_root()
    folder = Path(locale_dir) if locale_dir is not None else _locale_dir(root)
    if not (folder / "docs" / "README.po").is_file():
        return None
    target = root / README_ZH
    text = readme_zh(root, folder)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        atomic_write_text(target, text)
    return target


def _paths(
    notebook_dir: os.PathLike[str] | str | None, locale_dir: os.PathLike[str] | str | None
) -> tuple[list[Path], Path]:
    root = course_root()
    notebooks = find_notebooks(notebook_dir if notebook_dir is not None else root / "notebooks")
    return notebooks, Path(locale_dir) if locale_dir is not None else _locale_dir(root)


def _docs_dir(notebook_dir: os.PathLike[str] | str | None) -> Path:
    """``docs/`` beside the notebooks' folder (the repository's, by default)."""
    base = Path(notebook_dir).parent if notebook_dir is not None else course_root()
    return base / "docs"


def _doc_catalogs(locale_dir: Path) -> list[Path]:
    folder = locale_dir / "docs"
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def init_catalog(
    lesson: str,
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> Path:
    """Start the catalog of one lesson, given its number or file stem (``"20"``).

    ``"docs/<name>"`` starts the catalog of the document ``docs/<name>.md`` instead, and
    ``"README"`` that of the top ``README.md`` (``docs/README.po``).

    Raises:
        ValueError: if no notebook, or more than one, matches ``lesson``.
        FileNotFoundError: if the document ``docs/<name>.md`` does not exist.

    >>> import json, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "markdown", "id": "c1", "metadata": {}, "source": "Hi."}
    >>> _ = (tmp / "07_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> init_catalog("07", tmp, tmp / "po").name
    '07_x.po'
    """
    if lesson in ("README", "README.md"):
        lesson = "docs/README"
    if lesson.startswith("docs/"):
        document = _document_of(Path(lesson + ".po"), notebook_dir)
        path = doc_catalog_path(document, Path(locale_dir) if locale_dir else _paths(None, None)[1])
        update_doc_catalog(document, path)
        return path
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

    Lessons without a catalog are left alone (start one with :func:`init_catalog`). The
    catalogs of documents (``<locale_dir>/docs/<name>.po``) are merged with
    ``docs/<name>.md`` beside the notebooks' folder (:func:`update_doc_catalog`).

    Returns:
        The catalogs updated: the lessons', then the documents'.

    Raises:
        FileNotFoundError: if a document's catalog has no document any more.

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
    for path in _doc_catalogs(locale_dir):
        document = _document_of(path, notebook_dir)
        if not document.is_file():
            raise FileNotFoundError(
                f"the catalog {path} translates {document}, which does not exist; "
                "restore the document or delete its catalog"
            )
        update_doc_catalog(document, path)
        updated.append(path)
    return updated


@dataclass(frozen=True)
class Problem:
    """One out-of-date entry: the lesson, the cell id, what is wrong and how to fix it."""

    lesson: str
    cell: str
    what: str
    fix: str = _FIX

    def __str__(self) -> str:
        return f"{self.lesson}, cell {self.cell}: {self.what}; {self.fix}"


@dataclass
class Report:
    """What :func:`check` found: problems, lessons with and without a catalog, entries."""

    problems: list[Problem] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    entries: int = 0
    documents: list[str] = field(default_factory=list)
    document_entries: int = 0

    @property
    def coverage(self) -> str:
        """``"N of M lessons translated, K entries"`` (and the documents', when there are any)."""
        total = len(self.translated) + len(self.untranslated)
        text = f"{len(self.translated)} of {total} lessons translated, {self.entries} entries"
        if self.documents:
            text += f"; {len(self.documents)} documents, {self.document_entries} entries"
        return text


def _translations(po: polib.POFile) -> dict[tuple[str, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}


def check(
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> Report:
    """Compare every catalog with its English lesson, without writing anything.

    Each English markdown cell of a lesson that has a catalog needs an entry with the
    same cell id and the same English, translated and not fuzzy; so does each block
    of a document that has a catalog (``<locale_dir>/docs/<name>.po``).

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
    for path in _doc_catalogs(locale_dir):
        document = _document_of(path, notebook_dir)
        name = _occurrence(document).removesuffix(".md")
        report.documents.append(name)
        if not document.is_file():
            report.problems.append(Problem(name, "-", f"{document} does not exist"))
            continue
        usable = {e.msgid: e for e in polib.pofile(str(path), wrapwidth=0) if not e.obsolete}
        for line, block in markdown_blocks(document.read_text(encoding="utf-8")):
            if not _is_entry(block):
                continue
            entry = usable.get(block)
            where = f"line {line}"
            if entry is None:
                report.problems.append(Problem(name, where, "no entry (the English changed?)"))
            elif not entry.msgstr.strip():
                report.problems.append(Problem(name, where, "not translated"))
            elif entry.fuzzy:
                report.problems.append(Problem(name, where, "fuzzy (English changed)"))
            else:
                report.document_entries += 1
        if path.stem == "README" and document.is_file():
            built = readme_zh(document.parent, locale_dir)
            written = document.parent / README_ZH
            if not written.is_file() or written.read_text(encoding="utf-8") != built:
                what = f"{README_ZH} differs from what the catalogs build"
                fix = "run `make zh` (or `python -m kerasnotes.course.i18n build`) to rewrite it"
                report.problems.append(Problem(name, "-", what, fix))
    return report


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def translate_notebook(
    nb: dict[str, Any], po: polib.POFile | os.PathLike[str] | str | None
) -> tuple[dict[str, Any], int]:
    """A copy of ``nb`` with its markdown from the catalog ``po``, and the cells left English.

    A markdown cell takes the translation of the entry with its cell id and its exact
    English, unless that entry is fuzzy or empty: then the English stays and the cell
    is counted. Other cells (code, with their outputs) are copied unchanged, and
    ``metadata.language`` is ``"zh_CN"``. ``nb`` may be an executed notebook.

    >>> po = polib.POFile()
    >>> po.append(polib.POEntry(msgctxt="a", msgid="Hi.", msgstr="你好。"))
    >>> nb = {"cells": [{"cell_type": "markdown", "id": "a", "source": "Hi."},
    ...                 {"cell_type": "markdown", "id": "b", "source": "Bye."}]}
    >>> zh, english = translate_notebook(nb, po)
    >>> [c["source"] for c in zh["cells"]], english
    ([['你好。'], 'Bye.'], 1)
    """
    if po is not None and not isinstance(po, polib.POFile):
        po = polib.pofile(str(po), wrapwidth=0)
    entries = _translations(po) if po is not None else {}
    zh = copy.deepcopy(nb)
    english = 0
    for cell in zh.get("cells", []):
        if cell.get("cell_type") != "markdown" or not _source(cell).strip():
            continue
        entry = entries.get((cell.get("id"), _source(cell)))
        if entry is not None and entry.msgstr.strip() and not entry.fuzzy:
            cell["source"] = _lines(entry.msgstr)
        else:
            english += 1
    zh.setdefault("metadata", {})["language"] = LOCALE
    return zh, english


_RELATIVE = re.compile(r"""["'](\.\./[^"'\n]+)["']""")


def relative_inputs(nb: dict[str, Any]) -> list[str]:
    """The ``"../..."`` paths that the code cells of ``nb`` name, in order, without repeats.

    The lessons run inside ``notebooks/`` and read files beside it (``../data/...``);
    a Chinese notebook written elsewhere needs them at the same relative place.

    >>> relative_inputs({"cells": [{"cell_type": "code", "source": 'open("../data/a.txt")'}]})
    ['../data/a.txt']
    """
    found: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            for path in _RELATIVE.findall(_source(cell)):
                if path not in found:
                    found.append(path)
    return found


def _copy_inputs(nb: dict[str, Any], notebook_dir: Path, out_dir: Path) -> None:
    """Copy what ``nb`` reads through ``../`` paths so they resolve from ``out_dir`` too."""
    repo = notebook_dir.resolve().parent
    for rel in relative_inputs(nb):
        source = (notebook_dir / rel).resolve()
        if not source.exists() or not source.is_relative_to(repo) or source == repo:
            continue  # only files of the repository itself, never the repository whole
        target = (out_dir / rel).resolve()
        if source == target:
            continue
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        elif not target.is_file() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def build_notebooks(
    out_dir: os.PathLike[str] | str,
    notebook_dir: os.PathLike[str] | str | None = None,
    locale_dir: os.PathLike[str] | str | None = None,
) -> list[Path]:
    """Write the Chinese notebook of every lesson that has a catalog into ``out_dir``.

    Markdown cells take their translation from the catalog (the English stays where
    the entry is missing, fuzzy or stale: :func:`check` reports those); every other
    cell is copied unchanged, and ``metadata.language`` is ``"zh_CN"``
    (:func:`translate_notebook`). The files a lesson reads through ``../`` paths
    (:func:`relative_inputs`, such as ``../data/fit_generate.txt``) are copied to the
    same place relative to ``out_dir``, so a Chinese notebook opened there runs.

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
        nb = _read_notebook(nb_path)
        zh, _english = translate_notebook(nb, path)
        target = out_dir / nb_path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, json.dumps(zh, indent=1, ensure_ascii=False) + "\n")
        _copy_inputs(nb, nb_path.parent, out_dir)
        written.append(target)
    return written


def _build_into_course_build(
    notebook_dir: os.PathLike[str] | str | None, locale_dir: os.PathLike[str] | str | None
) -> int:
    """``build`` without ``-o``: ``build/zh/notebooks``, claimed like ``kerasnotes run`` does.

    ``build/`` belongs to ``kerasnotes run`` (:mod:`kerasnotes.course.buildfolder`): a file
    it did not write makes the next run refuse the folder. So the Chinese notebooks (and the
    inputs copied beside them) are written under the same lock and added to its manifest.
    """
    from kerasnotes.course.buildfolder import BuildFolder, OutputFolderError

    build = course_root() / "build"
    try:
        with BuildFolder.claim(build, sources=[]) as folder:
            out = build / "zh" / "notebooks"
            written = build_notebooks(out, notebook_dir, locale_dir)
            zh = build / "zh"
            folder.record(*(p.relative_to(build).as_posix() for p in zh.rglob("*") if p.is_file()))
    except OutputFolderError as exc:
        print(f"python -m kerasnotes.course.i18n build: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} Chinese notebooks to {out}")
    return 0


def _quote_targets(
    lesson: str | None,
    notebook_dir: os.PathLike[str] | str | None,
    locale_dir: os.PathLike[str] | str | None,
) -> list[Path]:
    """The catalogs ``quotes`` rewrites: every one, or the one of ``lesson``."""
    notebooks, folder = _paths(notebook_dir, locale_dir)
    every = [catalog_path(nb, folder) for nb in notebooks] + _doc_catalogs(folder)
    every = [path for path in every if path.is_file()]
    if lesson is None:
        return every
    name = Path(lesson).stem
    if lesson.startswith("docs/"):
        matches = [p for p in every if p.parent.name == "docs" and p.stem == name]
    else:
        matches = [p for p in every if p.parent.name != "docs" and name in (p.stem, p.stem[:2])]
    if len(matches) != 1:
        raise ValueError(
            f"{lesson!r} matches {len(matches)} catalogs; pick one of: "
            + ", ".join(p.stem for p in every)
        )
    return matches


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``update``, ``build [-o DIR]``, ``check``, ``init LESSON`` or ``quotes``.

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
    parser.add_argument("command", choices=["update", "build", "check", "init", "quotes"])
    parser.add_argument(
        "lesson",
        nargs="?",
        help="init: the lesson number or file stem, or docs/<name>; quotes: only that catalog",
    )
    parser.add_argument("-o", "--out", default=None, help="build: output folder")
    parser.add_argument("--notebooks", default=None, help="the English notebooks' folder")
    parser.add_argument("--locale", default=None, help="the folder of the .po catalogs")
    args = parser.parse_args(argv)
    if args.command == "init":
        if not args.lesson:
            parser.error("init needs a lesson, for example: init 20")
        print(f"wrote {init_catalog(args.lesson, args.notebooks, args.locale)}")
        return 0
    if args.command == "quotes":
        for path in _quote_targets(args.lesson, args.notebooks, args.locale):
            print(f"{normalise_quotes(path)} translations changed in {path}")
        return 0
    if args.command == "update":
        for path in update_catalogs(args.notebooks, args.locale):
            print(f"updated {path}")
        return 0
    if args.command == "build":
        if args.out is not None:
            written = build_notebooks(args.out, args.notebooks, args.locale)
            print(f"wrote {len(written)} Chinese notebooks to {args.out}")
            return 0
        status = _build_into_course_build(args.notebooks, args.locale)
        if status == 0 and args.notebooks is None:
            readme = write_readme_zh(None, args.locale)
            if readme is not None:
                print(f"wrote {readme}")
        return status
    report = check(args.notebooks, args.locale)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.untranslated:
        print("no catalog yet: " + ", ".join(report.untranslated), file=sys.stderr)
    print(report.coverage)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
