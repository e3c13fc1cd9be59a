"""What ``kerasnotes doctor`` learns by importing TensorFlow and Keras.

Run as a script in a child process (``python path/to/_probe.py``), so that a
missing, broken or crashing TensorFlow cannot take the doctor down with it. It
prints one JSON object on its last line of stdout. Standard library only at
module level; it needs no other part of kerasnotes.
"""

import json
import os
import sys
import time
import traceback

__all__ = ["collect"]


def _error(exc: BaseException) -> dict:
    lines = traceback.format_exception_only(type(exc), exc)
    return {"type": type(exc).__name__, "message": "".join(lines).strip().splitlines()[-1]}


def collect() -> dict:
    """Import NumPy, TensorFlow and Keras; return versions, Keras config and devices."""
    out: dict = {"python": sys.version.split()[0], "executable": sys.executable}
    try:
        import numpy

        out["numpy"] = numpy.__version__
    except Exception as exc:
        out["numpy_error"] = _error(exc)

    start = time.perf_counter()
    try:
        import tensorflow as tf
    except Exception as exc:
        out["tensorflow_error"] = _error(exc)
        out["tensorflow_missing"] = isinstance(exc, ModuleNotFoundError) and (
            exc.name == "tensorflow"
        )
    else:
        out["tensorflow"] = tf.__version__
        out["tensorflow_import_seconds"] = round(time.perf_counter() - start, 2)
        try:
            out["cuda_build"] = bool(tf.test.is_built_with_cuda())
            out["devices"] = {
                kind: [d.name for d in tf.config.list_physical_devices(kind)]
                for kind in ("CPU", "GPU")
            }
        except Exception as exc:
            out["devices_error"] = _error(exc)

    try:
        import keras

        out["keras"] = keras.__version__
        out["keras_config"] = {
            "backend": keras.config.backend(),
            "image_data_format": keras.config.image_data_format(),
            "floatx": keras.config.floatx(),
            "epsilon": keras.config.epsilon(),
        }
    except Exception as exc:
        out["keras_error"] = _error(exc)
    out["keras_backend_env"] = os.environ.get("KERAS_BACKEND")
    return out


if __name__ == "__main__":
    print(json.dumps(collect()))
