"""Find the custom objects a saved model's config refers to, using Keras' tables only.

Private to :mod:`kerasnotes.saving`. The config is walked as plain JSON: nothing in it is
deserialized, imported or run. A name counts as custom when Keras 3 has no built-in of
that name (layers, models, optimizers, schedules, initializers, regularizers,
constraints, losses, metrics, activations, dtype policies).
"""

from __future__ import annotations

import inspect as _pyinspect
from typing import Any

__all__ = ["Scanner"]

# Config markers that are not objects.
SPECIAL_CLASS_NAMES = {
    "__keras_tensor__",
    "__tensor__",
    "__numpy__",
    "__typespec__",
    "__bytes__",
    "__ellipsis__",
    "__slice__",
    "__tuple__",
    "__lambda__",
}
COMPILE_KEYS = ("compile_config", "training_config")
METRIC_SPECIAL_NAMES = {"accuracy", "acc", "crossentropy", "ce"}
# Keys Keras 2 wrote into built-in layer configs that Keras 3 accepts or kerasnotes translates.
_KERAS2_LAYER_KEYS = (
    "batch_input_shape",
    "input_length",
    "time_major",
    "groups",
    "weights",
    "input_dim",
    "input_shape",
    "batch_size",
    "implementation",
    "alpha",  # LeakyReLU / ELU: Keras 3 still takes it (as negative_slope)
)
# Registered by kerasnotes itself when it translates a Keras 2 file: never asked of the user.
OWN_TRANSLATION_NAMES = {"kerasnotes>keras2_hard_sigmoid"}


class Scanner:
    """Walk a config and collect non-built-in names. Uses Keras' tables, never the file's code."""

    def __init__(self, keras2: bool = False) -> None:
        import keras

        self.keras = keras
        self.keras2 = keras2
        self.names: list[str] = []
        self.model_names: set[str] = set()
        self.lambdas: list[str] = []
        self._known_classes: set[str] | None = None

    def known_class(self, name: str) -> bool:
        if self._known_classes is None:
            k = self.keras
            spaces = [
                k.layers,
                k.models,
                k.optimizers,
                k.optimizers.schedules,
                k.initializers,
                k.regularizers,
                k.constraints,
                k.losses,
                k.metrics,
                k.dtype_policies,
            ]
            known = {"Functional", "Sequential", "Model"}
            for space in spaces:
                known.update(n for n in dir(space) if n[:1].isupper())
            self._known_classes = known
        return name in self._known_classes

    def _fn_known(self, getter: Any, name: str) -> bool:
        try:
            return getter(name) is not None
        except (ValueError, TypeError, KeyError):
            return False

    def add(self, name: str, in_compile: bool) -> None:
        if self.keras2 and name in OWN_TRANSLATION_NAMES:  # put there by the translation
            return
        if name not in self.names:
            self.names.append(name)
        if not in_compile:
            self.model_names.add(name)

    def scan(self, obj: Any, in_compile: bool = False, key: str = "", kind: str = "") -> None:
        if isinstance(obj, list):
            for item in obj:
                self.scan(item, in_compile, key, kind)
            return
        if isinstance(obj, str):
            self._scan_string(obj, in_compile, kind)
            return
        if not isinstance(obj, dict):
            return
        if "class_name" in obj and isinstance(obj["class_name"], str):
            self._scan_object(obj, in_compile)
        for k, v in obj.items():
            if k in COMPILE_KEYS:
                self.scan(v, True, k, "")
            elif k in ("loss", "metrics", "weighted_metrics") and in_compile:
                self.scan(v, in_compile, k, "loss" if k == "loss" else "metric")
            elif k in ("activation", "recurrent_activation") and isinstance(v, str):
                self._scan_string(v, in_compile, "activation")
            elif isinstance(v, (dict, list)):
                self.scan(v, in_compile, k, kind if k not in ("config",) else "")

    def _scan_string(self, s: str, in_compile: bool, kind: str) -> None:
        k = self.keras
        if not kind:
            return
        if ">" in s:  # a registered name, e.g. 'kerasnotes>dice_coef'
            self.add(s, in_compile)
            return
        if kind == "loss":
            known = self._fn_known(k.losses.get, s)
        elif kind == "metric":
            known = s in METRIC_SPECIAL_NAMES or self._fn_known(k.metrics.get, s)
        else:
            known = self._fn_known(k.activations.get, s)
        if not known:
            self.add(s, in_compile)

    def _scan_object(self, obj: dict[str, Any], in_compile: bool) -> None:
        cls = obj["class_name"]
        if cls == "Lambda":
            fn = (
                obj.get("config", {}).get("function")
                if isinstance(obj.get("config"), dict)
                else None
            )
            if isinstance(fn, dict) and fn.get("class_name") == "__lambda__":
                self.lambdas.append(str(obj["config"].get("name", "?")))
        if cls in SPECIAL_CLASS_NAMES:
            return
        module = obj.get("module")
        registered = obj.get("registered_name")
        if cls == "function" and module == "builtins":
            name = obj.get("config")
            if isinstance(name, str):
                known = ">" not in name and any(
                    self._fn_known(getter, name)
                    for getter in (
                        self.keras.activations.get,
                        self.keras.losses.get,
                        self.keras.metrics.get,
                    )
                )
                if not known:
                    self.add(name, in_compile)
            return
        if isinstance(registered, str) and ">" in registered:
            self.add(registered, in_compile)
            return
        if isinstance(module, str) and (module == "keras" or module.startswith("keras.")):
            return
        if "module" in obj or "registered_name" in obj:  # Keras 3 config of a custom class
            self.add(registered if isinstance(registered, str) and registered else cls, in_compile)
            return
        if ">" in cls or not self.known_class(cls):  # legacy (Keras 2 style) config
            self.add(cls, in_compile)
        elif self.keras2 and not in_compile and self._foreign_layer(cls, obj.get("config")):
            self.add(cls, in_compile)

    def _foreign_layer(self, cls: str, config: Any) -> bool:
        """A Keras 2 layer config naming a Keras 3 layer (``"Attention"``) but holding
        arguments that layer never takes (``"units"``): the user's own class of that name."""
        layer = getattr(self.keras.layers, cls, None)
        if cls == "Lambda" or not isinstance(config, dict) or not isinstance(layer, type):
            return False
        accepted = set(_KERAS2_LAYER_KEYS)
        for klass in layer.__mro__:
            init = klass.__dict__.get("__init__")
            if init is not None:
                try:
                    accepted.update(_pyinspect.signature(init).parameters)
                except (TypeError, ValueError):
                    return False
        return bool(set(config) - accepted)
