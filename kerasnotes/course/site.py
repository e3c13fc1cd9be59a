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

This module builds and publishes; what the pages say (the lessons' copies, the
generated pages) is made by :mod:`kerasnotes.course.site_pages`.

The Chinese site (``language="zh_CN"``, published at ``<out>/zh/``) is built from
the same run: the executed English notebooks, outputs included, with each markdown
cell replaced by its translation from the lesson's gettext catalog
(``<root>/locale/zh_CN/LC_MESSAGES/<stem>.po``, one entry per cell id:
:func:`kerasnotes.course.i18n.translate_notebook`). Nothing is executed again. A
cell without a usable translation (missing, empty or fuzzy) keeps its English and
is counted in :attr:`SiteResult.untranslated`; so are the blocks of the documents
(``docs/<name>.md`` through ``locale/zh_CN/LC_MESSAGES/docs/<name>.po``). Sphinx's
own gettext machinery is not used (``locale_dirs`` is empty): the Sphinx sources of
the Chinese site are already Chinese. With ``languages=("en", "zh_CN")`` every page
of both sites has a language switch to the same page in the other language (or to
the other site's home page when that page exists in one language only).

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
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kerasnotes.course.i18n import LOCALE, catalog_path, translate_notebook
from kerasnotes.course.notebooks import (
    LessonInfo,
    atomic_write_bytes,
    course_root,
    find_notebooks,
    lesson_info,
)
from kerasnotes.course.site_pages import (
    API_MODULES,
    PAGES_DIR,
    TAG_MAP,
    LessonRow,
    generated_pages,
    site_cell,
    site_notebook,
    unreadable_notebook,
)

__all__ = [
    "API_MODULES",
    "LANGUAGES",
    "TAG_MAP",
    "LessonRow",
    "SiteBuildError",
    "SiteResult",
    "build_all",
    "build_site",
    "colab_url",
    "load_summary",
    "main",
    "repository_url",
    "site_cell",
    "site_languages",
    "site_notebook",
]

#: Site languages: Sphinx language code -> sub-folder of the output folder ("" = the root).
#: Build both with the same ``languages`` (``build_site(out, language=..., languages=("en",
#: "zh_CN"))``) so both show the language switch; see :func:`build_all` and the module docs.
LANGUAGES = {"en": "", "zh_CN": "zh"}

_ASSETS = Path(__file__).with_name("site_assets")


class SiteBuildError(RuntimeError):
    """Sphinx could not build the site; the message holds the end of its log."""


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
        untranslated: For a translated site: page -> markdown cells (or document
            blocks) shown in English for want of a translation that is not fuzzy.
    """

    index: Path
    pages: int
    lessons: int
    failed: list[str]
    seconds: float
    warnings: int
    untranslated: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        failed = f", {len(self.failed)} marked failed" if self.failed else ""
        text = (
            f"site: {self.pages} pages ({self.lessons} lessons{failed}) in {self.seconds:.1f} s"
            f" -> {self.index}"
        )
        if self.untranslated:
            cells = sum(self.untranslated.values())
            text += (
                f"\n  {cells} cells or blocks still in English (untranslated or fuzzy) on "
                f"{len(self.untranslated)} pages: "
                + ", ".join(f"{k} ({v})" for k, v in self.untranslated.items())
            )
        return text


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


def _translated_rows(
    rows: Sequence[LessonRow], root: Path, language: str
) -> tuple[list[tuple[LessonRow, dict[str, Any] | None]], dict[str, int]]:
    """Each lesson with the notebook its page shows, in ``language``; and the cells left English.

    The notebook is the executed copy (or the source when there is none, or None when
    neither can be read). For the Chinese site its markdown comes from the lesson's
    catalog and the row's :class:`LessonInfo` is read from the Chinese first cell.
    """
    locale_dir = root / "locale" / LOCALE / "LC_MESSAGES"
    out: list[tuple[LessonRow, dict[str, Any] | None]] = []
    untranslated: dict[str, int] = {}
    for row in rows:
        nb = _read_nb(row.executed) if row.executed else None
        if nb is None and row.source.is_file():
            nb = _read_nb(row.source)
        if nb is not None and language != "en":
            po = catalog_path(row.source, locale_dir)
            nb, english = translate_notebook(nb, po if po.is_file() else None)
            if english:
                untranslated[f"{PAGES_DIR}/{row.stem}"] = english
            info = lesson_info(nb)
            row = replace(row, info=info if info.title else row.info)
        out.append((row, nb))
    return out, untranslated


def _docnames(
    rows: Sequence[LessonRow], root: Path, language: str
) -> tuple[dict[str, str], list[str], dict[str, int]]:
    """The generated pages of ``language``, every page name of that site, the English left."""
    untranslated: dict[str, int] = {}
    pages = generated_pages(
        rows,
        root / "docs",
        language=language,
        locale_dir=root / "locale" / LOCALE / "LC_MESSAGES",
        untranslated=untranslated,
    )
    names = [name.rsplit(".", 1)[0] for name in pages]
    names += [f"{PAGES_DIR}/{row.stem}" for row in rows] + ["genindex", "search"]
    return pages, sorted(names), untranslated


def _stage_sources(
    rows: Sequence[LessonRow], root: Path, language: str, languages: Sequence[str]
) -> tuple[dict[str, bytes], int, dict[str, int]]:
    """Everything Sphinx reads, as relative path -> bytes; the lesson pages; the English left."""
    try:
        repo = repository_url(root)
    except (FileNotFoundError, ValueError):
        repo = ""
    files: dict[str, bytes] = {}
    for asset in sorted(_ASSETS.rglob("*")):
        if asset.is_file() and "__pycache__" not in asset.parts:
            files[asset.relative_to(_ASSETS).as_posix()] = asset.read_bytes()
    lessons, untranslated = _translated_rows(rows, root, language)
    pages, _, doc_english = _docnames([row for row, _ in lessons], root, language)
    untranslated.update(doc_english)
    # The pages of the other languages, so the switch goes to the same page when it exists.
    others = {
        lang: _docnames(rows, root, lang)[1]
        for lang in LANGUAGES
        if lang in languages and lang != language
    }
    settings = {
        "counterparts": others,
        "language": language,
        "languages": {lang: LANGUAGES[lang] for lang in LANGUAGES if lang in languages},
        "repository": repo,
        "root": str(root.resolve()),
    }
    files["_site.json"] = json.dumps(settings, indent=1, sort_keys=True).encode("utf-8")

    for name, text in pages.items():
        files[name] = text.encode("utf-8")

    for row, nb in lessons:
        source_nb = row.source.read_bytes() if row.source.is_file() else None
        clean = _read_nb(row.source) if source_nb is not None and language != "en" else None
        if clean is not None:  # the Chinese site offers the Chinese notebook, unexecuted
            po = catalog_path(row.source, root / "locale" / LOCALE / "LC_MESSAGES")
            zh, _ = translate_notebook(clean, po if po.is_file() else None)
            source_nb = (json.dumps(zh, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        if nb is None:
            nb = unreadable_notebook(row, language)
        rel_source = f"notebooks/{row.source.name}"
        page = site_notebook(
            nb,
            row,
            colab=colab_url(repo, rel_source) if repo else None,
            download=f"{row.stem}.ipynb" if source_nb is not None else None,
            language=language,
        )
        files[f"{PAGES_DIR}/{row.stem}.ipynb"] = _nb_bytes(page)
        if source_nb is not None:  # the clean source, served beside its page
            files[f"_extra/{PAGES_DIR}/{row.stem}.ipynb"] = source_nb
    return files, len(rows), untranslated


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
            their sub-folder of ``out_dir`` and take their text from the catalogs
            under ``<root>/locale`` (see the module's docs).
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
    files, lessons, untranslated = _stage_sources(rows, root, language, languages)
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
        untranslated=untranslated,
    )


def site_languages(root: os.PathLike[str] | str) -> tuple[str, ...]:
    """The languages the site of ``root`` is built in: English, and Chinese once a lesson has a catalog.

    >>> import tempfile
    >>> site_languages(tempfile.mkdtemp())
    ('en',)
    """
    locale_dir = Path(root) / "locale" / LOCALE / "LC_MESSAGES"
    return ("en", "zh_CN") if any(locale_dir.glob("*.po")) else ("en",)


def build_all(
    out_dir: os.PathLike[str] | str = "build",
    *,
    root: os.PathLike[str] | str | None = None,
    jobs: int | None = None,
) -> list[SiteResult]:
    """Build the site in every language of :func:`site_languages`, from one run.

    English goes to ``<out>/``, Chinese to ``<out>/zh/``, each with the language
    switch. After the Chinese site, the Chinese notebooks are written to
    ``<out>/zh/notebooks/`` (where the site serves them) with the files they read
    through ``../`` paths copied beside (:func:`kerasnotes.course.i18n.build_notebooks`),
    so they run when opened there in Jupyter.

    Returns:
        One :class:`SiteResult` per language, English first.

    Raises:
        The errors of :func:`build_site`.
    """
    root = Path(root) if root is not None else course_root()
    languages = site_languages(root)
    results = []
    for language in languages:
        results.append(
            build_site(out_dir, root=root, language=language, languages=languages, jobs=jobs)
        )
    if "zh_CN" in languages:
        from kerasnotes.course.i18n import build_notebooks

        build_notebooks(
            Path(out_dir) / LANGUAGES["zh_CN"] / PAGES_DIR,
            root / "notebooks",
            root / "locale" / LOCALE / "LC_MESSAGES",
        )
    return results


def main(argv: list[str] | None = None) -> int:
    """``kerasnotes site [-o build]``: render the sites from the last run (no execution).

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
        results = build_all(args.output, root=args.root)
    except (ValueError, FileNotFoundError, SiteBuildError) as exc:
        print(f"kerasnotes site: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
