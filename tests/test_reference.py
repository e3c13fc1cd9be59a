"""kerasnotes.reference (NumPy) against Keras' own UpSampling2D / Conv2D / Conv2DTranspose."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from kerasnotes.reference import (
    conv2d_transpose,
    conv_output_size,
    conv_transpose_output_size,
    upsample2d,
)

pytestmark = pytest.mark.backend_agnostic

NOTES_INPUT = np.array([[1.0, 1.0], [2.0, 2.0]])
# The notes' tf.layers.conv2d_transpose result (3x3 ones, stride 2, 'same')
NOTES_SAME = np.array([[1, 1, 2, 1], [1, 1, 2, 1], [3, 3, 6, 3], [2, 2, 4, 2]], dtype=float)
NOTES_VALID = np.array(
    [[1, 1, 2, 1, 1], [1, 1, 2, 1, 1], [3, 3, 6, 3, 3], [2, 2, 4, 2, 2], [2, 2, 4, 2, 2]],
    dtype=float,
)


def keras_conv_transpose(x, kernel, bias, strides, padding):
    layer = keras.layers.Conv2DTranspose(
        kernel.shape[2], kernel.shape[:2], strides=strides, padding=padding
    )
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    return keras.ops.convert_to_numpy(layer(x)), layer


# --------------------------------------------------------------------------- Conv2DTranspose


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_size", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv2d_transpose_matches_keras(stride, kernel_size, padding):
    rng = np.random.default_rng(100 * stride + 10 * kernel_size + (padding == "same"))
    x = rng.normal(size=(2, 4, 3, 2)).astype("float32")
    kernel = rng.normal(size=(kernel_size, kernel_size, 3, 2)).astype("float32")
    bias = rng.normal(size=(3,)).astype("float32")
    expected, layer = keras_conv_transpose(x, kernel, bias, stride, padding)
    ours = conv2d_transpose(x, kernel, strides=stride, padding=padding, bias=bias)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)
    assert ours.shape[1:3] == (
        conv_transpose_output_size(4, kernel_size, stride, padding),
        conv_transpose_output_size(3, kernel_size, stride, padding),
    )
    assert tuple(layer.compute_output_shape(x.shape)) == ours.shape


@pytest.mark.parametrize(
    "kernel_size, strides, padding",
    [((2, 4), (3, 1), "same"), ((5, 1), (1, 2), "valid"), ((3, 2), (2, 3), "same")],
)
def test_conv2d_transpose_non_square(kernel_size, strides, padding):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(1, 3, 5, 3)).astype("float32")
    kernel = rng.normal(size=(*kernel_size, 2, 3)).astype("float32")
    bias = np.zeros(2, "float32")
    expected, _ = keras_conv_transpose(x, kernel, bias, strides, padding)
    np.testing.assert_allclose(
        conv2d_transpose(x, kernel, strides, padding), expected, rtol=1e-4, atol=1e-4
    )


@pytest.mark.parametrize("padding, expected", [("same", NOTES_SAME), ("valid", NOTES_VALID)])
def test_the_notes_worked_example(padding, expected):
    ours = conv2d_transpose(NOTES_INPUT, np.ones((3, 3)), strides=2, padding=padding)
    np.testing.assert_array_equal(ours, expected)
    layer = keras.layers.Conv2DTranspose(
        1, 3, strides=2, padding=padding, kernel_initializer="ones"
    )
    out = keras.ops.convert_to_numpy(layer(NOTES_INPUT[None, :, :, None].astype("float32")))
    np.testing.assert_array_equal(out[0, :, :, 0], expected)


def test_conv2d_transpose_is_the_gradient_of_conv2d():
    # <conv(z), y> == <z, conv_transpose(y)> for the same kernel: the definition of "transpose".
    rng = np.random.default_rng(11)
    kernel = rng.normal(size=(3, 3, 2, 4)).astype("float32")  # Conv2D layout (kh, kw, in, out)
    z = rng.normal(size=(1, 8, 8, 2)).astype("float32")
    conv = keras.layers.Conv2D(4, 3, strides=2, padding="same", use_bias=False)
    conv.build(z.shape)
    conv.set_weights([kernel])
    y = rng.normal(size=(1, 4, 4, 4)).astype("float32")
    lhs = float(np.sum(keras.ops.convert_to_numpy(conv(z)) * y))
    # the same array is a Conv2DTranspose kernel (kh, kw, filters=2, in_channels=4)
    rhs = float(np.sum(z * conv2d_transpose(y, kernel, strides=2, padding="same")))
    assert lhs == pytest.approx(rhs, rel=1e-4)


# --------------------------------------------------------------------------- UpSampling2D


@pytest.mark.parametrize("size", [(1, 1), (2, 2), (2, 3), (3, 1), 4])
def test_upsample2d_matches_keras(size):
    x = np.random.default_rng(2).normal(size=(2, 3, 4, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras.layers.UpSampling2D(size)(x))
    ours = upsample2d(x, size)
    assert ours.dtype == x.dtype
    np.testing.assert_array_equal(ours, expected)


def test_upsample2d_the_notes_matrices():
    np.testing.assert_array_equal(
        upsample2d(NOTES_INPUT), [[1, 1, 1, 1], [1, 1, 1, 1], [2, 2, 2, 2], [2, 2, 2, 2]]
    )
    np.testing.assert_array_equal(
        upsample2d([[1, 2], [3, 4]]), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    )


# --------------------------------------------------------------------------- output sizes


def test_conv_output_size_matches_conv2d_layers():
    checked = 0
    for n, k, s, d, padding in itertools.product(
        range(1, 10), range(1, 6), range(1, 4), (1, 2), ("valid", "same")
    ):
        if s > 1 and d > 1:
            continue  # Keras does not allow both at once
        layer = keras.layers.Conv2D(1, k, strides=s, padding=padding, dilation_rate=d)
        if padding == "valid" and n < (k - 1) * d + 1:
            with pytest.raises(ValueError, match=f"input_size={n}"):
                conv_output_size(n, k, s, padding, d)
            continue
        keras_shape = layer.compute_output_shape((None, n, n + 1, 1))
        ours = conv_output_size((n, n + 1), k, s, padding, d)
        assert ours == tuple(keras_shape[1:3]), (n, k, s, d, padding)
        checked += 1
    assert checked > 300


def test_conv_output_size_against_a_real_forward_pass():
    x = np.zeros((1, 28, 28, 1), "float32")
    for k, s, padding in [(3, 1, "valid"), (5, 2, "same"), (4, 3, "valid")]:
        out = keras.layers.Conv2D(2, k, strides=s, padding=padding)(x)
        assert tuple(out.shape[1:3]) == conv_output_size((28, 28), k, s, padding)


def test_conv_transpose_output_size_matches_conv2d_transpose_layers():
    checked = 0
    for n, k, s, d, padding in itertools.product(
        range(1, 7), range(1, 6), range(1, 4), (1, 2), ("valid", "same")
    ):
        if s > 1 and d > 1:
            continue
        for output_padding in [None, *range(s)]:
            layer = keras.layers.Conv2DTranspose(
                1, k, strides=s, padding=padding, dilation_rate=d, output_padding=output_padding
            )
            keras_shape = layer.compute_output_shape((None, n, n, 1))
            ours = conv_transpose_output_size(n, k, s, padding, output_padding, d)
            assert ours == keras_shape[1], (n, k, s, d, padding, output_padding)
            checked += 1
    assert checked > 400


def test_sizes_the_notes_mention():
    assert conv_output_size(28, 3) == 26
    assert conv_transpose_output_size(2, 3, 2, "same") == 4  # [[1,1],[2,2]] -> 4x4
    assert conv_transpose_output_size(2, 3, 2, "valid") == 5
    assert conv_transpose_output_size((2, 3), (3, 1), (2, 2), "valid") == (5, 6)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, fragment",
    [
        (lambda: upsample2d(np.ones((2, 2, 2))), ValueError, r"received shape \(2, 2, 2\)"),
        (lambda: upsample2d(np.ones((2, 2)), size=0), ValueError, "size=0"),
        (lambda: upsample2d(np.ones((2, 2)), size=(2, 2, 2)), ValueError, r"size=\(2, 2, 2\)"),
        (lambda: upsample2d([["a"]]), TypeError, "numeric"),
        (
            lambda: conv2d_transpose(np.ones((1, 2, 2, 3)), np.ones((3, 3, 1, 2))),
            ValueError,
            r"kernel shape \(3, 3, 1, 2\) does not fit x with shape \(1, 2, 2, 3\)",
        ),
        (lambda: conv2d_transpose(np.ones((1, 2, 2, 1)), np.ones((3, 3))), ValueError, "4-D"),
        (
            lambda: conv2d_transpose(np.ones((2, 2)), np.ones((3, 3)), padding="full"),
            ValueError,
            "padding='full'",
        ),
        (
            lambda: conv2d_transpose(np.ones((2, 2)), np.ones((3, 3)), strides=0),
            ValueError,
            "strides=0",
        ),
        (
            lambda: conv2d_transpose(np.ones((2, 2)), np.ones((3, 3)), bias=[1.0, 2.0]),
            ValueError,
            r"bias must have shape \(1,\)",
        ),
        (lambda: conv_output_size(2, 3), ValueError, "input_size=2"),
        (lambda: conv_output_size(8, 0), ValueError, "kernel_size=0"),
        (lambda: conv_output_size((8, 8), (3, 3, 3)), ValueError, "same length"),
        (lambda: conv_output_size(8, 3, padding="causal"), ValueError, "padding='causal'"),
        (
            lambda: conv_transpose_output_size(4, 3, 2, output_padding=2),
            ValueError,
            "output_padding=2",
        ),
        (lambda: conv_transpose_output_size(0, 3), ValueError, "input_size=0"),
        (lambda: conv_transpose_output_size(4, 3, strides=1.5), TypeError, "strides=1.5"),
        (lambda: conv_output_size((8, 8), (3, 0)), ValueError, r"kernel_size\[1\]=0"),
        (lambda: conv_output_size(8, True), TypeError, "kernel_size must be an int, not bool"),
    ],
)
def test_bad_input_is_explained(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_reference_and_predict_import_without_keras():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import kerasnotes.predict, kerasnotes.reference\n"
        "assert kerasnotes.reference.conv_output_size(28, 3) == 26\n"
        "assert kerasnotes.predict.classes_from_probs([[0.2, 0.8]]).tolist() == [1]\n"
        "heavy = [m for m in ('keras', 'tensorflow', 'torch', 'matplotlib') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
