"""Offline-safe data for the course: MNIST with an announced fallback, the notes' toy data.

Nothing here downloads unless you allow it. ``KERASNOTES_OFFLINE=1`` (set by the
Makefile and the test suite) means "never try the network": :func:`load_mnist`
then uses a real MNIST copy if it can find one on disk, and otherwise scikit-learn's
bundled 8x8 digits, upscaled to 28x28 and clearly labelled as *not* MNIST.

The notes' toy data, image folder and :func:`no_network` live in
:mod:`kerasnotes.toy_data` and are re-exported here, so ``kerasnotes.data.no_network``
and the rest keep working.

Importing this module imports NumPy only; Keras, scikit-learn and Pillow are
imported inside the functions that need them.

Example:
    >>> from kerasnotes.data import make_linear_data
    >>> X, Y = make_linear_data()
    >>> X.shape, Y.shape
    ((200,), (200,))
"""

from __future__ import annotations

import gzip
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kerasnotes import _platform
from kerasnotes.toy_data import (
    NetworkBlockedError,
    make_image_folder,
    make_linear_data,
    no_network,
)

__all__ = [
    "MnistSource",
    "NetworkBlockedError",
    "data_dir",
    "last_source",
    "load_mnist",
    "make_image_folder",
    "make_linear_data",
    "no_network",
    "read_idx",
]

MnistData = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

# The names the IDX files are published under (optionally without ``.gz``).
_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# When a folder holds only one of the two sets, it is split like the shared
# ``mnist-10k.npz``: the first 80 % become "train", the rest "test".
_SINGLE_SET_TRAIN_FRACTION = 0.8
_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


@dataclass(frozen=True)
class MnistSource:
    """Where the last :func:`load_mnist` call got its data.

    Attributes:
        kind: One of ``"npz"`` (a Keras-layout ``.npz`` file), ``"idx"`` (a folder of
            IDX files), ``"keras"`` (Keras' own ``mnist.npz`` cache or download) or
            ``"digits"`` (the scikit-learn fallback, which is not MNIST).
        origin: How it was chosen: ``"path"``, ``"env"`` (``$KERASNOTES_MNIST``),
            ``"keras-cache"``, ``"keras-download"`` or ``"fallback"``.
        location: The file or folder read, or a short description.
        is_mnist: ``False`` only for the fallback.
        n_train: Number of training images returned.
        n_test: Number of test images returned.
    """

    kind: str
    origin: str
    location: str
    is_mnist: bool
    n_train: int
    n_test: int

    def describe(self) -> str:
        """The one line :func:`load_mnist` prints."""
        counts = f"{self.n_train} train / {self.n_test} test"
        if not self.is_mnist:
            return (
                "load_mnist: NOT MNIST - offline fallback: scikit-learn's 8x8 handwritten "
                f"digits upscaled to 28x28, 10 classes ({counts}). Set KERASNOTES_MNIST or "
                "pass path= to use real MNIST."
            )
        how = {
            "path": "from path",
            "env": "from $KERASNOTES_MNIST",
            "keras-cache": "from Keras' cache",
            "keras-download": "downloaded by Keras",
        }.get(self.origin, self.origin)
        return f"load_mnist: real MNIST {how} {self.location} ({counts})"


_last_source: MnistSource | None = None


def last_source() -> MnistSource | None:
    """Return where the most recent :func:`load_mnist` call got its data.

    Returns:
        A :class:`MnistSource`, or ``None`` if :func:`load_mnist` has not run yet
        in this process. Use ``last_source().is_mnist`` in code that must not
        mistake the fallback digits for MNIST.

    Example:
        >>> import os
        >>> _ = os.environ.setdefault("KERASNOTES_OFFLINE", "1")  # never download here
        >>> from kerasnotes.data import load_mnist, last_source
        >>> _ = load_mnist(verbose=False)
        >>> last_source().kind in {"npz", "idx", "keras", "digits"}
        True
    """
    return _last_source


def load_mnist(path: str | os.PathLike[str] | None = None, *, verbose: bool = True) -> MnistData:
    """Load MNIST as Keras does, from the first source that is available.

    Resolution order:

    1. ``path``: a Keras-layout ``.npz`` (keys ``x_train, y_train, x_test, y_test``),
       or a folder holding the IDX files (``train-images-idx3-ubyte.gz``, ...,
       ``t10k-labels-idx1-ubyte.gz``; ``.gz`` optional). A folder with only the
       ``t10k`` pair (or only the ``train`` pair) is split in order: the first 80 %
       are returned as train and the last 20 % as test, which is exactly the layout
       of the shared ``mnist-10k.npz`` (8000 / 2000).
    2. ``$KERASNOTES_MNIST`` (same forms as ``path``).
    3. Keras' own ``keras.datasets.mnist.load_data()``, which reads its cache
       (``$KERAS_HOME/datasets/mnist.npz``) before downloading. When
       ``KERASNOTES_OFFLINE=1`` it is only tried if that cache file exists, and
       then with the network blocked.
    4. scikit-learn's bundled digits (1797 images, 8x8), upscaled to 28x28 with
       pixel values 0-255, all 10 classes, split 80/20 per class with a fixed seed.
       This is **not MNIST**; the printed line and :func:`last_source` say so.

    Args:
        path: Optional file or folder to read; wins over everything else.
        verbose: Print one line naming the source used.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: uint8 arrays of shape
        ``(n, 28, 28)`` and ``(n,)``.

    Raises:
        TypeError: ``path`` is not a string or path.
        FileNotFoundError: ``path`` (or ``$KERASNOTES_MNIST``) does not exist, or a
            folder holds no IDX files.
        ValueError: The file is not a valid MNIST ``.npz`` / IDX file (the message
            says what was found), or its arrays hold values a cast to uint8 would
            silently change: NaN or infinite values, non-integers (images scaled to
            [0, 1]), pixels outside 0-255 or labels outside 0-9.

    Example:
        >>> import os
        >>> _ = os.environ.setdefault("KERASNOTES_OFFLINE", "1")  # never download here
        >>> (x_train, y_train), (x_test, y_test) = load_mnist(verbose=False)
        >>> x_train.dtype, x_train.shape[1:], sorted(set(y_test.tolist())) == list(range(10))
        (dtype('uint8'), (28, 28), True)
    """
    global _last_source
    if path is not None:
        data, kind, location = _load_explicit(path, "path")
        origin = "path"
    elif os.environ.get("KERASNOTES_MNIST"):
        data, kind, location = _load_explicit(os.environ["KERASNOTES_MNIST"], "$KERASNOTES_MNIST")
        origin = "env"
    else:
        data, kind, location, origin = _load_keras_or_fallback(verbose)
    (x_train, y_train), (x_test, y_test) = data
    _last_source = MnistSource(
        kind=kind,
        origin=origin,
        location=location,
        is_mnist=kind != "digits",
        n_train=len(x_train),
        n_test=len(x_test),
    )
    if verbose:
        print(_last_source.describe())
    return data


def _offline() -> bool:
    return os.environ.get("KERASNOTES_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def _load_explicit(path: Any, what: str) -> tuple[MnistData, str, str]:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"load_mnist: {what} must be a file or folder path (str or pathlib.Path); "
            f"received {type(path).__name__}: {path!r}"
        )
    p = Path(path).expanduser()
    if not p.exists():
        raise FileNotFoundError(
            f"load_mnist: {what} {str(p)!r} does not exist. Pass a Keras-layout mnist .npz "
            "file or a folder with the IDX .gz files"
            + (", or unset KERASNOTES_MNIST." if what.startswith("$") else ".")
        )
    if p.is_dir():
        has_idx = any(_find_idx(p, stem) for pair in _IDX_FILES.values() for stem in pair)
        npzs = sorted(p.glob("*.npz"))
        if not has_idx and npzs and ((p / "mnist.npz") in npzs or len(npzs) == 1):
            npz = p / "mnist.npz" if (p / "mnist.npz") in npzs else npzs[0]
            return _load_npz(npz), "npz", str(npz)
        return _load_idx_folder(p), "idx", str(p)
    return _load_npz(p), "npz", str(p)


def _load_npz(p: Path) -> MnistData:
    import zipfile

    try:
        loaded = np.load(p, allow_pickle=False)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(
            f"load_mnist: could not read {str(p)!r} as an .npz file ({type(exc).__name__}: "
            f"{exc}). Expected a Keras-layout mnist.npz (np.savez with x_train, y_train, "
            "x_test, y_test)."
        ) from exc
    if not hasattr(loaded, "files"):
        raise ValueError(
            f"load_mnist: {str(p)!r} holds a single array of shape {loaded.shape}, not an .npz "
            "archive with x_train, y_train, x_test, y_test."
        )
    try:
        missing = [k for k in _NPZ_KEYS if k not in loaded.files]
        if missing:
            raise ValueError(
                f"load_mnist: {str(p)!r} has keys {sorted(loaded.files)}; missing {missing}. "
                "Expected a Keras-layout mnist.npz."
            )
        try:
            arrays = {k: loaded[k] for k in _NPZ_KEYS}
        except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
            raise ValueError(
                f"load_mnist: {str(p)!r} is damaged ({type(exc).__name__}: {exc})."
            ) from exc
    finally:
        loaded.close()
    return (
        _check_pair(arrays["x_train"], arrays["y_train"], f"{p} [x_train/y_train]"),
        _check_pair(arrays["x_test"], arrays["y_test"], f"{p} [x_test/y_test]"),
    )


def _check_pair(x: np.ndarray, y: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
        raise ValueError(
            f"load_mnist: {where} has shapes {x.shape} and {y.shape}; expected (n, 28, 28) and (n,)."
        )
    return _as_uint8(x, 255, "images", where), _as_uint8(y, 9, "labels", where)


def _as_uint8(a: np.ndarray, top: int, what: str, where: str) -> np.ndarray:
    """``a`` as uint8, refusing anything a cast would silently change (NaN, 0.5, 300, "7")."""
    if a.dtype == np.uint8:
        return a
    if a.dtype.kind not in "biuf":
        raise ValueError(
            f"load_mnist: {where} {what} have dtype {a.dtype}; expected integers 0-{top} (uint8)."
        )
    if a.size == 0:
        return a.astype(np.uint8)
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
        if bad.any():
            raise ValueError(
                f"load_mnist: {where} {what} hold {int(bad.sum())} NaN or infinite value(s); "
                "refusing to turn them into zeros. Re-create the file from the original pixels."
            )
        if (a != np.round(a)).any():
            raise ValueError(
                f"load_mnist: {where} {what} hold non-integer values (range {a.min():.4g} to "
                f"{a.max():.4g}); expected integers 0-{top}. Images scaled to [0, 1] must be "
                "saved as the uint8 pixels, e.g. np.round(x * 255).astype('uint8')."
            )
    if a.min() < 0 or a.max() > top:
        raise ValueError(
            f"load_mnist: {where} {what} are {a.dtype} with values from {a.min()} to {a.max()}; "
            f"expected 0-{top}."
        )
    return a.astype(np.uint8)


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read one IDX file (the format MNIST is published in), gzipped or not.

    Args:
        path: An ``*-idx3-ubyte[.gz]`` (images) or ``*-idx1-ubyte[.gz]`` (labels) file.

    Returns:
        A uint8 array: ``(n, rows, cols)`` for images, ``(n,)`` for labels.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The header is not an unsigned-byte IDX header, declares no
            dimension, or the file's size differs from what its header says (the
            message names the file).

    Example:
        >>> import gzip, struct, tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte.gz"
        >>> _ = p.write_bytes(gzip.compress(struct.pack(">II", 0x801, 3) + bytes([7, 2, 1])))
        >>> read_idx(p)
        array([7, 2, 1], dtype=uint8)
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"read_idx: no such file {str(p)!r}")
    opener = gzip.open if p.suffix == ".gz" else open
    try:
        with opener(p, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise ValueError(f"read_idx: could not read {str(p)!r} ({exc})") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(
            f"read_idx: {str(p)!r} is not an unsigned-byte IDX file (first bytes {raw[:4]!r}; "
            "expected 00 00 08 <ndim>)."
        )
    ndim = raw[3]
    if ndim == 0:
        raise ValueError(
            f"read_idx: {str(p)!r} declares 0 dimensions in its header (byte 4); an IDX file "
            "holds labels (1 dimension) or images (3). The file is corrupt: download it again."
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"read_idx: {str(p)!r} is truncated inside its header.")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = math.prod(shape)
    if len(raw) - header != expected:
        raise ValueError(
            f"read_idx: {str(p)!r} declares shape {shape} ({expected} bytes) but holds "
            f"{len(raw) - header} data bytes: the file is truncated or corrupt."
        )
    return np.array(np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape))


def _find_idx(folder: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        if (folder / name).is_file():
            return folder / name
    return None


def _load_idx_folder(folder: Path) -> MnistData:
    sets: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for split, (img_stem, lbl_stem) in _IDX_FILES.items():
        img, lbl = _find_idx(folder, img_stem), _find_idx(folder, lbl_stem)
        if img is None and lbl is None:
            continue
        if img is None or lbl is None:
            have, lack = (img, lbl_stem) if img is not None else (lbl, img_stem)
            raise FileNotFoundError(
                f"load_mnist: {str(folder)!r} has {have.name if have else '?'} but not {lack}[.gz]; "
                "images and labels come in pairs."
            )
        x, y = read_idx(img), read_idx(lbl)
        sets[split] = _check_pair(x, y, f"{folder} [{img.name}/{lbl.name}]")
    if not sets:
        names = sorted(p.name for p in folder.iterdir())[:10]
        raise FileNotFoundError(
            f"load_mnist: folder {str(folder)!r} holds no MNIST IDX files (found {names}). "
            "Expected t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, and/or the "
            "train-* pair."
        )
    if len(sets) == 2:
        return sets["train"], sets["test"]
    (x, y) = next(iter(sets.values()))
    cut = int(round(len(x) * _SINGLE_SET_TRAIN_FRACTION))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def _load_keras_or_fallback(verbose: bool) -> tuple[MnistData, str, str, str]:
    cache = _platform.mnist_cache_file()
    reason = ""
    if cache is not None or not _offline():
        from keras.datasets import mnist

        try:
            if cache is not None:
                with no_network():  # the cache must suffice; a bad hash must not download
                    data = mnist.load_data()
                origin, location = "keras-cache", str(cache)
            else:
                data = mnist.load_data()
                origin, location = (
                    "keras-download",
                    str(_platform.mnist_cache_file() or "mnist.npz"),
                )
            data = (
                _check_pair(data[0][0], data[0][1], "keras mnist train"),
                _check_pair(data[1][0], data[1][1], "keras mnist test"),
            )
            return data, "keras", location, origin
        except Exception as exc:  # network errors come as a bare Exception from get_file
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    if verbose and reason:
        print(f"load_mnist: Keras' MNIST is unavailable ({reason})")
    return _digits_as_mnist(), "digits", "sklearn.datasets.load_digits", "fallback"


def _digits_as_mnist(seed: int = 0) -> MnistData:
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images.astype(np.float64) / 16.0  # 0..16 -> 0..1
    # MNIST digits sit in a 20x20 box centred in 28x28: upscale 8 -> 20, pad 4.
    big = zoom(images, (1, 2.5, 2.5), order=1)
    big = np.clip(big, 0.0, 1.0)
    x = np.zeros((len(big), 28, 28), dtype=np.uint8)
    x[:, 4:24, 4:24] = np.round(big * 255).astype(np.uint8)
    y = digits.target.astype(np.uint8)
    rng = np.random.RandomState(seed)
    test_idx: list[np.ndarray] = []
    for c in range(10):
        idx = np.flatnonzero(y == c)
        idx = idx[rng.permutation(len(idx))]
        test_idx.extend(idx[: int(round(len(idx) * (1 - _SINGLE_SET_TRAIN_FRACTION)))])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_idx] = True
    return (x[~is_test], y[~is_test]), (x[is_test], y[is_test])


def data_dir() -> Path:
    """Return the repository's ``data/`` folder (the notes' small files, e.g. ``fit_generate.txt``).

    Returns:
        The absolute path of ``<checkout>/data``.

    Raises:
        FileNotFoundError: kerasnotes is installed from a wheel, not run from a
            source checkout, so there is no ``data/`` folder next to it.

    Example:
        >>> (data_dir() / "fit_generate.txt").is_file()
        True
    """
    folder = Path(__file__).resolve().parents[1] / "data"
    if not (folder / "fit_generate.txt").is_file():
        raise FileNotFoundError(
            f"kerasnotes.data.data_dir(): no data/ folder at {str(folder)!r}. The course data "
            "ships with the source checkout only: clone the repository and install it with "
            "`pip install -e .`, or pass your own file path."
        )
    return folder
