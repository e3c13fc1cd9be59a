"""The pages of the course site: the lessons' copies and the generated pages.

:mod:`kerasnotes.course.site` builds the site; this module makes what it shows,
as plain data, without touching the disk:

- the copy of each lesson the site renders (:func:`site_notebook`): the cell roles
  mapped to myst-nb's tags (:func:`site_cell`, :data:`TAG_MAP`), TensorFlow's C++
  start-up log dropped, a banner (Colab, download, status) and, for a lesson that
  did not run cleanly, an error box;
- the generated pages (:func:`generated_pages`): the home page (learning path and
  lesson table), the map from the notes' sections to the lessons, the 术语对照
  glossary, the instructors' guide, the migrate rules and the helpers' API
  reference (:data:`API_MODULES`).

Both site languages come from here: ``language="zh_CN"`` gives the Chinese site's
pages, with the words this module writes itself (table headings, banner, toggles)
in Chinese and the documents taken from their gettext catalogs
(:func:`kerasnotes.course.i18n.translate_document`). The migrate rules and the API
reference are English only; the Chinese home page links to the English pages.

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

from kerasnotes.course.i18n import doc_catalog_path, translate_document
from kerasnotes.course.notebooks import LessonInfo

__all__ = [
    "API_MODULES",
    "PAGES_DIR",
    "STATUS_LABELS",
    "TAG_MAP",
    "UI_TEXT",
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
    "en": {
        "check": ("Show the check", "Hide the check"),
        "solution": ("Show solution", "Hide solution"),
    },
    "zh_CN": {
        "check": ("显示检查代码", "隐藏检查代码"),
        "solution": ("显示参考答案", "隐藏参考答案"),
    },
}

STATUS_LABELS = {
    "ok": "ok",
    "failed": "**FAILED**",
    "timeout": "**TIMED OUT**",
    "interrupted": "**INTERRUPTED**",
    "not run": "not run",
}
_STATUS_ZH = {
    "ok": "通过",
    "failed": "**失败**",
    "timeout": "**超时**",
    "interrupted": "**被中断**",
    "not run": "未运行",
}

#: The words the site writes itself, per language (the lessons and documents come translated).
UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Keras notes on Keras 3",
        "intro": "A course that takes a set of classic Keras 1/2 study notes (in Chinese) and "
        "runs every idiom on TensorFlow 2 / Keras 3: what the old code does now, and the modern "
        "way, checked.",
        "lessons": "Lessons",
        "reference": "Reference",
        "ran": "Last run: {ok} of {total} lessons ran without error in {seconds:.0f} s"
        " ({cached} taken from the cache).",
        "not_ran": "These pages show the lessons without outputs: run `kerasnotes run` to "
        "execute them.",
        "table": "| # | Lesson | Notes section | Status | Seconds | Cached |",
        "yes": "yes",
        "no": "no",
        "colab": "Open in Colab",
        "download": "Download the notebook",
        "last_run": "last run: {status}",
        "notes_map_title": "# From the notes to the lessons",
        "notes_map_table": "| Notes file | Section of the notes | Lesson |",
        "english_only": "",
        "unreadable": "This notebook could not be read.",
    },
    "zh_CN": {
        "title": "Keras 笔记：在 Keras 3 上运行",
        "intro": "本课程取一套经典的 Keras 1/2 中文学习笔记，把其中的每一种写法都放到 "
        "TensorFlow 2 / Keras 3 上运行：旧代码现在会怎样，现代的写法是什么，每一条都经过检验。",
        "lessons": "课程",
        "reference": "参考",
        "ran": "上次运行：{total} 课中有 {ok} 课无错误运行完毕，共用时 {seconds:.0f} 秒"
        "（其中 {cached} 课取自缓存）。",
        "not_ran": "这些页面显示的是未运行的课程（没有输出）：运行 `kerasnotes run` 来执行它们。",
        "table": "| 编号 | 课程 | 笔记章节 | 状态 | 秒 | 缓存 |",
        "yes": "是",
        "no": "否",
        "colab": "在 Colab 中打开",
        "download": "下载 notebook",
        "last_run": "上次运行：{status}",
        "notes_map_title": "# 从笔记到课程",
        "notes_map_table": "| 笔记文件 | 笔记章节 | 课程 |",
        "english_only": '以下参考页面只有英文版：<a href="../api/index.html">辅助函数 API 参考</a>'
        "（由 `kerasnotes` 各模块的文档字符串生成）和 "
        '<a href="../migrate-rules.html">`kerasnotes migrate` 规则</a>。',
        "unreadable": "无法读取这个 notebook。",
    },
}


def _ui(language: str) -> dict[str, str]:
    if language not in UI_TEXT:
        raise ValueError(
            f"language={language!r} is not a site language; use one of {sorted(UI_TEXT)}"
        )
    return UI_TEXT[language]


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


def _is_placeholder_value(output: dict[str, Any]) -> bool:
    """Whether ``output`` is the ``Ellipsis`` an untouched exercise cell evaluates to."""
    if output.get("output_type") != "execute_result":
        return False
    text = (output.get("data") or {}).get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return isinstance(text, str) and text.strip() == "Ellipsis"


def _tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags") or []
    return [t for t in tags if isinstance(t, str)]


def site_cell(cell: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """A copy of a lesson cell with its role mapped to myst-nb's tags (see :data:`TAG_MAP`).

    Args:
        cell: An nbformat-4 cell (a dict); it is not modified.
        language: The site's language, for the toggles' labels (``"en"`` or ``"zh_CN"``).

    Returns:
        The copy: ``check`` gains ``hide-input``, ``solution`` gains ``hide-cell``,
        each with its own toggle label; an ``exercise`` loses the ``Ellipsis`` its
        placeholder evaluates to; TensorFlow's C++ start-up log lines are dropped
        from stderr outputs; other cells are returned unchanged.
    """
    _ui(language)
    cell = copy.deepcopy(cell)
    _quiet_outputs(cell)
    tags = _tags(cell)
    if "exercise" in tags and "outputs" in cell:
        # an exercise left as it is (comments and ``...``) shows the value of its
        # placeholder, "Ellipsis": that is not a result, so the page shows nothing
        cell["outputs"] = [o for o in cell["outputs"] if not _is_placeholder_value(o)]
    for role, added in TAG_MAP.items():
        if role in tags:
            meta = cell.setdefault("metadata", {})
            meta["tags"] = tags + [t for t in added if t not in tags]
            show, hide = _PROMPTS[language][role]
            meta.setdefault("mystnb", {}).update(
                {"code_prompt_show": show, "code_prompt_hide": hide}
            )
            break
    return cell


def _markdown_cell(text: str, cell_id: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _failure_note(row: LessonRow, nb: dict[str, Any], language: str = "en") -> str:
    zh = language == "zh_CN"
    labels = {
        "failed": "failed",
        "timeout": "ran out of time",
        "interrupted": "was interrupted",
    }
    labels_zh = {"failed": "运行失败", "timeout": "超时", "interrupted": "被中断"}
    if zh:
        what = labels_zh.get(row.status, row.status)
        lines = [":::{error}", f"**本课在上一次 `kerasnotes run` 中{what}。**"]
    else:
        what = labels.get(row.status, row.status)
        lines = [":::{error}", f"**This lesson {what}** in the last `kerasnotes run`."]
    error = row.error or {}
    cell_no = error.get("cell")
    if isinstance(cell_no, int):
        lines.append(
            f"运行停在第 [{cell_no}] 个单元格；下面是它的代码和报错。"
            if zh
            else f"The run stopped at cell [{cell_no}]; its code and the error follow."
        )
    ename, evalue = error.get("ename"), error.get("evalue")
    if ename or evalue:
        lines += ["", "```text", f"{ename or 'Error'}: {evalue or ''}".rstrip(), "```"]
    cells = nb.get("cells") or []
    if isinstance(cell_no, int) and 0 <= cell_no < len(cells):
        source = cells[cell_no].get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines += ["", "````python", source.rstrip(), "````"]
    if row.executed is None:
        lines += [
            "",
            "没有写出运行后的副本；本页显示的是没有输出的 notebook。"
            if zh
            else "No executed copy was written; the page shows the notebook without outputs.",
        ]
    lines.append(":::")
    return "\n".join(lines)


def site_notebook(
    nb: dict[str, Any],
    row: LessonRow,
    *,
    colab: str | None,
    download: str | None,
    language: str = "en",
) -> dict[str, Any]:
    """The copy of a lesson that the site renders.

    Args:
        nb: The executed notebook (or the source, when it was not run); not modified.
            For the Chinese site, the executed English notebook with its markdown
            already translated (:func:`kerasnotes.course.i18n.translate_notebook`).
        row: The lesson's row from the run.
        colab: Its "Open in Colab" URL, or None.
        download: The relative link to the clean source notebook, or None when
            there is no source to offer.
        language: The site's language (``"en"`` or ``"zh_CN"``): the banner's and
            the toggles' words.

    Returns:
        The notebook with cell roles mapped to myst-nb tags, a banner (Colab,
        download, status) after the first cell, and for a lesson that did not run
        cleanly an error box naming the failing cell and its error.
    """
    ui = _ui(language)
    new = copy.deepcopy({k: v for k, v in nb.items() if k != "cells"})
    new.get("metadata", {}).pop("widgets", None)  # no widget JavaScript from a CDN
    cells = [site_cell(c, language) for c in nb.get("cells") or []]
    links = []
    if colab:
        links.append(f'<a class="kn-colab" href="{html.escape(colab)}">{ui["colab"]}</a>')
    if download:
        links.append(
            f'<a class="kn-download" href="{html.escape(download)}" download>{ui["download"]}</a>'
        )
    # Only the status: seconds and cache hits change from run to run and live on the home
    # page, so an unchanged lesson's page stays byte-identical and Sphinx skips it.
    status = row.status if language == "en" else _STATUS_ZH.get(row.status, row.status)
    status = html.escape(status.strip("*"))
    links.append(f'<span class="kn-status">{ui["last_run"].format(status=status)}</span>')
    banner = f'<p class="kn-banner">{" · ".join(links)}</p>'
    extra = [_markdown_cell(banner, "kn-banner")]
    if row.status not in ("ok", "not run"):
        extra.append(_markdown_cell(_failure_note(row, nb, language), "kn-failure"))
    head = 1 if cells and cells[0].get("cell_type") == "markdown" else 0
    new["cells"] = cells[:head] + extra + cells[head:]
    return new


# ---------------------------------------------------------------- generated pages


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _doc_link(row: LessonRow, prefix: str = "") -> str:
    return f"[{_escape_cell(row.title)}]({prefix}{PAGES_DIR}/{row.stem}.ipynb)"


def _home_page(
    rows: Sequence[LessonRow],
    learning_path: str,
    language: str = "en",
    reference: Sequence[str] = ("notes-map", "migrate-rules", "api/index"),
) -> str:
    ui = _ui(language)
    labels = STATUS_LABELS if language == "en" else _STATUS_ZH
    ok = sum(r.status == "ok" for r in rows)
    ran = [r for r in rows if r.status != "not run"]
    total = sum(r.seconds or 0.0 for r in rows)
    cached = sum(bool(r.cached) for r in rows)
    if ran:
        summary = ui["ran"].format(ok=ok, total=len(rows), seconds=total, cached=cached)
    else:
        summary = ui["not_ran"]
    lines = [
        f"# {ui['title']}",
        "",
        ui["intro"],
        "",
        learning_path.strip(),
        "",
        f"## {ui['lessons']}",
        "",
        summary,
        "",
        ui["table"],
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        seconds = f"{row.seconds:.1f}" if row.seconds is not None else "–"
        cached_text = {True: ui["yes"], False: ui["no"], None: "–"}[row.cached]
        lines.append(
            f"| {row.info.number or '?'} | {_doc_link(row)} | "
            f"{_escape_cell(row.info.notes_section or '–')} | "
            f"{labels.get(row.status, _escape_cell(row.status))} | {seconds} | {cached_text} |"
        )
    if ui["english_only"]:
        lines += ["", ui["english_only"]]
    lines += [
        "",
        "```{toctree}",
        ":hidden:",
        f":caption: {ui['lessons']}",
        "",
        *[f"{PAGES_DIR}/{r.stem}" for r in rows],
        "```",
        "",
        "```{toctree}",
        ":hidden:",
        f":caption: {ui['reference']}",
        "",
        *reference,
        "```",
        "",
    ]
    return "\n".join(lines)


_SECTION_SPLIT = re.compile(r"[;；]\s*(?=`)")  # the Chinese edition separates with "；"


def _notes_map(rows: Sequence[LessonRow], intro: str, language: str = "en") -> str:
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
        _ui(language)["notes_map_table"],
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


def _document(
    docs: Path, name: str, language: str, locale_dir: Path | None
) -> tuple[str | None, int]:
    """``docs/<name>.md`` in ``language`` (None when missing), and its blocks left English.

    The Chinese text comes from the catalog ``<locale_dir>/docs/<name>.po``; without a
    catalog the Chinese site has no such page (None).
    """
    path = docs / f"{name}.md"
    if not path.is_file():
        return None, 0
    text = path.read_text(encoding="utf-8")
    if language == "en":
        return text, 0
    catalog = doc_catalog_path(path, locale_dir) if locale_dir is not None else None
    if catalog is None or not catalog.is_file():
        return None, 0
    return translate_document(text, catalog)


def generated_pages(
    rows: Sequence[LessonRow],
    docs: Path,
    *,
    language: str = "en",
    locale_dir: Path | None = None,
    untranslated: dict[str, int] | None = None,
) -> dict[str, str]:
    """The site's own pages, as relative path -> Markdown text.

    Args:
        rows: The lessons, in course order (for the Chinese site, with the Chinese
            first cells' :class:`LessonInfo`).
        docs: The repository's ``docs/`` folder (``learning-path.md``,
            ``notes-map.md``, ``migrate-rules.md``, ``glossary.md``,
            ``instructors.md``; each may be missing).
        language: ``"en"`` or ``"zh_CN"``.
        locale_dir: ``locale/zh_CN/LC_MESSAGES``: the documents' catalogs
            (``docs/<name>.po``) for the Chinese site.
        untranslated: Filled with ``"docs/<name>" -> blocks left English`` for
            each translated document that has some.

    Returns:
        The home page (``index.md``: learning path and lesson table), the map from
        the notes to the lessons (``notes-map.md``), the glossary (``glossary.md``)
        and the instructors' guide (``instructors.md``) when their text exists; in
        English also the migrate rules (``migrate-rules.md``) and the API reference
        (``api/*.md``), which the Chinese home page links in the English site.

    Raises:
        ValueError: If ``language`` is not a site language.
    """
    ui = _ui(language)
    stems = {r.stem for r in rows}
    pages: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for name in ("learning-path", "notes-map", "glossary", "instructors"):
        text, english = _document(docs, name, language, locale_dir)
        texts[name] = text
        if english and untranslated is not None:
            untranslated[f"docs/{name}"] = english
    # docs/ links work on a forge (../notebooks/x.ipynb); the pages sit at the site's root.
    for name in ("glossary", "instructors"):
        text = texts[name]
        if text is not None:
            text = text.replace("](../notebooks/", f"]({PAGES_DIR}/")
            pages[f"{name}.md"] = _unlink_missing(text, stems)
    learning_text = (texts["learning-path"] or "").replace("](../notebooks/", f"]({PAGES_DIR}/")
    learning_text = _unlink_missing(learning_text, stems)
    if language != "en":  # the migrate rules are a page of the English site only
        learning_text = re.sub(
            r"\[([^\]]+)\]\(migrate-rules\.md\)",
            r'<a href="../migrate-rules.html">\1</a>',
            learning_text,
        )
    intro = texts["notes-map"] or ui["notes_map_title"] + "\n"
    pages["notes-map.md"] = _notes_map(rows, intro, language)
    reference = ["notes-map", *(n for n in ("glossary", "instructors") if f"{n}.md" in pages)]
    if language == "en":
        reference += ["migrate-rules", "api/index"]
        rules = docs / "migrate-rules.md"
        rules_text = (
            rules.read_text(encoding="utf-8")
            if rules.is_file()
            else "# `kerasnotes migrate` rules\n\n`docs/migrate-rules.md` is missing.\n"
        )
        pages["migrate-rules.md"] = _migrate_page(rules_text, stems)
        pages.update(_api_pages())
    pages["index.md"] = _home_page(rows, learning_text, language, reference)
    return dict(sorted(pages.items()))


def unreadable_notebook(row: LessonRow, language: str = "en") -> dict[str, Any]:
    """The page shown for a lesson whose notebook could not be read (a one-cell notebook)."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            _markdown_cell(f"# {row.stem}\n\n{_ui(language)['unreadable']}", "kn-unreadable")
        ],
    }
