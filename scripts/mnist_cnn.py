"""The notes' quick-start program, modernised: a small MNIST convolutional network.

Architecture and hyper-parameters as in the notes: the 28x28 image reshaped to
28x28x1 -> Conv2D(32, 5x5, relu) -> MaxPool 2x2 -> Conv2D(64, 5x5, relu) ->
MaxPool 2x2 -> Flatten -> Dense(1024, relu) -> Dropout(0.5) -> Dense(10, softmax);
Adam (Keras defaults), categorical cross-entropy, 1 epoch, batch size 64 with
shuffling, the test set as validation data, evaluation with batch size 128.
The notes print no result for this program.

Usage:
    python scripts/mnist_cnn.py [--epochs 1] [--batch-size 64] [--data mnist.npz] [--seed 1337]

``--data`` is a file in the layout of Keras' ``mnist.npz`` (arrays ``x_train``,
``y_train``, ``x_test``, ``y_test``); without it, ``kerasnotes.load_mnist()``
picks the source (``$KERASNOTES_MNIST``, Keras' cache, or the offline fallback)
and says which. The last line printed is JSON:
``{"test_loss": ..., "test_accuracy": ...}``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kerasnotes.course.scripts import load_mnist_for_training, mnist_parser, report

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NUM_CLASSES = 10  # the digits 0-9


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = mnist_parser(
        "Train the notes' quick-start MNIST CNN (two 5x5 conv blocks, Dense 1024, Adam).",
        epochs=1,
        batch_size=64,
    )
    return parser.parse_args(argv)


def load_data(path: Path | None):
    """MNIST as the notes prepare it: 28x28 floats in [0, 1], one-hot labels."""
    return load_mnist_for_training(path, flatten=False)


def build_model(image_shape: tuple[int, int] = (28, 28)):
    """The notes' CNN, compiled with Adam and categorical cross-entropy."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=image_shape),
            layers.Reshape((*image_shape, 1)),  # add the channel axis (channels_last)
            layers.Conv2D(32, kernel_size=(5, 5), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(5, 5), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dense(1024, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile(
        loss=keras.losses.CategoricalCrossentropy(), optimizer="adam", metrics=["accuracy"]
    )
    return model


def run(
    epochs: int = 1, batch_size: int = 64, data: Path | None = None, seed: int = 1337
) -> dict[str, float]:
    """Train and evaluate; return the test loss and accuracy."""
    (x_train, y_train), (x_test, y_test) = load_data(data)
    import keras

    print(f"train: {x_train.shape}, test: {x_test.shape}")
    keras.utils.set_random_seed(seed)
    model = build_model(x_train.shape[1:])
    model.fit(
        x_train,
        y_train,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=True,
        verbose=2,
        validation_data=(x_test, y_test),
    )
    loss, accuracy = model.evaluate(x_test, y_test, batch_size=128, verbose=0)
    return {"test_loss": float(loss), "test_accuracy": float(accuracy)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return report(run, vars(args))


if __name__ == "__main__":
    sys.exit(main())
