"""Legacy HDF5 (``.h5`` / ``.hdf5``) model files: read their JSON, load a translated copy.

Private to :mod:`kerasnotes.saving`. The user's file is only ever opened read-only.
To load a Keras 2 file whose config Keras 3 refuses, the file's weights are copied
into an HDF5 file that lives in memory only (h5py's ``core`` driver without a
backing store), the translated JSON is written there, and Keras 3's own legacy
reader (``keras.src.legacy.saving.legacy_h5_format.load_model_from_hdf5``, which
accepts an open ``h5py.File``) builds the model from it.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from kerasnotes._model_files import MAX_JSON_BYTES, parse_json

__all__ = ["is_weights_only", "load_translated_h5", "read_h5_json"]

_JSON_ATTRS = ("model_config", "training_config")


def _attr_text(f: Any, name: str, where: str) -> str:
    size = f.attrs.get_id(name).get_storage_size()
    if size > MAX_JSON_BYTES:
        raise ValueError(
            f"{where} is {size} bytes, over kerasnotes' {MAX_JSON_BYTES // 2**20} MiB cap for a "
            "model's JSON; refusing to read it."
        )
    value = f.attrs[name]
    if hasattr(value, "tolist") and not isinstance(value, (bytes, str)):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    raise ValueError(f"{where} is a {type(value).__name__}, not JSON text")


def read_h5_json(p: Path, where: str) -> tuple[dict[str, Any], str | None]:
    """Return ``({"model_config": ..., "training_config": ...}, keras_version)``.

    Raises:
        ValueError: Unreadable HDF5, weights only, or malformed / oversized JSON.
    """
    import h5py

    label = f"{where}: {str(p)!r}"
    try:
        with h5py.File(p, "r") as f:
            present = [k for k in (*_JSON_ATTRS, "keras_version") if k in f.attrs]
            texts = {k: _attr_text(f, k, f"{label}: its {k}") for k in present}
            groups = list(f.keys())[:8]
    except OSError as exc:
        raise ValueError(
            f"{label} is not a readable HDF5 file ({exc}); it may be truncated."
        ) from exc
    if "model_config" not in texts:
        raise ValueError(
            f"{label} is an HDF5 file without a model config (it holds {groups}): weights only, as "
            "save_weights writes them. Build the same model in code, then model.load_weights(path)."
        )
    config: dict[str, Any] = {}
    for key in _JSON_ATTRS:
        if key not in texts:
            continue
        value = parse_json(texts[key], f"{label}: its {key}")
        if not isinstance(value, dict):
            raise ValueError(
                f"{label} has a {key} that is a JSON {type(value).__name__}, not an object; "
                "the file is malformed."
            )
        config[key] = value
    if not isinstance(config["model_config"].get("class_name"), str):
        raise ValueError(f"{label} has a model_config without a class_name; the file is malformed.")
    version = texts.get("keras_version")
    return config, version


def is_weights_only(p: Path) -> bool:
    """Whether an HDF5 file holds weights (layer groups) but no model config."""
    import h5py

    try:
        with h5py.File(p, "r") as f:
            return "model_config" not in f.attrs and (
                "layer_names" in f.attrs or "model_weights" in f
            )
    except OSError:
        return False


def load_translated_h5(
    p: Path,
    config: dict[str, Any],
    custom_objects: dict[str, Any],
    compile: bool,
    safe_mode: bool,
) -> Any:
    """Load ``p``'s weights into the model described by the translated ``config``.

    Raises:
        RuntimeError: Keras' private legacy reader has moved (a Keras version change).
    """
    import h5py

    try:
        from keras.src.legacy.saving import legacy_h5_format
    except ImportError as exc:
        raise RuntimeError(
            "kerasnotes.load_model: this Keras has no keras.src.legacy.saving.legacy_h5_format "
            f"({exc}); translated Keras 2 .h5 files cannot be loaded. Load with "
            "TF_USE_LEGACY_KERAS=1 and tf_keras, or rebuild the model and call load_weights."
        ) from exc
    memory = h5py.File(f"kerasnotes-{uuid.uuid4().hex}.h5", "w", driver="core", backing_store=False)
    try:
        with h5py.File(p, "r") as src:
            for key, value in src.attrs.items():
                if key not in _JSON_ATTRS:
                    memory.attrs[key] = value
            for name in src:
                src.copy(src[name], memory, name=name)
        memory.attrs["model_config"] = json.dumps(config["model_config"])
        if "training_config" in config:
            memory.attrs["training_config"] = json.dumps(config["training_config"])
        return legacy_h5_format.load_model_from_hdf5(
            memory, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    finally:
        memory.close()
