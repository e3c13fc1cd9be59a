"""The notes' Dice coefficient, as a Keras metric and loss that save and reload.

``dice_coef(y_true, y_pred, smooth=1.0) = (2 * sum(y_true * y_pred) + smooth)
/ (sum(y_true) + sum(y_pred) + smooth)``, summed over the *whole batch* (every
sample and pixel together), exactly as the notes wrote it with ``K.sum``;
``dice_loss = 1 - dice_coef``.

Both are written with ``keras.ops`` only, so they run on every Keras backend,
and registered with ``keras.saving.register_keras_serializable(package="kerasnotes")``:
``metrics=[dice_coef]`` logs ``dice_coef`` / ``val_dice_coef``, and a saved
``.keras`` model reloads with plain ``keras.saving.load_model`` and no
``custom_objects`` once this module is imported (``import kerasnotes.metrics``).

How it relates to ``keras.losses.Dice`` (Keras 3):
    Keras computes ``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)``
    with ``epsilon = keras.config.epsilon()`` (1e-7) and no smoothing term. So

    * ``dice_loss(y_true, y_pred, smooth=0)`` equals ``keras.losses.Dice()(y_true, y_pred)``
      up to that 1e-7 in the denominator (relative difference about
      ``1e-7 / (sum(y_true) + sum(y_pred))``);
    * with ``axis=(1, 2, 3)``, Keras computes one Dice per sample and averages
      them over the batch; the notes' version pools the whole batch. The two agree
      only when every sample has the same ``sum(y_true) + sum(y_pred)``;
    * with the default ``smooth=1`` the values differ (the notes' version moves
      towards 1 on nearly empty masks), and on an all-zero target *and*
      prediction the notes' coefficient is 1 (loss 0) while Keras' loss is 1.

Example:
    >>> import numpy as np
    >>> from kerasnotes.metrics import dice_coef, dice_loss
    >>> y_true = np.array([[1.0, 1.0, 0.0, 0.0]])
    >>> y_pred = np.array([[1.0, 0.5, 0.5, 0.0]])
    >>> round(float(dice_coef(y_true, y_pred)), 6)  # (2*1.5 + 1) / (2 + 2 + 1)
    0.8
    >>> round(float(dice_loss(y_true, y_pred, smooth=0.0)), 6)
    0.25
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import keras
from keras import ops

__all__ = ["dice_coef", "dice_loss"]


def _check_smooth(smooth: Any) -> float:
    if isinstance(smooth, bool) or not isinstance(smooth, numbers.Real):
        raise TypeError(
            f"smooth must be a real number >= 0 (the notes use 1.0); received smooth={smooth!r}."
        )
    value = float(smooth)
    if not math.isfinite(value) or value < 0:
        raise ValueError(
            f"smooth must be a finite number >= 0 (the notes use 1.0); received smooth={smooth!r}."
        )
    return value


def _prepare(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """Tensors of one float dtype and compatible shapes, or a ValueError naming both shapes."""
    y_pred = ops.convert_to_tensor(y_pred)
    if not keras.backend.is_float_dtype(y_pred.dtype):
        y_pred = ops.cast(y_pred, keras.config.floatx())
    y_true = ops.cast(y_true, y_pred.dtype)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    # A label vector (N,) against a one-unit output (N, 1): align as Keras' losses do.
    # Left alone, (N,) * (N, 1) would broadcast to (N, N) and give a wrong number.
    if len(true_shape) + 1 == len(pred_shape) and pred_shape[-1] == 1:
        y_true = ops.expand_dims(y_true, -1)
    elif len(pred_shape) + 1 == len(true_shape) and true_shape[-1] == 1:
        y_pred = ops.expand_dims(y_pred, -1)
    a, b = tuple(y_true.shape), tuple(y_pred.shape)
    if len(a) != len(b) or any(
        x is not None and y is not None and x != y for x, y in zip(a, b, strict=False)
    ):
        raise ValueError(
            "dice_coef needs y_true and y_pred of the same shape; received y_true with shape "
            f"{true_shape} and y_pred with shape {pred_shape}. Reshape the targets to the "
            "model's output shape (e.g. masks of shape (N, H, W, 1) for a 1-channel output)."
        )
    return y_true, y_pred


@keras.saving.register_keras_serializable(package="kerasnotes")
def dice_coef(y_true: Any, y_pred: Any, smooth: float = 1.0) -> Any:
    """The notes' Dice coefficient over the whole batch, ``(2|A∩B| + s) / (|A| + |B| + s)``.

    Args:
        y_true: Targets (masks or one-hot labels), any shape; cast to ``y_pred``'s dtype.
        y_pred: Predictions in [0, 1], the same shape as ``y_true`` (a label
            vector ``(N,)`` against a one-unit output ``(N, 1)`` is aligned, as
            Keras' losses do).
        smooth: Added to numerator and denominator (the notes use 1.0); keeps
            the value defined on empty masks. A number >= 0.

    Returns:
        A scalar tensor (``float(...)`` gives a Python number). 1 means perfect overlap.

    Raises:
        ValueError: The shapes differ (the message gives both), or ``smooth`` is
            negative or not finite.
        TypeError: ``smooth`` is not a number.

    Example:
        >>> import numpy as np
        >>> mask = np.array([[0.0, 1.0], [1.0, 1.0]])
        >>> float(dice_coef(mask, mask))
        1.0
        >>> round(float(dice_coef(mask, np.zeros((2, 2)))), 4)  # (0 + 1) / (3 + 0 + 1)
        0.25
        >>> dice_coef(np.ones((2, 3)), np.ones((3, 2)))
        Traceback (most recent call last):
        ...
        ValueError: dice_coef needs y_true and y_pred of the same shape; received y_true with shape (2, 3) and y_pred with shape (3, 2). ...
    """
    smooth = _check_smooth(smooth)
    y_true, y_pred = _prepare(y_true, y_pred)
    intersection = ops.sum(y_true * y_pred)
    return (2.0 * intersection + smooth) / (ops.sum(y_true) + ops.sum(y_pred) + smooth)


@keras.saving.register_keras_serializable(package="kerasnotes")
def dice_loss(y_true: Any, y_pred: Any, smooth: float = 1.0) -> Any:
    """``1 - dice_coef(y_true, y_pred, smooth)``: a loss to minimise for segmentation.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predictions in [0, 1].
        smooth: As in :func:`dice_coef`.

    Returns:
        A scalar tensor in [0, 1] for inputs in [0, 1].

    Raises:
        ValueError: Shape mismatch or a bad ``smooth``, as in :func:`dice_coef`.
        TypeError: ``smooth`` is not a number.

    Example:
        >>> import numpy as np
        >>> y = np.array([[1.0, 0.0, 1.0, 0.0]])
        >>> float(dice_loss(y, y))
        0.0
        >>> round(float(dice_loss(y, 1 - y)), 4)  # (0 + 1) / (2 + 2 + 1) = 0.2
        0.8
    """
    return 1.0 - dice_coef(y_true, y_pred, smooth=smooth)
