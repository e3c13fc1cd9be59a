"""Load saved models and explain, precisely, why one does not load.

``keras.saving.load_model`` fails in ways that send learners in circles: a
missing custom loss is reported as ``TypeError: string indices must be
integers`` for ``.h5`` files; a ``Lambda`` layer is refused by ``safe_mode``;
``custom_objects={'tf': tf}``, the classic fix, is silently ignored for Python
lambdas; a legacy ``.h5`` compiled with ``loss='mse'`` cannot be reloaded at all.
This module wraps it:

- :func:`load_model`: the same call, plus: kerasnotes' own objects (``dice_coef``,
  the schedules) always resolve; failures become one error saying what is
  missing and what to pass; ``safe_mode`` is never turned off behind your back,
  and when *you* pass ``safe_mode=False``, your ``custom_objects`` reach the
  lambda's globals (what the notes expected).
- :func:`required_custom_objects` / :func:`saved_model_info`: what a file needs,
  read from its JSON config without deserializing or running anything.

Example:
    >>> import tempfile, pathlib, keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.keras"
    >>> model.save(path)
    >>> required_custom_objects(path)
    []
    >>> x = np.ones((2, 3), "float32")
    >>> np.allclose(load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
    True
"""

from __future__ import annotations

import importlib
import inspect as _pyinspect
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "MissingCustomObjectsError",
    "SavedModelInfo",
    "UnsafeLambdaError",
    "load_model",
    "required_custom_objects",
    "saved_model_info",
]

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# Modules of kerasnotes that register serializable objects; load_model imports them.
_REGISTERING_MODULES = ("kerasnotes.metrics", "kerasnotes.schedules")
# Config markers that are not objects.
_SPECIAL_CLASS_NAMES = {
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
_COMPILE_KEYS = ("compile_config", "training_config")
_METRIC_SPECIAL_NAMES = {"accuracy", "acc", "crossentropy", "ce"}
# Short loss aliases that Keras 3 cannot reload from a legacy .h5 training config.
_H5_BROKEN_LOSS_ALIASES = {"mse", "mae", "mape", "msle"}


class MissingCustomObjectsError(ValueError):
    """The file refers to custom functions/classes that were not given.

    Attributes:
        missing: The names to pass in ``custom_objects`` (as Keras looks them up).
        compile_only: ``True`` when only the loss/metrics/optimizer need them, so
            ``compile=False`` loads the model.
        path: The file.
    """

    def __init__(self, message: str, missing: list[str], compile_only: bool, path: str) -> None:
        super().__init__(message)
        self.missing = missing
        self.compile_only = compile_only
        self.path = path


class UnsafeLambdaError(ValueError):
    """The file has a ``Lambda`` layer holding Python bytecode and ``safe_mode`` is on.

    Attributes:
        layers: Names of the ``Lambda`` layers whose function is a Python lambda.
        path: The file.
    """

    def __init__(self, message: str, layers: list[str], path: str) -> None:
        super().__init__(message)
        self.layers = layers
        self.path = path


@dataclass
class SavedModelInfo:
    """What :func:`saved_model_info` read from a saved model's config.

    Attributes:
        path: The file.
        format: ``"keras"`` (Keras 3 zip) or ``"h5"`` (legacy HDF5).
        keras_version: Version that wrote the file, if recorded.
        custom_objects: Non-built-in names, in first-seen order, as Keras looks
            them up (``"focal_loss"``, ``"MyLayer"``, ``"kerasnotes>dice_coef"``).
        compile_only: The subset of ``custom_objects`` used only by the compile /
            training config (loss, metrics, optimizer, schedule).
        lambda_layers: Names of ``Lambda`` layers whose function is a Python
            lambda (bytecode in the file; never decoded here).
        h5_loss_aliases: Short loss names (``"mse"``...) in a legacy ``.h5``
            training config, which Keras 3 fails to reload (keras3-facts row 8b).
    """

    path: str
    format: str
    keras_version: str | None = None
    custom_objects: list[str] = field(default_factory=list)
    compile_only: list[str] = field(default_factory=list)
    lambda_layers: list[str] = field(default_factory=list)
    h5_loss_aliases: list[str] = field(default_factory=list)


def _check_path(path: Any, where: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"{where}: path must be a file path (str or pathlib.Path); "
            f"received {type(path).__name__}: {path!r}"
        )
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{where}: no such file: {str(p)!r}")
    if p.is_dir():
        hint = (
            " It looks like a TensorFlow SavedModel: Keras 3 cannot load_model() it; use "
            "keras.layers.TFSMLayer(path, call_endpoint='serve') for inference."
            if (p / "saved_model.pb").is_file()
            else ""
        )
        raise ValueError(
            f"{where}: {str(p)!r} is a folder; a saved model is a .keras or .h5 file.{hint}"
        )
    return p


def _read_config(p: Path, where: str) -> tuple[str, dict[str, Any], str | None]:
    """Return ``(format, config_dict, keras_version)`` from the file, without deserializing."""
    with open(p, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(p) as z:
                names = z.namelist()
                if "config.json" not in names:
                    raise ValueError(
                        f"{where}: {str(p)!r} is a zip file but not a Keras model: it has no "
                        f"config.json (it contains {names[:8]}). Save models with "
                        "model.save('name.keras')."
                    )
                config = json.loads(z.read("config.json").decode("utf-8"))
                version = None
                if "metadata.json" in names:
                    version = json.loads(z.read("metadata.json").decode("utf-8")).get(
                        "keras_version"
                    )
        except (zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError) as exc:
            raise ValueError(
                f"{where}: {str(p)!r} is not a readable .keras file: the zip archive is "
                f"damaged or truncated ({type(exc).__name__}: {exc}). Save it again."
            ) from exc
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: {str(p)!r} has an invalid config.json ({exc}).") from exc
        if not isinstance(config, dict):
            raise ValueError(f"{where}: {str(p)!r} has a config.json that is not an object.")
        return "keras", config, version
    if head == _HDF5_SIGNATURE:
        import h5py

        try:
            with h5py.File(p, "r") as f:
                attrs = {
                    k: f.attrs[k]
                    for k in ("model_config", "training_config", "keras_version")
                    if k in f.attrs
                }
                groups = list(f.keys())[:8]
        except OSError as exc:
            raise ValueError(
                f"{where}: {str(p)!r} is not a readable HDF5 file ({exc}); it may be truncated."
            ) from exc
        if "model_config" not in attrs:
            raise ValueError(
                f"{where}: {str(p)!r} is an HDF5 file without a model config (it holds "
                f"{groups}): probably weights only (save_weights). Build the model in code, "
                "then model.load_weights(path)."
            )

        def text(v: Any) -> str:
            return v.decode("utf-8") if isinstance(v, bytes) else str(v)

        try:
            config = {"model_config": json.loads(text(attrs["model_config"]))}
            if "training_config" in attrs:
                config["training_config"] = json.loads(text(attrs["training_config"]))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: {str(p)!r} has an invalid model_config ({exc}).") from exc
        version = text(attrs["keras_version"]) if "keras_version" in attrs else None
        return "h5", config, version
    raise ValueError(
        f"{where}: {str(p)!r} is not a Keras model file: it starts with {head!r}, which is "
        "neither a .keras zip archive nor an HDF5 (.h5) file."
    )


class _Scanner:
    """Walk a config and collect non-built-in names. Uses Keras' tables, never the file's code."""

    def __init__(self) -> None:
        import keras

        self.keras = keras
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
            if k in _COMPILE_KEYS:
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
            known = s in _METRIC_SPECIAL_NAMES or self._fn_known(k.metrics.get, s)
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
        if cls in _SPECIAL_CLASS_NAMES:
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


def saved_model_info(path: str | os.PathLike[str]) -> SavedModelInfo:
    """Describe what a saved ``.keras`` / ``.h5`` model needs, without loading it.

    Reads only JSON: the ``.keras`` zip's ``config.json`` (and ``metadata.json``),
    or the ``.h5`` file's ``model_config`` / ``training_config`` attributes. No
    object is deserialized and no code from the file is run or even decoded
    (a ``Lambda``'s bytecode is only noted).

    Args:
        path: The saved model.

    Returns:
        A :class:`SavedModelInfo`.

    Raises:
        TypeError: ``path`` is not a path.
        FileNotFoundError: No such file.
        ValueError: Not a Keras model file (garbage, truncated, another zip,
            a weights-only ``.h5``, a SavedModel folder); the message says what it found.

    Example:
        >>> import tempfile, pathlib, keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(loss="mse")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.h5"
        >>> model.save(path)
        >>> saved_model_info(path).h5_loss_aliases
        ['mse']
    """
    p = _check_path(path, "saved_model_info")
    fmt, config, version = _read_config(p, "saved_model_info")
    scanner = _Scanner()
    scanner.scan(config)
    aliases: list[str] = []
    if fmt == "h5":
        loss = config.get("training_config", {}).get("loss")
        losses = (
            loss
            if isinstance(loss, list)
            else list(loss.values())
            if isinstance(loss, dict)
            else [loss]
        )
        aliases = [s for s in losses if isinstance(s, str) and s in _H5_BROKEN_LOSS_ALIASES]
    return SavedModelInfo(
        path=str(p),
        format=fmt,
        keras_version=version,
        custom_objects=list(scanner.names),
        compile_only=[n for n in scanner.names if n not in scanner.model_names],
        lambda_layers=scanner.lambdas,
        h5_loss_aliases=aliases,
    )


def required_custom_objects(path: str | os.PathLike[str]) -> list[str]:
    """List the non-built-in names a saved model refers to, without loading it.

    The names are the keys Keras looks up in ``custom_objects``: a plain function
    saved by name (``"focal_loss"``; for a closure-style loss, the *inner*
    function's name), a custom class (``"MyLayer"``), or a registered name
    (``"package>name"``, which resolves once the module that registers it is
    imported). Python-lambda ``Lambda`` layers are not names; see
    :func:`saved_model_info`. Nothing from the file is deserialized or run.

    Args:
        path: A ``.keras`` or ``.h5`` model file.

    Returns:
        The names, in the order first seen in the config (empty when the model
        uses only Keras built-ins).

    Raises:
        TypeError: ``path`` is not a path.
        FileNotFoundError: No such file.
        ValueError: Not a Keras model file; the message says what it found.

    Example:
        >>> import tempfile, pathlib, keras
        >>> def focal_loss(y_true, y_pred):
        ...     return keras.ops.mean(keras.ops.square(y_true - y_pred))
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(loss=focal_loss, metrics=["mae"])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.keras"
        >>> model.save(path)
        >>> required_custom_objects(path)
        ['focal_loss']
    """
    return saved_model_info(path).custom_objects


@contextmanager
def _lambda_globals(custom_objects: Mapping[str, Any]) -> Iterator[None]:
    """While loading, give Python-lambda Lambda layers ``custom_objects`` as globals.

    Keras rebuilds a lambda with ``keras.src.utils.python_utils.func_load``, whose
    globals are that module's globals (keras3-facts row 9c), so names such as
    ``tf`` are missing. This swaps ``func_load`` for one that adds
    ``custom_objects`` to a *copy* of those globals, and restores it on exit.
    """
    try:
        from keras.src.layers.core import lambda_layer
        from keras.src.utils import python_utils
    except ImportError as exc:
        raise RuntimeError(
            "kerasnotes.load_model: cannot give custom_objects to Lambda layers with this Keras "
            f"version: the private modules it patches have moved ({exc}). Rebuild the model in "
            "code and use model.load_weights(path) instead."
        ) from exc
    original = getattr(python_utils, "func_load", None)
    ok = (
        callable(original)
        and getattr(lambda_layer, "python_utils", None) is python_utils
        and "globs" in _pyinspect.signature(original).parameters
    )
    if not ok:
        raise RuntimeError(
            "kerasnotes.load_model: cannot give custom_objects to Lambda layers with this Keras "
            "version: keras.src.utils.python_utils.func_load(code, ..., globs) has changed. "
            "Rebuild the model in code and use model.load_weights(path) instead."
        )
    base = dict(vars(python_utils))

    def func_load(code: Any, defaults: Any = None, closure: Any = None, globs: Any = None) -> Any:
        scope = dict(base if globs is None else globs)
        scope.update(custom_objects)
        return original(code, defaults=defaults, closure=closure, globs=scope)

    python_utils.func_load = func_load
    try:
        yield
    finally:
        python_utils.func_load = original


def _import_registering_modules() -> None:
    for name in _REGISTERING_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module not written yet must not break loading
            continue
        # A module imported before Keras defers its Keras classes; this builds and
        # registers them, so files saved with them load in any import order.
        register = getattr(module, "register_keras_objects", None)
        if register is not None:
            register()


def load_model(
    path: str | os.PathLike[str],
    custom_objects: Mapping[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Load a ``.keras`` or legacy ``.h5`` model, and explain failures precisely.

    It calls ``keras.saving.load_model`` with your arguments, after importing
    kerasnotes' modules that register objects (so a model using ``dice_coef``
    or the kerasnotes schedules loads with no ``custom_objects``). It never
    changes ``safe_mode`` itself and never writes to the file.

    When you pass ``safe_mode=False`` (trusting the file), ``custom_objects`` are
    also made visible as globals of Python-lambda ``Lambda`` layers, so the
    notes' ``custom_objects={'tf': tf, 'H': H, 'W': W}`` works (plain Keras 3
    ignores them there and fails with ``NameError: name 'tf' is not defined``).
    This uses a scoped patch of a private Keras function, undone on return.

    Args:
        path: The ``.keras`` or ``.h5`` file.
        custom_objects: ``{name: function_or_class}`` for what the file needs
            (see :func:`required_custom_objects`).
        compile: Restore the loss, metrics and optimizer (``False``: inference only).
        safe_mode: Refuse Python-lambda bytecode in the file (keep ``True`` unless
            you trust the file).

    Returns:
        The ``keras.Model``.

    Raises:
        TypeError: A wrong argument type.
        FileNotFoundError: No such file (the message names it).
        ValueError: Not a Keras model (garbage, truncated, another zip, weights
            only, a folder), with what was found; or the legacy-``.h5``
            ``loss='mse'`` bug of Keras 3, explained with its fixes.
        MissingCustomObjectsError: Custom functions/classes the file needs were not
            given; lists them, the ``custom_objects={...}`` to pass, and whether
            ``compile=False`` suffices.
        UnsafeLambdaError: A Python-lambda ``Lambda`` layer with ``safe_mode=True``;
            says what ``safe_mode`` protects against and how to opt out.
        RuntimeError: ``safe_mode=False`` with ``custom_objects`` on a Keras version
            whose private lambda loader has moved.

    Example:
        >>> import tempfile, pathlib, keras, numpy as np
        >>> from kerasnotes.metrics import dice_coef
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="sigmoid")])
        >>> model.compile(loss="binary_crossentropy", metrics=[dice_coef])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "dice.keras"
        >>> model.save(path)
        >>> reloaded = load_model(path)  # no custom_objects needed for kerasnotes' own
        >>> x = np.ones((1, 4), "float32")
        >>> np.allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
        True
    """
    where = "load_model"
    if custom_objects is not None and not isinstance(custom_objects, Mapping):
        raise TypeError(
            f"{where}: custom_objects must be a dict {{name: object}}; received "
            f"{type(custom_objects).__name__}: {custom_objects!r}"
        )
    if custom_objects is not None:
        bad = [k for k in custom_objects if not isinstance(k, str)]
        if bad:
            raise TypeError(f"{where}: custom_objects keys must be strings; received {bad!r}")
    for name, value in (("compile", compile), ("safe_mode", safe_mode)):
        if not isinstance(value, bool):
            raise TypeError(f"{where}: {name} must be True or False; received {value!r}")
    p = _check_path(path, where)
    fmt, _, _ = _read_config(p, where)  # garbage / truncated / other zips: a clear ValueError
    suffix = p.suffix.lower()
    if (fmt == "keras" and suffix != ".keras") or (fmt == "h5" and suffix not in (".h5", ".hdf5")):
        want = ".keras" if fmt == "keras" else ".h5"
        raise ValueError(
            f"{where}: {str(p)!r} is a {want} model but its name ends in {suffix or 'nothing'!r}; "
            f"Keras chooses the reader by extension. Copy it to a name ending in {want} "
            "(kerasnotes never renames or modifies your file)."
        )

    import keras

    _import_registering_modules()
    objects = dict(custom_objects or {})
    try:
        if not safe_mode and objects:
            with _lambda_globals(objects):
                return keras.saving.load_model(
                    p, custom_objects=objects, compile=compile, safe_mode=False
                )
        return keras.saving.load_model(
            p, custom_objects=objects, compile=compile, safe_mode=safe_mode
        )
    except RuntimeError:
        raise
    except Exception as exc:
        better = _explain(p, objects, compile, safe_mode, exc)
        if better is None:
            raise
        raise better from exc


def _module_of(name: str) -> str:
    obj = importlib.import_module("keras").saving.get_registered_object(f"kerasnotes>{name}")
    return str(getattr(obj, "__module__", "kerasnotes.metrics")).rsplit(".", 1)[-1]


def _explain(
    p: Path, objects: dict[str, Any], compile: bool, safe_mode: bool, exc: BaseException
) -> Exception | None:
    try:
        info = saved_model_info(p)
    except Exception:  # the file was readable a moment ago; keep Keras' own error
        return None
    import keras

    message = str(exc)
    if info.lambda_layers and safe_mode and "Lambda" in message:
        return UnsafeLambdaError(
            f"load_model: {str(p)!r} has Lambda layer(s) {info.lambda_layers} holding a Python "
            "lambda saved as bytecode. safe_mode=True refuses to load it because loading runs "
            "that bytecode with your privileges: a file from an untrusted source could execute "
            "arbitrary code. kerasnotes never turns safe_mode off for you. If you trust the "
            "file: load_model(path, safe_mode=False, custom_objects={...}) and put in "
            "custom_objects every global the lambda uses, e.g. {'tf': tf, 'H': H, 'W': W} (with "
            "kerasnotes.load_model they reach the lambda; plain Keras ignores them). Safer: "
            "replace the Lambda by a built-in layer (e.g. keras.layers.Resizing) or a registered "
            "custom layer, or rebuild the model in code and call model.load_weights(path)."
            + (
                f" The file also needs custom objects: {info.custom_objects}."
                if info.custom_objects
                else ""
            ),
            layers=list(info.lambda_layers),
            path=str(p),
        )

    def available(name: str) -> bool:
        if name in objects or keras.saving.get_registered_object(name) is not None:
            return True
        return ">" not in name and any(k.endswith(">" + name) for k in objects)

    missing = [n for n in info.custom_objects if not available(n)]
    if not compile:
        missing = [n for n in missing if n not in info.compile_only]
    if missing:
        compile_only = compile and all(n in info.compile_only for n in missing)
        pairs = ", ".join(f"{n!r}: {n.split('>')[-1]}" for n in missing)
        text = (
            f"load_model: {str(p)!r} needs custom objects that are not available: {missing}. "
            f"Define or import them, then pass custom_objects={{{pairs}}} (the values are your "
            "Python functions/classes), or decorate them with "
            "@keras.saving.register_keras_serializable() and import their module before loading."
        )
        if any(">" in n for n in missing):
            text += (
                " Names like 'package>name' were registered when saved: importing the module "
                "that registers them is enough."
            )
        ours = [
            n
            for n in missing
            if ">" not in n and keras.saving.get_registered_object(f"kerasnotes>{n}") is not None
        ]
        if ours:
            hints = ", ".join(f"{n!r}: kerasnotes.{_module_of(n)}.{n}" for n in ours)
            text += (
                f" kerasnotes has the notes' version of {ours}: if the file used the same "
                f"formula, pass custom_objects={{{hints}}}."
            )
        if compile_only:
            text += (
                " Only the loss/metrics/optimizer use them, so compile=False is enough to load "
                "the model for predict(); call model.compile(...) yourself to train."
            )
        else:
            text += " The model's layers use them, so compile=False does not help."
        if info.lambda_layers and safe_mode:
            text += (
                f" Note: the file also has Python-lambda Lambda layer(s) {info.lambda_layers}, "
                "which safe_mode=True will refuse next (see UnsafeLambdaError)."
            )
        return MissingCustomObjectsError(text, missing, compile_only, str(p))

    if info.format == "h5" and info.h5_loss_aliases and compile and "KerasSaveable" in message:
        alias = info.h5_loss_aliases[0]
        return ValueError(
            f"load_model: {str(p)!r} is a legacy .h5 model compiled with loss={alias!r}, and "
            "Keras 3 cannot rebuild that short alias from an .h5 training config (a known Keras 3 "
            f"bug; Keras said: {message.splitlines()[0]}). Fixes: load_model(path, "
            "compile=False) then model.compile(...) again; or pass custom_objects="
            f"{{{alias!r}: keras.losses.get({alias!r})}}; or re-save the model as .keras. "
            "kerasnotes does not change this behaviour silently."
        )
    return None
