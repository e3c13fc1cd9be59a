"""The notes' stand-ins: toy regression data, an image folder, a blocked network.

The notes trained on data they made up (``Y = 0.5 X + 2 + noise``), on a
dogs-vs-cats folder a learner may not have, and showed what the download code does
offline. :func:`make_linear_data` gives the very same regression points,
:func:`make_image_folder` writes a small learnable stand-in folder, and
:func:`no_network` makes the download code fail at once, as on an offline laptop.
Every name here is also importable from :mod:`kerasnotes.data`.

Importing this module imports NumPy only; Pillow is imported inside
:func:`make_image_folder`.

Example:
    >>> from kerasnotes.toy_data import make_linear_data
    >>> X, Y = make_linear_data()
    >>> X.shape, Y.shape
    ((200,), (200,))
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kerasnotes._validation import check_int

__all__ = [
    "NetworkBlockedError",
    "make_image_folder",
    "make_linear_data",
    "no_network",
]


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
