"""``kerasnotes run``: execute the course notebooks and render them into ``build/``.

Each notebook is executed in a real Jupyter kernel (nbclient), with its own
folder as the working directory, as Jupyter would. The source notebook is only
ever read. The run writes, under the output folder (default ``build/``):

- ``NN_name.ipynb``: the executed notebook (outputs included, also on failure);
- ``NN_name.html``: that notebook rendered by nbconvert;
- ``index.html``: the course page (title, notes section, status, seconds, link);
- ``summary.json``: ``[{"notebook": ..., "status": "ok"|"failed"|"timeout", "seconds": ...}]``.

Every file is written to a temporary name and renamed into place, so an
interrupted run never leaves a half-written page.

Nothing here imports TensorFlow; nbclient and nbconvert are imported when a
notebook is actually run. ``python -m kerasnotes.course.runner --write-table`` rewrites
the notebook tables of ``README.md`` and ``notebooks/README.md`` from the
notebooks' first cells (``--check-table`` only checks them).

Example:
    >>> from kerasnotes.course.runner import Result
    >>> Result("notebooks/00_setup.ipynb", "ok", 3.14159).summary()
    {'notebook': 'notebooks/00_setup.ipynb', 'status': 'ok', 'seconds': 3.14}
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kerasnotes.course.notebooks import (
    LessonInfo,
    atomic_write_text,
    course_root,
    find_notebooks,
    lesson_info,
    sync_tables,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "Result",
    "expand_paths",
    "main",
    "missing_course_packages",
    "run_notebook",
    "run_notebooks",
]

DEFAULT_TIMEOUT = 300.0
STATUSES = ("ok", "failed", "timeout")


@dataclass
class Result:
    """The outcome of running one notebook.

    Attributes:
        notebook: The notebook's path as reported (relative to the current folder
            when it is inside it, with ``/`` separators).
        status: ``"ok"``, ``"failed"`` or ``"timeout"``.
        seconds: Wall-clock time, kernel start-up included.
        reason: One line saying why it failed (empty when ok).
        cell_index: Index of the failing cell in the notebook (``None`` if none).
        cell_source: Source of the failing cell.
        traceback: The error's traceback as the kernel printed it (ANSI codes removed).
        info: Title and notes section from the first cell.
        html: File name of the rendered page in the output folder ("" if none).
        executed: File name of the executed notebook in the output folder ("" if none).
    """

    notebook: str
    status: str
    seconds: float
    reason: str = ""
    cell_index: int | None = None
    cell_source: str = ""
    traceback: str = ""
    info: LessonInfo = field(default_factory=LessonInfo)
    html: str = ""
    executed: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def summary(self) -> dict:
        """The entry of ``summary.json`` for this notebook."""
        return {"notebook": self.notebook, "status": self.status, "seconds": round(self.seconds, 2)}

    def report(self) -> str:
        """A readable account of a failure: the reason, the failing cell and the traceback."""
        if self.ok:
            return f"{self.notebook}: ok in {self.seconds:.1f} s"
        lines = [f"{self.notebook}: {self.status}: {self.reason}"]
        if self.cell_index is not None:
            lines.append(f"--- failing cell [{self.cell_index}] ---")
            lines.append(self.cell_source.rstrip())
        if self.traceback:
            lines.append("--- error ---")
            lines.append(self.traceback.rstrip())
        return "\n".join(lines)


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def expand_paths(paths: Iterable[os.PathLike | str] | None) -> list[Path]:
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


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _first_error(nb) -> tuple[int | None, str, str, str]:
    """(cell index, source, one-line error, traceback) of the first cell with an error output."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                evalue = str(output.get("evalue", "")).strip().splitlines()
                line = f"{output.get('ename', 'Error')}: {evalue[0] if evalue else ''}".rstrip(": ")
                tb = _strip_ansi("\n".join(output.get("traceback", [])))
                return index, cell.get("source", ""), line, tb
    return None, "", "", ""


def _kernel_env(allow_downloads: bool) -> dict[str, str]:
    env = dict(os.environ)
    if allow_downloads:
        env.pop("KERASNOTES_OFFLINE", None)  # the Makefile exports it; the user asked otherwise
    else:
        env["KERASNOTES_OFFLINE"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Let ipykernel choose its inline backend, so plots land in the executed
    # notebook and its HTML page (a leftover MPLBACKEND=Agg would drop them).
    env.pop("MPLBACKEND", None)
    return env


def _read_notebook(path: Path):
    """Read a notebook, or return a one-line reason why it cannot be run."""
    if not path.exists():
        return None, f"no such file: {path} (check the path, or run without arguments)"
    if path.is_dir() or path.suffix != ".ipynb":
        return None, f"not a notebook: {path} (expected a .ipynb file)"
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read {path}: {exc}"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc}); the file may be truncated or not a notebook"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several unrelated types here
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"not a valid Jupyter notebook (nbformat 4): {first}"
    return nb, ""


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


def run_notebook(
    path: os.PathLike | str,
    output_dir: os.PathLike | str = "build",
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_downloads: bool = False,
    render_html: bool = True,
    stem: str | None = None,
) -> Result:
    """Execute one notebook in a fresh kernel and write its executed copy (and HTML).

    Args:
        path: The ``.ipynb`` file. It is read, never written.
        output_dir: Where the executed notebook and its HTML go (created if needed).
        timeout: Seconds for the whole notebook, kernel start-up included.
        allow_downloads: Leave ``KERASNOTES_OFFLINE`` unset in the kernel.
        render_html: Also render ``<stem>.html`` with nbconvert.
        stem: Base name of the output files (default: the notebook's).

    Returns:
        A :class:`Result`; bad input and failures are reported in it, not raised.

    Raises:
        ValueError: If ``timeout`` is not a positive number.
    """
    if not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(
            f"timeout must be a positive number of seconds; received {timeout!r}. "
            f"The default is {DEFAULT_TIMEOUT:g}."
        )
    path = Path(path)
    shown = _display_path(path)
    start = time.perf_counter()
    nb, reason = _read_notebook(path)
    if nb is None:
        return Result(shown, "failed", time.perf_counter() - start, reason=reason)

    import nbclient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    info = lesson_info(nb)
    output_dir = Path(output_dir)
    stem = stem or path.stem
    deadline = time.monotonic() + timeout

    def remaining(_cell=None) -> int:
        return max(1, math.ceil(deadline - time.monotonic()))

    client = nbclient.NotebookClient(
        nb,
        timeout=int(timeout),
        timeout_func=remaining,
        startup_timeout=int(min(timeout, 120)),
        kernel_name="python3",
        resources={"metadata": {"path": str(path.resolve().parent)}},
    )
    running: dict[str, int | None] = {"cell": None}  # the cell being executed, for timeouts

    def note_cell(cell=None, cell_index=None, **_):
        running["cell"] = cell_index

    client.on_cell_execute = note_cell
    status, reason, traceback = "ok", "", ""
    # The kernel process's own stderr (TensorFlow's C++ log, ipykernel's start-up
    # notices) goes to a scratch file: it is shown only if the kernel dies.
    kernel_log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    try:
        client.execute(env=_kernel_env(allow_downloads), stderr=kernel_log)
    except CellTimeoutError:
        status = "timeout"
        reason = f"still running after the notebook's {timeout:g} s budget (--timeout)"
    except CellExecutionError as exc:
        status, reason = "failed", str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
    except DeadKernelError as exc:
        status, reason = "failed", f"the kernel died ({exc}); out of memory or a crash in C code?"
        kernel_log.seek(0)
        tail = [
            line
            for line in kernel_log.read().splitlines()
            if line.strip() and "running over TCP without encryption" not in line
        ][-3:]
        if tail:
            reason += " Kernel's last words: " + " | ".join(tail)
    except Exception as exc:  # kernel start-up errors and the like: report, keep going
        status, reason = "failed", f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        kernel_log.close()
    seconds = time.perf_counter() - start
    if time.monotonic() > deadline and status == "failed" and "kernel" in reason.lower():
        status = "timeout"

    cell_index, cell_source, error_line, traceback = _first_error(nb)
    if status == "failed" and error_line:
        reason = f"cell [{cell_index}] raised {error_line}"
    elif status == "timeout" and running["cell"] is not None:
        cell_index = running["cell"]
        cell_source = nb.cells[cell_index].get("source", "")
        reason += f"; it was running cell [{cell_index}]"

    result = Result(
        shown,
        status,
        seconds,
        reason=reason,
        cell_index=cell_index,
        cell_source=cell_source,
        traceback=traceback,
        info=info,
    )
    import nbformat

    atomic_write_text(output_dir / f"{stem}.ipynb", nbformat.writes(nb))
    result.executed = f"{stem}.ipynb"
    if render_html:
        try:
            result.html = _render_html(nb, output_dir / f"{stem}.html", info, path)
        except Exception as exc:  # a rendering problem must not hide the run's result
            print(f"warning: could not render {stem}.html: {exc}", file=sys.stderr)
    return result


def _render_html(nb, target: Path, info: LessonInfo, source: Path) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": info.title or source.stem}}
    )
    atomic_write_text(target, body)
    return target.name


def _progress_line(i: int, n: int, result: Result, name_width: int = 44) -> str:
    width = len(str(n))
    line = f"[{i:>{width}}/{n}] {result.notebook:<{name_width}} {result.seconds:6.1f} s  {result.status}"
    if not result.ok:
        line += f"\n{'':>{2 * width + 4}}{result.reason}"
    return line


def run_notebooks(
    paths: Sequence[os.PathLike | str] | None = None,
    output_dir: os.PathLike | str = "build",
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_downloads: bool = False,
    render_html: bool = True,
    progress: Callable[[str], None] | None = print,
) -> list[Result]:
    """Execute notebooks one after another; write the course page and the summary.

    A failing notebook does not stop the others.

    Args:
        paths: Notebooks or folders of notebooks (default: all of ``notebooks/``).
        output_dir: The output folder (default ``build``).
        timeout: Seconds per notebook.
        allow_downloads: Let lessons download data (``KERASNOTES_OFFLINE`` unset).
        render_html: Render one HTML page per notebook, and ``index.html``.
        progress: Called with one line per finished notebook (``None``: silent).

    Returns:
        One :class:`Result` per notebook, in the order run.
    """
    notebooks = expand_paths(paths)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    taken: set[str] = set()
    name_width = max((len(_display_path(Path(p))) for p in notebooks), default=0)
    for i, nb_path in enumerate(notebooks, 1):
        result = run_notebook(
            nb_path,
            output_dir,
            timeout,
            allow_downloads=allow_downloads,
            render_html=render_html,
            stem=_unique_stem(Path(nb_path), taken),
        )
        results.append(result)
        if progress is not None:
            progress(_progress_line(i, len(notebooks), result, name_width))
    atomic_write_text(
        output_dir / "summary.json",
        json.dumps([r.summary() for r in results], indent=2, ensure_ascii=False) + "\n",
    )
    if render_html:
        atomic_write_text(output_dir / "index.html", course_page(results))
    return results


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
.ok {{ color: #17692d; }} .failed, .timeout {{ color: #b00020; font-weight: bold; }}
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
    import re

    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def course_page(results: Sequence[Result]) -> str:
    """The ``index.html`` of a run: one row per notebook."""
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


def main(argv: list[str] | None = None) -> int:
    """``python -m kerasnotes.course.runner --write-table | --check-table``: the README tables."""
    parser = argparse.ArgumentParser(
        prog="python -m kerasnotes.course.runner",
        description="Regenerate or check the notebook tables of README.md and notebooks/README.md.",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-table", action="store_true", help="rewrite stale tables")
    group.add_argument("--check-table", action="store_true", help="exit 1 if a table is stale")
    parser.add_argument("--root", default=None, help="repository folder (default: autodetect)")
    args = parser.parse_args(argv)
    root = Path(args.root) if args.root else course_root()
    try:
        stale = sync_tables(root, write=args.write_table)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for readme in stale:
        verb = "rewrote" if args.write_table else "stale"
        print(f"{verb}: {readme}")
    if args.check_table and stale:
        print("fix: python -m kerasnotes.course.runner --write-table", file=sys.stderr)
        return 1
    if not stale:
        print("notebook tables are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
