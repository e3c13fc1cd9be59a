"""One call that prepares a lesson: quiet TensorFlow, seed everything, say what runs.

TensorFlow's C++ runtime writes its start-up lines (``All log messages before
absl::InitializeLog()``, oneDNN, "Could not find cuda drivers") straight to file
descriptor 2 while it is imported, before Python's logging or
``TF_CPP_MIN_LOG_LEVEL`` can stop all of them. Jupyter captures that descriptor
into the first cell's output, so every lesson used to open in red. :func:`setup`
imports TensorFlow with descriptor 2 pointed at ``/dev/null`` for the duration
of the import and of the first device query, then restores it: anything a
lesson prints later, warnings included, still shows.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["quiet_stderr", "setup"]

#: Environment that keeps TensorFlow's own logging to errors only. Set before the import.
#: (Not ``TF_ENABLE_ONEDNN_OPTS=0``: without oneDNN, TensorFlow's CPU convolutions refuse
#: ``channels_first`` data, which lessons 00 and 04 use; on CPUs where TensorFlow leaves
#: oneDNN off by default, those two lessons set it to 1 themselves.)
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 (and ``sys.stderr``) to ``/dev/null`` inside the block.

    Used around ``import tensorflow``: its C++ start-up lines bypass Python. If
    the descriptor cannot be duplicated (an unusual host), the block runs unchanged.

    Example:
        >>> import os
        >>> with quiet_stderr():
        ...     _ = os.write(2, b"this line is swallowed\\n")
    """
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 to save: nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
            yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def setup(seed: int | None = 1337, *, verbose: bool = True) -> str:
    """Prepare a lesson: quiet TensorFlow's start-up, seed Python/NumPy/backend, print one line.

    Call it first in a lesson, before importing Keras or TensorFlow yourself.

    Args:
        seed: The seed for ``keras.utils.set_random_seed`` (Python, NumPy and the
            backend in one call); ``None`` leaves the generators unseeded.
        verbose: Print the one-line summary (versions, backend, seed).

    Returns:
        The summary line, e.g. ``"Keras 3.12.0 · TensorFlow 2.20.0 · backend tensorflow · seed 1337"``.

    Raises:
        TypeError: If ``seed`` is not an int (or None).

    Example:
        >>> line = setup(seed=0, verbose=False)
        >>> line.startswith("Keras 3"), line.endswith("seed 0")
        (True, True)
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(
            f"setup(seed=...) expects an int or None, received {seed!r} "
            f"({type(seed).__name__}); for example setup(seed=1337)"
        )
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    with quiet_stderr():
        try:
            import tensorflow as tf
        except ImportError:  # another backend, or TensorFlow missing: Keras alone
            tf = None
        import keras

        if tf is not None:
            tf.get_logger().setLevel("ERROR")  # retracing notes from repeated predict calls
            tf.config.list_physical_devices()  # the CUDA probe logs once, here, silenced
            with contextlib.suppress(Exception):
                import absl.logging

                absl.logging.set_verbosity(absl.logging.ERROR)
        if seed is not None:
            keras.utils.set_random_seed(seed)
    parts = [f"Keras {keras.__version__}"]
    if tf is not None:
        parts.append(f"TensorFlow {tf.__version__}")
    parts.append(f"backend {keras.backend.backend()}")
    parts.append("unseeded" if seed is None else f"seed {seed}")
    line = " · ".join(parts)
    if verbose:
        print(line)
    return line
