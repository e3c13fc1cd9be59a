"""The pages of the course site: the lessons' copies and the generated pages.

:mod:`kerasnotes.course.site` builds the site; this module makes what it shows,
as plain data, without touching the disk:

- the copy of each lesson the site renders (:func:`site_notebook`): the cell roles
  mapped to myst-nb's tags (:func:`site_cell`, :data:`TAG_MAP`), TensorFlow's C++
  start-up log dropped, a banner (Colab, download, status) and, for a lesson that
  did not run cleanly, an error box;
- the generated pages (:func:`generated_pages`): the home page (learning path and
  lesson table), the map from the notes' sections to the lessons, the migrate
  rules and the helpers' API reference (:data:`API_MODULES`).

Example:
    >>> mapped = site_cell({"cell_type": "code", "source": "x = 1",
    ...                     "metadata": {"tags": ["check"]}})
    >>> mapped["metadata"]["tags"]
    ['check', 'hide-input']
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasnotes.course.notebooks import LessonInfo

__all__ = [
    "API_MODULES",
    "PAGES_DIR",
    "STATUS_LABELS",
    "TAG_MAP",
    "LessonRow",
    "generated_pages",
    "site_cell",
    "site_notebook",
    "unreadable_notebook",
]

#: The helper modules whose docstrings make the API reference, in the order shown.
API_MODULES = (
    "schedules",
    "metrics",
    "saving",
    "viz",
    "predict",
    "reference",
    "data",
    "generators",
    "inspect",
)

#: Lesson cell role (nbformat tag) -> the myst-nb tags added to it in the site's copy.
TAG_MAP = {
    "check": ("hide-input",),
    "solution": ("hide-cell",),
}
_PROMPTS = {
    "check": ("Show the check", "Hide the check"),
    "solution": ("Show solution", "Hide solution"),
}

STATUS_LABELS = {
    "ok": "ok",
    "failed": "**FAILED**",
    "timeout": "**TIMED OUT**",
    "interrupted": "**INTERRUPTED**",
    "not run": "not run",
}

PAGES_DIR = "notebooks"  # where lesson pages go, mirroring the repository's notebooks/


@dataclass
class LessonRow:
    """One lesson as the site sees it: its source, the run's verdict, its executed copy."""

    source: Path
    status: str = "not run"
    seconds: float | None = None
    cached: bool | None = None
    executed: Path | None = None
    error: dict[str, Any] | None = None
    info: LessonInfo = field(default_factory=LessonInfo)

    @property
    def stem(self) -> str:
        return self.source.stem

    @property
    def title(self) -> str:
        return self.info.title or self.stem


# ------------------------------------------------------------------ the site's copies


# TensorFlow's C++ start-up log (absl), which a kernel may print to stderr before any
# Python code can silence it: "WARNING: All log messages before absl::..." and glog lines
# such as "I0000 00:00:1796052044.287585   31527 cudart_stub.cc:31] ...".
_TF_LOG_LINE = re.compile(
    r"^(?:WARNING: All log messages before absl::InitializeLog\(\) is called.*"
    r"|[IWEF]\d{4} [\d:.]+\s+\d+ [\w.]+\.cc:\d+\].*)\n?",
    re.M,
)


def _quiet_outputs(cell: dict[str, Any]) -> None:
    """Drop TensorFlow's C++ log lines from a code cell's stderr (in the site's copy)."""
    kept = []
    for output in cell.get("outputs") or []:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            text = _TF_LOG_LINE.sub("", text)
            if not text.strip():
                continue
            output = {**output, "text": text}
        kept.append(output)
    if "outputs" in cell:
        cell["outputs"] = kept


def _tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags") or []
    return [t for t in tags if isinstance(t, str)]


def site_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """A copy of a lesson cell with its role mapped to myst-nb's tags (see :data:`TAG_MAP`).

    Args:
        cell: An nbformat-4 cell (a dict); it is not modified.

    Returns:
        The copy: ``check`` gains ``hide-input``, ``solution`` gains ``hide-cell``,
        each with its own toggle label; TensorFlow's C++ start-up log lines are
        dropped from stderr outputs; other cells are returned unchanged.
    """
    cell = copy.deepcopy(cell)
    _quiet_outputs(cell)
    tags = _tags(cell)
    for role, added in TAG_MAP.items():
        if role in tags:
            meta = cell.setdefault("metadata", {})
            meta["tags"] = tags + [t for t in added if t not in tags]
            show, hide = _PROMPTS[role]
            meta.setdefault("mystnb", {}).update(
                {"code_prompt_show": show, "code_prompt_hide": hide}
            )
            break
    return cell


def _markdown_cell(text: str, cell_id: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _failure_note(row: LessonRow, nb: dict[str, Any]) -> str:
    labels = {
        "failed": "failed",
        "timeout": "ran out of time",
        "interrupted": "was interrupted",
    }
    what = labels.get(row.status, row.status)
    lines = [":::{error}", f"**This lesson {what}** in the last `kerasnotes run`."]
    error = row.error or {}
    cell_no = error.get("cell")
    if isinstance(cell_no, int):
        lines.append(f"The run stopped at cell [{cell_no}]; its code and the error follow.")
    ename, evalue = error.get("ename"), error.get("evalue")
    if ename or evalue:
        lines += ["", "```text", f"{ename or 'Error'}: {evalue or ''}".rstrip(), "```"]
    cells = nb.get("cells") or []
    if isinstance(cell_no, int) and 0 <= cell_no < len(cells):
        source = cells[cell_no].get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines += ["", "````python", source.rstrip(), "````"]
    if row.executed is None:
        lines += ["", "No executed copy was written; the page shows the notebook without outputs."]
    lines.append(":::")
    return "\n".join(lines)


def site_notebook(
    nb: dict[str, Any], row: LessonRow, *, colab: str | None, download: str | None
) -> dict[str, Any]:
    """The copy of a lesson that the site renders.

    Args:
        nb: The executed notebook (or the source, when it was not run); not modified.
        row: The lesson's row from the run.
        colab: Its "Open in Colab" URL, or None.
        download: The relative link to the clean source notebook, or None when
            there is no source to offer.

    Returns:
        The notebook with cell roles mapped to myst-nb tags, a banner (Colab,
        download, status) after the first cell, and for a lesson that did not run
        cleanly an error box naming the failing cell and its error.
    """
    new = copy.deepcopy({k: v for k, v in nb.items() if k != "cells"})
    new.get("metadata", {}).pop("widgets", None)  # no widget JavaScript from a CDN
    cells = [site_cell(c) for c in nb.get("cells") or []]
    links = []
    if colab:
        links.append(f'<a class="kn-colab" href="{html.escape(colab)}">Open in Colab</a>')
    if download:
        links.append(
            f'<a class="kn-download" href="{html.escape(download)}" download>'
            "Download the notebook</a>"
        )
    # Only the status: seconds and cache hits change from run to run and live on the home
    # page, so an unchanged lesson's page stays byte-identical and Sphinx skips it.
    links.append(f'<span class="kn-status">last run: {html.escape(row.status)}</span>')
    banner = f'<p class="kn-banner">{" · ".join(links)}</p>'
    extra = [_markdown_cell(banner, "kn-banner")]
    if row.status not in ("ok", "not run"):
        extra.append(_markdown_cell(_failure_note(row, nb), "kn-failure"))
    head = 1 if cells and cells[0].get("cell_type") == "markdown" else 0
    new["cells"] = cells[:head] + extra + cells[head:]
    return new


# ---------------------------------------------------------------- generated pages


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _doc_link(row: LessonRow, prefix: str = "") -> str:
    return f"[{_escape_cell(row.title)}]({prefix}{PAGES_DIR}/{row.stem}.ipynb)"


def _home_page(rows: Sequence[LessonRow], learning_path: str) -> str:
    ok = sum(r.status == "ok" for r in rows)
    ran = [r for r in rows if r.status != "not run"]
    total = sum(r.seconds or 0.0 for r in rows)
    cached = sum(bool(r.cached) for r in rows)
    if ran:
        summary = (
            f"Last run: {ok} of {len(rows)} lessons ran without error in {total:.0f} s"
            f" ({cached} taken from the cache)."
        )
    else:
        summary = (
            "These pages show the lessons without outputs: run `kerasnotes run` to execute them."
        )
    lines = [
        "# Keras notes on Keras 3",
        "",
        "A course that takes a set of classic Keras 1/2 study notes (in Chinese) and runs every "
        "idiom on TensorFlow 2 / Keras 3: what the old code does now, and the modern way, checked.",
        "",
        learning_path.strip(),
        "",
        "## Lessons",
        "",
        summary,
        "",
        "| # | Lesson | Notes section | Status | Seconds | Cached |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        seconds = f"{row.seconds:.1f}" if row.seconds is not None else "–"
        cached_text = {True: "yes", False: "no", None: "–"}[row.cached]
        lines.append(
            f"| {row.info.number or '?'} | {_doc_link(row)} | "
            f"{_escape_cell(row.info.notes_section or '–')} | "
            f"{STATUS_LABELS.get(row.status, _escape_cell(row.status))} | {seconds} | {cached_text} |"
        )
    lines += [
        "",
        "```{toctree}",
        ":hidden:",
        ":caption: Lessons",
        "",
        *[f"{PAGES_DIR}/{r.stem}" for r in rows],
        "```",
        "",
        "```{toctree}",
        ":hidden:",
        ":caption: Reference",
        "",
        "notes-map",
        "migrate-rules",
        "api/index",
        "```",
        "",
    ]
    return "\n".join(lines)


_SECTION_SPLIT = re.compile(r";\s*(?=`)")


def _notes_map(rows: Sequence[LessonRow], intro: str) -> str:
    entries = []
    for order, row in enumerate(rows):
        for part in _SECTION_SPLIT.split(row.info.notes_section or ""):
            file, _, section = part.partition("›")
            if not section:
                file, section = "", part
            entries.append((file.strip() or "–", order, section.strip() or "–", row))
    entries.sort(key=lambda e: (e[0], e[1]))
    lines = [
        intro.strip(),
        "",
        "| Notes file | Section of the notes | Lesson |",
        "| --- | --- | --- |",
    ]
    for file, _, section, row in entries:
        lines.append(f"| {_escape_cell(file)} | {_escape_cell(section)} | {_doc_link(row)} |")
    return "\n".join(lines) + "\n"


_LESSON_REF = re.compile(r"`(\d\d_[a-z0-9_]+)`")
_LESSON_LINK = re.compile(r"\[([^\]]+)\]\(" + PAGES_DIR + r"/(\w+)\.ipynb(?:#[^)]*)?\)")


def _unlink_missing(text: str, stems: set[str]) -> str:
    """Turn links to lessons the site does not have into plain text (no broken links)."""
    return _LESSON_LINK.sub(lambda m: m.group(0) if m.group(2) in stems else m.group(1), text)


def _migrate_page(text: str, stems: set[str]) -> str:
    def link(match: re.Match[str]) -> str:
        stem = match.group(1)
        return f"[`{stem}`]({PAGES_DIR}/{stem}.ipynb)" if stem in stems else match.group(0)

    return _LESSON_REF.sub(link, text)


def _api_pages() -> dict[str, str]:
    pages = {
        "api/index.md": "\n".join(
            [
                "# Helpers' API reference",
                "",
                "Generated from the docstrings of the `kerasnotes` helper modules. Each is "
                "importable as `kerasnotes.<module>`, and its public names also as "
                "`kerasnotes.<name>`.",
                "",
                "```{toctree}",
                ":maxdepth: 1",
                "",
                *API_MODULES,
                "```",
                "",
            ]
        )
    }
    for module in API_MODULES:
        pages[f"api/{module}.md"] = (
            f"# `kerasnotes.{module}`\n\n```{{automodule}} kerasnotes.{module}\n"
            ":members:\n:show-inheritance:\n```\n"
        )
    return pages


def generated_pages(rows: Sequence[LessonRow], docs: Path) -> dict[str, str]:
    """The site's own pages, as relative path -> Markdown text.

    Args:
        rows: The lessons, in course order.
        docs: The repository's ``docs/`` folder (``learning-path.md``,
            ``notes-map.md``, ``migrate-rules.md``; each may be missing).

    Returns:
        The home page (``index.md``: learning path and lesson table), the map from
        the notes to the lessons (``notes-map.md``), the migrate rules
        (``migrate-rules.md``) and the API reference (``api/*.md``).
    """
    learning = docs / "learning-path.md"
    learning_text = learning.read_text(encoding="utf-8") if learning.is_file() else ""
    # docs/ links work on a forge (../notebooks/x.ipynb); the home page sits at the site's root.
    learning_text = learning_text.replace("](../notebooks/", f"]({PAGES_DIR}/")
    stems = {r.stem for r in rows}
    learning_text = _unlink_missing(learning_text, stems)
    pages = {"index.md": _home_page(rows, learning_text)}
    notes_intro = docs / "notes-map.md"
    intro = (
        notes_intro.read_text(encoding="utf-8")
        if notes_intro.is_file()
        else "# From the notes to the lessons\n"
    )
    pages["notes-map.md"] = _notes_map(rows, intro)
    rules = docs / "migrate-rules.md"
    rules_text = (
        rules.read_text(encoding="utf-8")
        if rules.is_file()
        else "# `kerasnotes migrate` rules\n\n`docs/migrate-rules.md` is missing.\n"
    )
    pages["migrate-rules.md"] = _migrate_page(rules_text, stems)
    pages.update(_api_pages())
    return pages


def unreadable_notebook(row: LessonRow) -> dict[str, Any]:
    """The page shown for a lesson whose notebook could not be read (a one-cell notebook)."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            _markdown_cell(f"# {row.stem}\n\nThis notebook could not be read.", "kn-unreadable")
        ],
    }
