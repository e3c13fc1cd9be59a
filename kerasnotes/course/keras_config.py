"""The Keras settings that stop ``import keras`` (and so ``import tensorflow``), read without importing it.

Keras 3 reads ``keras.json`` and ``$KERAS_BACKEND`` when it is imported
(``keras/src/backend/config.py``, ``keras/src/backend/__init__.py``), and
TensorFlow's ``tensorflow/python/keras/backend.py`` asserts the same fields while
``import tensorflow`` runs. A bad value there makes both imports fail with an
error that names neither the file nor the field. :func:`keras_config_causes`
finds those values first, so ``kerasnotes doctor`` can blame the right thing.

Example:
    >>> import json, tempfile, pathlib
    >>> home = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (home / "keras.json").write_text(json.dumps({"image_data_format": "bogus"}))
    >>> [c.field for c in keras_config_causes({"KERAS_HOME": str(home)})]
    ['image_data_format']
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasnotes import _platform

__all__ = ["KERAS_BACKENDS", "KERAS_DEFAULTS", "ConfigCause", "keras_config_causes"]

# What Keras writes into a fresh keras.json.
KERAS_DEFAULTS = {
    "floatx": "float32",
    "epsilon": 1e-07,
    "backend": "tensorflow",
    "image_data_format": "channels_last",
}


# What Keras 3 accepts when it reads keras.json and $KERAS_BACKEND at import time.
KERAS_BACKENDS = ("jax", "numpy", "openvino", "tensorflow", "torch")
_FLOATX = ("float16", "float32", "float64")
_DATA_FORMATS = ("channels_first", "channels_last")


@dataclass(frozen=True)
class ConfigCause:
    """A Keras setting that makes ``import keras`` (and so ``import tensorflow``) fail.

    Attributes:
        source: ``"keras.json"`` or ``"KERAS_BACKEND"``.
        field: The keras.json field at fault (``None`` for the whole file or the variable).
        summary: What is wrong, in one line.
        fix: The command or edit that fixes it.
    """

    source: str
    field: str | None
    summary: str
    fix: str


def _move_aside(path: Path) -> str:
    if sys.platform.startswith("win"):
        return f'Rename-Item "{path}" keras.json.bak'
    return f"mv {shlex.quote(str(path))} {shlex.quote(str(path) + '.bak')}"


def keras_config_causes(environ: dict[str, str] | None = None) -> list[ConfigCause]:
    """Read keras.json and ``$KERAS_BACKEND`` as Keras does, without importing it.

    Args:
        environ: The environment (default: this process's).

    Returns:
        Every setting that makes Keras refuse to import, with its fix (empty when
        Keras will start).

    Example:
        >>> [c.source for c in keras_config_causes({"KERAS_BACKEND": "bogus"})]
        ['KERAS_BACKEND']
    """
    environ = dict(os.environ if environ is None else environ)
    path = _platform.keras_json_path(environ=environ)
    defaults = json.dumps(KERAS_DEFAULTS)
    causes: list[ConfigCause] = []
    env_backend = environ.get("KERAS_BACKEND")
    if env_backend is not None and env_backend not in KERAS_BACKENDS:
        causes.append(
            ConfigCause(
                "KERAS_BACKEND",
                None,
                f"KERAS_BACKEND={env_backend!r} is not a Keras backend "
                f"(one of {', '.join(KERAS_BACKENDS)}): Keras refuses to import",
                f"{_platform.unset_env_command('KERAS_BACKEND')}   (or: "
                f"{_platform.set_env_command('KERAS_BACKEND', 'tensorflow')})",
            )
        )
    if path.is_dir():
        causes.append(
            ConfigCause(
                "keras.json",
                None,
                f"{path} is a folder, not a file: Keras fails opening it (IsADirectoryError)",
                f"move the folder aside, and Keras writes a fresh file: {_move_aside(path)}",
            )
        )
        return causes
    if not path.exists():
        return causes
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except ValueError:
        return causes  # Keras ignores a file that is not JSON: a warning, not a cause
    except OSError as exc:
        causes.append(
            ConfigCause(
                "keras.json",
                None,
                f"{path} cannot be read ({exc.strerror or exc}): Keras fails opening it",
                f"make it readable, or move it aside: {_move_aside(path)}",
            )
        )
        return causes
    if not isinstance(config, dict):
        causes.append(
            ConfigCause(
                "keras.json",
                None,
                f"{path} holds a JSON {type(config).__name__}, not an object: Keras fails "
                "reading it ('get' on a non-dict)",
                f"replace its content with {defaults}",
            )
        )
        return causes
    checks: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
        ("floatx", lambda v: v in _FLOATX, f"one of {', '.join(_FLOATX)}"),
        ("epsilon", lambda v: isinstance(v, float), "a float such as 1e-07"),
        ("image_data_format", lambda v: v in _DATA_FORMATS, '"channels_last"'),
    )
    for name, ok, expected in checks:
        if name in config and not ok(config[name]):
            causes.append(
                ConfigCause(
                    "keras.json",
                    name,
                    f'{path}: "{name}": {json.dumps(config[name])} is refused by Keras '
                    f"(expected {expected})",
                    f'edit {path}: "{name}": {json.dumps(KERAS_DEFAULTS[name])}',
                )
            )
    backend = config.get("backend")
    if env_backend is None and backend is not None and backend not in KERAS_BACKENDS:
        causes.append(
            ConfigCause(
                "keras.json",
                "backend",
                f'{path}: "backend": {json.dumps(backend)} is not a Keras backend: Keras '
                "refuses to import",
                f'edit {path}: "backend": "tensorflow"',
            )
        )
    return causes
