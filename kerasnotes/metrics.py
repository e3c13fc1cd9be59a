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

from typing import Any

import keras
import numpy as np
from keras import ops

from kerasnotes._validation import check_real

__all__ = ["dice_coef", "dice_loss"]


_SMOOTH_MAX = 1e6  # a smoothing constant; far larger ones swamp float32 sums


def _check_smooth(smooth: Any, where: str) -> float:
    return check_real(
        "smooth",
        smooth,
        minimum=0.0,
        maximum=_SMOOTH_MAX,
        where=where,
        hint="It is a small constant added to both sides; the notes use 1.0.",
    )


def _check_values(name: str, x: Any, where: str) -> Any:
    """Refuse strings (TypeError), and for NumPy / list input NaN, inf or values outside [0, 1].

    Backend tensors are only checked for their dtype: inside ``fit`` they are
    symbolic, and a compiled graph cannot raise on values.
    """
    if ops.is_tensor(x):
        dtype = keras.backend.standardize_dtype(x.dtype)
        if dtype != "bool" and not (
            keras.backend.is_float_dtype(dtype) or keras.backend.is_int_dtype(dtype)
        ):
            raise TypeError(
                f"{where}: {name} must hold numbers (masks or probabilities); received a "
                f"tensor of dtype {dtype}. Convert it first, e.g. with keras.ops.cast."
            )
        return x
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: {name} must be an array of numbers; received {x!r:.80}") from exc
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{where}: {name} must hold numbers (masks or probabilities); received an array of "
            f"dtype {array.dtype} ({np.ravel(array)[:3].tolist()!r:.60}...). Convert it first, "
            "e.g. np.asarray(y, dtype='float32')."
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(
            f"{where}: {name} holds NaN or infinite values; Dice needs values in [0, 1]. "
            "Check the model's output or the masks."
        )
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(
            f"{where}: {name} holds values from {array.min():.4g} to {array.max():.4g}; Dice "
            "needs values in [0, 1] (masks of 0/1, probabilities). Scale masks with "
            "y / 255, or add activation='sigmoid' to the output layer."
        )
    return array


def _prepare(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """Tensors of one float dtype and compatible shapes, or a ValueError naming both shapes."""
    y_true = _check_values("y_true", y_true, "dice_coef")
    y_pred = ops.convert_to_tensor(_check_values("y_pred", y_pred, "dice_coef"))
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
        smooth: Added to numerator and denominator (the notes use 1.0). A number
            in [0, 1e6].

    Returns:
        A scalar tensor (``float(...)`` gives a Python number). 1 means perfect
        overlap. Two empty masks (both all zero) give 1, also with ``smooth=0``,
        where the formula would be 0 / 0.

    Raises:
        ValueError: The shapes differ (the message gives both); ``smooth`` is
            negative, above 1e6 or not finite; or NumPy / list input holds NaN,
            infinities or values outside [0, 1]. (Tensors inside ``fit`` are not
            checked for values: a compiled graph cannot raise on them.)
        TypeError: ``smooth`` is not a number, or an input holds strings or
            other non-numbers.

    Example:
        >>> import numpy as np
        >>> mask = np.array([[0.0, 1.0], [1.0, 1.0]])
        >>> float(dice_coef(mask, mask))
        1.0
        >>> round(float(dice_coef(mask, np.zeros((2, 2)))), 4)  # (0 + 1) / (3 + 0 + 1)
        0.25
        >>> float(dice_coef(np.zeros((2, 2)), np.zeros((2, 2)), smooth=0))  # empty masks agree
        1.0
        >>> dice_coef(np.array(["1", "0"]), np.array([1.0, 0.0]))
        Traceback (most recent call last):
        ...
        TypeError: dice_coef: y_true must hold numbers (masks or probabilities); ...
        >>> dice_coef(np.ones((2, 3)), np.ones((3, 2)))
        Traceback (most recent call last):
        ...
        ValueError: dice_coef needs y_true and y_pred of the same shape; received y_true with shape (2, 3) and y_pred with shape (3, 2). ...
    """
    smooth = _check_smooth(smooth, "dice_coef")
    y_true, y_pred = _prepare(y_true, y_pred)
    numerator = 2.0 * ops.sum(y_true * y_pred) + smooth
    denominator = ops.sum(y_true) + ops.sum(y_pred) + smooth
    # Only two empty masks with smooth=0 make 0 / 0: they agree, so the value is 1
    # (what any smooth > 0 gives). The safe denominator keeps NaN out of the gradient.
    empty = ops.equal(denominator, 0.0)
    safe = ops.where(empty, ops.ones_like(denominator), denominator)
    return ops.where(empty, ops.ones_like(denominator), numerator / safe)


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
        ValueError: Shape mismatch, a bad ``smooth`` or values outside [0, 1], as in
            :func:`dice_coef`.
        TypeError: ``smooth`` is not a number, or an input holds non-numbers.

    Example:
        >>> import numpy as np
        >>> y = np.array([[1.0, 0.0, 1.0, 0.0]])
        >>> float(dice_loss(y, y))
        0.0
        >>> round(float(dice_loss(y, 1 - y)), 4)  # (0 + 1) / (2 + 2 + 1) = 0.2
        0.8
    """
    return 1.0 - dice_coef(y_true, y_pred, smooth=smooth)
