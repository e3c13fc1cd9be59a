"""The output folder of ``kerasnotes run``: ownership, a manifest and a lock.

``kerasnotes run`` writes only into a folder it owns. A folder is owned when it
holds the marker file ``.kerasnotes-build.json``, written by a previous run; the
marker's manifest lists every file that run wrote (its own pages and whatever the
site step wrote), so a file someone else put there later is noticed. A run is
refused, before anything is written, when the folder:

- is an existing file, or cannot be created or written;
- holds (or is inside the folder of) a notebook being run: its executed copy
  would replace the source;
- is not empty and has no marker (it belongs to someone else);
- has a marker but also files that no run wrote (the previous run's site step
  interrupted aside: its marker says so, and the files are then adopted).

While a run writes, it holds an exclusive lock (``fcntl.flock`` on
``.kerasnotes-build.lock``): a second run into the same folder is refused. The
operating system drops the lock when the process ends, even by ``SIGKILL``.

Example:
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "build"
    >>> with BuildFolder.claim(out, sources=[]) as folder:
    ...     folder.record("index.html")
    >>> sorted(p.name for p in out.iterdir())
    ['.kerasnotes-build.json', '.kerasnotes-build.lock']
    >>> BuildFolder.read_manifest(out)
    ['index.html']
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from kerasnotes.course.notebooks import atomic_write_text

try:  # POSIX; elsewhere the lock is advisory only through the marker
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["MARKER", "BuildFolder", "OutputFolderError"]

MARKER = ".kerasnotes-build.json"
LOCK = ".kerasnotes-build.lock"
CACHE = ".cache"
# Our own bookkeeping: never foreign, never listed in the manifest.
_OWN = {MARKER, LOCK, CACHE}


class OutputFolderError(Exception):
    """The output folder cannot be used; the message is the one line to show."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _files(folder: Path) -> set[str]:
    """Every file below ``folder`` (``/``-separated relative paths), bookkeeping aside."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if d not in _OWN]
        for name in filenames:
            if rel == Path(".") and name in _OWN:
                continue
            found.add((rel / name).as_posix())
    return found


class BuildFolder:
    """An output folder claimed by one run: locked, and with a manifest of what it wrote.

    Use :meth:`claim` (a context manager); :meth:`record` the files written;
    :meth:`begin_foreign_step` before handing the folder to another writer (the
    site), :meth:`adopt_all` after it.
    """

    def __init__(self, path: Path, lock_fd: int, manifest: set[str]):
        self.path = path
        self._lock_fd = lock_fd
        self._manifest = manifest
        self._pending = False

    @staticmethod
    def read_manifest(path: os.PathLike[str] | str) -> list[str] | None:
        """The files a previous run recorded in ``path``, or None if it is not a build folder."""
        marker = Path(path) / MARKER
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("kind") != "kerasnotes-build":
            return None
        files = data.get("files")
        if not isinstance(files, list):
            return None
        return sorted(str(f) for f in files)

    @classmethod
    def check(cls, path: os.PathLike[str] | str, sources: Iterable[os.PathLike[str] | str]) -> None:
        """Raise :class:`OutputFolderError` if a run may not write into ``path``; write nothing."""
        out = Path(path)
        shown = str(path)
        try:
            resolved = out.resolve()
        except (OSError, RuntimeError) as exc:
            raise OutputFolderError(f"output folder {shown!r} cannot be resolved: {exc}") from None
        for source in sources:
            src = Path(source).resolve()
            if _inside(src, resolved) or src.parent == resolved:
                raise OutputFolderError(
                    f"output folder {shown!r} holds the notebook {source} being run; its executed "
                    "copy would replace it. Choose another folder, e.g. -o build"
                )
        if out.is_symlink() and not out.exists():
            raise OutputFolderError(f"output folder {shown!r} is a broken symbolic link")
        if out.exists() and not out.is_dir():
            raise OutputFolderError(
                f"output folder {shown!r} is an existing file, not a folder; choose another -o"
            )
        if not out.exists():
            parent = next((p for p in resolved.parents if p.exists()), None)
            if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
                raise OutputFolderError(
                    f"output folder {shown!r} cannot be created: {parent} is not a writable "
                    "folder; choose another -o"
                )
            return
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputFolderError(f"output folder {shown!r} is not writable; choose another -o")
        present = _files(out)
        try:
            marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            marker = None
        manifest = cls.read_manifest(out)
        if manifest is None:
            if present or (out / CACHE).exists():
                example = sorted(present)[0] if present else CACHE
                raise OutputFolderError(
                    f"output folder {shown!r} is not empty and was not written by kerasnotes run "
                    f"(it holds {example!r}); nothing was written. Choose an empty or new folder"
                )
            return
        if isinstance(marker, dict) and marker.get("pending") is True:
            return  # the previous run stopped while the site was writing: its files are ours
        foreign = sorted(present - set(manifest))
        if foreign:
            raise OutputFolderError(
                f"output folder {shown!r} holds {len(foreign)} file(s) that kerasnotes run did not "
                f"write (first: {foreign[0]!r}); nothing was written. Move them away or choose "
                "another folder"
            )

    @classmethod
    def claim(
        cls, path: os.PathLike[str] | str, sources: Iterable[os.PathLike[str] | str]
    ) -> BuildFolder:
        """Check ``path`` (see :meth:`check`), create it, and lock it for this run.

        Raises:
            OutputFolderError: If it is refused, or another run holds its lock.
        """
        sources = list(sources)
        cls.check(path, sources)
        out = Path(path)
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputFolderError(
                f"output folder {str(path)!r} cannot be written: {exc}"
            ) from None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputFolderError(
                    f"output folder {str(path)!r} is in use by another kerasnotes run; wait for "
                    "it to finish or choose another -o"
                ) from None
        try:
            cls.check(path, sources)  # again, under the lock: the folder may have changed
        except OutputFolderError:
            os.close(fd)
            raise
        folder = cls(out, fd, set(cls.read_manifest(out) or []))
        folder._save()
        return folder

    def record(self, *names: str) -> None:
        """Add files (relative to the folder) to the manifest, and save it."""
        self._manifest.update(names)
        self._save()

    def forget(self, *names: str) -> None:
        """Delete our files ``names`` and drop them from the manifest."""
        for name in names:
            if name in self._manifest:
                (self.path / name).unlink(missing_ok=True)
                self._manifest.discard(name)
        self._save()

    def owned(self) -> list[str]:
        """The files of the manifest, sorted."""
        return sorted(self._manifest)

    def begin_foreign_step(self) -> None:
        """Mark that another writer (the site) is about to write files we will adopt."""
        self._pending = True
        self._save()

    def adopt_all(self) -> None:
        """Record every file now in the folder as ours (after the site step)."""
        self._manifest |= _files(self.path)
        self._pending = False
        self._save()

    def _save(self) -> None:
        data = {"kind": "kerasnotes-build", "pending": self._pending, "files": self.owned()}
        atomic_write_text(self.path / MARKER, json.dumps(data, indent=1) + "\n")

    def release(self) -> None:
        """Drop the lock (the lock file stays: it is ours)."""
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

    def __enter__(self) -> BuildFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
