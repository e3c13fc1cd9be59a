"""Tests for kerasnotes.inspect: activation models and gradient-ascent filter visualisation."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from kerasnotes import inspect as kn_inspect  # noqa: E402
from kerasnotes.inspect import (  # noqa: E402
    DeadFilterError,
    activation_model,
    deprocess_image,
    visualize_filter,
)


@pytest.fixture(scope="module")
def cnn():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            keras.layers.Conv2D(6, 3, activation="relu", name="conv1"),
            keras.layers.MaxPooling2D(name="pool"),
            keras.layers.Conv2D(4, 3, activation="relu", name="conv2"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(2, name="dense"),
        ]
    )


def test_activation_model_matches_manual_forward_pass(cnn):
    x = np.random.default_rng(1).normal(size=(3, 16, 16, 3)).astype("float32")
    conv1, dense = activation_model(cnn, ["conv1", "dense"]).predict(x, verbose=0)
    # oracle: apply the layers one by one
    h = cnn.get_layer("conv1")(x)
    np.testing.assert_allclose(conv1, np.asarray(h), rtol=1e-5, atol=1e-5)
    for name in ("pool", "conv2", "flat", "dense"):
        h = cnn.get_layer(name)(h)
    np.testing.assert_allclose(dense, np.asarray(h), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(dense, cnn.predict(x, verbose=0), rtol=1e-5, atol=1e-5)


def test_activation_model_all_layers_and_single_name(cnn):
    everything = activation_model(cnn)
    assert [tuple(o.shape) for o in everything.outputs] == [
        (None, 14, 14, 6),
        (None, 7, 7, 6),
        (None, 5, 5, 4),
        (None, 100),
        (None, 2),
    ]
    single = activation_model(cnn, "conv2")
    assert len(single.outputs) == 1
    out = single.predict(np.zeros((1, 16, 16, 3)), verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (1, 5, 5, 4)
    # weights are shared, not copied
    assert single.get_layer("conv1") is cnn.get_layer("conv1")


def test_activation_model_functional():
    inp = keras.Input((5,))
    a = keras.layers.Dense(3, name="a")(inp)
    b = keras.layers.Dense(2, name="b")(a)
    model = keras.Model(inp, b)
    outs = activation_model(model).predict(np.ones((2, 5)), verbose=0)
    assert [o.shape for o in outs] == [(2, 3), (2, 2)]


def test_activation_model_bad_input(cnn):
    with pytest.raises(ValueError, match=r"no layer named 'conv9'.*'conv1'"):
        activation_model(cnn, "conv9")
    with pytest.raises(ValueError, match="non-empty list"):
        activation_model(cnn, [])
    with pytest.raises(TypeError, match="layer names must be strings"):
        activation_model(cnn, [0])
    with pytest.raises(TypeError, match="keras.Model"):
        activation_model("model")
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="no defined input"):
        activation_model(unbuilt)


def test_visualize_filter_activation_rises(cnn):
    img, acts = visualize_filter(cnn, "conv1", 2, size=(16, 16), steps=10, return_history=True)
    assert img.shape == (16, 16, 3) and img.dtype == np.uint8
    assert len(acts) == 10
    # gradient ascent: every step increases the filter's mean activation
    assert all(b > a for a, b in zip(acts, acts[1:], strict=False))
    # oracle for the first value: the activation of the same starting image, computed directly
    start = np.random.default_rng(0).random((1, 16, 16, 3)) * 20 + 128.0
    first = np.asarray(activation_model(cnn, "conv1")(start.astype("float32")))[..., 2].mean()
    np.testing.assert_allclose(acts[0], first, rtol=1e-5)


def test_visualize_filter_is_deterministic_and_uses_seed(cnn):
    a = visualize_filter(cnn, "conv1", 2, size=(16, 16), steps=3)
    b = visualize_filter(cnn, "conv1", 2, size=(16, 16), steps=3)
    c = visualize_filter(cnn, "conv1", 2, size=(16, 16), steps=3, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_visualize_filter_matches_a_manual_ascent(cnn):
    """Oracle: the notes' recipe written out with tf.GradientTape here."""
    import tensorflow as tf

    fe = keras.Model(cnn.inputs[0], cnn.get_layer("conv1").output)
    x = tf.Variable(
        (np.random.default_rng(0).random((1, 16, 16, 3)) * 20 + 128.0).astype("float32")
    )
    for _ in range(4):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(fe(x)[:, :, :, 2])
        g = tape.gradient(loss, x)
        g = g / (tf.sqrt(tf.reduce_mean(tf.square(g))) + 1e-5)
        x.assign_add(g * 0.5)
    expected = deprocess_image(x.numpy()[0])
    got = visualize_filter(cnn, "conv1", 2, size=(16, 16), steps=4, step_size=0.5)
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 1


def test_dead_filter_is_reported():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(
                2,
                3,
                activation="relu",
                name="dead",
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(-1.0),
            ),
        ]
    )
    with pytest.raises(DeadFilterError, match=r"filter 1 of layer 'dead'.*zero gradient"):
        visualize_filter(model, "dead", 1, size=(8, 8), steps=3)
    assert issubclass(DeadFilterError, ValueError)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"layer_name": "nope"}, ValueError, "no layer named"),
        ({"layer_name": "dense"}, ValueError, "4-D"),
        ({"filter_index": 6}, IndexError, r"0\.\.5"),
        ({"filter_index": -1}, IndexError, "filter_index"),
        ({"size": (32, 32)}, ValueError, r"takes 16x16 images.*size=\(16, 16\)"),
        ({"size": 16}, ValueError, "size must be"),
        ({"steps": 0}, ValueError, "steps"),
        ({"step_size": -1.0}, ValueError, "step_size"),
        ({"step_size": float("inf")}, ValueError, "step_size must be a finite number"),
        ({"step_size": True}, TypeError, "step_size must be a real number, not bool"),
        ({"steps": 2.0}, TypeError, "steps must be an int, not float"),
    ],
)
def test_visualize_filter_bad_input(cnn, kwargs, exc, match):
    args = {"layer_name": "conv1", "filter_index": 0, "size": (16, 16), "steps": 1}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        visualize_filter(cnn, **args)


def test_visualize_filter_needs_tensorflow_backend(cnn, monkeypatch):
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(RuntimeError, match="TensorFlow backend.*'jax'"):
        visualize_filter(cnn, "conv1", 0, size=(16, 16), steps=1)


def test_visualize_filter_free_size_model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [keras.Input((None, None, 3)), keras.layers.Conv2D(3, 3, activation="tanh", name="c")]
    )
    img = visualize_filter(model, "c", 0, size=(20, 12), steps=2)
    assert img.shape == (20, 12, 3)


def test_deprocess_image_formula():
    x = np.array([[-1.0, 0.0, 1.0]])
    z = (x - x.mean()) / (x.std() + 1e-5)
    expected = (np.clip(z * 0.1 + 0.5, 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(deprocess_image(x), expected)
    assert deprocess_image(np.full((2, 2), 7.0)).tolist() == [[127, 127], [127, 127]]


def test_public_api():
    assert set(kn_inspect.__all__) <= set(dir(kn_inspect))
