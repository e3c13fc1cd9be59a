"""Convert an old model file (Keras 2 ``.h5``, tf_keras ``.keras``) into a Keras 3 ``.keras`` file.

``kerasnotes convert OLD NEW`` (or :func:`convert_model`) loads ``OLD`` with
:func:`kerasnotes.saving.load_model` (its in-memory Keras 2 translations included),
saves it to ``NEW`` in Keras 3's format, loads ``NEW`` back and checks that both
predict the same on a probe input before the file is given its name. After that,
plain ``keras.saving.load_model(NEW)`` reads it (with the custom objects it names)
and kerasnotes is no longer needed to read it, except for the objects kerasnotes
itself registered (``kerasnotes>keras2_hard_sigmoid`` for Keras 2's ``hard_sigmoid``,
``kerasnotes>dice_coef``): import ``kerasnotes.saving`` / ``kerasnotes.metrics`` or
pass them in ``custom_objects``.

It never overwrites: an existing ``NEW`` is refused. ``OLD`` is only read.

Example:
    >>> import tempfile, pathlib, keras
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> model.save(folder / "old.h5")
    >>> result = convert_model(folder / "old.h5", folder / "new.keras")
    >>> result.path.name, result.max_abs_diff < 1e-5, result.custom_objects
    ('new.keras', True, [])
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Conversion", "convert_model", "main"]

_PROBE_ROWS = 4


@dataclass
class Conversion:
    """What :func:`convert_model` wrote and checked.

    Attributes:
        path: The new ``.keras`` file.
        max_abs_diff: Largest absolute difference between the two models' predictions
            on the probe input (at most the ``atol`` given).
        probe_shapes: Shapes of the probe input(s).
        custom_objects: Names the new file needs at load time (see
            :func:`kerasnotes.saving.required_custom_objects`).
        translations: Keras 2 translation rules applied while reading the old file.
    """

    path: Path
    max_abs_diff: float
    probe_shapes: list[tuple[int, ...]] = field(default_factory=list)
    custom_objects: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)


def _probe(model: Any, seed: int) -> list[Any]:
    import numpy as np

    rng = np.random.default_rng(seed)
    arrays = []
    for tensor in model.inputs:
        shape = tuple(_PROBE_ROWS if i == 0 else (d or 3) for i, d in enumerate(tensor.shape))
        dtype = str(tensor.dtype)
        if "int" in dtype:  # token ids: 0 and 1 exist in every Embedding
            arrays.append(rng.integers(0, 2, size=shape).astype(dtype))
        else:
            arrays.append(rng.normal(size=shape).astype(dtype if "float" in dtype else "float32"))
    return arrays


def _predict(model: Any, probe: list[Any]) -> list[Any]:
    import numpy as np

    out = model.predict(probe if len(probe) > 1 else probe[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


def convert_model(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
    atol: float = 1e-5,
    seed: int = 0,
) -> Conversion:
    """Write ``old`` as a Keras 3 ``.keras`` file, after checking the copy predicts the same.

    Args:
        old: A model file :func:`kerasnotes.saving.load_model` reads (``.h5``,
            ``.hdf5``, ``.keras``; Keras 2 or 3).
        new: Where to write; must end in ``.keras`` and must not exist.
        custom_objects: What ``old`` needs (see
            :func:`kerasnotes.saving.required_custom_objects`); also used to reload ``new``.
        safe_mode: Passed to both loads; ``False`` only for a file you trust that has a
            Python-lambda ``Lambda`` layer (the new file keeps the lambda).
        atol: Largest absolute prediction difference accepted.
        seed: Seed of the probe input (normal floats; ids 0/1 for integer inputs).

    Returns:
        A :class:`Conversion`.

    Raises:
        TypeError: A path or argument of the wrong type.
        FileNotFoundError: ``old`` does not exist, or ``new``'s folder does not.
        FileExistsError: ``new`` exists (it is never overwritten).
        ValueError: ``new`` does not end in ``.keras``; ``old`` is not a loadable
            model (the error of :func:`kerasnotes.saving.load_model`, which names
            missing custom objects and the fix); or the reloaded copy predicts
            differently (nothing is written then).

    Example:
        >>> import tempfile, pathlib, keras
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).save(folder / "a.h5")
        >>> _ = convert_model(folder / "a.h5", folder / "a.keras")
        >>> convert_model(folder / "a.h5", folder / "a.keras")
        Traceback (most recent call last):
        ...
        FileExistsError: convert_model: ... already exists; kerasnotes never overwrites ...
    """
    from kerasnotes._validation import check_real
    from kerasnotes.saving import load_model, required_custom_objects, saved_model_info

    where = "convert_model"
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, (str, os.PathLike)):
            raise TypeError(
                f"{where}: {name} must be a file path (str or pathlib.Path); received "
                f"{type(value).__name__}: {value!r}"
            )
    atol = check_real("atol", atol, minimum=0.0, where=where)
    target = Path(new)
    if target.suffix != ".keras":
        raise ValueError(
            f"{where}: new={str(target)!r} must end in .keras (Keras 3's format); "
            f"for example {str(target.with_suffix('.keras'))!r}."
        )
    if target.exists():
        raise FileExistsError(
            f"{where}: {str(target)!r} already exists; kerasnotes never overwrites a file. "
            "Choose another name or remove it yourself."
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(f"{where}: no such folder for the new file: {str(target.parent)!r}")
    import warnings

    objects = dict(custom_objects or {})
    info = saved_model_info(old) if not Path(old).is_dir() else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the translations are reported in the result
        model = load_model(old, custom_objects=objects, safe_mode=safe_mode)
    probe = _probe(model, seed)
    before = _predict(model, probe)
    fd, tmp_name = tempfile.mkstemp(suffix=".keras", prefix=".kerasnotes-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        model.save(tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            again = load_model(tmp, custom_objects=objects, safe_mode=safe_mode)
        after = _predict(again, probe)
        import numpy as np

        diff = max(
            float(np.max(np.abs(a - b))) if a.size else 0.0
            for a, b in zip(before, after, strict=True)
        )
        if not diff <= atol:
            raise ValueError(
                f"{where}: the converted copy of {str(old)!r} predicts differently from the "
                f"original load (largest difference {diff:.3g} > atol={atol}); nothing was "
                "written. Please report the file's kind to kerasnotes."
            )
        if target.exists():
            raise FileExistsError(
                f"{where}: {str(target)!r} appeared while converting; kerasnotes never "
                "overwrites a file."
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return Conversion(
        path=target,
        max_abs_diff=diff,
        probe_shapes=[tuple(a.shape) for a in probe],
        custom_objects=required_custom_objects(target),
        translations=list(info.translations) if info else [],
    )


def _custom_object(spec: str) -> tuple[str, Any]:
    name, sep, target = spec.partition("=")
    module_name, colon, attr = target.partition(":")
    if not (sep and colon and name and module_name and attr):
        raise ValueError(
            f"--custom-object {spec!r}: write NAME=MODULE:ATTRIBUTE, e.g. "
            "focal_loss_fixed=mylosses:focal_loss_fixed"
        )
    try:
        value = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"--custom-object {spec!r}: cannot import it ({exc})") from exc
    return name, value


def main(argv: Sequence[str] | None = None) -> int:
    """``kerasnotes convert OLD NEW``: write a Keras 3 ``.keras`` copy of an old model file.

    Exit status 0 when written, 2 for bad arguments or a file that cannot be converted
    (the message says why and what to pass), 1 when the copy predicts differently.

    Example:
        >>> main(["/no/such/old.h5", "/tmp/new.keras"])
        2
    """
    parser = argparse.ArgumentParser(
        prog="kerasnotes convert",
        description="Write a Keras 3 .keras copy of a Keras 2 (or Keras 3) model file, "
        "after checking that it predicts the same. OLD is only read; NEW is never overwritten.",
    )
    parser.add_argument("old", help="the model file to read (.h5, .hdf5, .keras)")
    parser.add_argument("new", help="the .keras file to write (must not exist)")
    parser.add_argument(
        "--custom-object",
        action="append",
        default=[],
        metavar="NAME=MODULE:ATTR",
        help="a custom object the file needs, imported from your code (repeatable)",
    )
    parser.add_argument("--atol", type=float, default=1e-5, help="prediction tolerance")
    args = parser.parse_args(argv)
    try:
        objects = dict(_custom_object(spec) for spec in args.custom_object)
        result = convert_model(args.old, args.new, custom_objects=objects, atol=args.atol)
    except (TypeError, FileNotFoundError, FileExistsError) as exc:
        print(f"kerasnotes convert: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"kerasnotes convert: {exc}", file=sys.stderr)
        return 1 if "predicts differently" in str(exc) else 2
    needs = (
        f"; loading it needs custom_objects for {result.custom_objects}"
        if result.custom_objects
        else ""
    )
    print(
        f"wrote {result.path} (predictions on a probe of shape {result.probe_shapes} match the "
        f"original load within {args.atol:g}: largest difference {result.max_abs_diff:.2g})"
        f"{needs}."
    )
    if result.translations:
        print(f"Keras 2 translations applied while reading {args.old}: {result.translations}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
