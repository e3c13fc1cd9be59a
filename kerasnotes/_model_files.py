"""Read a saved model's JSON (``.keras`` zip, legacy ``.h5``, SavedModel folder) safely.

Private to :mod:`kerasnotes.saving`. Nothing here deserializes a Keras object or runs
code from the file. What is inflated is bounded:

- each JSON document (``config.json``, ``metadata.json``, an ``.h5`` file's
  ``model_config`` / ``training_config``) may be at most :data:`MAX_JSON_BYTES`
  (64 MiB) once decompressed; larger is refused *before* it is inflated (the zip
  directory's declared size and the HDF5 attribute's storage size are checked, and
  reading stops one byte past the cap in case a zip lies about its size);
- JSON may nest at most :data:`MAX_JSON_DEPTH` (256) levels: a real model config
  nests a few dozen; deeper is refused with a ValueError instead of a RecursionError.

Every malformed input raises ``ValueError`` naming the file, the part (config,
metadata, model_config, training_config) and what was wrong.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "json_depth",
    "parse_json",
    "read_model_json",
    "savedmodel_endpoints",
]

MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 256
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def json_depth(obj: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of decoded JSON, computed without recursion; stops counting past ``limit``.

    >>> json_depth({"a": [1, {"b": 2}]})
    3
    """
    deepest = 0
    stack = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(data: bytes | str, what: str) -> Any:
    """Decode JSON, turning every failure (syntax, encoding, nesting) into one ValueError.

    >>> parse_json(b'{"a": 1}', "config.json")
    {'a': 1}
    >>> parse_json(b"[" * 5000, "config.json")
    Traceback (most recent call last):
    ...
    ValueError: config.json is not valid JSON (nested too deeply: ...)
    """
    if len(data) > MAX_JSON_BYTES:
        raise ValueError(
            f"{what} is {len(data)} bytes, over kerasnotes' {MAX_JSON_BYTES // 2**20} MiB cap "
            "for a model's JSON; a real model config is far smaller."
        )
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text)
    except RecursionError:
        raise ValueError(
            f"{what} is not valid JSON (nested too deeply: more than {MAX_JSON_DEPTH} levels)"
        ) from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} is not UTF-8 text ({exc})") from exc
    except ValueError as exc:  # json.JSONDecodeError
        raise ValueError(f"{what} is not valid JSON ({exc})") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(
            f"{what} is not valid JSON (nested too deeply: more than {MAX_JSON_DEPTH} levels)"
        )
    return value


def _zip_member(z: zipfile.ZipFile, name: str, what: str) -> bytes:
    info = z.getinfo(name)
    if info.is_dir():
        raise ValueError(f"{what} is a folder inside the archive, not a JSON file")
    if info.file_size > MAX_JSON_BYTES:
        raise ValueError(
            f"{what} would inflate to {info.file_size} bytes, over kerasnotes' "
            f"{MAX_JSON_BYTES // 2**20} MiB cap for a model's JSON; refusing to decompress it"
        )
    with z.open(info) as f:
        data = f.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise ValueError(
            f"{what} inflates past kerasnotes' {MAX_JSON_BYTES // 2**20} MiB cap "
            "(its declared size is wrong); refusing to decompress it"
        )
    return data


def _read_zip(p: Path, where: str) -> tuple[dict[str, Any], str | None]:
    try:
        with zipfile.ZipFile(p) as z:
            names = z.namelist()
            if "config.json" not in names:
                raise ValueError(
                    f"{where}: {str(p)!r} is a zip file but not a Keras model: it has no "
                    f"config.json (it contains {names[:8]}). Save models with "
                    "model.save('name.keras')."
                )
            config_bytes = _zip_member(z, "config.json", f"{where}: {str(p)!r}: config.json")
            meta_bytes = (
                _zip_member(z, "metadata.json", f"{where}: {str(p)!r}: metadata.json")
                if "metadata.json" in names
                else None
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError is caught below.
        raise ValueError(
            f"{where}: {str(p)!r} is not a readable .keras file: the zip archive is damaged or "
            f"truncated, or encrypted ({type(exc).__name__}: {exc}). Save it again."
        ) from exc
    except NotImplementedError as exc:  # an unsupported compression method
        raise ValueError(
            f"{where}: {str(p)!r} is not a readable .keras file: {exc}. Save it again."
        ) from exc
    config = parse_json(config_bytes, f"{where}: {str(p)!r}: config.json")
    if not isinstance(config, dict):
        raise ValueError(
            f"{where}: {str(p)!r} has a config.json that is a JSON {type(config).__name__}, "
            "not an object; it is not a Keras model config."
        )
    version = None
    if meta_bytes is not None:
        meta = parse_json(meta_bytes, f"{where}: {str(p)!r}: metadata.json")
        if not isinstance(meta, dict):
            raise ValueError(
                f"{where}: {str(p)!r} has a metadata.json that is a JSON "
                f"{type(meta).__name__}, not an object; the file's metadata is malformed."
            )
        raw = meta.get("keras_version")
        if raw is not None and not isinstance(raw, str):
            raise ValueError(
                f"{where}: {str(p)!r} has a metadata.json whose keras_version is {raw!r}, "
                "not a string; the file's metadata is malformed."
            )
        version = raw
    return config, version


def read_model_json(p: Path, where: str) -> tuple[str, dict[str, Any], str | None]:
    """Return ``(format, config, keras_version)`` of a ``.keras`` or ``.h5`` file.

    ``config`` is the zip's ``config.json`` object, or for ``.h5``
    ``{"model_config": ..., "training_config": ...}`` (the latter only when present).

    Raises:
        ValueError: Not a Keras model file, or a malformed / oversized / too deep part.
    """
    with open(p, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        config, version = _read_zip(p, where)
        return "keras", config, version
    if head == HDF5_SIGNATURE:
        from kerasnotes import _legacy_h5

        config, version = _legacy_h5.read_h5_json(p, where)
        return "h5", config, version
    raise ValueError(
        f"{where}: {str(p)!r} is not a Keras model file: it starts with {head!r}, which is "
        "neither a .keras zip archive nor an HDF5 (.h5) file."
    )


def savedmodel_endpoints(folder: Path) -> list[str]:
    """The signature names of a TensorFlow SavedModel folder, read from ``saved_model.pb``.

    Parses the protocol buffer only (nothing is executed). Returns ``[]`` when the file
    cannot be parsed or TensorFlow's protobuf classes are unavailable.
    """
    try:
        from tensorflow.core.protobuf import saved_model_pb2
    except ImportError:
        return []
    pb = folder / "saved_model.pb"
    try:
        if pb.stat().st_size > 4 * MAX_JSON_BYTES:
            return []
        saved = saved_model_pb2.SavedModel()
        saved.ParseFromString(pb.read_bytes())
    except Exception:  # a damaged protobuf: no endpoint to name
        return []
    names: list[str] = []
    for graph in saved.meta_graphs:
        for key in graph.signature_def:
            if key not in names and not key.startswith("__"):
                names.append(key)
    return sorted(names)
