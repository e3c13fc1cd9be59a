"""kerasnotes: the helpers of a course that runs classic Keras notes on Keras 3.

Importing this package is instant: it imports neither TensorFlow, Keras,
matplotlib nor pydot. Each public name is loaded from its module the first time
it is used, so ``kerasnotes doctor`` works even where TensorFlow is broken.

Example:
    >>> import kerasnotes
    >>> f = kerasnotes.step_decay(initial_lr=0.1, drop=0.5, epochs_drop=10)
    >>> f(0), f(9)
    (0.1, 0.05)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what editors and type checkers see; at run time __getattr__ loads them
    from kerasnotes.data import load_mnist
    from kerasnotes.metrics import dice_coef, dice_loss
    from kerasnotes.predict import predict_classes
    from kerasnotes.saving import load_model, required_custom_objects
    from kerasnotes.schedules import step_decay, time_based_decay
    from kerasnotes.viz import check_plot_model, plot_history, plot_model

__version__ = "0.1.0"

# public name -> module that defines it (one concept per module)
_EXPORTS: dict[str, str] = {
    "step_decay": "schedules",
    "time_based_decay": "schedules",
    "dice_coef": "metrics",
    "dice_loss": "metrics",
    "load_model": "saving",
    "required_custom_objects": "saving",
    "check_plot_model": "viz",
    "plot_model": "viz",
    "plot_history": "viz",
    "predict_classes": "predict",
    "load_mnist": "data",
}

__all__ = [
    "check_plot_model",
    "dice_coef",
    "dice_loss",
    "load_mnist",
    "load_model",
    "plot_history",
    "plot_model",
    "predict_classes",
    "required_custom_objects",
    "step_decay",
    "time_based_decay",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'kerasnotes' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value  # cache: later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
