"""Reading what is scanned: files, notebooks, folders.

Every reader returns a reason instead of raising when an input cannot be used,
so one bad file never stops the scan of the others, and the caller can report
it (an unreadable input is a finding, never a silent skip). Reads are bounded:
a file larger than ``max_bytes`` is not loaded, and FIFOs and devices are never
opened (reading a FIFO would block forever).

Example:
    >>> notebook_code("%matplotlib inline\\nmodel.fit(x)")
    '\\nmodel.fit(x)'
    >>> notebook_cells('{"cells": 5}')
    Traceback (most recent call last):
    ...
    ValueError: not a valid notebook: "cells" is a int, not a list of cells
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DIR_SUFFIXES",
    "MAX_BYTES",
    "NOTEBOOK_FACTOR",
    "SKIP_DIRS",
    "Entry",
    "Text",
    "notebook_cells",
    "notebook_code",
    "read_text",
    "walk",
]

#: Folders never entered when a directory is scanned.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "build", "dist", "__pycache__", ".ipynb_checkpoints",
     "node_modules", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)  # fmt: skip
#: File types scanned inside a directory (other files are scanned when named explicitly).
DIR_SUFFIXES = (".py", ".ipynb")
#: Python files larger than this are reported, not loaded: a syntax tree takes about 100
#: times the size of its source, so this bounds the scan's memory to a few hundred MB.
MAX_BYTES = 4 * 1024 * 1024
#: Notebooks may be this many times larger (their outputs, e.g. images, are never parsed).
NOTEBOOK_FACTOR = 8

_MAGIC_LINE = re.compile(r"(?:[%!?]|[\w.]+\?{1,2}\s*$|[\w.,]+(?:\s+[\w.,]+)*\s*=\s*[!%])")
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})


@dataclass(frozen=True)
class Text:
    """A file's text, or why there is none.

    Attributes:
        text: The decoded text (``None`` when it could not be read).
        problem: Why it could not be read: a finding (exit status 1).
        skipped: Why it was not opened at all (FIFO, device): a note.
    """

    text: str | None
    problem: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class Entry:
    """A path found by :func:`walk`, or a problem met on the way (unreadable folder)."""

    path: Path
    problem: str | None = None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> Text:
    """The text of ``path``: never blocks on FIFOs, never loads more than ``max_bytes``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if path.is_symlink():
            return Text(None, f"cannot read: broken or looping symbolic link ({exc.strerror})")
        return Text(None, f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        return Text(None, skipped=f"skipped: {kind}, not a regular file")
    if info.st_size > max_bytes:
        return Text(
            None,
            f"not scanned: {info.st_size / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB "
            "limit (raise it with --max-bytes)",
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Text(None, f"cannot read: {exc.strerror or exc}")
    if b"\0" in data[:8192]:
        return Text(None, "cannot read: binary file (NUL bytes)")
    encoding = "utf-8-sig"
    if path.suffix in (".py", ".pyw"):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError:
            encoding = "utf-8-sig"
    try:
        return Text(data.decode(encoding))
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        name = encoding.upper().replace("-SIG", "")
        return Text(None, f"cannot read: not {name} text{where}")


def notebook_code(source: str) -> str | None:
    """A code cell with IPython magics and shell lines blanked out (None: not Python)."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split()
        name = magic[0] if magic else ""
        writes_python = name in ("writefile", "file") and magic[-1].endswith(".py")
        if not writes_python and name not in _PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        stripped = line.lstrip()
        if _MAGIC_LINE.match(stripped):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}pass" if indent else "")
        else:
            out.append(line)
    return "\n".join(out)


def notebook_cells(text: str) -> list[tuple[int, str]]:
    """``(cell number, Python code)`` for each code cell of a notebook's JSON text.

    Raises:
        ValueError: If the text is not a notebook (bad JSON, ``cells`` not a list,
            a cell's ``source`` neither a string nor a list of strings).
    """
    try:
        nb = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not a valid notebook: bad JSON ({exc})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError(
            f'not a valid notebook: "cells" is a {type(cells).__name__}, not a list of cells'
        )
    codes = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise ValueError(
                f"not a valid notebook: cell {number}'s source is {type(source).__name__}, not text"
            )
        code = notebook_code(source)
        if code is not None:
            codes.append((number, code))
    return codes


def walk(paths: Sequence[str | os.PathLike[str]]) -> Iterable[Entry]:
    """Files to scan below ``paths`` (folders: their ``.py`` and ``.ipynb`` files).

    Folder symlinks are not followed (no loops); file symlinks are yielded, and a
    broken one is reported by the reader. A folder that cannot be listed is yielded
    as an :class:`Entry` with a problem.

    Raises:
        FileNotFoundError: If a path given does not exist (checked before any scan).
    """
    for given in paths:
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise FileNotFoundError(
                f"no such file or folder: {str(given)!r}; give .py/.ipynb files or folders to scan"
            )
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            yield Entry(p)
            continue
        problems: list[OSError] = []
        for root, dirs, files in os.walk(p, onerror=problems.append):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith(DIR_SUFFIXES):
                    yield Entry(Path(root) / name)
        for exc in problems:
            yield Entry(Path(exc.filename or p), f"cannot list folder: {exc.strerror or exc}")
