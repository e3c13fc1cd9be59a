"""Argument checks shared by every module: one owner for "a real number, not a bool".

Each check raises ``TypeError`` for the wrong kind of value and ``ValueError`` for
a value out of range, and its message names the function, the argument, the
value received and what to pass instead.

Example:
    >>> check_real("drop", 0.5, where="step_decay")
    0.5
    >>> check_int("epochs_drop", True, where="step_decay")
    Traceback (most recent call last):
    ...
    TypeError: step_decay(epochs_drop=...) expects an int, received True (bool)
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["check_int", "check_real", "check_timeout"]


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _label(name: str, where: str | None) -> str:
    return f"{where}({name}=...)" if where else name


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    where: str | None = None,
) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not a bool) within the bounds.

    Args:
        name: The argument's name, for the message.
        value: What the caller passed.
        minimum: Smallest allowed value, or None.
        maximum: Largest allowed value, or None.
        where: The public function's name, for the message.

    Returns:
        ``int(value)`` (NumPy integers are accepted).

    Raises:
        TypeError: If ``value`` is a bool or not an integer.
        ValueError: If ``value`` is out of bounds.

    Example:
        >>> import numpy as np
        >>> check_int("batch_size", np.int64(32), minimum=1)
        32
        >>> check_int("batch_size", 0, minimum=1, where="file_batches")
        Traceback (most recent call last):
        ...
        ValueError: file_batches(batch_size=...) must be >= 1, received 0
    """
    label = _label(name, where)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{label} expects an int, received {_describe(value)}")
    result = int(value)
    if minimum is not None and result < minimum:
        raise ValueError(f"{label} must be >= {minimum}, received {result}")
    if maximum is not None and result > maximum:
        raise ValueError(f"{label} must be <= {maximum}, received {result}")
    return result


def check_real(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    finite: bool = True,
    where: str | None = None,
) -> float:
    """Return ``value`` as a ``float`` if it is a real number (not a bool) within the bounds.

    Args:
        name: The argument's name, for the message.
        value: What the caller passed.
        minimum: Smallest allowed value (inclusive), or None.
        maximum: Largest allowed value (inclusive), or None.
        positive: Require ``value > 0``.
        finite: Refuse NaN and infinities.
        where: The public function's name, for the message.

    Returns:
        ``float(value)``.

    Raises:
        TypeError: If ``value`` is a bool or not a real number.
        ValueError: If ``value`` is not finite (when ``finite``) or out of bounds.

    Example:
        >>> check_real("lr", float("nan"), where="step_decay")
        Traceback (most recent call last):
        ...
        ValueError: step_decay(lr=...) must be a finite number, received nan
    """
    label = _label(name, where)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{label} expects a real number, received {_describe(value)}")
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(f"{label} is too large for a float, received {value!r}") from None
    if finite and not math.isfinite(result):
        raise ValueError(f"{label} must be a finite number, received {value!r}")
    if positive and not result > 0:
        raise ValueError(f"{label} must be > 0, received {value!r}")
    if minimum is not None and result < minimum:
        raise ValueError(f"{label} must be >= {minimum}, received {value!r}")
    if maximum is not None and result > maximum:
        raise ValueError(f"{label} must be <= {maximum}, received {value!r}")
    return result


def check_timeout(text: str | float, *, option: str = "--timeout") -> float:
    """Parse a timeout in seconds: a finite number > 0 (``inf``, ``nan``, ``0`` are refused).

    Args:
        text: The option's text (or a number).
        option: The option's name, for the message.

    Returns:
        The timeout in seconds.

    Raises:
        ValueError: If it is not a number, not finite, or not positive.

    Example:
        >>> check_timeout("2.5")
        2.5
        >>> check_timeout("inf")
        Traceback (most recent call last):
        ...
        ValueError: --timeout expects a finite number of seconds > 0, received 'inf'
    """
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{option} expects a number of seconds, received {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{option} expects a finite number of seconds > 0, received {text!r}")
    return value
