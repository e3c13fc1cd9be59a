"""kerasnotes.predict against NumPy's argmax / threshold on model.predict, and the notes' output."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from kerasnotes.predict import classes_from_probs, predict_classes

pytestmark = pytest.mark.backend_agnostic


def softmax_model(n_in=4, n_classes=5, functional=False):
    keras.utils.set_random_seed(3)
    if functional:
        inputs = keras.Input((n_in,))
        hidden = keras.layers.Dense(8, activation="relu")(inputs)
        return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(hidden))
    return keras.Sequential(
        [keras.Input((n_in,)), keras.layers.Dense(n_classes, activation="softmax")]
    )


def sigmoid_model(n_in=4):
    keras.utils.set_random_seed(4)
    return keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(1, activation="sigmoid")])


@pytest.fixture
def x():
    return np.random.default_rng(0).normal(size=(40, 4)).astype("float32") * 3


# --------------------------------------------------------------------------- models


@pytest.mark.parametrize("functional", [False, True], ids=["Sequential", "functional"])
def test_multiclass_is_argmax_of_predict(x, functional):
    model = softmax_model(functional=functional)
    classes = predict_classes(model, x)
    expected = np.argmax(model.predict(x, verbose=0), axis=-1)
    np.testing.assert_array_equal(classes, expected)
    assert classes.shape == (40,) and classes.dtype == np.int64
    assert len(set(classes.tolist())) > 1  # the check is not trivially all-zero


def test_single_sigmoid_unit_is_thresholded_like_keras2(x):
    model = sigmoid_model()
    probs = model.predict(x, verbose=0)
    classes = predict_classes(model, x)
    np.testing.assert_array_equal(classes, (probs > 0.5).astype("int32"))
    assert classes.shape == (40, 1)  # Keras 2 kept the unit axis
    assert 0 < classes.sum() < 40
    strict = predict_classes(model, x, threshold=0.9)
    np.testing.assert_array_equal(strict, (probs > 0.9).astype(int))
    assert strict.sum() < classes.sum()


def test_batch_size_is_passed_to_predict(x):
    model = softmax_model()
    calls = []
    original = model.predict

    def spy(data, **kwargs):
        calls.append(kwargs)
        return original(data, **kwargs)

    model.predict = spy
    a = predict_classes(model, x, batch_size=7)
    assert calls == [{"batch_size": 7, "verbose": 0}]
    np.testing.assert_array_equal(a, np.argmax(original(x, verbose=0), axis=-1))


# --------------------------------------------------------------------------- probabilities


def test_the_notes_printed_probabilities_give_class_0_then_label_1():
    # the three rows the notes print for model.predict(X_test) (5 one-hot classes)
    printed = np.array(
        [
            [9.9992561e-01, 6.9890179e-05, 2.3676146e-06, 1.9608513e-06, 2.5582506e-07],
            [9.9975246e-01, 2.3708738e-04, 4.9365349e-06, 5.2166861e-06, 3.3735736e-07],
            [9.9942291e-01, 5.5233808e-04, 8.9857504e-06, 1.5617061e-05, 2.4388814e-07],
        ]
    )
    classes = classes_from_probs(printed)
    np.testing.assert_array_equal(classes, [0, 0, 0])
    labels = np.array([1, 2, 3, 4, 5])  # the notes' label encoder's classes
    np.testing.assert_array_equal(labels[classes], [1, 1, 1])


def test_threshold_is_strictly_greater_and_validated():
    p = np.array([[0.0], [0.5], [0.5000001], [1.0]])
    np.testing.assert_array_equal(classes_from_probs(p).ravel(), [0, 0, 1, 1])
    np.testing.assert_array_equal(classes_from_probs(p, threshold=0.0).ravel(), [0, 1, 1, 1])
    np.testing.assert_array_equal(classes_from_probs(p, threshold=1.0).ravel(), [0, 0, 0, 0])


def test_multiclass_with_extra_axes_uses_the_last_one():
    p = np.random.default_rng(1).random((3, 5, 4))
    np.testing.assert_array_equal(classes_from_probs(p), p.argmax(-1))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "threshold, error, fragment",
    [
        (1.5, ValueError, "threshold=1.5"),
        (-0.1, ValueError, "threshold=-0.1"),
        (float("nan"), ValueError, "threshold=nan"),
        ("0.5", TypeError, "threshold='0.5'"),
        (None, TypeError, "threshold=None"),
    ],
)
def test_bad_threshold(x, threshold, error, fragment):
    with pytest.raises(error, match=fragment):
        predict_classes(sigmoid_model(), x, threshold=threshold)
    with pytest.raises(error, match=fragment):
        classes_from_probs([[0.2]], threshold=threshold)


@pytest.mark.parametrize(
    "batch_size, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("8", TypeError)]
)
def test_bad_batch_size(x, batch_size, error):
    with pytest.raises(error, match=f"batch_size={batch_size!r}"):
        predict_classes(softmax_model(), x, batch_size=batch_size)


def test_array_instead_of_model_points_to_classes_from_probs(x):
    with pytest.raises(TypeError, match="ndarray.*classes_from_probs"):
        predict_classes(np.array([[0.1, 0.9]]), x)


def test_multi_output_model_is_refused(x):
    inputs = keras.Input((4,))
    model = keras.Model(
        inputs, [keras.layers.Dense(3, activation="softmax")(inputs), keras.layers.Dense(1)(inputs)]
    )
    with pytest.raises(TypeError, match="2 outputs"):
        predict_classes(model, x)


def test_logits_from_a_single_linear_unit_are_refused(x):
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])  # no sigmoid
    with pytest.raises(ValueError, match="logits"):
        predict_classes(model, x * 10)


@pytest.mark.parametrize(
    "probs, error, fragment",
    [
        (np.float64(0.7), ValueError, r"shape \(\)"),
        (np.zeros((3, 0)), ValueError, r"shape \(3, 0\)"),
        (np.zeros((0, 3)), ValueError, r"shape \(0, 3\)"),
        (np.array([[0.1, np.nan], [0.3, 0.7]]), ValueError, "NaN in 1 row"),
        ([[0.1, 0.9], [0.5]], TypeError, "numeric array"),
        (np.array([["a", "b"]]), TypeError, "numeric array"),
    ],
)
def test_unusable_probabilities(probs, error, fragment):
    with pytest.raises(error, match=fragment):
        classes_from_probs(probs)


def test_package_root_re_exports_predict_classes():
    import kerasnotes

    assert kerasnotes.predict_classes is predict_classes


# --------------------------------------------------------------------------- issue 16


def _vector_output_model():
    """A model whose output has shape (N,): one sigmoid value per sample, squeezed."""
    import keras

    inputs = keras.Input((2,))
    unit = keras.layers.Dense(1, activation="sigmoid")(inputs)
    model = keras.Model(inputs, keras.layers.Reshape(())(unit))
    model.set_weights([np.array([[4.0], [-4.0]]), np.zeros(1)])
    return model


def test_output_of_shape_n_gives_one_class_per_sample():
    model = _vector_output_model()
    x = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    probs = model.predict(x, verbose=0)
    assert probs.shape == (4,)
    classes = predict_classes(model, x)
    # oracle: Keras 2's rule for one unit, applied by hand to the model's own output
    assert classes.shape == (4,) and classes.tolist() == (probs > 0.5).astype(int).tolist()


def test_x_none_is_a_clear_type_error():
    with pytest.raises(TypeError, match="x is None; pass the input samples"):
        predict_classes(_vector_output_model(), None)


@pytest.mark.parametrize("units, shape", [(3, (0,)), (1, (0, 1))], ids=["softmax", "sigmoid"])
def test_zero_rows_give_an_empty_answer_of_the_promised_shape(units, shape):
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(units)])
    out = predict_classes(model, np.zeros((0, 2)))
    assert out.shape == shape and out.dtype == np.int64
    assert predict_classes(_vector_output_model(), np.zeros((0, 2))).shape == (0,)
    assert predict_classes(model, []).shape == shape


def test_zero_rows_without_a_known_output_shape():
    class Opaque:
        def predict(self, x, **kwargs):  # pragma: no cover - must not be called
            raise AssertionError("predict must not run on 0 rows")

    with pytest.raises(ValueError, match="0 rows and the model's output shape is unknown"):
        predict_classes(Opaque(), np.zeros((0, 2)))
