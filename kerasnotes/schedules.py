"""Learning-rate schedules from the notes: step decay and time-based decay.

Two kinds of object live here:

* :func:`step_decay` and :func:`time_based_decay` return plain Python
  callables ``f(epoch, lr=None) -> float`` for
  ``keras.callbacks.LearningRateScheduler`` (one value per *epoch*), computed
  in Python floats.
* :class:`StepDecay` and :class:`TimeBasedDecay` are
  ``keras.optimizers.schedules.LearningRateSchedule`` subclasses, passed as an
  optimizer's ``learning_rate`` (one value per *update step*). They are
  registered with ``keras.saving.register_keras_serializable(package="kerasnotes")``
  when this module is imported, so a model compiled with them saves to
  ``.keras`` and reloads with plain ``keras.saving.load_model``.

This module imports Keras (``import kerasnotes`` alone does not: the package
root loads it on first use of ``kerasnotes.step_decay``). Every value is finite
or the call raises a ``ValueError`` / ``TypeError`` naming the argument.

Example:
    >>> from kerasnotes.schedules import step_decay, time_based_decay
    >>> f = step_decay(initial_lr=0.1, drop=0.5, epochs_drop=10)
    >>> [f(e) for e in (0, 8, 9, 18, 19)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
    >>> g = time_based_decay(0.1, decay=0.5)
    >>> [round(g(t), 6) for t in range(4)]
    [0.1, 0.066667, 0.05, 0.04]

    The per-step class (this imports Keras): with 100 batches per epoch, update
    step 900 is the first step of epoch index 9, where the notes' schedule drops.

    >>> from kerasnotes.schedules import StepDecay
    >>> s = StepDecay(0.1, 0.5, 10, steps_per_epoch=100)
    >>> [round(float(s(step)), 6) for step in (0, 899, 900)]
    [0.1, 0.1, 0.05]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import keras
from keras import ops

from kerasnotes._validation import check_int, check_real

__all__ = [
    "StepDecay",
    "TimeBasedDecay",
    "plot_schedule",
    "register_keras_objects",
    "step_decay",
    "time_based_decay",
]

# The Keras classes compute in float32: their rates must be representable there.
_FLOAT32_MAX = 3.4028234663852886e38
_DROP_HINT = "drop is the factor applied at each drop, in (0, 1]; 0.5 halves the rate."
_SHIFT_HINT = "1 = the notes' formula, 0 = the textbook one."
_TIME_HINT = "Keras counts epochs and steps from 0."
_STEPS_HINT = "1 = the schedule counts update steps; N = it counts epochs of N steps."


# --------------------------------------------------------------------------- validation


def _lr(name: str, value: Any, where: str, maximum: float | None = None) -> float:
    return check_real(name, value, positive=True, maximum=maximum, where=where)


def _drop(value: Any, where: str) -> float:
    return check_real("drop", value, positive=True, maximum=1.0, where=where, hint=_DROP_HINT)


def _epochs_drop(value: Any, where: str) -> float:
    return check_real("epochs_drop", value, positive=True, where=where)


def _decay(value: Any, where: str) -> float:
    hint = "0 keeps the rate constant."
    return check_real("decay", value, minimum=0.0, where=where, hint=hint)


def _shift(value: Any, where: str) -> int:
    return check_int("shift", value, minimum=0, maximum=10**9, where=where, hint=_SHIFT_HINT)


def _time(name: str, value: Any, where: str) -> float:
    return check_real(name, value, minimum=0.0, where=where, hint=_TIME_HINT)


def _step_decay_value(initial_lr: float, drop: float, epochs_drop: float, shift: float) -> float:
    """``initial_lr * drop ** floor(shift / epochs_drop)`` without overflow.

    A quotient too large for a float (``epochs_drop=5e-324``) means "infinitely many
    drops": the rate is 0 for ``drop < 1`` and ``initial_lr`` for ``drop == 1``.
    """
    quotient = shift / epochs_drop
    if not math.isfinite(quotient):
        return initial_lr if drop == 1.0 else 0.0
    return float(initial_lr * drop ** float(math.floor(quotient)))


# --------------------------------------------------------------------------- per-epoch functions


class _StepDecayFunction:
    """The callable :func:`step_decay` returns (picklable, with a readable repr)."""

    __name__ = "step_decay"

    def __init__(self, initial_lr: float, drop: float, epochs_drop: float, shift: int) -> None:
        self.initial_lr = initial_lr
        self.drop = drop
        self.epochs_drop = epochs_drop
        self.shift = shift

    def __call__(self, epoch: float, lr: float | None = None) -> float:
        epoch = _time("epoch", epoch, "step_decay")
        return _step_decay_value(self.initial_lr, self.drop, self.epochs_drop, self.shift + epoch)

    @property
    def first_drop_epoch(self) -> int:
        """0-based index of the first epoch after the first drop (exponent 1; lower rate if drop < 1)."""
        return max(math.ceil(self.epochs_drop) - self.shift, 0)

    def to_keras(self, steps_per_epoch: int = 1) -> Any:
        """The same schedule as a per-step ``StepDecay`` (imports Keras)."""
        return StepDecay(
            self.initial_lr, self.drop, self.epochs_drop, steps_per_epoch, shift=self.shift
        )

    def __repr__(self) -> str:
        extra = "" if self.shift == 1 else f", shift={self.shift}"
        return (
            f"step_decay(initial_lr={self.initial_lr!r}, drop={self.drop!r}, "
            f"epochs_drop={self.epochs_drop!r}{extra})"
        )


class _TimeBasedDecayFunction:
    """The callable :func:`time_based_decay` returns."""

    __name__ = "time_based_decay"

    def __init__(self, initial_lr: float, decay: float) -> None:
        self.initial_lr = initial_lr
        self.decay = decay

    def __call__(self, t: float, lr: float | None = None) -> float:
        t = _time("t", t, "time_based_decay")
        return self.initial_lr / (1.0 + self.decay * t)  # decay * t may be inf: the rate is 0

    def to_keras(self, steps_per_epoch: int = 1) -> Any:
        """The same schedule as a per-step ``TimeBasedDecay`` (imports Keras)."""
        return TimeBasedDecay(self.initial_lr, self.decay, steps_per_epoch)

    def __repr__(self) -> str:
        return f"time_based_decay(initial_lr={self.initial_lr!r}, decay={self.decay!r})"


def step_decay(
    initial_lr: float = 0.1, drop: float = 0.5, epochs_drop: float = 10.0, *, shift: int = 1
) -> Callable[..., float]:
    """The notes' drop-based schedule, ``initial_lr * drop ** floor((1 + epoch) / epochs_drop)``.

    The returned function has the signature ``f(epoch, lr=None) -> float`` that
    ``keras.callbacks.LearningRateScheduler`` calls at the start of every epoch
    with the 0-based epoch index (``lr``, the current rate, is ignored: the
    schedule is absolute).

    **The ``1 + epoch`` quirk.** Keras numbers epochs from 0, and the notes add 1
    before dividing. With the defaults, epochs 0-8 (the first 9 epochs) run at
    0.1, and the first drop happens at epoch index 9, i.e. the 10th epoch; after
    that the rate halves every 10 epochs (indices 19, 29, ...). So the first
    period is one epoch shorter than the others. The returned function's
    ``first_drop_epoch`` attribute gives that index. If you want "drop after
    every ``epochs_drop`` full epochs" (``initial_lr * drop ** floor(epoch /
    epochs_drop)``, first drop at index 10), pass ``shift=0``; that equals
    ``keras.optimizers.schedules.ExponentialDecay(initial_lr, epochs_drop, drop,
    staircase=True)`` evaluated at the epoch index.

    Args:
        initial_lr: Rate of the first epoch; > 0.
        drop: Factor applied at each drop, in (0, 1] (0.5 halves the rate).
        epochs_drop: Length of a period in epochs; > 0 (may be fractional).
        shift: Added to the epoch index before dividing: 1 (default) is the
            notes' formula, 0 the textbook one. Keyword-only, integer >= 0.

    Returns:
        A picklable callable ``f(epoch, lr=None) -> float`` with attributes
        ``initial_lr``, ``drop``, ``epochs_drop``, ``shift``, ``first_drop_epoch``
        and a method ``to_keras(steps_per_epoch)`` giving the per-step
        ``StepDecay`` equivalent. Calling it with a negative or non-finite epoch
        raises ``ValueError``; with a non-number, ``TypeError``.

    Raises:
        ValueError: ``initial_lr <= 0``, ``drop`` not in (0, 1], ``epochs_drop <= 0``,
            a non-finite value, or a negative ``shift``; the message names the
            argument and the value received.
        TypeError: An argument is not a real number.

    Example:
        >>> f = step_decay(0.1, 0.5, 10.0)
        >>> f(0), f(8), f(9), f(19)
        (0.1, 0.1, 0.05, 0.025)
        >>> f.first_drop_epoch
        9
        >>> step_decay(0.1, 0.5, 10.0, shift=0).first_drop_epoch
        10
        >>> step_decay(epochs_drop=5e-324)(1)  # so many drops that the rate underflows to 0
        0.0
        >>> step_decay(drop=1.5)
        Traceback (most recent call last):
        ...
        ValueError: step_decay: drop must be <= 1.0; received drop=1.5. drop is the factor ...
    """
    where = "step_decay"
    return _StepDecayFunction(
        _lr("initial_lr", initial_lr, where),
        _drop(drop, where),
        _epochs_drop(epochs_drop, where),
        _shift(shift, where),
    )


def time_based_decay(initial_lr: float, decay: float) -> Callable[..., float]:
    """Time-based decay, ``initial_lr / (1 + decay * t)``: what Keras 2's ``decay=`` did.

    Keras 2 optimizers applied ``lr / (1 + decay * iterations)`` with
    ``iterations`` counting *updates* (batches). Keras 3 dropped the argument
    (it warns and ignores it). This function gives the same curve for any
    counter ``t``: with ``LearningRateScheduler`` ``t`` is the epoch index (the
    notes' ``LearningRate * 1/(1 + decay * epoch)``, computed from the initial
    rate, not compounded); for the exact Keras 2 per-update behaviour use
    ``f.to_keras()`` (a ``TimeBasedDecay``) or
    ``keras.optimizers.schedules.InverseTimeDecay(initial_lr, decay_steps=1,
    decay_rate=decay)`` as the optimizer's ``learning_rate``.

    Args:
        initial_lr: The rate at ``t = 0``; > 0.
        decay: Decay per unit of ``t``; >= 0 (0 = constant rate).

    Returns:
        A picklable callable ``f(t, lr=None) -> float`` (``lr`` is ignored) with
        attributes ``initial_lr``, ``decay`` and a method ``to_keras(steps_per_epoch)``.

    Raises:
        ValueError: ``initial_lr <= 0``, ``decay < 0`` or a non-finite value; the
            message names the argument and the value received.
        TypeError: An argument is not a real number.

    Example:
        >>> f = time_based_decay(0.1, decay=0.001)
        >>> f(0), round(f(1000), 6)
        (0.1, 0.05)
        >>> time_based_decay(0.1, decay=-1)
        Traceback (most recent call last):
        ...
        ValueError: time_based_decay: decay must be >= 0.0; received decay=-1. 0 keeps the rate constant.
    """
    where = "time_based_decay"
    return _TimeBasedDecayFunction(_lr("initial_lr", initial_lr, where), _decay(decay, where))


# --------------------------------------------------------------------------- Keras classes


@keras.saving.register_keras_serializable(package="kerasnotes")
class StepDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Per-step :func:`step_decay`: ``lr0 * drop ** floor((shift + epoch) / epochs_drop)``.

    ``epoch = floor(step / steps_per_epoch)``. With ``steps_per_epoch=1`` every
    update counts as an "epoch"; with the real number of batches per epoch
    the optimizer follows exactly what ``LearningRateScheduler(step_decay(...))``
    sets, quirk included, and the schedule is saved with the model (registered as
    ``kerasnotes>StepDecay``). It computes in float32, so ``initial_learning_rate``
    must be at most 3.4e38; an ``epochs_drop`` so small that the exponent overflows
    gives a rate of 0 (or ``initial_learning_rate`` when ``drop == 1``).

    Args:
        initial_learning_rate: Rate of the first epoch; > 0.
        drop: Factor applied at each drop, in (0, 1].
        epochs_drop: Length of a period in epochs; > 0.
        steps_per_epoch: Update steps per epoch; an int >= 1.
        shift: Added to the epoch index before dividing (1 = the notes' formula).
        name: The schedule's name.

    Raises:
        ValueError: An argument is out of range or not finite (the message names it).
        TypeError: An argument is not a number.

    Example:
        >>> s = StepDecay(0.1, 0.5, 10, steps_per_epoch=100)
        >>> [round(float(s(step)), 6) for step in (0, 899, 900, 1900)]
        [0.1, 0.1, 0.05, 0.025]
        >>> StepDecay(steps_per_epoch=0)
        Traceback (most recent call last):
        ...
        ValueError: StepDecay: steps_per_epoch must be >= 1; received steps_per_epoch=0. ...
    """

    def __init__(
        self,
        initial_learning_rate: float = 0.1,
        drop: float = 0.5,
        epochs_drop: float = 10.0,
        steps_per_epoch: int = 1,
        shift: int = 1,
        name: str = "StepDecay",
    ) -> None:
        super().__init__()
        where = "StepDecay"
        self.initial_learning_rate = _lr(
            "initial_learning_rate", initial_learning_rate, where, _FLOAT32_MAX
        )
        self.drop = _drop(drop, where)
        self.epochs_drop = _epochs_drop(epochs_drop, where)
        self.steps_per_epoch = check_int(
            "steps_per_epoch", steps_per_epoch, minimum=1, where=where, hint=_STEPS_HINT
        )
        self.shift = _shift(shift, where)
        self.name = name

    def __call__(self, step: Any) -> Any:
        step = ops.cast(step, "float32")
        epoch = ops.floor(step / float(self.steps_per_epoch))
        # float64, and 0 epochs stays exponent 0: a tiny epochs_drop must give neither
        # a float32 0 in the denominator nor 0 / 0 = NaN (it overflows to inf instead)
        numerator = ops.cast(epoch + float(self.shift), "float64")
        quotient = ops.where(numerator > 0, numerator / self.epochs_drop, 0.0)
        exponent = ops.cast(ops.floor(quotient), "float32")
        factor = ops.power(ops.convert_to_tensor(self.drop, "float32"), exponent)
        return ops.multiply(ops.convert_to_tensor(self.initial_learning_rate, "float32"), factor)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "drop": self.drop,
            "epochs_drop": self.epochs_drop,
            "steps_per_epoch": self.steps_per_epoch,
            "shift": self.shift,
            "name": self.name,
        }


@keras.saving.register_keras_serializable(package="kerasnotes")
class TimeBasedDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Per-step :func:`time_based_decay`: ``lr0 / (1 + decay * floor(step / steps_per_epoch))``.

    With ``steps_per_epoch=1`` (default) this is Keras 2's ``decay=`` argument,
    and equals ``InverseTimeDecay(lr0, decay_steps=1, decay_rate=decay)``. Saved
    with the model, registered as ``kerasnotes>TimeBasedDecay``.

    Args:
        initial_learning_rate: The rate at step 0; > 0 and at most 3.4e38 (float32).
        decay: Decay per epoch of ``steps_per_epoch`` steps; >= 0.
        steps_per_epoch: Update steps per unit of ``t``; an int >= 1.
        name: The schedule's name.

    Raises:
        ValueError: An argument is out of range or not finite (the message names it).
        TypeError: An argument is not a number.

    Example:
        >>> s = TimeBasedDecay(0.1, decay=1.0)
        >>> [round(float(s(step)), 6) for step in (0, 1, 3)]
        [0.1, 0.05, 0.025]
    """

    def __init__(
        self,
        initial_learning_rate: float = 0.1,
        decay: float = 0.0,
        steps_per_epoch: int = 1,
        name: str = "TimeBasedDecay",
    ) -> None:
        super().__init__()
        where = "TimeBasedDecay"
        self.initial_learning_rate = _lr(
            "initial_learning_rate", initial_learning_rate, where, _FLOAT32_MAX
        )
        self.decay = _decay(decay, where)
        self.steps_per_epoch = check_int(
            "steps_per_epoch", steps_per_epoch, minimum=1, where=where, hint=_STEPS_HINT
        )
        self.name = name

    def __call__(self, step: Any) -> Any:
        step = ops.cast(step, "float32")
        t = ops.floor(step / float(self.steps_per_epoch))
        lr0 = ops.convert_to_tensor(self.initial_learning_rate, "float32")
        # decay * t in float64 then cast: an overflow is inf, and lr0 / inf is 0, not NaN
        denominator = ops.cast(1.0 + ops.cast(t, "float64") * self.decay, "float32")
        return ops.divide(lr0, denominator)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay": self.decay,
            "steps_per_epoch": self.steps_per_epoch,
            "name": self.name,
        }


def register_keras_objects() -> dict[str, type]:
    """Return ``StepDecay`` / ``TimeBasedDecay`` by their registered names.

    Importing this module registers both classes with Keras, so a saved model that
    uses them reloads with plain ``keras.saving.load_model`` once
    ``kerasnotes.schedules`` is imported. The result also works as ``custom_objects``.

    Returns:
        ``{"kerasnotes>StepDecay": StepDecay, "kerasnotes>TimeBasedDecay": TimeBasedDecay}``.

    Example:
        >>> objects = register_keras_objects()
        >>> sorted(objects)
        ['kerasnotes>StepDecay', 'kerasnotes>TimeBasedDecay']
        >>> keras.saving.get_registered_object("kerasnotes>StepDecay") is StepDecay
        True
    """
    return {f"kerasnotes>{cls.__name__}": cls for cls in (StepDecay, TimeBasedDecay)}


# --------------------------------------------------------------------------- plotting


def _schedule_values(schedule: Any, epochs: list[int]) -> list[float]:
    import numpy as np

    is_keras_schedule = isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule)
    values = []
    for e in epochs:
        if is_keras_schedule:
            value = schedule(e)
        else:
            try:
                value = schedule(e, None)
            except TypeError:
                value = schedule(e)
        values.append(float(np.asarray(value)))
    return values


def plot_schedule(
    schedule: Callable[..., Any] | Mapping[str, Callable[..., Any]],
    epochs: int | Iterable[int] = 50,
    *,
    ax: Any = None,
    title: str | None = None,
    log: bool = False,
) -> Any:
    """Plot one schedule, or several for comparison, as learning rate per epoch.

    Each epoch's rate is drawn as a flat step (the value Keras uses for that whole
    epoch), with a dot at the start of the epoch. For a :func:`step_decay`
    schedule, its first drop is marked, which makes the ``1 + epoch`` quirk visible;
    with several such schedules, each mark is named after its schedule, drawn in its
    colour, and placed one text line above the previous one so the marks stay readable.

    Args:
        schedule: A callable ``f(epoch)`` / ``f(epoch, lr)`` such as
            :func:`step_decay`'s result, a ``keras.optimizers.schedules.LearningRateSchedule``
            (called with the index as its step), or a mapping ``{label: schedule}``.
        epochs: Number of epochs (plots indices ``0 .. epochs-1``) or an iterable
            of non-negative integer indices.
        ax: A matplotlib Axes to draw into; a new Figure is made when ``None``.
        title: Axes title (default: the schedule's repr for a single schedule).
        log: Use a logarithmic y axis.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        ValueError: ``epochs`` is not a positive int / is empty / holds a
            negative or non-integer index, or a schedule returned a non-finite value.
        TypeError: ``schedule`` (or a mapping value) is not callable.

    Example:
        >>> fig = plot_schedule(step_decay(), epochs=30)
        >>> [round(float(v), 3) for v in fig.axes[0].lines[0].get_ydata()[8:11]]
        [0.1, 0.05, 0.05]
    """
    import matplotlib.pyplot as plt

    if isinstance(schedule, Mapping):
        items = list(schedule.items())
        if not items:
            raise ValueError(
                "schedule must be a callable or {label: schedule, ...}; received an empty mapping."
            )
    else:
        items = [(getattr(schedule, "__name__", None) or repr(schedule), schedule)]
    for label, s in items:
        if not callable(s):
            raise TypeError(
                f"schedule must be callable (e.g. step_decay()); received {type(s).__name__} "
                f"for {label!r}."
            )

    if isinstance(epochs, bool):
        raise ValueError(
            f"epochs must be a positive int or a list of indices; received {epochs!r}."
        )
    if isinstance(epochs, numbers.Integral):
        if epochs < 1:
            raise ValueError(f"epochs must be >= 1; received epochs={epochs!r}.")
        indices = list(range(int(epochs)))
    else:
        try:
            indices = list(cast(Iterable[int], epochs))
        except TypeError:
            indices = []
        bad = [
            e
            for e in indices
            if isinstance(e, bool) or not isinstance(e, numbers.Integral) or e < 0
        ]
        if not indices or bad:
            raise ValueError(
                "epochs must be a positive int or a non-empty list of integer indices >= 0; "
                f"received {epochs!r}."
            )
        indices = [int(e) for e in indices]

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.5))
    else:
        fig = ax.figure
    n_marked = 0  # first-drop labels drawn so far: each new one goes one text line higher
    for label, s in items:
        values = _schedule_values(s, indices)
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"schedule {label!r} returned a non-finite learning rate: {values}")
        (line,) = ax.plot(indices, values, drawstyle="steps-post", label=str(label))
        ax.plot(indices, values, "o", ms=3, color=line.get_color())
        first = getattr(s, "first_drop_epoch", None)
        if isinstance(s, _StepDecayFunction) and first in indices:
            ax.axvline(first, color=line.get_color(), ls=":", lw=1)
            text = f"first drop: epoch index {first}"
            if len(items) > 1:  # several schedules: say whose drop it is, in its colour
                text = f"{label}: {text}"
            ax.annotate(
                text,
                (first, values[indices.index(first)]),
                textcoords="offset points",
                xytext=(6, 8 + 12 * n_marked),
                fontsize=8,
                color=line.get_color(),
            )
            n_marked += 1
    ax.set_xlabel("epoch index (0-based, as Keras passes it)")
    ax.set_ylabel("learning rate")
    if log:
        ax.set_yscale("log")
    if len(items) > 1:
        ax.legend()
    ax.set_title(title if title is not None else (repr(items[0][1]) if len(items) == 1 else ""))
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
