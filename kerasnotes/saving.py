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
import io
import json
import os
import shutil
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasnotes import _config_scan, _model_files

__all__ = [
    "Keras2TranslationWarning",
    "MissingCustomObjectsError",
    "SavedModelInfo",
    "UnsafeLambdaError",
    "load_model",
    "required_custom_objects",
    "saved_model_info",
]

# Modules of kerasnotes that register serializable objects; load_model imports them.
_REGISTERING_MODULES = (
    "kerasnotes.metrics",
    "kerasnotes.schedules",
    "kerasnotes._keras2_translate",
)
# Short loss aliases that Keras 3 cannot reload from a legacy .h5 training config.
_H5_BROKEN_LOSS_ALIASES = {"mse", "mae", "mape", "msle"}
# Translations that change what the model computes or how it trains, not only spelling.
_BEHAVIOUR_RULES = ("keras2_hard_sigmoid", "legacy_optimizer_decay")


class Keras2TranslationWarning(UserWarning):
    """:func:`load_model` translated a Keras 2 file's config; the message lists the rules.

    Emitted only when a rule changes more than spelling (Keras 2's ``hard_sigmoid``
    formula, an optimizer's ``decay``); every applied rule is also in
    :attr:`SavedModelInfo.translations`. Silence it with ``warnings.simplefilter``
    once you have read it.
    """


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
        format: ``"keras"`` (``.keras`` zip) or ``"h5"`` (legacy HDF5).
        keras_version: Version that wrote the file, if recorded (``"2.x"``: Keras 2).
        custom_objects: Non-built-in names, in first-seen order, as Keras looks
            them up (``"focal_loss"``, ``"MyLayer"``, ``"kerasnotes>dice_coef"``).
            Built-ins are never listed, even when Keras 2 spelled them differently
            (``"Custom>Adam"``, a ``MeanMetricWrapper`` around ``"categorical_accuracy"``).
        compile_only: The subset of ``custom_objects`` used only by the compile /
            training config (loss, metrics, optimizer, schedule).
        lambda_layers: Names of ``Lambda`` layers whose function is a Python
            lambda (bytecode in the file, in Keras 2's list form or Keras 3's
            ``__lambda__`` form; never decoded here).
        h5_loss_aliases: Short loss names (``"mse"``...) in a legacy ``.h5``
            training config, which plain Keras 3 fails to reload.
        translations: The names of the rules :func:`load_model` applies to this
            file's config before Keras 3 reads it (``docs/keras2-files.md``
            lists them); empty for a file Keras 3 reads as it is.
    """

    path: str
    format: str
    keras_version: str | None = None
    custom_objects: list[str] = field(default_factory=list)
    compile_only: list[str] = field(default_factory=list)
    lambda_layers: list[str] = field(default_factory=list)
    h5_loss_aliases: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)


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
        hint = ""
        if (p / "saved_model.pb").is_file():
            endpoints = _model_files.savedmodel_endpoints(p)
            call = repr(endpoints[0]) if len(endpoints) == 1 else "<one of them>"
            hint = (
                " It is a TensorFlow SavedModel (what Keras 2's model.save(folder) wrote), which "
                "Keras 3 cannot load_model(). For inference, wrap it as a layer: "
                f"keras.layers.TFSMLayer(path, call_endpoint={call}); this folder's endpoints "
                f"are {endpoints}. To get a Keras model back, rebuild it in code and load the "
                "weights from an .h5/.keras file saved by Keras 2."
            )
        raise ValueError(
            f"{where}: {str(p)!r} is a folder; a saved model is a .keras or .h5 file.{hint}"
        )
    return p


def _inspect(p: Path, where: str) -> tuple[SavedModelInfo, dict[str, Any]]:
    """Read, translate and scan a file; return its info and the translated config."""
    from kerasnotes import _keras2_translate

    fmt, config, version = _model_files.read_model_json(p, where)
    translated, rules = _keras2_translate.translate(config, fmt, version)
    scanner = _config_scan.Scanner(keras2=_keras2_translate.is_keras2(version, fmt))
    scanner.scan(translated)
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
    info = SavedModelInfo(
        path=str(p),
        format=fmt,
        keras_version=version,
        custom_objects=list(scanner.names),
        compile_only=[n for n in scanner.names if n not in scanner.model_names],
        lambda_layers=_keras2_translate.lambda_layers(config),
        h5_loss_aliases=aliases,
        translations=rules,
    )
    return info, translated


def saved_model_info(path: str | os.PathLike[str]) -> SavedModelInfo:
    """Describe what a saved ``.keras`` / ``.h5`` model needs, without loading it.

    Reads only JSON: the ``.keras`` zip's ``config.json`` (and ``metadata.json``),
    or the ``.h5`` file's ``model_config`` / ``training_config`` attributes. No
    object is deserialized and no code from the file is run or even decoded
    (a ``Lambda``'s bytecode is only noted). Files written by Keras 2 (tf.keras,
    tf_keras) are read through the same translation rules :func:`load_model` uses,
    so their built-ins are not mistaken for custom objects.

    Each JSON part is capped at 64 MiB once inflated and 256 levels of nesting
    (``kerasnotes._model_files.MAX_JSON_BYTES`` / ``MAX_JSON_DEPTH``); larger or
    deeper parts are refused with a ValueError before they are decompressed.

    Args:
        path: The saved model.

    Returns:
        A :class:`SavedModelInfo`.

    Raises:
        TypeError: ``path`` is not a path.
        FileNotFoundError: No such file.
        ValueError: Not a Keras model file (garbage, truncated, another zip, a
            weights-only ``.h5``, a SavedModel folder, a config / metadata /
            training_config of the wrong shape, over the size or depth caps); the
            message names the part and what was found.

    Example:
        >>> import tempfile, pathlib, keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(loss="mse")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.h5"
        >>> model.save(path)
        >>> info = saved_model_info(path)
        >>> info.h5_loss_aliases, info.translations
        (['mse'], ['loss_short_alias'])
    """
    p = _check_path(path, "saved_model_info")
    return _inspect(p, "saved_model_info")[0]


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
    globals are that module's own globals (keras/src/utils/python_utils.py), so names such as
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
    if not ok or original is None:
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
    """Load a ``.keras`` or legacy ``.h5`` model, Keras 2 files included; explain failures.

    A file Keras 3 reads as it is goes to ``keras.saving.load_model`` with your
    arguments, after kerasnotes' modules that register objects are imported (so a
    model using ``dice_coef`` or the kerasnotes schedules loads with no
    ``custom_objects``). A file written by Keras 2 (tf.keras, tf_keras: ``.h5``,
    ``.hdf5`` or tf_keras' ``.keras``) whose config Keras 3 refuses or reads
    differently is translated first, in memory, by small named rules
    (``saved_model_info(path).translations``; ``docs/keras2-files.md``): the file is
    never written. Where a rule changes what the model computes or how it trains
    (Keras 2's ``hard_sigmoid`` formula, an optimizer's ``decay``), a
    :class:`Keras2TranslationWarning` says so.

    ``safe_mode`` is never changed for you: a file with a Python-lambda ``Lambda``
    layer is refused before Keras reads it unless you pass ``safe_mode=False``.
    Then ``custom_objects`` are also made visible as the lambda's globals, so the
    notes' ``custom_objects={'tf': tf, 'H': H, 'W': W}`` works (plain Keras 3
    ignores them there and fails with ``NameError: name 'tf' is not defined``);
    this uses a scoped patch of a private Keras function, undone on return.

    Args:
        path: The ``.keras`` or ``.h5`` / ``.hdf5`` file.
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
        ValueError: Not a Keras model (garbage, truncated, another zip, a malformed
            part, weights only: build the model and call ``load_weights``; a
            SavedModel folder: the message names its ``TFSMLayer`` endpoint), with
            what was found; or the legacy-``.h5`` ``loss='mse'`` bug of Keras 3.
        MissingCustomObjectsError: Custom functions/classes the file needs were not
            given; lists them, the ``custom_objects={...}`` to pass, and whether
            ``compile=False`` suffices.
        UnsafeLambdaError: A Python-lambda ``Lambda`` layer with ``safe_mode=True``;
            says what ``safe_mode`` protects against and how to opt out.
        RuntimeError: The private Keras functions used for lambda globals or for
            in-memory loading have moved (another Keras version).

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
    info, translated = _inspect(p, where)  # garbage / truncated / malformed: a clear ValueError
    if info.lambda_layers and safe_mode:  # refused before Keras (or anything) reads the bytecode
        raise _unsafe_lambda_error(p, info)
    if not info.translations:
        suffix = p.suffix.lower()
        want = ".keras" if info.format == "keras" else ".h5"
        if suffix not in ((".keras",) if info.format == "keras" else (".h5", ".hdf5")):
            raise ValueError(
                f"{where}: {str(p)!r} is a {want} model but its name ends in "
                f"{suffix or 'nothing'!r}; Keras chooses the reader by extension. Copy it to a "
                f"name ending in {want} (kerasnotes never renames or modifies your file)."
            )

    import keras

    _import_registering_modules()
    objects = dict(custom_objects or {})
    if compile and info.compile_only:
        # A missing loss/metric may not fail the load (a Keras 2 metric name is kept as a
        # string) and then fails at evaluate(): say so now.
        early = _explain(p, info, objects, compile)
        if isinstance(early, MissingCustomObjectsError) and early.compile_only:
            raise early
    try:
        with _lambda_globals(objects) if not safe_mode and objects else nullcontext():
            if info.translations:
                model = _load_translated(p, info.format, translated, objects, compile, safe_mode)
            else:
                model = keras.saving.load_model(
                    p, custom_objects=objects, compile=compile, safe_mode=safe_mode
                )
    except RuntimeError:
        raise
    except Exception as exc:
        better = _explain(p, info, objects, compile)
        if better is None:
            raise
        raise better from exc
    changed = [r for r in info.translations if r in _BEHAVIOUR_RULES]
    if changed:
        from kerasnotes._keras2_translate import RULES

        lines = "; ".join(f"{r.name}: {r.summary}" for r in RULES if r.name in changed)
        warnings.warn(
            Keras2TranslationWarning(
                f"load_model: {str(p)!r} was written by Keras {info.keras_version or '2'}; "
                f"to compute and train as it did there, kerasnotes applied: {lines}. All rules "
                f"applied: {info.translations}."
            ),
            stacklevel=2,
        )
    return model


def _load_translated(
    p: Path,
    fmt: str,
    config: dict[str, Any],
    objects: dict[str, Any],
    compile: bool,
    safe_mode: bool,
) -> Any:
    """Load the file with its translated config, in memory; the file is only read."""
    if fmt == "h5":
        from kerasnotes import _legacy_h5

        return _legacy_h5.load_translated_h5(p, config, objects, compile, safe_mode)
    try:
        from keras.src.saving import saving_lib
    except ImportError as exc:  # pragma: no cover - depends on the Keras version
        raise RuntimeError(
            "kerasnotes.load_model: this Keras has no keras.src.saving.saving_lib "
            f"({exc}); a translated .keras file cannot be loaded in memory."
        ) from exc
    buffer = io.BytesIO()
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            if member.filename == "config.json":
                dst.writestr("config.json", json.dumps(config))
            else:
                with src.open(member) as fin, dst.open(member.filename, "w") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
    buffer.seek(0)
    return saving_lib.load_model(
        buffer, custom_objects=objects, compile=compile, safe_mode=safe_mode
    )


def _unsafe_lambda_error(p: Path, info: SavedModelInfo) -> UnsafeLambdaError:
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


def _module_of(name: str) -> str:
    obj = importlib.import_module("keras").saving.get_registered_object(f"kerasnotes>{name}")
    return str(getattr(obj, "__module__", "kerasnotes.metrics")).rsplit(".", 1)[-1]


def _explain(
    p: Path, info: SavedModelInfo, objects: dict[str, Any], compile: bool
) -> Exception | None:
    import keras

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
        return MissingCustomObjectsError(text, missing, compile_only, str(p))

    return None
