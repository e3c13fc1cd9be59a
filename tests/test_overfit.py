"""Tests of kerasnotes.course.overfit: the running example's data and model."""

from __future__ import annotations

import numpy as np
import pytest

from kerasnotes.course.overfit import OverfitData, overfit_data


def _small(n_train: int = 30, n_val: int = 12) -> OverfitData:
    return overfit_data(n_train=n_train, n_val=n_val, verbose=False)


def _epoch(dataset) -> tuple[np.ndarray, np.ndarray]:
    """One pass over a dataset of (images, labels) batches, concatenated."""
    xs, ys = zip(*((x.numpy(), y.numpy()) for x, y in dataset), strict=True)
    return np.concatenate(xs), np.concatenate(ys)


def test_datasets_hold_exactly_the_arrays():
    d = _small()
    train, val = d.datasets(batch_size=8)
    assert [len(y) for _, y in train] == [8, 8, 8, 6]
    x, y = _epoch(train)
    # the training pipeline is a permutation of the arrays: match each image back to its row
    rows = [int(np.flatnonzero((d.x_train == image).all(axis=(1, 2)))[0]) for image in x]
    assert sorted(rows) == list(range(len(d.x_train)))
    np.testing.assert_array_equal(y, d.y_train[rows])
    # validation: the arrays themselves, unshuffled, in one batch
    batches = list(val)
    assert len(batches) == 1
    np.testing.assert_array_equal(batches[0][0].numpy(), d.x_val)
    np.testing.assert_array_equal(batches[0][1].numpy(), d.y_val)


def test_training_order_is_reshuffled_each_epoch_and_fixed_by_the_seed():
    d = _small()
    first, _ = d.datasets(batch_size=8, seed=3)
    epoch1, epoch2 = _epoch(first)[1], _epoch(first)[1]
    assert not np.array_equal(epoch1, epoch2)  # a new order at every epoch
    again, _ = d.datasets(batch_size=8, seed=3)
    np.testing.assert_array_equal(_epoch(again)[1], epoch1)  # same seed, same epochs
    np.testing.assert_array_equal(_epoch(again)[1], epoch2)
    other, _ = d.datasets(batch_size=8, seed=4)
    assert not np.array_equal(_epoch(other)[1], epoch1)


def test_fit_on_the_datasets_matches_fit_on_the_arrays():
    """The same batches give the same training: one epoch in one batch, no shuffling effect."""
    import keras

    from kerasnotes.course.overfit import build_overfit_model

    d = _small(n_train=20, n_val=10)
    train, val = d.datasets(batch_size=20)
    keras.utils.set_random_seed(0)
    a = build_overfit_model(hidden=8)
    keras.utils.set_random_seed(0)
    b = build_overfit_model(hidden=8)
    ha = a.fit(train, validation_data=val, epochs=2, shuffle=False, verbose=0).history
    hb = b.fit(
        d.x_train, d.y_train, batch_size=20, validation_data=(d.x_val, d.y_val), epochs=2, verbose=0
    ).history
    for key in ("loss", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(ha[key], hb[key], rtol=1e-5, err_msg=key)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, r"batch_size must be >= 1; received batch_size=0"),
        ({"batch_size": 8.0}, TypeError, r"batch_size must be an int, not float"),
        ({"seed": "1"}, TypeError, r"seed must be an int"),
    ],
)
def test_datasets_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        _small().datasets(**kwargs)
