"""Argument checks shared by every module: one owner for "a real number, not a bool".

Each check raises ``TypeError`` for the wrong kind of value and ``ValueError`` for
a value out of range, and its message names the function, the argument, the
value received and what to pass instead, in one format:
``"<function>: <argument> <rule>; received <argument>=<value>. <hint>"``.

Example:
    >>> check_real("drop", 0.5, where="step_decay")
    0.5
    >>> check_int("shift", True, where="step_decay")
    Traceback (most recent call last):
    ...
    TypeError: step_decay: shift must be an int, not bool; received shift=True.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["check_int", "check_real", "check_timeout"]


def _fail(
    kind: type[Exception], name: str, value: Any, rule: str, where: str | None, hint: str
) -> Exception:
    """The one message format: ``where: name <rule>; received name=value. hint``."""
    head = f"{where}: " if where else ""
    tail = f" {hint}" if hint else ""
    return kind(f"{head}{name} {rule}; received {name}={value!r}.{tail}")


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    where: str | None = None,
    hint: str = "",
) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not a bool) within the bounds.

    Args:
        name: The argument's name, for the message.
        value: What the caller passed.
        minimum: Smallest allowed value, or None.
        maximum: Largest allowed value, or None.
        where: The public function's name, for the message.
        hint: The fix, appended to the message (e.g. what the argument means).

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
        ValueError: file_batches: batch_size must be >= 1; received batch_size=0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(TypeError, name, value, f"must be an int, not {_kind(value)}", where, hint)
    result = int(value)
    if minimum is not None and result < minimum:
        raise _fail(ValueError, name, value, f"must be >= {minimum}", where, hint)
    if maximum is not None and result > maximum:
        raise _fail(ValueError, name, value, f"must be <= {maximum}", where, hint)
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
    hint: str = "",
) -> float:
    """Return ``value`` as a ``float`` if it is a real number (not a bool) within the bounds.

    Args:
        name: The argument's name, for the message.
        value: What the caller passed.
        minimum: Smallest allowed value (inclusive), or None.
        maximum: Largest allowed value (inclusive), or None.
        positive: Require ``value > 0``.
        finite: Refuse NaN and infinities (and integers too large for a float).
        where: The public function's name, for the message.
        hint: The fix, appended to the message (e.g. what the argument means).

    Returns:
        ``float(value)``.

    Raises:
        TypeError: If ``value`` is a bool or not a real number.
        ValueError: If ``value`` is not finite (when ``finite``) or out of bounds.

    Example:
        >>> check_real("lr", 10**400, where="step_decay")
        Traceback (most recent call last):
        ...
        ValueError: step_decay: lr must be a finite number; received lr=1000...
        >>> check_real("drop", 1.5, positive=True, maximum=1, hint="0.5 halves the rate.")
        Traceback (most recent call last):
        ...
        ValueError: drop must be <= 1; received drop=1.5. 0.5 halves the rate.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(
            TypeError, name, value, f"must be a real number, not {_kind(value)}", where, hint
        )
    try:
        result = float(value)
    except OverflowError:  # an int beyond 1.8e308
        result = -math.inf if value < 0 else math.inf
    if finite and not math.isfinite(result):
        raise _fail(ValueError, name, value, "must be a finite number", where, hint)
    if positive and not result > 0:
        raise _fail(ValueError, name, value, "must be > 0", where, hint)
    if minimum is not None and result < minimum:
        raise _fail(ValueError, name, value, f"must be >= {minimum}", where, hint)
    if maximum is not None and result > maximum:
        raise _fail(ValueError, name, value, f"must be <= {maximum}", where, hint)
    return result


def _kind(value: Any) -> str:
    return type(value).__name__


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
