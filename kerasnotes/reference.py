"""NumPy reference versions of UpSampling2D and Conv2DTranspose, and output-size formulas.

The notes work out by hand what ``UpSampling2D`` and ``Conv2DTranspose`` do to
a small matrix. These functions do the same arithmetic in plain NumPy (loops a
reader can follow, no Keras), so a lesson can compare them with the layers:

* :func:`upsample2d`: nearest-neighbour upsampling, rows and columns repeated.
* :func:`conv2d_transpose`: each input pixel stamps ``pixel * kernel`` onto the
  output at ``stride`` spacing, overlapping stamps add up, then ``padding``
  decides how much of the border is kept.
* :func:`conv_output_size` / :func:`conv_transpose_output_size`: Keras' length
  formulas for Conv2D and Conv2DTranspose.

Arrays are ``channels_last`` (NHWC). For convenience a 2-D array ``(H, W)`` is
taken as one image with one channel, and the result is 2-D again.

Example (the notes' worked example):
    >>> import numpy as np
    >>> conv2d_transpose([[1, 1], [2, 2]], np.ones((3, 3)), strides=2, padding="same")
    array([[1., 1., 2., 1.],
           [1., 1., 2., 1.],
           [3., 3., 6., 3.],
           [2., 2., 4., 2.]])
    >>> upsample2d([[1, 2], [3, 4]])
    array([[1, 1, 2, 2],
           [1, 1, 2, 2],
           [3, 3, 4, 4],
           [3, 3, 4, 4]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from kerasnotes._validation import check_int

__all__ = [
    "conv2d_transpose",
    "conv_output_size",
    "conv_transpose_output_size",
    "upsample2d",
]

IntOrTuple = int | Sequence[int]


def _pair(name: str, value: Any, where: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints, each >= minimum, as a 2-tuple."""
    if not isinstance(value, (tuple, list)):
        value = check_int(name, value, minimum=minimum, where=where)
        return value, value
    if len(value) != 2:
        raise ValueError(
            f"{where}: {name} must be an int >= {minimum} or a pair of them, e.g. {name}=2 or "
            f"{name}=(2, 2); received {name}={value!r}."
        )
    first, second = (
        check_int(f"{name}[{i}]", v, minimum=minimum, where=where) for i, v in enumerate(value)
    )
    return first, second


def _padding(padding: Any) -> str:
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same'; received padding={padding!r}.")
    return mode


def _as_images(name: str, x: Any) -> tuple[np.ndarray, bool]:
    """``x`` as a 4-D NHWC array; the flag says it came in as a 2-D (H, W) image."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(
            f"{name} must be a numeric array; received {type(x).__name__} ({exc})."
        ) from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must be a numeric array; received dtype {arr.dtype}.")
    if arr.ndim == 2:
        return arr[None, :, :, None], True
    if arr.ndim == 4:
        return arr, False
    raise ValueError(
        f"{name} must be 4-D (batch, height, width, channels) or 2-D (height, width); "
        f"received shape {arr.shape}. For one (H, W, C) image use {name}[None]."
    )


def upsample2d(x: Any, size: IntOrTuple = (2, 2)) -> np.ndarray:
    """Nearest-neighbour upsampling, like ``keras.layers.UpSampling2D(size)`` (its default).

    Every row is repeated ``size[0]`` times and every column ``size[1]`` times.

    Args:
        x: ``(N, H, W, C)`` array, or ``(H, W)`` for a single one-channel image.
        size: Upsampling factors (rows, columns); an int means the same for both.

    Returns:
        ``(N, H*size[0], W*size[1], C)`` (or 2-D for 2-D input), same dtype as ``x``.

    Raises:
        ValueError: ``x`` is not 2-D or 4-D, or ``size`` is not a positive int / pair.
        TypeError: ``x`` is not numeric.

    Example:
        >>> upsample2d([[1, 1], [2, 2]], size=(2, 2))
        array([[1, 1, 1, 1],
               [1, 1, 1, 1],
               [2, 2, 2, 2],
               [2, 2, 2, 2]])
        >>> upsample2d(np.zeros((1, 2, 3, 4)), size=(1, 3)).shape
        (1, 2, 9, 4)
    """
    sh, sw = _pair("size", size, "upsample2d")
    images, was_2d = _as_images("x", x)
    out = np.repeat(np.repeat(images, sh, axis=1), sw, axis=2)
    return out[0, :, :, 0] if was_2d else out


def conv2d_transpose(
    x: Any,
    kernel: Any,
    strides: IntOrTuple = (1, 1),
    padding: str = "valid",
    bias: Any = None,
) -> np.ndarray:
    """Transposed convolution, like ``keras.layers.Conv2DTranspose`` (no dilation).

    Each input pixel ``x[n, i, j, :]`` adds ``sum_c x[n, i, j, c] * kernel[:, :, f, c]``
    to the output window starting at ``(i * stride_h, j * stride_w)``. That "full"
    result has ``(H - 1) * stride + k`` rows; ``padding`` then keeps, per axis,

    * ``"valid"``: ``H * stride + max(k - stride, 0)`` rows (the full result,
      zero-padded at the end when ``k < stride``);
    * ``"same"``: ``H * stride`` rows, dropping ``(k - stride) // 2`` rows at the top
      and the rest at the bottom (TensorFlow's rule; the notes' example loses its
      last row and column).

    Args:
        x: ``(N, H, W, C_in)`` array, or ``(H, W)`` for a single one-channel image.
        kernel: Keras' layout ``(kh, kw, filters, C_in)`` (``layer.kernel``). With a
            2-D ``x`` a 2-D ``(kh, kw)`` kernel is accepted too.
        strides: Stride (rows, columns); an int means both.
        padding: ``"valid"`` or ``"same"``.
        bias: Optional ``(filters,)`` added to every output pixel.

    Returns:
        ``float64`` array ``(N, H_out, W_out, filters)``, sizes as
        :func:`conv_transpose_output_size`; 2-D ``(H_out, W_out)`` when ``x`` was
        2-D and there is one filter.

    Raises:
        ValueError: Wrong ranks, the kernel's last axis is not ``C_in``, a bias of
            the wrong length, bad ``strides`` or ``padding``.
        TypeError: ``x``, ``kernel`` or ``bias`` is not numeric.

    Example:
        >>> conv2d_transpose([[1, 2]], [[1, 10]], strides=(1, 2), padding="valid")
        array([[ 1., 10.,  2., 20.]])
        >>> conv2d_transpose(np.ones((1, 3, 3, 2)), np.ones((5, 5, 4, 2)), strides=2,
        ...                  padding="same").shape
        (1, 6, 6, 4)
    """
    images, was_2d = _as_images("x", x)
    images = images.astype(np.float64)
    w = np.asarray(kernel)
    if w.dtype == object or not np.issubdtype(w.dtype, np.number):
        raise TypeError(f"kernel must be a numeric array; received dtype {w.dtype}.")
    if w.ndim == 2 and was_2d:
        w = w[:, :, None, None]
    if w.ndim != 4:
        raise ValueError(
            "kernel must be 4-D in Keras' Conv2DTranspose layout (kh, kw, filters, in_channels), "
            f"or 2-D (kh, kw) with a 2-D x; received kernel with shape {w.shape}."
        )
    n, h, wd, c_in = images.shape
    kh, kw, filters, k_in = w.shape
    if k_in != c_in or min(kh, kw, filters) < 1:
        raise ValueError(
            f"kernel shape {w.shape} does not fit x with shape {images.shape}: the kernel's "
            "last axis must equal x's channels (Keras' layout is (kh, kw, filters, in_channels); "
            "a (kh, kw, in, out) Conv2D kernel needs np.transpose(kernel, (0, 1, 3, 2)))."
        )
    sh, sw = _pair("strides", strides, "conv2d_transpose")
    mode = _padding(padding)
    w = w.astype(np.float64)

    full = np.zeros((n, (h - 1) * sh + kh, (wd - 1) * sw + kw, filters))
    for i in range(h):
        for j in range(wd):
            # every sample's pixel (i, j), all channels, times the kernel: (n, kh, kw, filters)
            stamp = np.einsum("nc,abfc->nabf", images[:, i, j, :], w)
            full[:, i * sh : i * sh + kh, j * sw : j * sw + kw, :] += stamp

    out_h = conv_transpose_output_size(h, kh, sh, mode)
    out_w = conv_transpose_output_size(wd, kw, sw, mode)
    top = max(kh - sh, 0) // 2 if mode == "same" else 0
    left = max(kw - sw, 0) // 2 if mode == "same" else 0
    out_h, out_w = int(out_h), int(out_w)  # type: ignore[arg-type]  # one spatial size each
    out = np.zeros((n, out_h, out_w, filters))
    kept = full[:, top : top + out_h, left : left + out_w, :]
    out[:, : kept.shape[1], : kept.shape[2], :] = kept

    if bias is not None:
        b = np.asarray(bias)
        if b.dtype == object or not np.issubdtype(b.dtype, np.number):
            raise TypeError(f"bias must be numeric; received dtype {b.dtype}.")
        if b.shape not in ((filters,), ()):
            raise ValueError(
                f"bias must have shape ({filters},) (one value per filter); "
                f"received shape {b.shape}."
            )
        out = out + b.astype(np.float64)
    return out[0, :, :, 0] if was_2d and filters == 1 else out


def _size_args(**kwargs: Any) -> int:
    """How many spatial dimensions the (int or tuple) arguments describe."""
    lengths = {len(v) for v in kwargs.values() if isinstance(v, (tuple, list))}
    if len(lengths) > 1:
        raise ValueError(
            "the tuple arguments must all have the same length (one entry per spatial "
            f"dimension); received {kwargs}."
        )
    return lengths.pop() if lengths else 0


def _entry(name: str, value: Any, index: int, minimum: int, where: str) -> int:
    if isinstance(value, (tuple, list)):
        return check_int(f"{name}[{index}]", value[index], minimum=minimum, where=where)
    return check_int(name, value, minimum=minimum, where=where)


def conv_output_size(
    input_size: IntOrTuple,
    kernel_size: IntOrTuple,
    strides: IntOrTuple = 1,
    padding: str = "valid",
    dilation_rate: IntOrTuple = 1,
) -> int | tuple[int, ...]:
    """Output length of ``Conv1D/2D/3D`` along each spatial axis (Keras' formula).

    With effective kernel ``k' = (k - 1) * dilation + 1``:
    ``"valid"``: ``floor((n - k') / s) + 1``; ``"same"``: ``ceil(n / s)``.

    Args:
        input_size: Length ``n`` (int) or one per spatial axis (tuple).
        kernel_size: ``k``, int or tuple.
        strides: ``s``, int or tuple.
        padding: ``"valid"`` or ``"same"``.
        dilation_rate: int or tuple.

    Returns:
        An int when every size argument is an int, else a tuple with one length per axis.

    Raises:
        ValueError: A size is not a positive int (``input_size`` may be 0 only
            with ``"same"``), tuples of different lengths, a bad ``padding``, or
            ``"valid"`` with an input shorter than the effective kernel.

    Example:
        >>> conv_output_size(28, 3)            # MNIST, 3x3, valid
        26
        >>> conv_output_size((28, 28), (3, 3), strides=2, padding="same")
        (14, 14)
        >>> conv_output_size(5, 3, dilation_rate=2)
        1
    """
    where = "conv_output_size"
    mode = _padding(padding)
    dims = _size_args(
        input_size=input_size, kernel_size=kernel_size, strides=strides, dilation_rate=dilation_rate
    )
    result = []
    for d in range(max(dims, 1)):
        n = _entry("input_size", input_size, d, 0, where)
        k = _entry("kernel_size", kernel_size, d, 1, where)
        s = _entry("strides", strides, d, 1, where)
        rate = _entry("dilation_rate", dilation_rate, d, 1, where)
        effective = (k - 1) * rate + 1
        if mode == "same":
            result.append(math.ceil(n / s))
        elif n < effective:
            raise ValueError(
                f"with padding='valid' the input must be at least as long as the effective "
                f"kernel (k - 1) * dilation + 1 = {effective}; received input_size={input_size!r}, "
                f"kernel_size={kernel_size!r}, dilation_rate={dilation_rate!r}. Use padding='same' "
                "or a smaller kernel."
            )
        else:
            result.append((n - effective) // s + 1)
    return tuple(result) if dims else result[0]


def conv_transpose_output_size(
    input_size: IntOrTuple,
    kernel_size: IntOrTuple,
    strides: IntOrTuple = 1,
    padding: str = "valid",
    output_padding: IntOrTuple | None = None,
    dilation_rate: IntOrTuple = 1,
) -> int | tuple[int, ...]:
    """Output length of ``Conv1DTranspose/2D/3D`` along each spatial axis (Keras' formula).

    With effective kernel ``k' = (k - 1) * dilation + 1``, and no ``output_padding``:
    ``"valid"``: ``n * s + max(k' - s, 0)``; ``"same"``: ``n * s``. With an
    ``output_padding`` ``p``: ``(n - 1) * s + k' - 2 * pad + p``, where
    ``pad = k' // 2`` for ``"same"`` and 0 for ``"valid"``.

    Args:
        input_size: Length ``n`` (int) or one per spatial axis (tuple).
        kernel_size: ``k``, int or tuple.
        strides: ``s``, int or tuple.
        padding: ``"valid"`` or ``"same"``.
        output_padding: ``None`` (default) or int/tuple, each smaller than the stride.
        dilation_rate: int or tuple.

    Returns:
        An int when every size argument is an int, else a tuple.

    Raises:
        ValueError: A size is not a positive int, tuples of different lengths, a
            bad ``padding``, or an ``output_padding`` not smaller than the stride.

    Example:
        >>> conv_transpose_output_size(2, 3, strides=2, padding="same")   # the notes' 2 -> 4
        4
        >>> conv_transpose_output_size(2, 3, strides=2, padding="valid")
        5
        >>> conv_transpose_output_size((7, 7), 3, strides=2, padding="same", output_padding=0)
        (13, 13)
    """
    where = "conv_transpose_output_size"
    mode = _padding(padding)
    sized = {
        "input_size": input_size,
        "kernel_size": kernel_size,
        "strides": strides,
        "dilation_rate": dilation_rate,
    }
    if output_padding is not None:
        sized["output_padding"] = output_padding
    dims = _size_args(**sized)
    result = []
    for d in range(max(dims, 1)):
        n = _entry("input_size", input_size, d, 1, where)
        k = _entry("kernel_size", kernel_size, d, 1, where)
        s = _entry("strides", strides, d, 1, where)
        rate = _entry("dilation_rate", dilation_rate, d, 1, where)
        k = (k - 1) * rate + 1
        if output_padding is None:
            result.append(n * s + max(k - s, 0) if mode == "valid" else n * s)
            continue
        p = _entry("output_padding", output_padding, d, 0, where)
        if p >= s:
            raise ValueError(
                f"output_padding must be smaller than strides; received "
                f"output_padding={output_padding!r} with strides={strides!r}."
            )
        pad = k // 2 if mode == "same" else 0
        result.append((n - 1) * s + k - 2 * pad + p)
    return tuple(result) if dims else result[0]
