"""The execution cache of ``kerasnotes run``: an unchanged lesson is not executed again.

A notebook's *key* is the SHA-256 of everything that can change what its code
prints: the source and execution-relevant tags of its code cells, its kernel
name, its folder, the source of the whole ``kerasnotes`` package (every ``.py``
file: simple, and safe whatever a lesson imports), the Python, Keras and
TensorFlow versions, and the environment variables the kernel reads
(:data:`ENV_KEYS`). Markdown cells are not part of the key: a cached run is
merged into the current notebook, so edited prose shows up without executing.

The store is ``<output folder>/.cache/``: per notebook, ``<stem>.ipynb`` (the
executed copy) and ``<stem>.json`` (its key, the SHA-256 of that copy, the
seconds the run took). An entry is served only when its key matches and the
copy's hash is intact; otherwise it is deleted and the notebook runs. Only
successful runs are stored.

Example:
    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "print(1)", "metadata": {}}],
    ...       "metadata": {"kernelspec": {"name": "python3"}}}
    >>> key = notebook_key(nb, Path("notebooks/01_x.ipynb"), env={})
    >>> key == notebook_key(nb, Path("notebooks/01_x.ipynb"), env={})
    True
    >>> nb["cells"][0]["source"] = "print(2)"
    >>> key == notebook_key(nb, Path("notebooks/01_x.ipynb"), env={})
    False
    >>> store = Store(Path(tempfile.mkdtemp()))
    >>> store.get("01_x", key) is None
    True
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from kerasnotes.course.notebooks import atomic_write_text

__all__ = ["ENV_KEYS", "CacheEntry", "Store", "merge_outputs", "notebook_key", "package_digest"]

# The kernel environment that can change a lesson's outputs.
ENV_KEYS = (
    "KERASNOTES_OFFLINE",
    "KERASNOTES_MNIST",
    "KERAS_BACKEND",
    "KERAS_HOME",
    "TF_CPP_MIN_LOG_LEVEL",
    "TF_ENABLE_ONEDNN_OPTS",
    "CUDA_VISIBLE_DEVICES",
    "PYTHONHASHSEED",
)
# Cell tags that change how nbclient executes a cell.
_EXEC_TAGS = {"raises-exception", "skip-execution"}
_FORMAT = 1


@lru_cache(maxsize=1)
def package_digest() -> str:
    """SHA-256 of every ``.py`` file of the installed ``kerasnotes`` package (path and bytes)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_key(nb: Mapping[str, Any], path: Path, env: Mapping[str, str]) -> str:
    """The cache key of notebook ``nb`` (read from ``path``) run with kernel environment ``env``.

    Args:
        nb: The notebook (nbformat 4 dict).
        path: Its file; its resolved folder is the kernel's working directory.
        env: The kernel's environment; only :data:`ENV_KEYS` count.

    Returns:
        A hex SHA-256.
    """
    data_file = env.get("KERASNOTES_MNIST", "")
    try:
        stat = os.stat(data_file) if data_file else None
        data_stamp = [stat.st_size, stat.st_mtime_ns] if stat else None
    except OSError:
        data_stamp = None
    cells = [
        [_source(c), sorted(set(c.get("metadata", {}).get("tags", [])) & _EXEC_TAGS)]
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    ]
    material = {
        "format": _FORMAT,
        "cells": cells,
        "kernel": nb.get("metadata", {}).get("kernelspec", {}).get("name", ""),
        "folder": str(Path(path).resolve().parent),
        "kerasnotes": package_digest(),
        "python": platform.python_version(),
        "versions": {n: _version(n) for n in ("keras", "tensorflow", "numpy", "ipykernel")},
        "env": {k: env.get(k) for k in ENV_KEYS},
        "data": data_stamp,
    }
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def merge_outputs(source: Mapping[str, Any], executed: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``source`` notebook with the outputs of ``executed`` (same code cells, in order).

    Markdown and cell metadata come from ``source``; outputs and execution counts
    from ``executed``, and so does the notebook metadata the kernel filled in.
    Returns None if the code cells differ (the entry does not belong to ``source``).
    """
    merged = copy.deepcopy(dict(source))
    done = [c for c in executed.get("cells", []) if c.get("cell_type") == "code"]
    todo = [c for c in merged.get("cells", []) if c.get("cell_type") == "code"]
    if len(done) != len(todo) or any(
        _source(a) != _source(b) for a, b in zip(done, todo, strict=True)
    ):
        return None
    for cell, ran in zip(todo, done, strict=True):
        cell["outputs"] = copy.deepcopy(ran.get("outputs", []))
        cell["execution_count"] = ran.get("execution_count")
    if "language_info" in executed.get("metadata", {}):
        merged.setdefault("metadata", {})["language_info"] = executed["metadata"]["language_info"]
    return merged


@dataclass(frozen=True)
class CacheEntry:
    """A served cache entry: the executed notebook (as a dict) and the seconds it took."""

    notebook: dict[str, Any]
    seconds: float


class Store:
    """The keyed store in ``folder`` (``<output>/.cache``); see the module docstring."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _paths(self, stem: str) -> tuple[Path, Path]:
        return self.folder / f"{stem}.ipynb", self.folder / f"{stem}.json"

    def get(self, stem: str, key: str) -> CacheEntry | None:
        """The entry of ``stem`` if its key is ``key`` and its copy is intact, else None.

        A corrupted or stale entry is deleted.
        """
        nb_path, meta_path = self._paths(stem)
        if not meta_path.exists() and not nb_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            blob = nb_path.read_bytes()
            fresh = (
                isinstance(meta, dict)
                and meta.get("key") == key
                and meta.get("sha256") == hashlib.sha256(blob).hexdigest()
            )
            notebook = json.loads(blob) if fresh else None
            seconds = float(meta["seconds"]) if fresh else 0.0
        except (OSError, ValueError, KeyError, TypeError):
            notebook = None
        if not isinstance(notebook, dict):
            self.discard(stem)
            return None
        return CacheEntry(notebook, seconds)

    def put(self, stem: str, key: str, notebook_json: str, seconds: float) -> None:
        """Store a successful run (the notebook first, then the metadata that vouches for it)."""
        nb_path, meta_path = self._paths(stem)
        meta_path.unlink(missing_ok=True)
        atomic_write_text(nb_path, notebook_json)
        digest = hashlib.sha256(notebook_json.encode("utf-8")).hexdigest()
        meta = {"key": key, "sha256": digest, "seconds": round(seconds, 2)}
        atomic_write_text(meta_path, json.dumps(meta) + "\n")

    def discard(self, stem: str) -> None:
        """Delete the entry of ``stem`` (if any)."""
        for path in self._paths(stem):
            path.unlink(missing_ok=True)
