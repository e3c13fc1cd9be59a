"""What ``kerasnotes doctor`` learns by importing TensorFlow and Keras.

:func:`probe_tensorflow` runs this file's source in a child process, so that a
missing, broken or crashing TensorFlow cannot take the doctor down with it, and
captures everything the child prints; the child (:func:`collect`) prints one JSON
object on its last line of stdout. Standard library only at module level: the
child needs no other part of kerasnotes.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PROBE_TIMEOUT", "collect", "probe_tensorflow"]

DEFAULT_PROBE_TIMEOUT = 60.0


def _error(exc: BaseException) -> dict[str, Any]:
    lines = traceback.format_exception_only(type(exc), exc)
    return {"type": type(exc).__name__, "message": "".join(lines).strip().splitlines()[-1]}


def collect() -> dict[str, Any]:
    """Import NumPy, TensorFlow and Keras; return versions, Keras config and devices."""
    out: dict[str, Any] = {"python": sys.version.split()[0], "executable": sys.executable}
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


def probe_tensorflow(
    timeout: float = DEFAULT_PROBE_TIMEOUT,
    *,
    python: str | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Import TensorFlow and Keras in a child process and report what it found.

    Args:
        timeout: Seconds before the child is killed and the import declared hung.
        python: The interpreter to probe (default: this one).
        env: The child's environment (default: this process's, quietened).

    Returns:
        The probe's JSON (versions, Keras config, devices, import errors), or a dict
        with ``probe_failed`` set to a one-line reason when the child hung, crashed
        or printed no result.
    """
    from kerasnotes._validation import check_timeout  # not needed by the child process

    timeout = check_timeout(timeout, option="timeout")
    env = dict(os.environ if env is None else env)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The probe's source goes through -c, with sys.path[0] (the current folder)
    # dropped: running the file itself would put kerasnotes/ first on sys.path,
    # where kerasnotes/inspect.py would shadow the standard library's inspect.
    source = Path(__file__).with_name("probe.py").read_text(encoding="utf-8")
    cmd = [python or sys.executable, "-c", "import sys; del sys.path[0]\n" + source]
    start = time.perf_counter()
    try:
        # Everything the child writes (TensorFlow's absl / oneDNN / CUDA lines) is
        # captured: the report is all the user sees; the lines come back as
        # ``probe_log`` and are shown only when the probe fails. stdin is closed so
        # the child cannot read the terminal, and its own session keeps it off the
        # terminal's process group.
        proc = subprocess.run(
            cmd,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
            env=env,
            errors="replace",
            start_new_session=not sys.platform.startswith("win"),
        )
    except subprocess.TimeoutExpired as exc:
        return {
            "probe_failed": f"importing TensorFlow did not finish within {timeout:g} s",
            "probe_hung": True,
            "probe_timeout": timeout,
            "probe_log": _log_tail(_text(exc.stderr)),
        }
    except OSError as exc:
        return {"probe_failed": f"could not start {cmd[0]}: {exc}"}
    seconds = round(time.perf_counter() - start, 2)
    log = _log_tail(proc.stderr)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                break
            data["probe_seconds"] = seconds
            data["probe_timeout"] = timeout
            if "tensorflow" not in data or "keras" not in data:
                data["probe_log"] = log
            return dict(data)
    stderr = [
        line
        for line in proc.stderr.splitlines()
        if line.strip() and not re.match(r"^[IWE]\d{4} |^WARNING: All log messages", line)
    ]
    if proc.returncode < 0:
        try:
            sig = signal.Signals(-proc.returncode).name
        except ValueError:
            sig = f"signal {-proc.returncode}"
        reason = f"the Python process importing TensorFlow crashed ({sig})"
    else:
        reason = f"the Python process importing TensorFlow exited with status {proc.returncode}"
    if stderr:
        reason += f": {stderr[-1].strip()}"
    return {
        "probe_failed": reason,
        "probe_returncode": proc.returncode,
        "probe_stderr_tail": stderr[-5:],
        "probe_log": log,
    }


def _text(data: str | bytes | None) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data or ""


def _log_tail(text: str, lines: int = 8) -> list[str]:
    """The child's last non-empty stderr lines (shown only when the probe fails)."""
    return [line.rstrip() for line in text.splitlines() if line.strip()][-lines:]


if __name__ == "__main__":
    print(json.dumps(collect()))
