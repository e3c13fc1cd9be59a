"""The course site: the executed lessons rendered by Sphinx, myst-nb and sphinx-book-theme.

``kerasnotes run`` executes the lessons into an output folder (default ``build/``)
and then calls :func:`build_site`; ``kerasnotes site`` calls it alone (no
execution). The site reads what the run left there:

- ``<out>/summary.json``: one row per lesson (status, seconds, cached, error);
- ``<out>/<stem>.ipynb``: the executed copy of each lesson.

It renders them without executing anything again (myst-nb's
``nb_execution_mode = "off"``), with a home page (learning path, lesson table with
status and timings), one page per lesson (sidebar, previous/next, in-page table of
contents, a Colab link and a download link of the clean source notebook), the
helpers' API reference from their docstrings, the migrate rules, the map from the
notes' sections to the lessons, and Sphinx's full-text search.

Where things go (``<out>`` is the output folder):

- ``<out>/.site/<language>/src``: the Sphinx sources: copies of the lessons with
  their cell roles mapped to myst-nb's tags, the generated pages, ``conf.py``. A
  copy is rewritten only when its content changes, so Sphinx's incremental build
  re-reads only what changed;
- ``<out>/.site/<language>/html`` and ``doctrees``: Sphinx's own output and cache;
- ``<out>/`` (English) or ``<out>/zh/`` (Chinese, when the translations exist):
  the published site. Files are copied there one by one through a temporary name
  and a rename, home page last, so an interrupted build leaves the previous site
  (or no site), never a half-written page.

The cell roles of the lessons (nbformat ``metadata.tags``) become myst-nb tags in
the copies only, never in the sources: ``check`` cells show their output with the
code folded, ``solution`` cells are folded whole behind a "Show solution" toggle.

Example:
    >>> mapped = site_cell({"cell_type": "code", "source": "x = 1",
    ...                     "metadata": {"tags": ["solution"]}})
    >>> mapped["metadata"]["tags"]
    ['solution', 'hide-cell']
    >>> colab_url("https://github.com/kerasnotes/kerasnotes", "notebooks/10_concatenate_axes.ipynb")
    'https://colab.research.google.com/github/kerasnotes/kerasnotes/blob/main/notebooks/10_concatenate_axes.ipynb'
"""

from __future__ import annotations

import argparse
import copy
import filecmp
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasnotes.course.notebooks import (
    LessonInfo,
    atomic_write_bytes,
    course_root,
    find_notebooks,
    lesson_info,
)

__all__ = [
    "API_MODULES",
    "LANGUAGES",
    "TAG_MAP",
    "LessonRow",
    "SiteBuildError",
    "SiteResult",
    "build_site",
    "colab_url",
    "load_summary",
    "main",
    "repository_url",
    "site_cell",
    "site_notebook",
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

#: Site languages: Sphinx language code -> sub-folder of the output folder ("" = the root).
#: A second language is the same sources rendered with Sphinx's i18n: call
#: ``build_site(out, language="zh_CN", languages=("en", "zh_CN"))`` (and the English build
#: with the same ``languages``, so both show the language switch); the translations are
#: the gettext catalogs ``<root>/locale/zh_CN/LC_MESSAGES/<docname>.po`` (docnames such as
#: ``notebooks/10_concatenate_axes``), whose templates ``sphinx-build -b gettext
#: <out>/.site/en/src <pot folder>`` extracts from the English build's sources.
LANGUAGES = {"en": "", "zh_CN": "zh"}

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

_ASSETS = Path(__file__).with_name("site_assets")
_PAGES_DIR = "notebooks"  # where lesson pages go, mirroring the repository's notebooks/


class SiteBuildError(RuntimeError):
    """Sphinx could not build the site; the message holds the end of its log."""


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


@dataclass
class SiteResult:
    """What :func:`build_site` made.

    Attributes:
        index: The home page (``<out>/index.html`` for English).
        pages: How many HTML pages the site has.
        lessons: How many lesson pages.
        failed: The stems of the lessons that did not run cleanly.
        seconds: Wall time of the build.
        warnings: How many warnings Sphinx printed (its log is ``<out>/.site/<lang>/sphinx.log``).
    """

    index: Path
    pages: int
    lessons: int
    failed: list[str]
    seconds: float
    warnings: int

    def __str__(self) -> str:
        failed = f", {len(self.failed)} marked failed" if self.failed else ""
        return (
            f"site: {self.pages} pages ({self.lessons} lessons{failed}) in {self.seconds:.1f} s"
            f" -> {self.index}"
        )


# --------------------------------------------------------------------------- inputs


def repository_url(root: os.PathLike[str] | str) -> str:
    """The ``Repository`` URL of ``[project.urls]`` in ``<root>/pyproject.toml``.

    Args:
        root: The repository folder.

    Returns:
        The URL, without a trailing slash or ``.git``.

    Raises:
        FileNotFoundError: If there is no ``pyproject.toml``.
        ValueError: If it has no ``Repository`` entry under ``[project.urls]``.
    """
    path = Path(root) / "pyproject.toml"
    if not path.is_file():
        raise FileNotFoundError(
            f"no pyproject.toml in {Path(root)!s}; pass root= the repository folder "
            "(the one holding notebooks/ and pyproject.toml)"
        )
    text = path.read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        url = tomllib.loads(text).get("project", {}).get("urls", {}).get("Repository")
    else:  # Python 3.10: the one line we need, read by hand
        section = re.search(r"^\[project\.urls\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
        match = section and re.search(r'^\s*Repository\s*=\s*"([^"]+)"', section.group(1), re.M)
        url = match.group(1) if match else None
    if not url:
        raise ValueError(
            f"{path} has no Repository entry under [project.urls]; add one, e.g. "
            'Repository = "https://github.com/<owner>/<name>"'
        )
    url = url.rstrip("/")
    return url[: -len(".git")] if url.endswith(".git") else url


def colab_url(repository: str, notebook: str, *, branch: str = "main") -> str | None:
    """The "Open in Colab" address of a notebook of a GitHub repository.

    Args:
        repository: ``https://github.com/<owner>/<name>``.
        notebook: The notebook's path inside the repository (``notebooks/10_x.ipynb``).
        branch: The branch Colab opens.

    Returns:
        The Colab URL, or ``None`` when the repository is not on GitHub (Colab opens
        notebooks from GitHub only).

    Raises:
        TypeError: If ``repository`` or ``notebook`` is not a string.
    """
    for name, value in (("repository", repository), ("notebook", notebook)):
        if not isinstance(value, str):
            raise TypeError(f"colab_url({name}=...) expects a str, received {value!r}")
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", repository.rstrip("/"))
    if not match:
        return None
    owner, name = match.groups()
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{branch}/{notebook}"


def _as_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def load_summary(
    out_dir: os.PathLike[str] | str, *, root: os.PathLike[str] | str
) -> list[LessonRow]:
    """The lessons to render, from ``<out>/summary.json`` (or the sources when there is none).

    Rows of older runs may lack ``cached``, ``executed`` and ``error``: the executed
    copy then defaults to ``<out>/<stem>.ipynb``. Without a ``summary.json``
    every notebook of ``<root>/notebooks`` is listed as "not run" and its
    un-executed source is rendered.

    Args:
        out_dir: The output folder of ``kerasnotes run``.
        root: The repository folder (holding ``notebooks/``).

    Returns:
        One :class:`LessonRow` per lesson, in course order; lessons of
        ``<root>/notebooks`` that the run did not list come as "not run".

    Raises:
        ValueError: If ``summary.json`` is not a JSON list of rows with a ``notebook`` key.
    """
    out_dir, root = Path(out_dir), Path(root)
    path = out_dir / "summary.json"
    if not path.is_file():
        return [
            LessonRow(source=nb, info=lesson_info(nb)) for nb in find_notebooks(root / "notebooks")
        ]
    fix = "run `kerasnotes run` again to rewrite it"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); {fix}") from exc
    if not isinstance(rows, list):
        raise ValueError(f"{path} holds a {type(rows).__name__}, not a list of rows; {fix}")
    lessons = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("notebook"), str):
            raise ValueError(
                f"{path}: row {i} is {row!r}; each row needs a "
                f'"notebook" path (e.g. "notebooks/01_quickstart.ipynb"); {fix}'
            )
        source = Path(row["notebook"])
        if not source.is_absolute():
            source = root / source
        executed_value = row.get("executed")
        executed = executed_value if isinstance(executed_value, str) else ""
        # a file name inside the output folder, never a path that leaves it
        executed_path = out_dir / (Path(executed).name or f"{source.stem}.ipynb")
        seconds = row.get("seconds")
        error = row.get("error")
        status_value = row.get("status")
        status = status_value if isinstance(status_value, str) else "failed"
        nb_for_info = executed_path if executed_path.is_file() else source
        try:
            info = lesson_info(nb_for_info) if nb_for_info.is_file() else LessonInfo()
        except ValueError:
            info = LessonInfo()
        lessons.append(
            LessonRow(
                source=source,
                status=status,
                seconds=float(seconds) if isinstance(seconds, int | float) else None,
                cached=_as_bool(row.get("cached")),
                executed=executed_path if executed_path.is_file() else None,
                error=error if isinstance(error, dict) else None,
                info=info,
            )
        )
    # Lessons the run left out (a partial `kerasnotes run`) still get a page, marked "not run".
    listed = {row.source.resolve() for row in lessons}
    lessons += [
        LessonRow(source=nb, info=lesson_info(nb))
        for nb in find_notebooks(root / "notebooks")
        if nb.resolve() not in listed
    ]
    return sorted(lessons, key=lambda row: row.source.name)


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
    return f"[{_escape_cell(row.title)}]({prefix}{_PAGES_DIR}/{row.stem}.ipynb)"


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
        *[f"{_PAGES_DIR}/{r.stem}" for r in rows],
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
_LESSON_LINK = re.compile(r"\[([^\]]+)\]\(" + _PAGES_DIR + r"/(\w+)\.ipynb(?:#[^)]*)?\)")


def _unlink_missing(text: str, stems: set[str]) -> str:
    """Turn links to lessons the site does not have into plain text (no broken links)."""
    return _LESSON_LINK.sub(lambda m: m.group(0) if m.group(2) in stems else m.group(1), text)


def _migrate_page(text: str, stems: set[str]) -> str:
    def link(match: re.Match[str]) -> str:
        stem = match.group(1)
        return f"[`{stem}`]({_PAGES_DIR}/{stem}.ipynb)" if stem in stems else match.group(0)

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


# ------------------------------------------------------------------ files and Sphinx


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` (atomically) unless ``path`` already holds it; keep mtimes otherwise."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_bytes(path, data)
    return True


def _nb_bytes(nb: dict[str, Any]) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _read_nb(path: Path) -> dict[str, Any] | None:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return nb if isinstance(nb, dict) and isinstance(nb.get("cells"), list) else None


def _unreadable_nb(row: LessonRow) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            _markdown_cell(f"# {row.stem}\n\nThis notebook could not be read.", "kn-unreadable")
        ],
    }


def _stage_sources(
    rows: Sequence[LessonRow], root: Path, language: str, languages: Sequence[str]
) -> tuple[dict[str, bytes], int]:
    """Everything Sphinx reads, as relative path -> bytes; and the number of lesson pages."""
    try:
        repo = repository_url(root)
    except (FileNotFoundError, ValueError):
        repo = ""
    files: dict[str, bytes] = {}
    for asset in sorted(_ASSETS.rglob("*")):
        if asset.is_file() and "__pycache__" not in asset.parts:
            files[asset.relative_to(_ASSETS).as_posix()] = asset.read_bytes()
    settings = {
        "language": language,
        "languages": {lang: LANGUAGES[lang] for lang in LANGUAGES if lang in languages},
        "locale_dir": str((root / "locale").resolve()),
        "repository": repo,
        "root": str(root.resolve()),
    }
    files["_site.json"] = json.dumps(settings, indent=1, sort_keys=True).encode("utf-8")

    docs = root / "docs"
    learning = docs / "learning-path.md"
    learning_text = learning.read_text(encoding="utf-8") if learning.is_file() else ""
    # docs/ links work on a forge (../notebooks/x.ipynb); the home page sits at the site's root.
    learning_text = learning_text.replace("](../notebooks/", f"]({_PAGES_DIR}/")
    stems = {r.stem for r in rows}
    learning_text = _unlink_missing(learning_text, stems)
    files["index.md"] = _home_page(rows, learning_text).encode("utf-8")
    notes_intro = docs / "notes-map.md"
    intro = (
        notes_intro.read_text(encoding="utf-8")
        if notes_intro.is_file()
        else "# From the notes to the lessons\n"
    )
    files["notes-map.md"] = _notes_map(rows, intro).encode("utf-8")
    rules = docs / "migrate-rules.md"
    rules_text = (
        rules.read_text(encoding="utf-8")
        if rules.is_file()
        else "# `kerasnotes migrate` rules\n\n`docs/migrate-rules.md` is missing.\n"
    )
    files["migrate-rules.md"] = _migrate_page(rules_text, stems).encode("utf-8")
    for name, text in _api_pages().items():
        files[name] = text.encode("utf-8")

    for row in rows:
        source_nb = row.source.read_bytes() if row.source.is_file() else None
        nb = _read_nb(row.executed) if row.executed else None
        if nb is None and row.source.is_file():
            nb = _read_nb(row.source)
        if nb is None:
            nb = _unreadable_nb(row)
        rel_source = f"notebooks/{row.source.name}"
        page = site_notebook(
            nb,
            row,
            colab=colab_url(repo, rel_source) if repo else None,
            download=f"{row.stem}.ipynb" if source_nb is not None else None,
        )
        files[f"{_PAGES_DIR}/{row.stem}.ipynb"] = _nb_bytes(page)
        if source_nb is not None:  # the clean source, served beside its page
            files[f"_extra/{_PAGES_DIR}/{row.stem}.ipynb"] = source_nb
    return files, len(rows)


def _sync_tree(folder: Path, files: dict[str, bytes]) -> int:
    """Make ``folder`` hold exactly ``files``; return how many were (re)written."""
    written = sum(_write_if_changed(folder / rel, data) for rel, data in files.items())
    wanted = {folder / rel for rel in files}
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def _run_sphinx(src: Path, html_dir: Path, doctrees: Path, log: Path, jobs: int) -> int:
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-j",
        str(jobs),
        "-d",
        str(doctrees),
        str(src),
        str(html_dir),
    ]
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    text = proc.stdout + proc.stderr
    log.write_text(text, encoding="utf-8")
    if proc.returncode != 0:
        tail = "\n".join(text.strip().splitlines()[-15:])
        raise SiteBuildError(
            f"Sphinx failed to build the site (exit {proc.returncode}); the previous site, "
            f"if any, is left as it was. The end of {log}:\n{tail}"
        )
    return len(re.findall(r"\bWARNING: (?!All log messages)", text))


def _publish(html_dir: Path, target: Path, manifest: Path) -> int:
    """Copy the built site into ``target`` file by file (atomic renames, home page last)."""
    try:
        old = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        old = set()
    files = sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*")
        if p.is_file() and p.name != ".buildinfo" and not p.name.startswith(".")
    )
    files.sort(key=lambda rel: rel == "index.html")  # the home page goes last
    for rel in files:
        source, dest = html_dir / rel, target / rel
        try:
            same = dest.stat().st_size == source.stat().st_size and _same_file(source, dest)
        except FileNotFoundError:
            same = False
        if not same:
            atomic_write_bytes(dest, source.read_bytes())
    for rel in sorted(old - set(files)):  # pages of a previous build that are gone now
        (target / rel).unlink(missing_ok=True)
    atomic_write_bytes(manifest, json.dumps(files, indent=0).encode("utf-8"))
    return sum(rel.endswith(".html") and not rel.startswith("_static/") for rel in files)


def _same_file(a: Path, b: Path) -> bool:
    return filecmp.cmp(a, b, shallow=False)


def build_site(
    out_dir: os.PathLike[str] | str = "build",
    *,
    root: os.PathLike[str] | str | None = None,
    language: str = "en",
    languages: Sequence[str] | None = None,
    jobs: int | None = None,
) -> SiteResult:
    """Render the course site from a run's output folder, without executing anything.

    Args:
        out_dir: The output folder of ``kerasnotes run`` (``summary.json`` and the
            executed ``<stem>.ipynb`` copies). Without ``summary.json`` the
            un-executed lessons of ``<root>/notebooks`` are rendered.
        root: The repository folder (``notebooks/``, ``docs/``, ``pyproject.toml``);
            default: :func:`kerasnotes.course.notebooks.course_root`.
        language: A key of :data:`LANGUAGES`; other languages than ``"en"`` go to
            their sub-folder of ``out_dir`` and use Sphinx's gettext catalogs
            under ``<root>/locale``.
        languages: Every language the site is built in (default: ``language``
            alone); with more than one, each page shows a language switch.
        jobs: Sphinx's parallel jobs (default: 2, or 1 on a one-core machine).

    Returns:
        A :class:`SiteResult` (home page, page count, timings).

    Raises:
        ValueError: If ``language`` is unknown, ``jobs`` is not a positive int, or
            ``summary.json`` is malformed.
        FileNotFoundError: If ``root`` has no ``notebooks`` folder.
        SiteBuildError: If Sphinx fails (the previous site is left in place).
    """
    start = time.perf_counter()
    if language not in LANGUAGES:
        raise ValueError(
            f"build_site(language=...) received {language!r}; use one of {sorted(LANGUAGES)}"
        )
    languages = tuple(languages) if languages is not None else (language,)
    unknown = [lang for lang in (*languages, language) if lang not in LANGUAGES]
    if unknown or language not in languages:
        raise ValueError(
            f"build_site(languages=...) received {languages!r} for language {language!r}; "
            f"use keys of LANGUAGES ({sorted(LANGUAGES)}), including the language being built"
        )
    if jobs is None:
        jobs = 2 if (os.cpu_count() or 1) > 1 else 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"build_site(jobs=...) expects a positive int, received {jobs!r}")
    root = Path(root) if root is not None else course_root()
    if not (root / "notebooks").is_dir():
        raise FileNotFoundError(
            f"{root / 'notebooks'} does not exist; pass root= the repository folder "
            "(the one holding notebooks/, docs/ and pyproject.toml)"
        )
    out_dir = Path(out_dir)
    rows = load_summary(out_dir, root=root)
    work = out_dir / ".site" / language
    src, html_dir, doctrees = work / "src", work / "html", work / "doctrees"
    marker = work / "BUILDING"
    if marker.exists():
        # A previous build stopped half-way: a page of its HTML output may be half-written,
        # so Sphinx writes every page again. Its cache (doctrees) is still sound: Sphinx
        # saves it only once reading is complete, and re-reads whatever is newer than it.
        shutil.rmtree(html_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    files, lessons = _stage_sources(rows, root, language, languages)
    _sync_tree(src, files)
    marker.write_text("a site build is in progress, or was interrupted\n", encoding="utf-8")
    warnings = _run_sphinx(src, html_dir, doctrees, work / "sphinx.log", jobs)
    marker.unlink()
    target = out_dir / LANGUAGES[language] if LANGUAGES[language] else out_dir
    pages = _publish(html_dir, target, work / "published.json")
    return SiteResult(
        index=target / "index.html",
        pages=pages,
        lessons=lessons,
        failed=[r.stem for r in rows if r.status not in ("ok", "not run")],
        seconds=time.perf_counter() - start,
        warnings=warnings,
    )


def main(argv: list[str] | None = None) -> int:
    """``kerasnotes site [-o build]``: render the site from the last run (no execution).

    Returns:
        0 on success, 1 if the site could not be built (the reason is printed).
    """
    parser = argparse.ArgumentParser(
        prog="kerasnotes site",
        description="Render the course site from the executed notebooks and summary.json of "
        "a previous `kerasnotes run` (nothing is executed). Open <output>/index.html.",
    )
    parser.add_argument(
        "--output", "-o", default="build", metavar="DIR", help="output folder (default build/)"
    )
    parser.add_argument(
        "--root", default=None, metavar="DIR", help="repository folder (default: found from cwd)"
    )
    args = parser.parse_args(argv)
    try:
        result = build_site(args.output, root=args.root)
    except (ValueError, FileNotFoundError, SiteBuildError) as exc:
        print(f"kerasnotes site: {exc}", file=sys.stderr)
        return 1
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
