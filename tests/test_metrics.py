"""kerasnotes.metrics against NumPy, keras.losses.Dice, and real training runs."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from kerasnotes.metrics import dice_coef, dice_loss

pytestmark = pytest.mark.backend_agnostic


def np_dice(y_true, y_pred, smooth=1.0):
    """The notes' formula in NumPy, float64 (the oracle)."""
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    return (2.0 * np.sum(t * p) + smooth) / (np.sum(t) + np.sum(p) + smooth)


def masks(n=4, size=8, seed=0):
    rng = np.random.default_rng(seed)
    y_true = (rng.random((n, size, size, 1)) > 0.6).astype("float32")
    y_pred = rng.random((n, size, size, 1)).astype("float32")
    return y_true, y_pred


def value(x):
    return float(keras.ops.convert_to_numpy(x))


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("smooth", [0.0, 0.5, 1.0, 100.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dice_matches_numpy(smooth, seed):
    y_true, y_pred = masks(seed=seed)
    assert value(dice_coef(y_true, y_pred, smooth=smooth)) == pytest.approx(
        np_dice(y_true, y_pred, smooth), rel=1e-5
    )
    assert value(dice_loss(y_true, y_pred, smooth=smooth)) == pytest.approx(
        1.0 - np_dice(y_true, y_pred, smooth), rel=1e-5, abs=1e-6
    )


def test_dice_default_smooth_is_the_notes_one():
    y_true, y_pred = masks()
    assert value(dice_coef(y_true, y_pred)) == pytest.approx(np_dice(y_true, y_pred, 1.0), rel=1e-6)
    assert value(dice_coef(y_true, y_pred)) != pytest.approx(np_dice(y_true, y_pred, 0.0), rel=1e-6)


def test_perfect_and_disjoint_masks():
    y = np.array([[1.0, 0.0, 1.0, 1.0]])
    assert value(dice_coef(y, y)) == pytest.approx(1.0)
    assert value(dice_coef(y, 1 - y, smooth=0.0)) == pytest.approx(0.0)
    assert value(dice_loss(y, y)) == pytest.approx(0.0)


def test_integer_and_boolean_inputs_are_cast():
    y_true = np.array([[1, 0, 1, 1]])
    y_pred = np.array([[True, False, False, True]])
    assert value(dice_coef(y_true, y_pred, smooth=0)) == pytest.approx(np_dice(y_true, y_pred, 0))


# --------------------------------------------------------------------------- keras.losses.Dice


def test_smooth_zero_equals_keras_dice_over_the_whole_batch():
    # Keras: 1 - 2*sum(t*p) / (sum(t) + sum(p) + epsilon); ours has no epsilon.
    y_true, y_pred = masks(seed=3)
    keras_loss = value(keras.losses.Dice()(y_true, y_pred))
    ours = value(dice_loss(y_true, y_pred, smooth=0.0))
    assert ours == pytest.approx(keras_loss, rel=1e-5)
    assert value(keras.losses.dice(y_true, y_pred)) == pytest.approx(ours, rel=1e-5)


def test_keras_per_sample_dice_is_the_mean_of_per_sample_values():
    y_true, y_pred = masks(seed=4)
    keras_loss = value(keras.losses.Dice(axis=(1, 2, 3))(y_true, y_pred))
    per_sample = [value(dice_loss(y_true[i], y_pred[i], smooth=0.0)) for i in range(len(y_true))]
    assert keras_loss == pytest.approx(np.mean(per_sample), rel=1e-5)
    # ... which is not the notes' pooled value when the samples differ in size
    pooled = value(dice_loss(y_true, y_pred, smooth=0.0))
    assert abs(pooled - keras_loss) > 1e-3


def test_per_sample_and_pooled_agree_when_every_sample_has_the_same_total():
    y_true = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0]])
    y_pred = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]])  # sum(t)+sum(p) = 4 both
    pooled = value(dice_loss(y_true, y_pred, smooth=0.0))
    assert pooled == pytest.approx(value(keras.losses.Dice(axis=1)(y_true, y_pred)), rel=1e-6)


def test_empty_masks_notes_version_is_one_keras_loss_is_one():
    zeros = np.zeros((2, 4, 4, 1), "float32")
    assert value(dice_coef(zeros, zeros)) == 1.0  # (0 + 1) / (0 + 0 + 1)
    assert value(dice_loss(zeros, zeros)) == 0.0
    assert value(keras.losses.Dice()(zeros, zeros)) == pytest.approx(1.0)  # 1 - 0 / epsilon


# --------------------------------------------------------------------------- shapes and arguments


def test_label_vector_against_one_unit_output_is_aligned():
    y_true = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    y_pred = np.array([[0.9], [0.2], [0.6], [0.3], [0.1]])
    expected = np_dice(y_true, y_pred.ravel())
    assert value(dice_coef(y_true, y_pred)) == pytest.approx(expected, rel=1e-6)
    assert value(dice_coef(y_pred, y_true)) == pytest.approx(expected, rel=1e-6)
    # what the notes' K.sum formula silently computed: a (5, 5) broadcast
    assert np_dice(y_true, y_pred) != pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    "true_shape, pred_shape",
    [((2, 3), (3, 2)), ((4, 8, 8, 1), (4, 8, 8, 2)), ((4, 8, 8), (4, 8, 8, 3)), ((6,), (2, 3))],
)
def test_shape_mismatch_names_both_shapes(true_shape, pred_shape):
    with pytest.raises(ValueError) as info:
        dice_coef(np.ones(true_shape), np.ones(pred_shape))
    assert str(true_shape) in str(info.value) and str(pred_shape) in str(info.value)
    with pytest.raises(ValueError, match="same shape"):
        dice_loss(np.ones(true_shape), np.ones(pred_shape))


@pytest.mark.parametrize(
    "smooth, error, fragment",
    [
        (-1.0, ValueError, "smooth=-1.0"),
        (float("nan"), ValueError, "smooth=nan"),
        ("1", TypeError, "smooth='1'"),
        (None, TypeError, "smooth=None"),
    ],
)
def test_bad_smooth(smooth, error, fragment):
    y_true, y_pred = masks()
    with pytest.raises(error, match=fragment):
        dice_coef(y_true, y_pred, smooth=smooth)


def test_registered_under_kerasnotes():
    assert dice_coef.__name__ == "dice_coef" and dice_loss.__name__ == "dice_loss"
    assert keras.saving.get_registered_name(dice_coef) == "kerasnotes>dice_coef"
    assert keras.saving.get_registered_object("kerasnotes>dice_loss") is dice_loss


# --------------------------------------------------------------------------- training runs


def segmentation_data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 8, 8, 1)).astype("float32")
    y = (x > 0.5).astype("float32")  # learnable: a threshold per pixel
    return x, y


def segmentation_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 1, activation="sigmoid")]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.05), loss=dice_loss, metrics=[dice_coef]
    )
    return model


def test_fit_logs_dice_coef_and_val_dice_coef():
    x, y = segmentation_data()
    model = segmentation_model()
    history = model.fit(
        x[:32], y[:32], validation_data=(x[32:], y[32:]), batch_size=16, epochs=3, verbose=0
    )
    assert set(history.history) == {"loss", "dice_coef", "val_loss", "val_dice_coef"}
    # validation runs as one batch of 16 here, so the logged value is the formula on it
    pred = model.predict(x[32:], verbose=0)
    assert history.history["val_dice_coef"][-1] == pytest.approx(np_dice(y[32:], pred), rel=1e-4)
    assert history.history["val_loss"][-1] == pytest.approx(1 - np_dice(y[32:], pred), rel=1e-4)


def test_model_checkpoint_on_val_dice_coef(tmp_path):
    x, y = segmentation_data()
    model = segmentation_model()
    path = tmp_path / "best.keras"
    checkpoint = keras.callbacks.ModelCheckpoint(
        path, monitor="val_dice_coef", mode="max", save_best_only=True
    )
    history = model.fit(
        x[:32],
        y[:32],
        validation_data=(x[32:], y[32:]),
        batch_size=16,
        epochs=5,
        verbose=0,
        callbacks=[checkpoint],
    )
    best = max(history.history["val_dice_coef"])
    assert best > history.history["val_dice_coef"][0]  # it learned, so "max" mattered
    restored = keras.saving.load_model(path)  # no custom_objects
    scores = restored.evaluate(x[32:], y[32:], batch_size=16, return_dict=True, verbose=0)
    assert scores["dice_coef"] == pytest.approx(best, rel=1e-5)

    auto = keras.callbacks.ModelCheckpoint(tmp_path / "auto.keras", monitor="val_dice_coef")
    with pytest.raises(ValueError, match="mode='max'"):
        segmentation_model().fit(x, y, validation_split=0.25, epochs=1, verbose=0, callbacks=[auto])


@pytest.mark.slow  # a fresh Python process imports Keras
def test_saved_model_reloads_without_custom_objects(tmp_path):
    x, y = segmentation_data()
    model = segmentation_model()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    path = tmp_path / "seg.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.loss is dice_loss
    before = model.evaluate(x, y, return_dict=True, verbose=0)
    after = loaded.evaluate(x, y, return_dict=True, verbose=0)
    assert after == pytest.approx(before, rel=1e-6)
    assert set(after) == {"loss", "dice_coef"}

    # In a fresh process, importing kerasnotes.metrics is all the loader needs.
    code = textwrap.dedent(
        f"""
        import keras
        import numpy as np
        import kerasnotes.metrics
        model = keras.saving.load_model({str(path)!r})
        x = np.load({str(tmp_path / "x.npy")!r}); y = np.load({str(tmp_path / "y.npy")!r})
        print(model.evaluate(x, y, return_dict=True, verbose=0)["dice_coef"])
        """
    )
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout.split()[-1]) == pytest.approx(before["dice_coef"], rel=1e-5)


def test_evaluate_with_label_vector_and_one_unit_output():
    # y of shape (N,) against a Dense(1) output (N, 1): Keras hands metrics the raw shapes.
    def notes_dice(y_true, y_pred):  # the notes' formula, unchanged
        return (2.0 * keras.ops.sum(y_true * y_pred) + 1.0) / (
            keras.ops.sum(y_true) + keras.ops.sum(y_pred) + 1.0
        )

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=[notes_dice, dice_coef])
    scores = model.evaluate(x, y, batch_size=64, return_dict=True, verbose=0)
    p = model.predict(x, verbose=0).ravel()
    assert scores["dice_coef"] == pytest.approx(np_dice(y, p), rel=1e-5)
    assert scores["notes_dice"] > 1.0  # (64,) * (64, 1) broadcast to (64, 64): not a Dice at all


def test_package_root_re_exports_these_functions():
    import kerasnotes

    assert kerasnotes.dice_coef is dice_coef and kerasnotes.dice_loss is dice_loss


# --------------------------------------------------------------------------- issue 16

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402


def test_empty_masks_with_smooth_zero_are_one_not_nan():
    zeros = np.zeros((2, 4, 4, 1), "float32")
    # oracle: the limit of the notes' formula as smooth -> 0 on empty masks is 1
    assert value(dice_coef(zeros, zeros, smooth=0.0)) == 1.0 == np_dice(zeros, zeros, 1e-12)
    assert value(dice_loss(zeros, zeros, smooth=0)) == 0.0


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="a TensorFlow GradientTape: TensorFlow only"
)
def test_empty_masks_with_smooth_zero_have_a_finite_gradient():
    import tensorflow as tf

    zeros = tf.zeros((2, 3))
    with tf.GradientTape() as tape:
        tape.watch(zeros)
        loss = dice_loss(zeros, zeros, smooth=0.0)
    grad = tape.gradient(loss, zeros)
    assert np.isfinite(grad.numpy()).all()


@pytest.mark.parametrize(
    "y_true",
    [np.array(["1", "0"]), ["a", "b"], np.array([b"1", b"0"]), np.array([{}, []], dtype=object)],
)
def test_string_inputs_are_a_clear_type_error(y_true):
    with pytest.raises(TypeError, match="y_true must hold numbers"):
        dice_coef(y_true, np.array([1.0, 0.0]))
    with pytest.raises(TypeError, match="y_pred must hold numbers"):
        dice_loss(np.array([1.0, 0.0]), y_true)


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="a TensorFlow string tensor: TensorFlow only"
)
def test_string_tensor_is_a_clear_type_error():
    import tensorflow as tf

    with pytest.raises(TypeError, match="tensor of dtype string"):
        dice_coef(tf.constant(["1", "0"]), np.array([1.0, 0.0]))


@pytest.mark.parametrize(
    "y_pred, words",
    [
        (np.array([np.nan, 0.5]), "NaN or infinite"),
        (np.array([np.inf, 0.5]), "NaN or infinite"),
        (np.array([3.0, 0.5]), "values from 0.5 to 3"),
        (np.array([-1e300, 0.5]), r"values from -1e\+300 to 0.5"),
    ],
)
def test_values_outside_zero_one_are_refused(y_pred, words):
    with pytest.raises(ValueError, match=words):
        dice_coef(np.array([1.0, 0.0]), y_pred)


def test_smooth_has_a_documented_ceiling():
    with pytest.raises(ValueError, match=r"smooth must be <= 1000000\.0; received smooth=1e\+300"):
        dice_coef(np.ones(2), np.ones(2), smooth=1e300)


_any_floats = hnp.arrays(
    np.float64,
    st.integers(1, 6),
    elements=st.floats(allow_nan=True, allow_infinity=True, width=64),
)


@settings(max_examples=80, deadline=None)
@given(y_true=_any_floats, y_pred=_any_floats, smooth=st.floats(allow_nan=True))
def test_dice_on_arbitrary_floats(y_true, y_pred, smooth):
    n = min(len(y_true), len(y_pred))
    y_true, y_pred = y_true[:n], y_pred[:n]
    try:
        coef = value(dice_coef(y_true, y_pred, smooth=smooth))
    except (ValueError, TypeError) as exc:
        assert "dice_coef" in str(exc)
        return
    assert math.isfinite(coef) and 0.0 <= coef <= 1.0 + 1e-6
    # oracle: NumPy, in float64 (the empty-mask case is 1 by definition)
    expected = 1.0 if y_true.sum() + y_pred.sum() + smooth == 0 else np_dice(y_true, y_pred, smooth)
    assert coef == pytest.approx(expected, rel=1e-4, abs=1e-6)
