"""The notes' first example, modernised: a one-neuron linear regression.

The notes fit ``Y = 0.5 * X + 2 + noise`` (200 points, noise sigma 0.05, numpy
seed 1337, the first 160 points for training and the last 40 for testing) with a
single ``Dense`` unit, the loss ``mse`` and plain SGD, calling
``train_on_batch`` on the whole training set 301 times. They report a test cost
of 0.00313670327887. Each ``train_on_batch`` call here also sees the whole
training set, so one call is one epoch: ``--epochs`` counts those calls.

Usage:
    python scripts/regression.py [--epochs 301] [--lr 0.01] [--seed 1337]

The last line printed is JSON: ``{"weight": w, "bias": b, "test_loss": mse}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from kerasnotes.course.scripts import positive_float, positive_int

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

N_POINTS = 200  # the notes' data set size
N_TRAIN = 160  # the notes train on the first 160 points and test on the last 40


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Fit Y = 0.5 X + 2 + noise with one Dense unit (the notes' regression).",
        epilog='The last output line is JSON: {"weight": ..., "bias": ..., "test_loss": ...}',
    )
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=301,
        help="number of train_on_batch calls on the whole training set (default: 301, as in the notes)",
    )
    parser.add_argument(
        "--lr",
        type=positive_float,
        default=0.01,
        help="SGD learning rate (default: 0.01, Keras' SGD default then and now)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1337,
        help="seed for the data and the initial weights (default: 1337, as in the notes)",
    )
    return parser.parse_args(argv)


def build_model(lr: float):
    """One Dense unit on a scalar input: y = w * x + b."""
    import keras

    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=lr))
    return model


def run(epochs: int = 301, lr: float = 0.01, seed: int = 1337) -> dict[str, float]:
    """Train as the notes do and return the learned weight, bias and test MSE."""
    import keras

    from kerasnotes.data import make_linear_data

    x, y = make_linear_data(n=N_POINTS, seed=seed)
    x_train, y_train = x[:N_TRAIN], y[:N_TRAIN]
    x_test, y_test = x[N_TRAIN:], y[N_TRAIN:]

    keras.utils.set_random_seed(seed)
    model = build_model(lr)
    print("Training -----------")
    for step in range(epochs):
        cost = model.train_on_batch(x_train, y_train)
        if step % 100 == 0:
            print(f"step {step:4d}  train cost {float(cost):.6f}")
    test_loss = float(model.evaluate(x_test, y_test, batch_size=len(x_test), verbose=0))
    kernel, bias = model.layers[0].get_weights()
    return {"weight": float(kernel[0, 0]), "bias": float(bias[0]), "test_loss": test_loss}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(epochs=args.epochs, lr=args.lr, seed=args.seed)
    print(f"learned y = {result['weight']:.4f} x + {result['bias']:.4f} (true: 0.5 x + 2)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
