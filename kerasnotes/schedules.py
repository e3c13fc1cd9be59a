"""Learning-rate schedules from the notes: step decay and time-based decay.

Two kinds of object live here:

* :func:`step_decay` and :func:`time_based_decay` return plain Python
  callables ``f(epoch, lr=None) -> float`` for
  ``keras.callbacks.LearningRateScheduler`` (one value per *epoch*). They are
  pure Python: creating or calling them never imports Keras.
* ``StepDecay`` and ``TimeBasedDecay`` are
  ``keras.optimizers.schedules.LearningRateSchedule`` subclasses, passed as an
  optimizer's ``learning_rate`` (one value per *update step*). They are
  registered with ``keras.saving.register_keras_serializable(package="kerasnotes")``
  so a model compiled with them saves to ``.keras`` and reloads. They are built
  the first time they are used (``kerasnotes.schedules.StepDecay``), or at import
  time when Keras is already imported. A process that imports this module
  *before* Keras and then loads a saved model without touching the classes
  should call :func:`register_keras_objects` first.

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
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = [
    "StepDecay",  # noqa: F822 - built lazily by __getattr__
    "TimeBasedDecay",  # noqa: F822
    "plot_schedule",
    "register_keras_objects",
    "step_decay",
    "time_based_decay",
]

_KERAS_CLASS_NAMES = ("StepDecay", "TimeBasedDecay")
_keras_classes: dict[str, type] = {}


# --------------------------------------------------------------------------- validation


def _real(name: str, value: Any) -> float:
    """``value`` as a finite float, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; received {name}={value!r}.")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite; received {name}={value!r}.")
    return result


def _positive(name: str, value: Any, hint: str = "") -> float:
    result = _real(name, value)
    if result <= 0:
        raise ValueError(f"{name} must be > 0; received {name}={value!r}.{hint}")
    return result


def _check_drop(drop: Any) -> float:
    result = _real("drop", drop)
    if not 0 < result <= 1:
        raise ValueError(
            f"drop must be in (0, 1] (the factor the rate is multiplied by at each drop, "
            f"e.g. 0.5 halves it); received drop={drop!r}."
        )
    return result


def _check_decay(decay: Any) -> float:
    result = _real("decay", decay)
    if result < 0:
        raise ValueError(
            f"decay must be >= 0 (0 keeps the rate constant); received decay={decay!r}."
        )
    return result


def _check_shift(shift: Any) -> int:
    if isinstance(shift, bool) or not isinstance(shift, numbers.Integral) or shift < 0:
        raise ValueError(
            f"shift must be an integer >= 0 (1 = the notes' formula, 0 = the textbook one); "
            f"received shift={shift!r}."
        )
    return int(shift)


def _check_time(name: str, value: Any) -> float:
    result = _real(name, value)
    if result < 0:
        raise ValueError(
            f"{name} must be >= 0 (Keras counts epochs and steps from 0); "
            f"received {name}={value!r}."
        )
    return result


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
        epoch = _check_time("epoch", epoch)
        return self.initial_lr * self.drop ** math.floor((self.shift + epoch) / self.epochs_drop)

    @property
    def first_drop_epoch(self) -> int:
        """0-based index of the first epoch after the first drop (exponent 1; lower rate if drop < 1)."""
        return max(math.ceil(self.epochs_drop) - self.shift, 0)

    def to_keras(self, steps_per_epoch: int = 1) -> Any:
        """The same schedule as a per-step ``StepDecay`` (imports Keras)."""
        return _get_class("StepDecay")(
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
        t = _check_time("t", t)
        return self.initial_lr / (1.0 + self.decay * t)

    def to_keras(self, steps_per_epoch: int = 1) -> Any:
        """The same schedule as a per-step ``TimeBasedDecay`` (imports Keras)."""
        return _get_class("TimeBasedDecay")(self.initial_lr, self.decay, steps_per_epoch)

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
        >>> step_decay(drop=1.5)
        Traceback (most recent call last):
        ...
        ValueError: drop must be in (0, 1] (...); received drop=1.5.
    """
    return _StepDecayFunction(
        _positive("initial_lr", initial_lr),
        _check_drop(drop),
        _positive("epochs_drop", epochs_drop),
        _check_shift(shift),
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
        ValueError: decay must be >= 0 (...); received decay=-1.
    """
    return _TimeBasedDecayFunction(_positive("initial_lr", initial_lr), _check_decay(decay))


# --------------------------------------------------------------------------- Keras classes


def _build_keras_classes() -> dict[str, type]:
    """Define and register the LearningRateSchedule subclasses (imports Keras once)."""
    if _keras_classes:
        return _keras_classes
    import keras
    from keras import ops

    def _steps(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(
                "steps_per_epoch must be an integer >= 1 (1 = the schedule counts update "
                f"steps; N = it counts epochs of N steps); received steps_per_epoch={value!r}."
            )
        return int(value)

    class StepDecay(keras.optimizers.schedules.LearningRateSchedule):
        """Per-step :func:`step_decay`: ``lr0 * drop ** floor((shift + epoch) / epochs_drop)``.

        ``epoch = floor(step / steps_per_epoch)``. With ``steps_per_epoch=1`` every
        update counts as an "epoch"; with the real number of batches per epoch
        the optimizer follows exactly what ``LearningRateScheduler(step_decay(...))``
        sets, quirk included, and the schedule is saved with the model.
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
            self.initial_learning_rate = _positive("initial_learning_rate", initial_learning_rate)
            self.drop = _check_drop(drop)
            self.epochs_drop = _positive("epochs_drop", epochs_drop)
            self.steps_per_epoch = _steps(steps_per_epoch)
            self.shift = _check_shift(shift)
            self.name = name

        def __call__(self, step: Any) -> Any:
            step = ops.cast(step, "float32")
            epoch = ops.floor(step / float(self.steps_per_epoch))
            exponent = ops.floor((epoch + float(self.shift)) / self.epochs_drop)
            factor = ops.power(ops.convert_to_tensor(self.drop, "float32"), exponent)
            return ops.multiply(
                ops.convert_to_tensor(self.initial_learning_rate, "float32"), factor
            )

        def get_config(self) -> dict[str, Any]:
            return {
                "initial_learning_rate": self.initial_learning_rate,
                "drop": self.drop,
                "epochs_drop": self.epochs_drop,
                "steps_per_epoch": self.steps_per_epoch,
                "shift": self.shift,
                "name": self.name,
            }

    class TimeBasedDecay(keras.optimizers.schedules.LearningRateSchedule):
        """Per-step :func:`time_based_decay`: ``lr0 / (1 + decay * floor(step / steps_per_epoch))``.

        With ``steps_per_epoch=1`` (default) this is Keras 2's ``decay=`` argument,
        and equals ``InverseTimeDecay(lr0, decay_steps=1, decay_rate=decay)``.
        """

        def __init__(
            self,
            initial_learning_rate: float = 0.1,
            decay: float = 0.0,
            steps_per_epoch: int = 1,
            name: str = "TimeBasedDecay",
        ) -> None:
            super().__init__()
            self.initial_learning_rate = _positive("initial_learning_rate", initial_learning_rate)
            self.decay = _check_decay(decay)
            self.steps_per_epoch = _steps(steps_per_epoch)
            self.name = name

        def __call__(self, step: Any) -> Any:
            step = ops.cast(step, "float32")
            t = ops.floor(step / float(self.steps_per_epoch))
            lr0 = ops.convert_to_tensor(self.initial_learning_rate, "float32")
            return ops.divide(lr0, 1.0 + ops.convert_to_tensor(self.decay, "float32") * t)

        def get_config(self) -> dict[str, Any]:
            return {
                "initial_learning_rate": self.initial_learning_rate,
                "decay": self.decay,
                "steps_per_epoch": self.steps_per_epoch,
                "name": self.name,
            }

    for cls in (StepDecay, TimeBasedDecay):
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
        keras.saving.register_keras_serializable(package="kerasnotes")(cls)
        _keras_classes[cls.__name__] = cls
        globals()[cls.__name__] = cls
    return _keras_classes


def _get_class(name: str) -> type:
    return _build_keras_classes()[name]


def register_keras_objects() -> dict[str, type]:
    """Build and register ``StepDecay`` / ``TimeBasedDecay``; return them by registered name.

    Needed only when this module was imported before Keras and a saved model
    using these schedules is loaded before either class was touched. Calling it
    again is harmless.

    Returns:
        ``{"kerasnotes>StepDecay": StepDecay, "kerasnotes>TimeBasedDecay": TimeBasedDecay}``,
        also usable as ``custom_objects``.

    Raises:
        ImportError: Keras is not installed.

    Example:
        >>> sorted(register_keras_objects())
        ['kerasnotes>StepDecay', 'kerasnotes>TimeBasedDecay']
    """
    return {f"kerasnotes>{name}": cls for name, cls in _build_keras_classes().items()}


def __getattr__(name: str) -> Any:
    if name in _KERAS_CLASS_NAMES:
        return _get_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


# Keras already loaded (the usual case when a model is being loaded): register now,
# so keras.saving.load_model finds the classes without any further call.
if "keras" in sys.modules:
    _build_keras_classes()


# --------------------------------------------------------------------------- plotting


def _schedule_values(schedule: Any, epochs: list[int]) -> list[float]:
    import numpy as np

    is_keras_schedule = False
    if "keras" in sys.modules:  # only a Keras user can hold a LearningRateSchedule
        from keras.optimizers.schedules import LearningRateSchedule

        is_keras_schedule = isinstance(schedule, LearningRateSchedule)
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
            indices = list(epochs)
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
