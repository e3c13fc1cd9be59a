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

``--jobs N`` runs up to N notebooks at once, each in its own kernel (driven from
its own thread); the results, ``summary.json`` and the site keep the course
order, and the executed copies are the same as with ``--jobs 1``. A progress
line is printed when a notebook finishes, with its place in the course
(``[ 3/24]``) and the notebooks still running.

``--timeout`` is a wall-clock budget per notebook, kernel start-up included.
SIGINT and SIGTERM stop the whole run: every kernel is shut down, ``summary.json``
lists the finished notebooks and marks those that were running ``"interrupted"``
(those not started are left out), and the exit status is 130 or 143. Every file
is written to a temporary name and renamed into place.

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
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from types import ModuleType

from kerasnotes._validation import check_int, check_timeout
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
    "JOBS_ENV",
    "STATUSES",
    "Result",
    "RunInterrupted",
    "build_parser",
    "check_jobs",
    "course_page",
    "default_jobs",
    "expand_paths",
    "main",
    "missing_course_packages",
    "run_notebook",
    "run_notebooks",
]


JOBS_ENV = "KERASNOTES_JOBS"


def check_jobs(value: object, *, option: str = "--jobs") -> int:
    """Parse a number of notebooks to run at once: a whole number >= 1.

    Args:
        value: The option's text, or an int.
        option: Where it came from, for the message (``--jobs``, ``KERASNOTES_JOBS``).

    Returns:
        The number of jobs.

    Raises:
        ValueError: If it is text that is not a whole number, or a number < 1.
        TypeError: If it is neither text nor an int (a bool, a float).

    Example:
        >>> check_jobs("2")
        2
        >>> check_jobs("x")
        Traceback (most recent call last):
        ...
        ValueError: --jobs must be a whole number; received --jobs='x'. Pass how many notebooks to run at once: 1 runs them one after another, 2 suits two CPU cores.
    """
    hint = (
        "Pass how many notebooks to run at once: 1 runs them one after another, "
        "2 suits two CPU cores."
    )
    if not isinstance(value, str):
        return check_int(option, value, minimum=1, hint=hint)
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(
            f"{option} must be a whole number; received {option}={value!r}. {hint}"
        ) from None
    if number < 1:
        raise ValueError(f"{option} must be >= 1; received {option}={value!r}. {hint}")
    return number


def default_jobs(environ: Mapping[str, str] | None = None) -> int:
    """How many notebooks ``kerasnotes run`` runs at once when ``--jobs`` is not given.

    ``KERASNOTES_JOBS`` when set, else ``min(2, os.cpu_count())``: two kernels side
    by side fill two cores (much of a lesson is single-threaded: kernel start-up,
    ``import tensorflow``, Python-side tracing), while more than two only make the
    lessons compete for memory and cores (the measurements are in the README).

    Args:
        environ: The environment to read (default: ``os.environ``).

    Returns:
        The number of jobs, >= 1.

    Raises:
        ValueError: If ``KERASNOTES_JOBS`` is set to anything but a whole number >= 1.

    Example:
        >>> default_jobs({"KERASNOTES_JOBS": "3"})
        3
        >>> default_jobs({}) in (1, 2)
        True
    """
    text = (os.environ if environ is None else environ).get(JOBS_ENV, "")
    if text.strip():
        return check_jobs(text, option=JOBS_ENV)
    return max(1, min(2, os.cpu_count() or 1))


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


def _progress_line(
    i: int, n: int, result: Result, name_width: int = 44, running: Sequence[str] = ()
) -> str:
    width = len(str(n))
    status = "ok (cached)" if result.cached else result.status
    line = f"[{i:>{width}}/{n}] {result.notebook:<{name_width}} {result.seconds:6.1f} s  {status}"
    if running:
        line += f"   (running: {', '.join(running)})"
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
    jobs: int | None = None,
) -> list[Result]:
    """Execute notebooks, up to ``jobs`` at once, into an output folder this run owns.

    A failing or timing-out notebook does not stop the others; SIGINT/SIGTERM stop
    them all (every running kernel is shut down).

    Args:
        paths: Notebooks or folders of notebooks (default: all of ``notebooks/``).
        output_dir: The output folder (default ``build``); see
            :class:`~kerasnotes.course.buildfolder.BuildFolder` for what is refused.
        timeout: Wall-clock seconds per notebook.
        allow_downloads: Let lessons download data (``KERASNOTES_OFFLINE`` unset).
        render_html: Render the course site (or the fallback pages) after the run.
        force: Execute every notebook, even those the cache holds.
        progress: Called with one line per finished notebook, as it finishes
            (``None``: silent).
        jobs: How many notebooks run at once, each in its own kernel (default:
            :func:`default_jobs`).

    Returns:
        One :class:`Result` per notebook, in the order given (the course order),
        whatever order they finished in.

    Raises:
        OutputFolderError: If the output folder is refused or in use; nothing is written.
        RunInterrupted: On SIGINT/SIGTERM, after every kernel is shut down and
            ``summary.json`` is written.
        ValueError: If ``timeout`` or ``jobs`` is out of range.
    """
    check_timeout(timeout, option="timeout")
    jobs = default_jobs() if jobs is None else check_jobs(jobs, option="jobs")
    notebooks = expand_paths(paths)
    taken: set[str] = set()
    stems = [_unique_stem(Path(p), taken) for p in notebooks]  # fixed before any runs
    signals = StopSignals()
    with BuildFolder.claim(output_dir, [p for p in notebooks if Path(p).exists()]) as folder:
        store = Store(folder.path / CACHE)
        stale = _previous_pages(folder)
        name_width = max((len(display_path(Path(p))) for p in notebooks), default=0)

        def one(index: int) -> Result:
            return run_notebook(
                notebooks[index],
                folder.path,
                timeout,
                allow_downloads=allow_downloads,
                render_html=False,
                stem=stems[index],
                cache=store,
                force=force,
                _signals=signals,
            )

        finished: list[Result | None] = [None] * len(notebooks)

        def report(index: int, result: Result, running: Sequence[int]) -> None:
            finished[index] = result
            if result.executed:
                folder.record(result.executed)
            _write_summary(folder, [r for r in finished if r is not None])
            if progress is not None:
                names = [stems[i] for i in running] if jobs > 1 else []
                progress(_progress_line(index + 1, len(notebooks), result, name_width, names))

        signals.install()
        try:
            _run_side_by_side(len(notebooks), jobs, one, report, signals)
            results = [r for r in finished if r is not None]
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
            results = [r for r in finished if r is not None]
            _write_summary(folder, results)
            raise RunInterrupted(exc.signum, results) from None
        finally:
            signals.restore()
    return results


def _run_side_by_side(
    n: int,
    jobs: int,
    one: Callable[[int], Result],
    report: Callable[[int, Result, Sequence[int]], None],
    signals: StopSignals,
) -> None:
    """Run ``one(0) ... one(n - 1)``, up to ``jobs`` at once, each in a worker thread.

    Notebooks start in course order; ``report(index, result, still_running)`` is
    called in this (the main) thread as each finishes. After a signal nothing new
    starts, and this returns once the running ones have stopped (their kernels
    shut down): ``signals.signum`` then says why. An unexpected error of a worker
    stops the others too and is raised.
    """
    pending = iter(range(n))
    running: dict[Future[Result], int] = {}
    signals.polling = True  # this thread only waits; the workers' loops handle the signal
    try:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kerasnotes-run") as pool:
            try:
                while True:
                    while len(running) < jobs and signals.signum is None:
                        index = next(pending, None)
                        if index is None:
                            break
                        running[pool.submit(one, index)] = index
                    if not running:
                        return
                    done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=running.__getitem__):
                        index = running.pop(future)
                        report(index, future.result(), sorted(running.values()))
            except BaseException:
                signals.stop_running()  # do not leave kernels working for nobody
                raise
    finally:
        signals.polling = False


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


def _jobs_arg(text: str) -> int:
    try:
        return check_jobs(text)
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

notebooks side by side:
  --jobs N runs up to N notebooks at once, each in its own kernel (default: the
  KERASNOTES_JOBS environment variable, else 2 on a machine with 2 or more CPU
  cores). A line is printed as each finishes, with its place in the course and
  the notebooks still running; summary.json and the site keep the course order,
  and the executed notebooks are the same as with --jobs 1.

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
        "--jobs",
        "-j",
        type=_jobs_arg,
        default=None,
        metavar="N",
        help=f"run up to N notebooks at once, each in its own kernel (default: ${JOBS_ENV}, "
        "else 2, or 1 on a single-core machine)",
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
        jobs = default_jobs() if args.jobs is None else args.jobs
    except ValueError as exc:
        print(f"kerasnotes run: {exc}", file=sys.stderr)
        return 2
    try:
        BuildFolder.check(args.output, [p for p in paths if p.exists()])
    except OutputFolderError as exc:
        print(f"kerasnotes run: {exc}", file=sys.stderr)
        return 2
    at_once = f", {min(jobs, len(paths))} at a time" if jobs > 1 and len(paths) > 1 else ""
    print(
        f"kerasnotes run: {len(paths)} notebook(s) -> {args.output}/ "
        f"(timeout {args.timeout:g} s each{at_once})"
    )
    start = time.perf_counter()
    try:
        results = run_notebooks(
            paths,
            args.output,
            args.timeout,
            allow_downloads=args.allow_downloads,
            render_html=not args.no_html,
            force=args.force,
            jobs=jobs,
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
        f"{total:.0f} s of execution in {time.perf_counter() - start:.0f} s (--jobs {jobs})."
    )
    for result in failed:
        print("\n" + result.report(), file=sys.stderr)
    if not args.no_html:
        print(f"Course page: {args.output}/index.html")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
