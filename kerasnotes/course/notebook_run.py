"""Running one notebook: a fresh kernel, a wall-clock budget, the cache, the executed copy.

:func:`run_notebook` is what ``kerasnotes run`` does for each notebook (the
folder-level work, output ownership and the site are in
:mod:`kerasnotes.course.runner`). Bad input and failures are reported in the
returned :class:`Result`, never raised.

Example:
    >>> Result("notebooks/00_setup.ipynb", "failed", 0.5, reason="no such file").summary()["error"]
    {'cell': None, 'ename': 'failed', 'evalue': 'no such file'}
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kerasnotes._validation import check_timeout
from kerasnotes.course.execution import SIGNAL_NAMES, StopSignals, execute, kernel_env
from kerasnotes.course.fallback_page import render_notebook
from kerasnotes.course.notebooks import LessonInfo, atomic_write_text, lesson_info
from kerasnotes.course.runcache import Store, merge_outputs, notebook_key

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["DEFAULT_TIMEOUT", "STATUSES", "Result", "display_path", "render_page", "run_notebook"]

DEFAULT_TIMEOUT = 300.0
STATUSES = ("ok", "failed", "timeout", "interrupted")


@dataclass
class Result:
    """The outcome of running one notebook.

    Attributes:
        notebook: The notebook's path as reported (relative to the current folder
            when it is inside it, with ``/`` separators).
        status: One of :data:`STATUSES`.
        seconds: Wall-clock time of the execution, kernel start-up included (for a
            cached result: the time of the run that was cached).
        reason: One line saying why it failed (empty when ok).
        cell_index: Index of the failing (or running) cell (``None`` if none).
        cell_source: Source of that cell.
        traceback: The error's traceback as the kernel printed it (ANSI codes removed).
        ename: The error's class name (empty when ok).
        evalue: The error's message (empty when ok).
        info: Title and notes section from the first cell.
        html: File name of the fallback page in the output folder ("" if none).
        executed: File name of the executed notebook in the output folder ("" if none).
        cached: Served from the cache instead of being executed.
    """

    notebook: str
    status: str
    seconds: float
    reason: str = ""
    cell_index: int | None = None
    cell_source: str = ""
    traceback: str = ""
    ename: str = ""
    evalue: str = ""
    info: LessonInfo = field(default_factory=LessonInfo)
    html: str = ""
    executed: str = ""
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def summary(self) -> dict[str, Any]:
        """The row of ``summary.json`` for this notebook."""
        error = None
        if not self.ok:
            error = {
                "cell": self.cell_index,
                "ename": self.ename or self.status,
                "evalue": self.evalue or self.reason,
            }
        return {
            "notebook": self.notebook,
            "status": self.status,
            "seconds": round(self.seconds, 2),
            "cached": self.cached,
            "executed": self.executed or None,
            "error": error,
        }

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


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when inside it, with ``/`` separators."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _error_of(nb: NotebookNode) -> tuple[int | None, str, str, str, str]:
    """(cell index, source, ename, evalue, traceback) of the first cell with an error output."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                tb = _strip_ansi("\n".join(output.get("traceback", [])))
                ename, evalue = str(output.get("ename", "Error")), str(output.get("evalue", ""))
                return index, cell.get("source", ""), ename, evalue, tb
    return None, "", "", "", ""


def _read_notebook(path: Path) -> tuple[NotebookNode | None, str]:
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
        nb = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]  # nbformat: unannotated
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several unrelated types here
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"not a valid Jupyter notebook (nbformat 4): {first}"
    return nb, ""


def run_notebook(
    path: os.PathLike[str] | str,
    output_dir: os.PathLike[str] | str = "build",
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_downloads: bool = False,
    render_html: bool = True,
    stem: str | None = None,
    cache: Store | None = None,
    force: bool = False,
    _signals: StopSignals | None = None,
) -> Result:
    """Execute one notebook in a fresh kernel and write its executed copy (and HTML page).

    Args:
        path: The ``.ipynb`` file. It is read, never written.
        output_dir: Where the executed notebook goes (created if needed).
        timeout: Wall-clock seconds for the whole notebook, kernel start-up included.
        allow_downloads: Leave ``KERASNOTES_OFFLINE`` unset in the kernel.
        render_html: Also render ``<stem>.html`` with nbconvert.
        stem: Base name of the output files (default: the notebook's).
        cache: Serve an unchanged notebook from this store, and store successful runs.
        force: With ``cache``, execute even when an entry matches (and refresh it).

    Returns:
        A :class:`Result`; bad input and failures are reported in it, not raised.

    Raises:
        ValueError: If ``timeout`` is not a finite number > 0, or the executed copy
            would replace the source.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ValueError(f"timeout must be a positive number of seconds; received {timeout!r}")
    try:
        check_timeout(timeout, option="timeout")
    except ValueError as exc:
        raise ValueError(f"timeout must be a positive number of seconds: {exc}") from None
    path, output_dir = Path(path), Path(output_dir)
    stem = stem or path.stem
    target = output_dir / f"{stem}.ipynb"
    if target.resolve() == path.resolve():
        raise ValueError(
            f"the executed copy {target} would replace its source; choose another output"
        )
    shown = display_path(path)
    start = time.perf_counter()
    nb, reason = _read_notebook(path)
    if nb is None:
        return Result(
            shown,
            "failed",
            time.perf_counter() - start,
            reason=reason,
            ename="BadNotebook",
            evalue=reason,
        )

    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    info = lesson_info(nb)
    env = kernel_env(allow_downloads)
    key = notebook_key(nb, path, env) if cache is not None else ""
    if cache is not None and not force:
        entry = cache.get(stem, key)
        merged = merge_outputs(nb, entry.notebook) if entry else None
        if entry is not None and merged is not None:
            executed = nbformat.from_dict(merged)  # type: ignore[no-untyped-call]  # nbformat: unannotated
            text = nbformat.writes(executed)  # type: ignore[no-untyped-call]  # nbformat: unannotated
            atomic_write_text(target, text)
            result = Result(
                shown, "ok", entry.seconds, info=info, executed=target.name, cached=True
            )
            if render_html:
                result.html = render_page(executed, output_dir / f"{stem}.html", info, path)
            return result

    signals = _signals or StopSignals()
    client = nbclient.NotebookClient(
        nb,
        timeout=None,  # the wall-clock budget below covers the whole notebook
        startup_timeout=int(min(timeout, 120)) + 1,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.resolve().parent)}},
    )
    running: dict[str, int | None] = {"cell": None}  # the cell being executed

    def note_cell(
        cell: NotebookNode | None = None, cell_index: int | None = None, **_: object
    ) -> None:
        running["cell"] = cell_index

    client.on_cell_execute = note_cell
    status, reason = "ok", ""
    # The kernel process's own stderr (TensorFlow's C++ log, ipykernel's start-up
    # notices) goes to a scratch file: it is shown only if the kernel dies.
    kernel_log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    try:
        budget = timeout - (time.perf_counter() - start)
        status = execute(client, env, kernel_log, budget, signals)
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

    cell_index, cell_source, ename, evalue, traceback = _error_of(nb)
    if status == "failed" and ename:
        first = evalue.strip().splitlines()[0] if evalue.strip() else ""
        reason = f"cell [{cell_index}] raised {ename}: {first}".rstrip(": ")
    elif status in ("timeout", "interrupted"):
        ename, traceback = ("TimeoutError", "") if status == "timeout" else ("Interrupted", "")
        if status == "timeout":
            reason = f"still running after the notebook's {timeout:g} s budget (--timeout)"
        else:
            reason = (
                f"stopped by {SIGNAL_NAMES.get(signals.signum, 'a signal')}"
                if signals.signum is not None
                else "stopped: the run itself failed (see its error)"
            )
        cell_index = running["cell"]
        cell_source = nb.cells[cell_index].get("source", "") if cell_index is not None else ""
        if cell_index is not None:
            reason += f"; it was running cell [{cell_index}]"
        evalue = reason
    elif status == "failed":
        ename, evalue = ename or "RunError", evalue or reason

    result = Result(
        shown,
        status,
        seconds,
        reason=reason,
        cell_index=cell_index,
        cell_source=cell_source,
        traceback=traceback,
        ename=ename,
        evalue=evalue,
        info=info,
    )
    text = nbformat.writes(nb)  # type: ignore[no-untyped-call]  # nbformat: unannotated
    atomic_write_text(target, text)
    result.executed = target.name
    if cache is not None:
        if status == "ok":
            cache.put(stem, key, text, seconds)
        else:
            cache.discard(stem)  # never serve an older success for a notebook that now fails
    if render_html:
        result.html = render_page(nb, output_dir / f"{stem}.html", info, path)
    return result


def render_page(nb: NotebookNode, target: Path, info: LessonInfo, source: Path) -> str:
    """Render ``nb`` into ``target`` with nbconvert; on failure warn and return ""."""
    try:
        return render_notebook(nb, target, info.title or source.stem)
    except Exception as exc:  # a rendering problem must not hide the run's result
        print(f"warning: could not render {target.name}: {exc}", file=sys.stderr)
        return ""
