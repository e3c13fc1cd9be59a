"""The notes' file-backed generators, in modern form.

Two ways to feed ``model.fit`` from a whitespace text file such as the notes'
``data/fit_generate.txt`` (each line: ``n_features`` numbers, then the one-hot label):

- :func:`file_batches`: a plain Python generator that reads the file lazily, line
  by line, and loops forever (what the notes' ``generate_arrays_from_file`` did,
  minus the ``while 1: np.loadtxt(...)`` that re-read the whole file per batch).
  Pass it to ``model.fit(gen, steps_per_epoch=...)``; ``fit_generator`` is gone.
- :class:`FileDataset`: a ``keras.utils.PyDataset`` with ``__len__``,
  ``__getitem__`` and per-epoch shuffling. ``workers``, ``use_multiprocessing``
  and ``max_queue_size``, which ``fit()`` no longer accepts, go to its constructor.

This module imports Keras (``FileDataset`` subclasses ``keras.utils.PyDataset``);
``import kerasnotes`` alone does not.

Example:
    >>> from kerasnotes.data import data_dir
    >>> gen = file_batches(data_dir() / "fit_generate.txt")
    >>> x, y = next(gen)
    >>> x.shape, y.shape
    ((6, 2), (6, 2))
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keras
import numpy as np

from kerasnotes._validation import check_int

__all__ = ["FileDataset", "file_batches", "read_file_arrays"]


_FEATURES_HINT = "It counts the leading feature columns; the rest of a line is the label."


def _check_args(path: Any, batch_size: Any, n_features: Any, where: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"{where}: path must be a file path; received {type(path).__name__}: {path!r}"
        )
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{where}: no such file {str(p)!r}")
    if not p.is_file():
        raise ValueError(f"{where}: {str(p)!r} is a folder; pass a text file")
    if batch_size is not None:
        check_int("batch_size", batch_size, minimum=1, where=where, hint="None = the whole file.")
    check_int("n_features", n_features, minimum=1, where=where, hint=_FEATURES_HINT)
    return p


def _rows(p: Path, n_features: int) -> Iterator[tuple[int, list[float]]]:
    """Yield ``(line_number, values)`` for each data line, checking every line."""
    width: int | None = None
    with open(p, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            tokens = text.replace(",", " ").split()
            try:
                values = [float(t) for t in tokens]
            except ValueError:
                bad = next(t for t in tokens if not _is_number(t))
                raise ValueError(
                    f"{p}, line {lineno}: {bad!r} is not a number (line: {text!r}). Each line "
                    "must hold numbers separated by spaces: features, then the one-hot label."
                ) from None
            if width is None:
                width = len(values)
                if width <= n_features:
                    raise ValueError(
                        f"{p}, line {lineno}: {width} values, but n_features={n_features} leaves "
                        "no label columns. Pass the right n_features."
                    )
            elif len(values) != width:
                raise ValueError(
                    f"{p}, line {lineno}: {len(values)} values, but the first data line has "
                    f"{width}. Every line needs the same number of columns."
                )
            yield lineno, values


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _to_arrays(rows: list[list[float]], n_features: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(rows, dtype=np.float32)
    return a[:, :n_features], a[:, n_features:]


def file_batches(
    path: str | os.PathLike[str],
    batch_size: int | None = None,
    n_features: int = 2,
    loop: bool = True,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x, y)`` batches read lazily, line by line, from a text file.

    Blank lines and lines starting with ``#`` are skipped. At the end of the file
    the last, possibly shorter, batch is yielded; then, with ``loop=True``, reading
    starts again at the top (an endless generator, as ``fit(steps_per_epoch=...)``
    expects). The file is opened again for each pass and never read whole, unless
    ``batch_size=None`` asks for the whole file per batch, which is what the
    notes did.

    Args:
        path: A whitespace- (or comma-) separated text file.
        batch_size: Lines per batch; ``None`` means one batch per pass over the file.
        n_features: Number of leading columns that are features; the rest is ``y``.
        loop: Restart at the top after the end (``True``), or stop after one pass.

    Returns:
        A generator of float32 arrays ``x`` of shape ``(b, n_features)`` and ``y`` of
        shape ``(b, n_columns - n_features)``.

    Raises:
        TypeError: ``path`` is not a path.
        FileNotFoundError: The file does not exist (raised at call time).
        TypeError: ``batch_size``/``n_features`` is not an int (at call time).
        ValueError: ``batch_size``/``n_features`` < 1 (at call time); while
            iterating, a malformed line (message: file, line number, the line) or
            a file with no data lines.

    Example:
        >>> from kerasnotes.data import data_dir
        >>> gen = file_batches(data_dir() / "fit_generate.txt", batch_size=4)
        >>> [len(next(gen)[0]) for _ in range(3)]  # 6 lines: 4, 2, then from the top
        [4, 2, 4]
    """
    p = _check_args(path, batch_size, n_features, "file_batches")
    return _file_batches(p, batch_size, int(n_features), bool(loop))


def _file_batches(
    p: Path, batch_size: int | None, n_features: int, loop: bool
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    while True:
        batch: list[list[float]] = []
        seen = False
        for _, values in _rows(p, n_features):
            seen = True
            batch.append(values)
            if batch_size is not None and len(batch) == batch_size:
                yield _to_arrays(batch, n_features)
                batch = []
        if not seen:
            raise ValueError(f"{p}: the file has no data lines; an endless generator needs data.")
        if batch:
            yield _to_arrays(batch, n_features)
        if not loop:
            return


def read_file_arrays(
    path: str | os.PathLike[str], n_features: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Read a whole features-then-labels text file into ``(x, y)`` float32 arrays.

    The same format and checks as :func:`file_batches`.

    Args:
        path: The text file.
        n_features: Number of leading feature columns.

    Returns:
        ``(x, y)`` of shapes ``(n, n_features)`` and ``(n, n_labels)``.

    Raises:
        FileNotFoundError: No such file.
        ValueError: A malformed line (file and line number) or no data lines.

    Example:
        >>> from kerasnotes.data import data_dir
        >>> x, y = read_file_arrays(data_dir() / "fit_generate.txt")
        >>> x[0].tolist(), y[0].tolist()
        ([1.0, 2.0], [0.0, 1.0])
    """
    p = _check_args(path, None, n_features, "read_file_arrays")
    rows = [values for _, values in _rows(p, int(n_features))]
    if not rows:
        raise ValueError(f"{p}: the file has no data lines.")
    return _to_arrays(rows, int(n_features))


class FileDataset(keras.utils.PyDataset):
    """A ``keras.utils.PyDataset`` over a features-then-labels text file.

    The file is read once, with the checks of :func:`file_batches`. Batches
    are ``(x, y)`` float32 arrays; the last batch may be shorter. With
    ``shuffle=True`` the row order is shuffled at construction and again at
    every ``on_epoch_end`` (which ``fit`` calls), from ``seed``.

    Args:
        path: The text file.
        batch_size: Rows per batch (int >= 1).
        n_features: Number of leading feature columns.
        shuffle: Reshuffle rows every epoch.
        seed: Seed for the shuffling (``None``: not reproducible).
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size``,
            passed to ``keras.utils.PyDataset.__init__`` (``fit()`` no longer
            takes them).

    Raises:
        FileNotFoundError: No such file.
        TypeError: ``batch_size`` or ``n_features`` is not an int.
        ValueError: ``batch_size`` or ``n_features`` < 1, or a malformed line.
        IndexError: ``dataset[i]`` with ``i`` outside ``0..len(dataset)-1``.

    Example:
        >>> from kerasnotes.data import data_dir
        >>> ds = FileDataset(data_dir() / "fit_generate.txt", batch_size=4, seed=0)
        >>> len(ds), ds[0][0].shape, ds[1][0].shape
        (2, (4, 2), (2, 2))
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        batch_size: int = 2,
        n_features: int = 2,
        shuffle: bool = True,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        check_int("batch_size", batch_size, minimum=1, where="FileDataset")
        p = _check_args(path, batch_size, n_features, "FileDataset")
        self.path = p
        self.batch_size = int(batch_size)
        self.x, self.y = read_file_arrays(p, n_features)
        self.shuffle = bool(shuffle)
        self._rng = np.random.default_rng(seed)
        self.order = np.arange(len(self.x))
        if self.shuffle:
            self._rng.shuffle(self.order)

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(self)
        if not isinstance(index, (int, np.integer)) or not -n <= index < n:
            raise IndexError(
                f"FileDataset index {index!r} out of range: this dataset has {n} batches"
            )
        index = int(index) % n
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        return self.x[rows], self.y[rows]

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self._rng.shuffle(self.order)
