"""The course's running example: a network too big for its data, so it overfits.

Several lessons reuse it so that each tool (early stopping, checkpoints,
augmentation, dropout, weight decay, learning-rate schedules) is shown changing
the *same* validation curve. The data are a small slice of MNIST (the real
images when :func:`kerasnotes.load_mnist` finds them, else its announced offline
fallback), split into a small training set and a larger validation set.

Importing this module imports NumPy only; Keras is imported by
:func:`build_overfit_model`.

Example:
    >>> from kerasnotes.course.overfit import overfit_data
    >>> d = overfit_data(n_train=100, n_val=50, verbose=False)
    >>> d.x_train.shape, d.x_val.shape, d.x_train.dtype
    ((100, 28, 28), (50, 28, 28), dtype('float32'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["OverfitData", "build_overfit_model", "overfit_data"]


@dataclass(frozen=True)
class OverfitData:
    """A small training set and a larger validation set of 28x28 digits in [0, 1].

    Attributes:
        x_train: Training images, shape ``(n_train, 28, 28)``, float32.
        y_train: Training labels 0..9, shape ``(n_train,)``.
        x_val: Validation images, shape ``(n_val, 28, 28)``, float32.
        y_val: Validation labels 0..9, shape ``(n_val,)``.
        source: Where the images came from (as :func:`kerasnotes.load_mnist` says).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    source: str

    def datasets(self, batch_size: int = 64, *, seed: int = 0) -> tuple[Any, Any]:
        """The same images as two ``tf.data`` pipelines for ``fit``, cheaper per epoch.

        Given NumPy arrays, ``Model.fit`` wraps them in a new input pipeline for
        every run and slices them again at each epoch; on 2 CPU cores the running
        example then spends about as long on that as on its arithmetic. These
        pipelines hold the tensors once: training is reshuffled at every epoch
        (in an order fixed by ``seed``, so two pipelines with one seed give the
        same batches), validation comes in one batch.

        Args:
            batch_size: Training images per batch.
            seed: Seed of the per-epoch shuffling.

        Returns:
            ``(train, val)``: ``tf.data.Dataset`` objects of ``(images, labels)``
            batches; pass ``train`` as ``fit``'s data and ``val`` as its
            ``validation_data``.

        Raises:
            TypeError: If ``batch_size`` or ``seed`` is not an int.
            ValueError: If ``batch_size`` is below 1.

        Example:
            >>> d = overfit_data(n_train=20, n_val=10, verbose=False)
            >>> train, val = d.datasets(batch_size=8)
            >>> [len(y) for _, y in train], [len(y) for _, y in val]
            ([8, 8, 4], [10])
        """
        from kerasnotes._validation import check_int

        batch_size = check_int("batch_size", batch_size, minimum=1, where="OverfitData.datasets")
        seed = check_int("seed", seed, where="OverfitData.datasets")
        import tensorflow as tf

        train = (
            tf.data.Dataset.from_tensor_slices((self.x_train, self.y_train))
            .shuffle(len(self.x_train), seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size)
        )
        val = tf.data.Dataset.from_tensors((self.x_val, self.y_val))
        return train, val


def overfit_data(
    n_train: int = 500, n_val: int = 1000, *, seed: int = 0, verbose: bool = True
) -> OverfitData:
    """Draw the running example's data: few training images, many validation images.

    Args:
        n_train: Training images (small, so a big network memorises them).
        n_val: Validation images, drawn apart from the training ones.
        seed: Seed of the draw (the same seed gives the same split).
        verbose: Print one line saying where the images come from.

    Returns:
        An :class:`OverfitData`.

    Raises:
        TypeError: If ``n_train``, ``n_val`` or ``seed`` is not an int.
        ValueError: If a size is below 1, or the two sets need more images than
            the data hold.

    Example:
        >>> d = overfit_data(n_train=20, n_val=10, verbose=False)
        >>> sorted(set(d.y_train.tolist())) == list(range(10))
        True
    """
    for name, value in (("n_train", n_train), ("n_val", n_val), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(
                f"overfit_data({name}=...) expects an int, received {value!r} "
                f"({type(value).__name__})"
            )
    if n_train < 10 or n_val < 1:
        raise ValueError(
            f"overfit_data needs n_train >= 10 (one image per digit) and n_val >= 1, "
            f"received n_train={n_train}, n_val={n_val}"
        )
    from kerasnotes.data import last_source, load_mnist

    (x_a, y_a), (x_b, y_b) = load_mnist(verbose=False)
    x = np.concatenate([x_a, x_b])
    y = np.concatenate([y_a, y_b]).astype("int64")
    if n_train + n_val > len(x):
        raise ValueError(
            f"overfit_data: n_train + n_val = {n_train + n_val} images, but the data hold "
            f"{len(x)}; ask for fewer"
        )
    rng = np.random.default_rng(seed)
    # One image of each digit first, so even a tiny training set has every class.
    first = [int(rng.choice(np.flatnonzero(y == k))) for k in range(10)]
    rest = rng.permutation(np.setdiff1d(np.arange(len(x)), first))
    train = np.concatenate([first, rest[: n_train - 10]])
    val = rest[n_train - 10 : n_train - 10 + n_val]
    scale = np.float32(255.0) if x.max() > 1 else np.float32(1.0)
    source = last_source()
    where = source.describe() if source is not None else "unknown"
    if verbose:
        print(f"running example: {n_train} training and {n_val} validation images; {where}")
    return OverfitData(
        x_train=(x[train] / scale).astype("float32"),
        y_train=y[train],
        x_val=(x[val] / scale).astype("float32"),
        y_val=y[val],
        source=where,
    )


def build_overfit_model(
    *, hidden: int = 256, dropout: float = 0.0, l2: float = 0.0, learning_rate: float = 1e-3
) -> Any:
    """The running example's model: an MLP far bigger than 500 images need.

    ``Flatten → Dense(hidden, relu) → [Dropout] → Dense(hidden, relu) → [Dropout]
    → Dense(10, softmax)``, compiled with Adam and sparse categorical cross-entropy,
    with accuracy as its metric.

    Args:
        hidden: Units of each hidden layer.
        dropout: Dropout rate after each hidden layer (0 = no Dropout layer).
        l2: L2 weight-decay factor on the hidden kernels (0 = none).
        learning_rate: Adam's learning rate.

    Returns:
        A compiled ``keras.Model`` taking ``(28, 28)`` images.

    Raises:
        ValueError: If ``dropout`` is not in [0, 1) or ``l2`` is negative.

    Example:
        >>> model = build_overfit_model(hidden=32, dropout=0.5)
        >>> [layer.__class__.__name__ for layer in model.layers]
        ['Flatten', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']
    """
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), received {dropout!r}")
    if not l2 >= 0.0:
        raise ValueError(f"l2 must be >= 0, received {l2!r}")
    import keras

    reg = keras.regularizers.L2(l2) if l2 else None
    layers: list[Any] = [keras.Input((28, 28)), keras.layers.Flatten()]
    for _ in range(2):
        layers.append(keras.layers.Dense(hidden, activation="relu", kernel_regularizer=reg))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers, name="overfit_mlp")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
