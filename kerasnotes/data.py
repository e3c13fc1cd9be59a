"""Offline-safe data for the course: MNIST with an announced fallback, the notes' toy data.

Nothing here downloads unless you allow it. ``KERASNOTES_OFFLINE=1`` (set by the
Makefile and the test suite) means "never try the network": :func:`load_mnist`
then uses a real MNIST copy if it can find one on disk, and otherwise scikit-learn's
bundled 8x8 digits, upscaled to 28x28 and clearly labelled as *not* MNIST.

Importing this module imports NumPy only; Keras, scikit-learn and Pillow are
imported inside the functions that need them.

Example:
    >>> from kerasnotes.data import make_linear_data
    >>> X, Y = make_linear_data()
    >>> X.shape, Y.shape
    ((200,), (200,))
"""

from __future__ import annotations

import errno
import gzip
import math
import os
import socket
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kerasnotes import _platform
from kerasnotes._validation import check_int

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


def make_linear_data(n: int = 200, seed: int = 1337) -> tuple[np.ndarray, np.ndarray]:
    """The notes' regression data: ``Y = 0.5 X + 2 + noise`` (noise std 0.05).

    ``X`` is ``linspace(-1, 1, n)`` shuffled, exactly as the notes did after
    ``np.random.seed(1337)``: with the defaults you get the very same numbers the
    notes trained on. The notes then used the first 160 points for training and
    the last 40 for testing, so split with ``X[:160], Y[:160]`` / ``X[160:], Y[160:]``.
    The global NumPy random state is not touched.

    Args:
        n: Number of points (positive int).
        seed: Seed of the private ``numpy.random.RandomState``.

    Returns:
        ``(X, Y)``, two float64 arrays of shape ``(n,)``.

    Raises:
        TypeError: ``n`` or ``seed`` is not an int.
        ValueError: ``n < 1``, or ``seed`` outside 0..2**32-1.

    Example:
        >>> X, Y = make_linear_data()
        >>> X_train, Y_train, X_test, Y_test = X[:160], Y[:160], X[160:], Y[160:]
        >>> float(abs((Y - 0.5 * X - 2).std() - 0.05)) < 0.01
        True
    """
    n = check_int("n", n, minimum=1, where="make_linear_data")
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1, where="make_linear_data")
    rng = np.random.RandomState(seed)  # same stream as np.random.seed(seed)
    X = np.linspace(-1, 1, n)
    rng.shuffle(X)
    Y = 0.5 * X + 2 + rng.normal(0, 0.05, (n,))
    return X, Y


_SHAPES = ("disk", "square", "triangle", "ring", "cross")


def make_image_folder(
    root: str | os.PathLike[str],
    n_per_class: int = 20,
    size: tuple[int, int] = (64, 64),
    classes: Sequence[str] = ("cat", "dog"),
    seed: int = 0,
    fmt: str = "png",
    *,
    split: str | None = None,
    n_validation_per_class: int | None = None,
) -> Path:
    """Write a small, deterministic, learnable image folder (a dogs-vs-cats stand-in).

    Each class has its own shape and colour on a noisy background, drawn at a
    random position and size: class 0 a warm disk, class 1 a cool square (then a
    triangle, ring, cross for more classes). A small CNN separates them in a few
    epochs, yet no two images are the same. Layout:

    - ``split=None``: ``root/<class>/<i>.<fmt>`` (``n_per_class`` per class);
    - ``split="train/validation"``: ``root/train/<class>/<i>.<fmt>`` (``n_per_class``
      per class) and ``root/validation/<class>/<i>.<fmt>``
      (``n_validation_per_class``, default ``max(1, n_per_class // 4)``), as the
      notes' dogs-vs-cats folders. Point ``flow_from_directory`` or
      ``keras.utils.image_dataset_from_directory`` at ``root/train``.

    Args:
        root: Folder to create; it must not exist yet or be empty.
        n_per_class: Images per class (per class in ``train`` when split).
        size: ``(height, width)`` in pixels, each 8-1024.
        classes: Two or more distinct class names (folder names).
        seed: Seed; the same arguments always give byte-identical files.
        fmt: ``"png"`` or ``"jpg"`` / ``"jpeg"``.
        split: ``None`` or ``"train/validation"``.
        n_validation_per_class: Validation images per class when split.

    Returns:
        ``Path(root)``.

    Raises:
        TypeError: A wrong type (e.g. ``classes`` given as one string).
        ValueError: Bad counts, size, format, split, or duplicate class names.
        FileExistsError: ``root`` exists and is not empty.

    Example:
        >>> import tempfile, pathlib
        >>> root = make_image_folder(pathlib.Path(tempfile.mkdtemp()) / "pets", n_per_class=3)
        >>> sorted(p.relative_to(root).as_posix() for p in root.rglob("*.png"))[:4]
        ['cat/0.png', 'cat/1.png', 'cat/2.png', 'dog/0.png']
    """
    if not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"make_image_folder: root must be a path; received {root!r}")
    if isinstance(classes, str) or not isinstance(classes, Sequence):
        raise TypeError(
            f"make_image_folder: classes must be a list/tuple of names, e.g. ('cat', 'dog'); "
            f"received {classes!r}"
        )
    classes = [str(c) for c in classes]
    if (
        len(classes) < 2
        or len(set(classes)) != len(classes)
        or any(not c or "/" in c or "\\" in c for c in classes)
    ):
        raise ValueError(
            "make_image_folder: classes must be >= 2 distinct, non-empty folder names; "
            f"received {classes!r}"
        )
    where = "make_image_folder"
    n_per_class = check_int("n_per_class", n_per_class, minimum=1, where=where)
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1, where=where)
    if (
        not isinstance(size, (tuple, list))
        or len(size) != 2
        or not all(isinstance(s, (int, np.integer)) and 8 <= s <= 1024 for s in size)
    ):
        raise ValueError(
            f"make_image_folder: size must be (height, width) ints in 8..1024; received {size!r}"
        )
    ext = {"png": "png", "jpg": "jpg", "jpeg": "jpg"}.get(str(fmt).lower())
    if ext is None:
        raise ValueError(f"make_image_folder: fmt must be 'png' or 'jpg'; received {fmt!r}")
    if split not in (None, "train/validation"):
        raise ValueError(
            f"make_image_folder: split must be None or 'train/validation'; received {split!r}"
        )
    if n_validation_per_class is None:
        n_validation_per_class = max(1, n_per_class // 4)
    else:
        n_validation_per_class = check_int(
            "n_validation_per_class", n_validation_per_class, minimum=1, where=where
        )
    root = Path(root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(
            f"make_image_folder: {str(root)!r} already exists and is not an empty folder; "
            "pass a new path, e.g. tempfile.mkdtemp() + '/images'."
        )
    from PIL import Image

    rng = np.random.RandomState(seed)
    parts = (
        [(root, n_per_class)]
        if split is None
        else [
            (root / "train", n_per_class),
            (root / "validation", n_validation_per_class),
        ]
    )
    h, w = int(size[0]), int(size[1])
    for folder, count in parts:
        for k, name in enumerate(classes):
            (folder / name).mkdir(parents=True, exist_ok=True)
            for i in range(count):
                img = _draw(rng, k, len(classes), h, w)
                Image.fromarray(img).save(folder / name / f"{i}.{ext}")
    return root


def _draw(rng: np.random.RandomState, k: int, n_classes: int, h: int, w: int) -> np.ndarray:
    """One image of class ``k``: noise background plus the class's shape and colour."""
    img = rng.normal(110, 25, (h, w, 3))
    hue = k / n_classes
    # a colour on the hue circle: class 0 red-ish, class 1 cyan-ish for two classes
    colour = 127 + 110 * np.cos(2 * np.pi * (hue + np.array([0.0, 1 / 3, 2 / 3])))
    colour = colour + rng.normal(0, 15, 3)
    r = rng.uniform(0.2, 0.32) * min(h, w)
    cy, cx = rng.uniform(r, h - r), rng.uniform(r, w - r)
    yy, xx = np.mgrid[0:h, 0:w]
    dy, dx = (yy - cy) / r, (xx - cx) / r
    shape = _SHAPES[k % len(_SHAPES)]
    if shape == "disk":
        mask = dy**2 + dx**2 <= 1
    elif shape == "square":
        mask = (np.abs(dy) <= 0.85) & (np.abs(dx) <= 0.85)
    elif shape == "triangle":
        mask = (dy <= 0.8) & (dy >= -1 + 2 * np.abs(dx) * 0.9)
    elif shape == "ring":
        d2 = dy**2 + dx**2
        mask = (d2 <= 1) & (d2 >= 0.4)
    else:
        mask = (np.abs(dy) <= 0.25) | (np.abs(dx) <= 0.25)
        mask &= (np.abs(dy) <= 1) & (np.abs(dx) <= 1)
    img[mask] = colour + rng.normal(0, 10, (int(mask.sum()), 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


class NetworkBlockedError(OSError):
    """Raised by socket connections inside :func:`no_network`."""


@contextmanager
def no_network() -> Iterator[None]:
    """Make every socket connection and DNS look-up fail at once, inside the block.

    Use it to run the real download code of the notes (``mnist.load_data()``,
    ``VGG16(weights="imagenet")``) and show the error it gives offline, without
    waiting for timeouts or touching the network. DNS look-ups raise
    ``socket.gaierror`` (so ``urllib`` reports a name-resolution failure, as on an
    offline laptop); connections to numeric addresses raise :class:`NetworkBlockedError`. Everything is
    restored on exit, even after an exception. It patches the ``socket`` module of
    this process only (not subprocesses) and is not meant for multi-threaded use.

    Yields:
        Nothing.

    Raises:
        socket.gaierror: Inside the block, from every DNS look-up.
        NetworkBlockedError: Inside the block, from every connection to an address.

    Example:
        >>> import socket
        >>> real_getaddrinfo = socket.getaddrinfo
        >>> with no_network():
        ...     try:
        ...         socket.getaddrinfo("example.com", 443)
        ...     except OSError as exc:
        ...         print(type(exc).__name__)
        gaierror
        >>> socket.getaddrinfo is real_getaddrinfo  # restored on exit
        True
    """

    def dns(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(
            socket.EAI_NONAME, "Name or service not known (blocked by kerasnotes no_network())"
        )

    def connect(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlockedError(
            errno.ENETUNREACH, "Network is unreachable (blocked by kerasnotes no_network())"
        )

    patches = [
        (socket, "getaddrinfo", dns),
        (socket, "gethostbyname", dns),
        (socket, "gethostbyname_ex", dns),
        (socket.socket, "connect", connect),
        (socket.socket, "connect_ex", connect),
    ]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    try:
        for obj, name, fn in patches:
            setattr(obj, name, fn)
        yield
    finally:
        for obj, name, original in saved:
            setattr(obj, name, original)


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
