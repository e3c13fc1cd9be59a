"""``predict_classes``: what Keras 2's removed ``Sequential.predict_classes`` did.

Keras 2 computed ``proba = model.predict(x)`` and then returned
``proba.argmax(axis=-1)`` when the output had more than one unit, or
``(proba > 0.5).astype("int32")`` for a single (sigmoid) unit, keeping that
unit's axis, so a binary model gave shape ``(N, 1)``. It existed only on
``Sequential``. Keras 3 removed it; :func:`predict_classes` brings it back for any
model (Sequential or functional) and :func:`classes_from_probs` applies the same
rule to probabilities you already have.

Example:
    >>> import numpy as np
    >>> from kerasnotes.predict import classes_from_probs
    >>> classes_from_probs(np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]]))
    array([1, 0])
    >>> classes_from_probs(np.array([[0.2], [0.9]]))
    array([[0],
           [1]])
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = ["classes_from_probs", "predict_classes"]


def _check_threshold(threshold: Any) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number in [0, 1]; received threshold={threshold!r}.")
    value = float(threshold)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(
            f"threshold must be in [0, 1] (a probability; Keras 2 used 0.5); "
            f"received threshold={threshold!r}."
        )
    return value


def classes_from_probs(probs: Any, threshold: float = 0.5) -> np.ndarray:
    """Turn predicted probabilities into class indices, with Keras 2's rule.

    More than one unit on the last axis: ``argmax`` over it (shape loses the
    last axis). One unit: ``(p > threshold)`` as integers, shape kept (``(N, 1)``,
    as Keras 2 returned; ``.ravel()`` gives ``(N,)``).

    Args:
        probs: Array-like of probabilities, at least 1-D; the last axis holds the
            units. A single-unit output must lie in [0, 1].
        threshold: Cut-off for a single unit; strictly greater counts as class 1.
            A number in [0, 1]. Ignored for multi-unit outputs.

    Returns:
        An ``int64`` NumPy array of class indices.

    Raises:
        TypeError: ``probs`` is not numeric or ragged (e.g. a multi-output
            model's list of arrays of different shapes), or ``threshold`` is not a number.
        ValueError: ``probs`` is 0-D, has no units or no rows, contains NaN, or a
            single unit lies outside [0, 1] (logits, not probabilities); or
            ``threshold`` is outside [0, 1].

    Example:
        >>> classes_from_probs([[0.3], [0.5], [0.51]])  # strictly greater than 0.5
        array([[0],
               [0],
               [1]])
        >>> classes_from_probs([[0.3], [0.5]], threshold=0.25).ravel()
        array([1, 1])
        >>> classes_from_probs([[2.3], [-1.0]])
        Traceback (most recent call last):
        ...
        ValueError: a single output unit must hold probabilities in [0, 1]; ...
    """
    threshold = _check_threshold(threshold)
    try:
        p = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"probs must be a numeric array of probabilities; received {type(probs).__name__} "
            f"({exc})."
        ) from exc
    if p.ndim == 0 or p.shape[-1] == 0 or p.size == 0:
        raise ValueError(
            "probs must have at least one row and one unit on its last axis, e.g. shape "
            f"(N, n_classes) or (N, 1); received shape {p.shape}."
        )
    if np.isnan(p).any():
        rows = int(np.isnan(p).reshape(-1, p.shape[-1]).any(axis=-1).sum())
        raise ValueError(
            f"probs contains NaN in {rows} row(s) of shape {p.shape}: the model diverged or "
            "the input holds NaN; a class cannot be chosen."
        )
    if p.shape[-1] > 1:
        return np.argmax(p, axis=-1).astype(np.int64)
    low, high = float(p.min()), float(p.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            "a single output unit must hold probabilities in [0, 1]; received values in "
            f"[{low:.4g}, {high:.4g}]. The model outputs logits (no sigmoid): add "
            "activation='sigmoid' to its last layer, or use (logits > 0).astype(int)."
        )
    return (p > threshold).astype(np.int64)


def predict_classes(
    model: Any,
    x: Any,
    threshold: float = 0.5,
    batch_size: int | None = None,
    verbose: int | str = 0,
) -> np.ndarray:
    """Class indices predicted by ``model`` for ``x``, as Keras 2's ``predict_classes``.

    Runs ``model.predict(x, batch_size=batch_size, verbose=verbose)`` and applies
    :func:`classes_from_probs`: ``argmax`` over the last axis for more than one
    output unit, ``(p > threshold)`` for a single sigmoid unit (shape ``(N, 1)``,
    as Keras 2). Works for Sequential and functional models with one output.

    Args:
        model: A Keras model (anything with a ``predict`` method).
        x: Input data, anything ``model.predict`` accepts.
        threshold: Cut-off for a single-unit output, in [0, 1] (default 0.5).
        batch_size: Passed to ``predict``; ``None`` or an integer >= 1.
        verbose: Passed to ``predict`` (0 = silent, the default here).

    Returns:
        An ``int64`` NumPy array: ``(N,)`` for multi-unit outputs, ``(N, 1)`` for one unit.

    Raises:
        TypeError: ``model`` has no ``predict`` (e.g. an array was passed: use
            :func:`classes_from_probs`), the model has several outputs, or
            ``threshold`` / ``batch_size`` has the wrong type.
        ValueError: Bad ``threshold`` or ``batch_size`` value, or the prediction
            cannot be turned into classes (see :func:`classes_from_probs`).

    Example:
        >>> import numpy as np, keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
        >>> model.set_weights([np.array([[1.0, 0, 0], [0, 0, 1.0]]), np.zeros(3)])
        >>> predict_classes(model, np.array([[5.0, 0.0], [0.0, 5.0]]))
        array([0, 2])
    """
    if not callable(getattr(model, "predict", None)):
        raise TypeError(
            "predict_classes() needs a Keras model as its first argument (something with "
            f".predict); received {type(model).__name__}. For an array of probabilities use "
            "kerasnotes.predict.classes_from_probs(probs, threshold)."
        )
    threshold = _check_threshold(threshold)
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral)
    ):
        raise TypeError(
            f"batch_size must be None or an int >= 1; received batch_size={batch_size!r}."
        )
    if batch_size is not None and batch_size < 1:
        raise ValueError(
            f"batch_size must be None or an int >= 1; received batch_size={batch_size!r}."
        )
    probs = model.predict(x, batch_size=batch_size, verbose=verbose)
    if isinstance(probs, (list, tuple, dict)):
        raise TypeError(
            f"the model has {len(probs)} outputs, so predict() returned a {type(probs).__name__}; "
            "predict_classes() handles one output. Call classes_from_probs() on the output "
            "you want, e.g. classes_from_probs(model.predict(x)[0])."
        )
    return classes_from_probs(probs, threshold=threshold)
