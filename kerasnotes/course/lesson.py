"""Small tools the course notebooks use to show, and check, what old code does now.

A lesson runs the notes' old idiom, prints the real error Keras 3 raises, and
asserts that it *did* raise: if a future Keras release brings the old idiom
back, the notebook fails instead of silently teaching something false.

Example:
    >>> from kerasnotes.course.lesson import expect_error
    >>> with expect_error(ZeroDivisionError, match="division"):
    ...     1 / 0
    ZeroDivisionError: division by zero
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["CaughtError", "Timer", "expect_error", "expect_warning", "timed"]


@dataclass
class CaughtError:
    """What :func:`expect_error` caught: the exception and its first line."""

    exception: BaseException | None = None
    message: str = ""

    @property
    def first_line(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


def _check_type(exc_type: type[BaseException] | tuple[type[BaseException], ...]) -> None:
    types = exc_type if isinstance(exc_type, tuple) else (exc_type,)
    if not types or not all(isinstance(t, type) and issubclass(t, BaseException) for t in types):
        raise TypeError(
            "expect_error() needs an exception class (or a tuple of them); "
            f"received {exc_type!r}. Example: expect_error(AttributeError)."
        )


@contextmanager
def expect_error(
    exc_type: type[BaseException] | tuple[type[BaseException], ...] = Exception,
    match: str | None = None,
    *,
    full: bool = False,
) -> Iterator[CaughtError]:
    """Run old code, print the error it raises now, and fail if it raises none.

    Args:
        exc_type: The exception class (or tuple of classes) the code must raise.
        match: Optional regular expression that must be found in the message.
        full: Print the whole message instead of its first line.

    Yields:
        A :class:`CaughtError` filled in once the block has raised.

    Raises:
        AssertionError: If the block raised nothing, raised another type, or the
            message does not match ``match``. The notebook then stops here, which
            is the point: the lesson's claim is no longer true.

    Example:
        >>> with expect_error(KeyError) as caught:
        ...     {}["acc"]
        KeyError: 'acc'
        >>> caught.first_line
        "'acc'"
    """
    _check_type(exc_type)
    caught = CaughtError()
    try:
        yield caught
    except exc_type as exc:  # noqa: B902 - the caller chooses the type
        caught.exception = exc
        caught.message = str(exc)
        text = caught.message if full else caught.first_line
        print(f"{type(exc).__name__}: {text}")
        if match is not None and not re.search(match, caught.message):
            raise AssertionError(
                f"the error was raised, but its message does not match {match!r}; "
                f"received: {caught.message!r}"
            ) from exc
    except Exception as exc:
        raise AssertionError(
            f"expected {_names(exc_type)}, but the code raised {type(exc).__name__}: {exc}"
        ) from exc
    else:
        raise AssertionError(
            f"expected {_names(exc_type)}, but the code ran without error: "
            "this Keras version may have changed, so the lesson needs updating"
        )


@contextmanager
def expect_warning(
    category: type[Warning] = Warning, match: str | None = None
) -> Iterator[list[warnings.WarningMessage]]:
    """Run code that must warn; print the warning and fail if there is none.

    Args:
        category: The warning class expected (subclasses count).
        match: Optional regular expression that must be found in the message.

    Yields:
        The list of all warnings recorded in the block.

    Raises:
        AssertionError: If no matching warning was emitted.

    Example:
        >>> import warnings
        >>> with expect_warning(UserWarning, match="ignored"):
        ...     warnings.warn("decay is ignored", UserWarning)
        UserWarning: decay is ignored
    """
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield record
    hits = [
        w
        for w in record
        if issubclass(w.category, category) and (match is None or re.search(match, str(w.message)))
    ]
    if not hits:
        seen = [f"{w.category.__name__}: {w.message}" for w in record] or ["nothing"]
        raise AssertionError(
            f"expected a {category.__name__}"
            + (f" matching {match!r}" if match else "")
            + f"; the code emitted: {'; '.join(seen)}"
        )
    for w in hits:
        print(f"{w.category.__name__}: {str(w.message).splitlines()[0]}")


@dataclass
class Timer:
    """Wall-clock seconds of a ``with timed():`` block (``seconds`` is set on exit)."""

    seconds: float = float("nan")
    _start: float = field(default=0.0, repr=False)


@contextmanager
def timed() -> Iterator[Timer]:
    """Measure a block's wall-clock time.

    Example:
        >>> with timed() as t:
        ...     _ = sum(range(1000))
        >>> t.seconds >= 0
        True
    """
    timer = Timer(_start=time.perf_counter())
    try:
        yield timer
    finally:
        timer.seconds = time.perf_counter() - timer._start


def _names(exc_type: type[BaseException] | tuple[type[BaseException], ...]) -> str:
    types = exc_type if isinstance(exc_type, tuple) else (exc_type,)
    return " or ".join(t.__name__ for t in types)
