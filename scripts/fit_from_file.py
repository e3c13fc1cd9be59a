"""The notes' fit_generator-from-file program, modernised for Keras 3.

The notes train a small classifier (Dense 1000 ReLU, then a 2-way softmax, SGD)
on ``fit_generate.txt``: each line holds two integer features and a one-hot
label. Their generator re-read the whole file on every call, yielded it as one
batch and printed a call counter; they trained with
``model.fit_generator(gen, steps_per_epoch=10, epochs=2, max_queue_size=1,
validation_data=(x_valid, y_valid), workers=1)``.

On Keras 3, ``fit_generator`` is gone: ``model.fit`` takes the generator, with
the same ``steps_per_epoch`` and ``validation_data``. ``max_queue_size`` and
``workers`` are no longer ``fit`` arguments (a ``tf.data`` prefetch buffer reads
ahead instead). Here the generator is ``kerasnotes.generators.file_batches``
(the whole file per batch, as in the notes), wrapped to count how many batches
Keras pulled from it.

Usage:
    python scripts/fit_from_file.py [--data PATH] [--epochs N] [--steps-per-epoch N]
                                    [--batch-size N] [--seed N]

The last line printed is JSON: ``{"loss", "accuracy", "val_loss", "val_accuracy",
"epochs", "steps_per_epoch", "batches_trained", "generator_pulls"}``. Keras pulls
two batches before training (to learn the shapes) and puts them back, then reads
ahead while it trains, so ``generator_pulls`` is at least ``batches_trained`` and
usually one or a few more.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from kerasnotes.course.scripts import positive_int

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data" / "fit_generate.txt"

# the notes' validation pair
X_VALID = [[1, 2], [2, 3]]
Y_VALID = [[0, 1], [1, 0]]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Train the notes' small classifier from a text file through a generator.",
        epilog='The last output line is JSON with "loss", "accuracy" and "generator_pulls".',
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="text file: 2 features then a one-hot label per line "
        "(default: data/fit_generate.txt in the repository)",
    )
    parser.add_argument(
        "--epochs", type=positive_int, default=2, help="epochs (default: 2, as in the notes)"
    )
    parser.add_argument(
        "--steps-per-epoch",
        type=positive_int,
        default=10,
        help="batches per epoch (default: 10, as in the notes)",
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=None,
        help="lines per batch (default: the whole file per batch, as in the notes)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the initial weights")
    return parser.parse_args(argv)


class PullCounter:
    """How many batches were taken from a generator (thread-safe: Keras' prefetching
    pulls from a background thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pulls = 0

    def count(self, batches: Iterator) -> Iterator:
        """Yield from ``batches``, counting each batch handed over. Keras needs a real
        generator object here (a plain iterator class is rejected), hence a function."""
        for item in batches:
            with self._lock:
                self.pulls += 1
            yield item


def build_model():
    """The notes' network: Dense(1000, relu) -> Dense(2, softmax), SGD, cross-entropy."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(1000, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    return model


def run(
    data: str | os.PathLike[str] = DEFAULT_DATA,
    epochs: int = 2,
    steps_per_epoch: int = 10,
    batch_size: int | None = None,
    seed: int = 0,
) -> dict[str, float | int]:
    """Train from ``data`` through a counting generator; return the final metrics."""
    path = Path(data)
    if path.is_dir():
        raise ValueError(
            f"--data: {str(path)!r} is a folder; pass a text file whose lines hold two "
            "features and a one-hot label"
        )
    if not path.is_file():
        raise FileNotFoundError(
            f"--data: no such file {str(path)!r}. Pass a text file whose lines hold two "
            f"features and a one-hot label, e.g. {DEFAULT_DATA}"
        )

    import keras
    import numpy as np

    from kerasnotes.generators import file_batches

    keras.utils.set_random_seed(seed)
    model = build_model()
    counter = PullCounter()
    generator = counter.count(file_batches(path, batch_size=batch_size, n_features=2))

    class StepCounter(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.steps = 0

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1

        def on_epoch_end(self, epoch, logs=None):
            print(f"  after epoch {epoch + 1}: {counter.pulls} batches pulled so far")

    steps = StepCounter()
    x_valid = np.array(X_VALID, dtype="float32")
    y_valid = np.array(Y_VALID, dtype="float32")
    history = model.fit(
        generator,
        steps_per_epoch=steps_per_epoch,
        epochs=epochs,
        validation_data=(x_valid, y_valid),
        shuffle=False,  # a generator is not shuffled by fit; say so instead of being warned
        verbose=2,
        callbacks=[steps],
    )
    last = {name: float(values[-1]) for name, values in history.history.items()}
    return {
        "loss": last["loss"],
        "accuracy": last["accuracy"],
        "val_loss": last["val_loss"],
        "val_accuracy": last["val_accuracy"],
        "epochs": epochs,
        "steps_per_epoch": steps_per_epoch,
        "batches_trained": steps.steps,
        "generator_pulls": counter.pulls,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = run(
            data=args.data,
            epochs=args.epochs,
            steps_per_epoch=args.steps_per_epoch,
            batch_size=args.batch_size,
            seed=args.seed,
        )
    except (FileNotFoundError, ValueError) as exc:
        print(f"fit_from_file.py: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"trained {result['batches_trained']} batches, pulled {result['generator_pulls']} "
        "from the generator"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
