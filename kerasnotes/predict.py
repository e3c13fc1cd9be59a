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

from typing import Any

import numpy as np

from kerasnotes._validation import check_int, check_real

__all__ = ["classes_from_probs", "predict_classes"]


def _check_threshold(threshold: Any, where: str) -> float:
    return check_real(
        "threshold",
        threshold,
        minimum=0.0,
        maximum=1.0,
        where=where,
        hint="It is a probability; Keras 2 used 0.5.",
    )


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
    threshold = _check_threshold(threshold, "classes_from_probs")
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
        return np.asarray(np.argmax(p, axis=-1), dtype=np.int64)
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
        An ``int64`` NumPy array with one class per sample: ``(N,)`` for
        multi-unit outputs, ``(N, 1)`` for one unit, and ``(N,)`` for an output of
        shape ``(N,)`` (one value per sample, thresholded). For 0 samples, an empty
        array of that shape (``(0,)`` or ``(0, 1)``), without calling ``predict``.

    Raises:
        TypeError: ``model`` has no ``predict`` (e.g. an array was passed: use
            :func:`classes_from_probs`), ``x`` is None, the model has several
            outputs, or ``threshold`` / ``batch_size`` has the wrong type.
        ValueError: Bad ``threshold`` or ``batch_size`` value, 0 samples for a
            model whose output shape is unknown, or the prediction cannot be
            turned into classes (see :func:`classes_from_probs`).

    Example:
        >>> import numpy as np, keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
        >>> model.set_weights([np.array([[1.0, 0, 0], [0, 0, 1.0]]), np.zeros(3)])
        >>> predict_classes(model, np.array([[5.0, 0.0], [0.0, 5.0]]))
        array([0, 2])
        >>> predict_classes(model, np.zeros((0, 2)))
        array([], dtype=int64)
    """
    if not callable(getattr(model, "predict", None)):
        raise TypeError(
            "predict_classes() needs a Keras model as its first argument (something with "
            f".predict); received {type(model).__name__}. For an array of probabilities use "
            "kerasnotes.predict.classes_from_probs(probs, threshold)."
        )
    where = "predict_classes"
    threshold = _check_threshold(threshold, where)
    if batch_size is not None:
        check_int("batch_size", batch_size, minimum=1, where=where, hint="None = Keras' default.")
    if x is None:
        raise TypeError(
            "predict_classes: x is None; pass the input samples, e.g. an array of shape "
            "(N, ...) matching the model's input."
        )
    rows = _rows(x)
    if rows == 0:
        return _no_rows(model)
    probs = model.predict(x, batch_size=batch_size, verbose=verbose)
    if isinstance(probs, (list, tuple, dict)):
        raise TypeError(
            f"the model has {len(probs)} outputs, so predict() returned a {type(probs).__name__}; "
            "predict_classes() handles one output. Call classes_from_probs() on the output "
            "you want, e.g. classes_from_probs(model.predict(x)[0])."
        )
    probs = np.asarray(probs)
    if probs.ndim == 1:
        # one value per sample (an output of shape (N,)): a single unit, one class per row
        return classes_from_probs(probs[:, None], threshold=threshold)[:, 0]
    return classes_from_probs(probs, threshold=threshold)


def _rows(x: Any) -> int | None:
    """The number of samples in ``x`` when it is an array (None for datasets, generators...)."""
    if isinstance(x, (list, tuple)) and len(x) == 0:
        return 0
    shape = getattr(x, "shape", None)
    if not shape:  # no shape (lists, datasets, generators) or a 0-d array: predict decides
        return None
    try:
        return int(shape[0])
    except (TypeError, ValueError):  # a symbolic batch dimension
        return None


def _no_rows(model: Any) -> np.ndarray:
    """What predict_classes returns for 0 samples: an empty array shaped like a real answer."""
    shape = getattr(model, "output_shape", None)
    if isinstance(shape, tuple) and shape and all(d is None or isinstance(d, int) for d in shape):
        if len(shape) == 1:
            return np.zeros((0,), np.int64)
        units = shape[-1]
        return np.zeros((0,) + tuple(shape[1:-1]) + (() if units != 1 else (1,)), np.int64)
    raise ValueError(
        "predict_classes: x has 0 rows and the model's output shape is unknown, so the "
        "shape of an empty answer cannot be told; pass at least one sample."
    )
