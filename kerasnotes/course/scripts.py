"""Command-line plumbing shared by the programs in ``scripts/`` (not public API).

The scripts stay readable on their own: each keeps its model, its training loop and
its argument list; what they share (argument types that say what they received,
MNIST prepared as the notes prepare it, and the "last line is JSON" contract) lives
here. Importing this module imports neither Keras nor TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "DataError",
    "existing_mnist_file",
    "mnist_parser",
    "load_mnist_for_training",
    "positive_float",
    "positive_int",
    "report",
]

NUM_CLASSES = 10


class DataError(Exception):
    """The data a script was given could not be used (bad file, wrong keys, ...)."""


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1, with a message that says what was received.

    Example:
        >>> positive_int("3")
        3
        >>> positive_int("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: expected a number >= 1, received 0
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, received {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, received {value}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a number > 0.

    Example:
        >>> positive_float("0.1")
        0.1
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, received {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, received {value}")
    return value


def existing_mnist_file(text: str) -> Path:
    """argparse type: the path of an existing Keras-layout ``mnist.npz``."""
    path = Path(text).expanduser()
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        raise argparse.ArgumentTypeError(
            f"{text!r} is {what}; pass the path of a Keras-layout mnist.npz "
            "(arrays x_train, y_train, x_test, y_test), or leave out --data"
        )
    return path


def mnist_parser(description: str, *, epochs: int, batch_size: int) -> argparse.ArgumentParser:
    """The options the MNIST scripts share: ``--epochs``, ``--batch-size``, ``--data``, ``--seed``.

    Args:
        description: What the script trains (shown by ``--help``).
        epochs: The notes' number of epochs, the default.
        batch_size: The notes' batch size, the default.

    Returns:
        An ``argparse.ArgumentParser``; its namespace matches the scripts' ``run()`` keywords.

    Example:
        >>> mnist_parser("demo", epochs=4, batch_size=32).parse_args(["--epochs", "2"])
        Namespace(epochs=2, batch_size=32, data=None, seed=1337)
    """
    parser = argparse.ArgumentParser(
        description=description,
        epilog='The last output line is JSON: {"test_loss": ..., "test_accuracy": ...}',
    )
    parser.add_argument(
        "--epochs", type=positive_int, default=epochs, help=f"default: {epochs} (the notes)"
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=batch_size,
        help=f"default: {batch_size} (the notes)",
    )
    parser.add_argument(
        "--data",
        type=existing_mnist_file,
        default=None,
        help="a Keras-layout mnist.npz (default: kerasnotes.load_mnist() chooses)",
    )
    parser.add_argument("--seed", type=int, default=1337, help="default: 1337")
    return parser


def load_mnist_for_training(
    path: Path | None, *, flatten: bool
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """MNIST as the notes prepare it: floats in [0, 1] and one-hot labels.

    Args:
        path: A Keras-layout ``mnist.npz``, or ``None`` to let
            :func:`kerasnotes.load_mnist` choose (and say) the source.
        flatten: Reshape each image to a 784-vector (the MLP) instead of 28x28 (the CNN).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``.

    Raises:
        DataError: The file could not be read as MNIST; the message says what was found.
    """
    from kerasnotes.data import load_mnist

    try:
        (x_train, y_train), (x_test, y_test) = load_mnist(path)
    except (OSError, ValueError) as exc:  # load_mnist says what it found and what it expected
        raise DataError(str(exc)) from exc
    import keras  # after the data: a bad file is reported without waiting for TensorFlow

    def images(x: Any) -> Any:
        x = x.reshape(len(x), -1) if flatten else x
        return x.astype("float32") / 255.0

    def labels(y: Any) -> Any:
        return keras.utils.to_categorical(y, NUM_CLASSES)

    return (images(x_train), labels(y_train)), (images(x_test), labels(y_test))


def report(
    run: Callable[..., Mapping[str, Any]],
    kwargs: Mapping[str, Any],
    *,
    errors: tuple[type[BaseException], ...] = (DataError,),
) -> int:
    """Call ``run(**kwargs)``; print its result as the last line (JSON) and return 0.

    One of ``errors`` becomes one line on stderr, ``<script>: error: ...``, and exit
    status 2, with no traceback.
    """
    try:
        result = run(**kwargs)
    except errors as exc:
        print(f"{Path(sys.argv[0]).name}: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(dict(result)))
    return 0
