"""Count how the Keras 2 fixtures fare in plain Keras 3 and in kerasnotes.load_model.

    .venv/bin/python tools/measure_keras2_loads.py

For each file of tests/fixtures/keras2/ (its documented arguments: the custom objects it
needs and, for a Lambda, safe_mode=False) it records, for ``keras.saving.load_model`` and
for ``kerasnotes.load_model``: loads, faithful predictions (Keras 2's stored predictions
within 1e-5), evaluate() equal to Keras 2's (compiled files), and for a bare call without
arguments whether the failure is explained (kerasnotes' own error types, or a message
naming the fix). Weights-only files count as loaded when ``load_weights`` into the
documented architecture works; the SavedModel when the endpoint named works with TFSMLayer.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import keras  # noqa: E402
import keras2_files as K2  # noqa: E402
import numpy as np  # noqa: E402

from kerasnotes import saving  # noqa: E402


def faithful(model, ref) -> bool:
    pred = model.predict(K2.probe_input(ref), verbose=0)
    return bool(np.allclose(pred, ref["pred"], atol=1e-5, rtol=1e-5))


def measure(loader, name: str) -> dict[str, bool | None]:
    entry = K2.FILES[name]
    path = K2.FIXTURES / entry["file"]
    ref = K2.reference(name)
    row: dict[str, bool | None] = {"load": False, "faithful": False, "evaluate": None}
    if "evaluate" in ref:
        row["evaluate"] = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if entry.get("weights_only"):
                model = K2.weights_only_model()
                model.load_weights(path)
            elif entry.get("savedmodel"):
                if loader is keras.saving.load_model:
                    model = loader(path)
                else:
                    try:
                        saving.load_model(path)
                    except ValueError as exc:
                        endpoint = str(exc).split("call_endpoint=")[1].split(")")[0].strip("'")
                    layer = keras.layers.TFSMLayer(str(path), call_endpoint=endpoint)
                    inp = keras.Input(ref["x"].shape[1:])
                    out = layer(inp)
                    out = next(iter(out.values())) if isinstance(out, dict) else out
                    model = keras.Model(inp, out)
            else:
                model = loader(path, **K2.load_kwargs_for(name))
        row["load"] = True
        row["faithful"] = faithful(model, ref)
        if row["evaluate"] is not None:
            row["evaluate"] = K2.evaluate_matches(model, name, ref)
    except Exception as exc:  # noqa: BLE001 - measuring: every failure counts
        row["error"] = f"{type(exc).__name__}: {str(exc)[:90]}"
    return row


def bare_failure_explained(loader, name: str) -> bool | None:
    """None when the bare call loads a faithful model (nothing to explain)."""
    entry = K2.FILES[name]
    path = K2.FIXTURES / entry["file"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = loader(path)
        if faithful(model, K2.reference(name)):
            return None
        return False
    except (saving.MissingCustomObjectsError, saving.UnsafeLambdaError):
        return True
    except Exception as exc:  # noqa: BLE001
        text = str(exc)
        return any(
            hint in text
            for hint in (
                "load_weights",
                "call_endpoint='serving_default'",
                "custom_objects=",
                "safe_mode=False",
                "register_keras_serializable",
            )
        )


def main() -> int:
    loaders = {"keras": keras.saving.load_model, "kerasnotes": saving.load_model}
    totals = {k: {"load": 0, "faithful": 0, "evaluate": 0, "explained": 0} for k in loaders}
    compiled = failures = 0
    start = time.perf_counter()
    for name in K2.FILES:
        cells = []
        for label, loader in loaders.items():
            row = measure(loader, name)
            explained = bare_failure_explained(loader, name)
            for key in ("load", "faithful", "evaluate"):
                totals[label][key] += bool(row[key])
            totals[label]["explained"] += bool(explained)
            flag = {None: "-", True: "y", False: "n"}
            cells.append(
                f"{label}: load={flag[row['load']]} faithful={flag[row['faithful']]} "
                f"eval={flag[row['evaluate']]} bare-explained={flag[explained]}"
            )
        compiled += "evaluate_names" in K2.FILES[name]
        failures += bare_failure_explained(saving.load_model, name) is not None
        print(f"{name:20s} | " + " | ".join(cells))
    n = len(K2.FILES)
    print(f"\n{n} files, {compiled} compiled, {failures} that cannot load bare in kerasnotes")
    for label, t in totals.items():
        print(
            f"{label:10s} loads {t['load']}/{n}, faithful {t['faithful']}/{n}, "
            f"evaluate {t['evaluate']}/{compiled}, bare failures explained {t['explained']}"
        )
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
