"""``kerasnotes run``: execute the course notebooks into ``build/``, then render the site.

Each notebook runs in a real Jupyter kernel (nbclient), with its own folder as
the working directory, as Jupyter would. Sources are only ever read. The run
writes, into an output folder it owns (see :mod:`kerasnotes.course.buildfolder`):

- ``<stem>.ipynb``: the executed notebook (outputs included, also on failure);
- ``summary.json``: one row per notebook, rewritten after each one::

    {"notebook": "notebooks/01_x.ipynb", "status": "ok"|"failed"|"timeout"|"interrupted",
     "seconds": 3.14, "cached": false, "executed": "01_x.ipynb",
     "error": null | {"cell": 3, "ename": "ValueError", "evalue": "..."}}

- the course site (:func:`kerasnotes.course.site.build_all`: home page
  ``index.html``, and the Chinese site at ``zh/index.html`` with the Chinese notebooks
  in ``zh/notebooks/`` once lessons are translated, made from the same executed
  notebooks), or, when that module is missing or fails, one nbconvert page
  per notebook and a status table as ``index.html``;
- ``.cache/``: the executed copies of successful runs, keyed by everything that
  can change them (:mod:`kerasnotes.course.runcache`); an unchanged notebook is
  served from there (``"cached": true``) instead of being executed.

``--timeout`` is a wall-clock budget per notebook, kernel start-up included.
SIGINT and SIGTERM stop the whole run: the kernel is shut down, ``summary.json``
marks the notebook that was running ``"interrupted"``, and the exit status is
130 or 143. Every file is written to a temporary name and renamed into place.

Nothing here imports TensorFlow; nbclient is imported when a notebook runs.

Example:
    >>> from kerasnotes.course.runner import Result
    >>> Result("notebooks/00_setup.ipynb", "ok", 3.14159, executed="00_setup.ipynb").summary()
    {'notebook': 'notebooks/00_setup.ipynb', 'status': 'ok', 'seconds': 3.14, 'cached': False, 'executed': '00_setup.ipynb', 'error': None}
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType

from kerasnotes._validation import check_timeout
from kerasnotes.course.buildfolder import CACHE, BuildFolder, OutputFolderError
from kerasnotes.course.execution import (
    SIGNAL_NAMES,
    RunInterrupted,
    StopSignals,
)
from kerasnotes.course.fallback_page import course_page
from kerasnotes.course.notebook_run import (
    DEFAULT_TIMEOUT,
    STATUSES,
    Result,
    display_path,
    render_page,
    run_notebook,
)
from kerasnotes.course.notebooks import (
    atomic_write_text,
    course_root,
    find_notebooks,
)
from kerasnotes.course.runcache import Store

__all__ = [
    "DEFAULT_TIMEOUT",
    "STATUSES",
    "Result",
    "RunInterrupted",
    "build_parser",
    "course_page",
    "expand_paths",
    "main",
    "missing_course_packages",
    "run_notebook",
    "run_notebooks",
]


def expand_paths(paths: Iterable[os.PathLike[str] | str] | None) -> list[Path]:
    """The notebooks to run: the given paths, folders expanded to their notebooks.

    With no paths, every notebook of ``notebooks/`` (in the current folder, or in
    the kerasnotes checkout). Paths that do not exist are kept, so that the run
    reports them.
    """
    if not paths:
        return find_notebooks()
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(find_notebooks(p) if p.is_dir() else [p])
    return out


def _unique_stem(path: Path, taken: set[str]) -> str:
    stem, n = path.stem, 2
    while stem in taken:
        stem, n = f"{path.stem}-{n}", n + 1
    taken.add(stem)
    return stem


def missing_course_packages() -> list[str]:
    """The packages ``kerasnotes run`` needs that are not installed (empty when all are)."""
    import importlib.util

    return [
        name
        for name in ("nbclient", "nbformat", "nbconvert", "ipykernel")
        if importlib.util.find_spec(name) is None
    ]


def _progress_line(i: int, n: int, result: Result, name_width: int = 44) -> str:
    width = len(str(n))
    status = "ok (cached)" if result.cached else result.status
    line = f"[{i:>{width}}/{n}] {result.notebook:<{name_width}} {result.seconds:6.1f} s  {status}"
    if not result.ok:
        line += f"\n{'':>{2 * width + 4}}{result.reason}"
    return line


def _write_summary(folder: BuildFolder, results: Sequence[Result]) -> None:
    rows = [r.summary() for r in results]
    atomic_write_text(
        folder.path / "summary.json", json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    )
    folder.record("summary.json")


def _previous_pages(folder: BuildFolder) -> set[str]:
    """The executed copies (top-level ``.ipynb``) and fallback pages earlier runs wrote."""
    return {f for f in folder.owned() if "/" not in f and f.endswith((".ipynb", ".html"))}


def run_notebooks(
    paths: Sequence[os.PathLike[str] | str] | None = None,
    output_dir: os.PathLike[str] | str = "build",
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_downloads: bool = False,
    render_html: bool = True,
    force: bool = False,
    progress: Callable[[str], None] | None = print,
) -> list[Result]:
    """Execute notebooks one after another into an output folder this run owns.

    A failing notebook does not stop the others; SIGINT/SIGTERM stop them all.

    Args:
        paths: Notebooks or folders of notebooks (default: all of ``notebooks/``).
        output_dir: The output folder (default ``build``); see
            :class:`~kerasnotes.course.buildfolder.BuildFolder` for what is refused.
        timeout: Wall-clock seconds per notebook.
        allow_downloads: Let lessons download data (``KERASNOTES_OFFLINE`` unset).
        render_html: Render the course site (or the fallback pages) after the run.
        force: Execute every notebook, even those the cache holds.
        progress: Called with one line per finished notebook (``None``: silent).

    Returns:
        One :class:`Result` per notebook, in the order run.

    Raises:
        OutputFolderError: If the output folder is refused or in use; nothing is written.
        RunInterrupted: On SIGINT/SIGTERM, after ``summary.json`` is written.
    """
    check_timeout(timeout, option="timeout")
    notebooks = expand_paths(paths)
    signals = StopSignals()
    results: list[Result] = []
    with BuildFolder.claim(output_dir, [p for p in notebooks if Path(p).exists()]) as folder:
        store = Store(folder.path / CACHE)
        stale = _previous_pages(folder)
        taken: set[str] = set()
        current: os.PathLike[str] | str | None = None
        name_width = max((len(display_path(Path(p))) for p in notebooks), default=0)
        signals.install()
        try:
            for i, nb_path in enumerate(notebooks, 1):
                current = nb_path
                stem = _unique_stem(Path(nb_path), taken)
                result = run_notebook(
                    nb_path,
                    folder.path,
                    timeout,
                    allow_downloads=allow_downloads,
                    render_html=False,
                    stem=stem,
                    cache=store,
                    force=force,
                    _signals=signals,
                )
                results.append(result)
                if result.executed:
                    folder.record(result.executed)
                _write_summary(folder, results)
                if progress is not None:
                    progress(_progress_line(i, len(notebooks), result, name_width))
                current = None
                if signals.signum is not None:
                    raise RunInterrupted(signals.signum)
            # Pages of notebooks that are not part of this run would contradict the summary.
            done = {r.executed for r in results if r.executed}
            done |= {f"{Path(name).stem}.html" for name in done}
            folder.forget(*(stale - done - {"index.html"}))
            if render_html:
                _render_site(folder, results)
        except RunInterrupted as exc:
            signals.signum = exc.signum  # later signals are ignored while we clean up
            if current is not None and (
                not results or results[-1].notebook != display_path(Path(current))
            ):
                # stopped outside the kernel (reading it, or serving it from the cache)
                why = f"stopped by {SIGNAL_NAMES.get(exc.signum, 'a signal')} before it ran"
                results.append(
                    Result(
                        display_path(Path(current)),
                        "interrupted",
                        0.0,
                        reason=why,
                        ename="Interrupted",
                        evalue=why,
                    )
                )
            _write_summary(folder, results)
            raise RunInterrupted(exc.signum, results) from None
        finally:
            signals.restore()
    return results


def _render_site(folder: BuildFolder, results: list[Result]) -> None:
    """The course site; if it is unavailable or fails, the fallback pages."""
    folder.begin_foreign_step()
    site: ModuleType | None
    try:  # through sys.modules, so a substituted (or blocked) module is honoured
        site = importlib.import_module("kerasnotes.course.site")
    except ImportError:
        print(
            "kerasnotes run: the course site module (kerasnotes.course.site) is not installed; "
            "writing plain nbconvert pages instead",
            file=sys.stderr,
        )
        site = None
    try:
        if site is not None:
            try:
                build_all = getattr(site, "build_all", None)
                if callable(build_all):  # every language (English, and Chinese when translated)
                    for result in build_all(folder.path, root=course_root()):
                        print(result)
                else:
                    site.build_site(folder.path, root=course_root())
                return
            except Exception as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                print(
                    f"kerasnotes run: the course site failed ({type(exc).__name__}: {first}); "
                    "writing plain nbconvert pages instead",
                    file=sys.stderr,
                )
        import nbformat

        for r in results:
            if r.executed:
                nb = nbformat.read(folder.path / r.executed, as_version=4)  # type: ignore[no-untyped-call]  # nbformat: unannotated
                r.html = render_page(
                    nb, folder.path / f"{Path(r.executed).stem}.html", r.info, Path(r.notebook)
                )
        atomic_write_text(folder.path / "index.html", course_page(results))
    finally:
        folder.adopt_all()


def _timeout_arg(text: str) -> float:
    try:
        return check_timeout(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The one parser of ``kerasnotes run``."""
    parser = argparse.ArgumentParser(
        prog="kerasnotes run",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Execute notebooks in a Jupyter kernel, then render the course site.\n"
        "Writes the executed copies, summary.json and the site (index.html) into the output\n"
        "folder. Source notebooks are only read.",
        epilog="""cache:
  A notebook whose code cells, kernel environment (KERASNOTES_*, KERAS_BACKEND,
  TF_*), kerasnotes package source and Python/Keras/TensorFlow versions are
  unchanged since its last successful run is not executed again: its outputs come
  from <output>/.cache/ ("cached": true in summary.json). Markdown edits alone do
  not re-run a lesson. Failed runs are never cached; a damaged entry is detected
  and the notebook re-runs. --force executes everything (and refreshes the cache).

output folder:
  kerasnotes run writes only into a new or empty folder, or one that an earlier
  run wrote (it keeps a manifest there); it refuses, writing nothing, a folder that
  holds the notebooks being run or files it did not write, and a folder another
  run is using.

exit status:
  0 all notebooks ran; 1 one failed or timed out; 2 bad arguments, a refused
  output folder, or no notebooks; 130 / 143 stopped by SIGINT / SIGTERM.""",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="notebooks or folders (default: notebooks/)",
    )
    parser.add_argument(
        "--timeout",
        type=_timeout_arg,
        default=DEFAULT_TIMEOUT,
        help=f"wall-clock seconds allowed per notebook, kernel start-up included (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--output", "-o", default="build", metavar="DIR", help="output folder (default build/)"
    )
    parser.add_argument(
        "--force", action="store_true", help="execute every notebook, ignoring the cache"
    )
    parser.add_argument(
        "--allow-downloads",
        action="store_true",
        help="do not set KERASNOTES_OFFLINE=1 in the kernel (lessons may then download data)",
    )
    parser.add_argument(
        "--no-html",
        action="store_true",
        help="skip the site (executed notebooks and summary.json only)",
    )
    return parser


def _no_notebooks(given: Sequence[str]) -> str:
    if given:
        return (
            f"kerasnotes run: no notebooks (*.ipynb) in {' '.join(given)}. "
            "Pass notebook files or folders that hold them."
        )
    return (
        f"kerasnotes run: no lessons found in {course_root() / 'notebooks'}. The lessons are "
        "the notebooks/ folder of a kerasnotes checkout (an installed wheel has none): run "
        "this from the checkout's top folder, or pass notebook paths."
    )


def main(argv: list[str] | None = None) -> int:
    """``kerasnotes run [NOTEBOOK ...] [options]``; returns the exit status (see ``--help``)."""
    args = build_parser().parse_args(argv)
    missing = missing_course_packages()
    if missing:
        print(
            f"kerasnotes run needs {', '.join(missing)}, which is not installed. Fix: "
            f'{sys.executable} -m pip install -e ".[course]"   (from the kerasnotes folder)',
            file=sys.stderr,
        )
        return 1
    paths = expand_paths(args.notebooks)
    if not paths:
        print(_no_notebooks(args.notebooks), file=sys.stderr)
        return 2
    try:
        BuildFolder.check(args.output, [p for p in paths if p.exists()])
    except OutputFolderError as exc:
        print(f"kerasnotes run: {exc}", file=sys.stderr)
        return 2
    print(
        f"kerasnotes run: {len(paths)} notebook(s) -> {args.output}/ (timeout {args.timeout:g} s each)"
    )
    try:
        results = run_notebooks(
            paths,
            args.output,
            args.timeout,
            allow_downloads=args.allow_downloads,
            render_html=not args.no_html,
            force=args.force,
        )
    except OutputFolderError as exc:
        print(f"kerasnotes run: {exc}", file=sys.stderr)
        return 2
    except RunInterrupted as exc:
        name = SIGNAL_NAMES.get(exc.signum, f"signal {exc.signum}")
        print(
            f"kerasnotes run: stopped by {name} after {len(exc.results)} notebook(s); "
            f"see {args.output}/summary.json",
            file=sys.stderr,
        )
        return 128 + int(exc.signum)
    failed = [r for r in results if not r.ok]
    total = sum(r.seconds for r in results if not r.cached)
    n_cached = sum(r.cached for r in results)
    print(
        f"{len(results) - len(failed)} ok ({n_cached} cached), {len(failed)} failed, "
        f"{total:.0f} s of execution."
    )
    for result in failed:
        print("\n" + result.report(), file=sys.stderr)
    if not args.no_html:
        print(f"Course page: {args.output}/index.html")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
