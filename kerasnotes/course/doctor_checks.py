"""The checks of ``kerasnotes doctor``, one function each, and the :class:`Check` they return.

Each ``_check_<thing>`` function looks at one thing the course needs (Python,
TensorFlow, Keras, NumPy, ``keras.json``, devices, the Jupyter kernel, the
packages, pydot, Graphviz, MNIST) and returns one :class:`Check`: a status, a
one-line finding and, when something is off, the exact command that fixes it on
this platform. The TensorFlow-side checks read the ``probe`` dictionary that
:func:`kerasnotes.course.probe.probe_tensorflow` returns; the others read the
machine directly, without importing heavy packages.
:func:`kerasnotes.course.doctor.run_checks` runs them all.

Example:
    >>> from kerasnotes.course.doctor_checks import Check
    >>> print(Check("Python", "ok", "3.11.7").format())
      ok       Python          3.11.7
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import signal
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasnotes import _platform
from kerasnotes.course.keras_config import (
    KERAS_DEFAULTS,
    ConfigCause,
    keras_config_causes,
)
from kerasnotes.course.probe import DEFAULT_PROBE_TIMEOUT

__all__ = [
    "MNIST_KEYS",
    "STATUSES",
    "Check",
    "keras_json_path",
]

STATUSES = ("ok", "warning", "problem")
MNIST_KEYS = {"x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"}


@dataclass
class Check:
    """One line of the report.

    Attributes:
        name: What was checked ("TensorFlow", "Graphviz dot", ...).
        status: ``"ok"``, ``"warning"`` or ``"problem"``.
        summary: What was found, in one line.
        fix: The exact command or edit that fixes it (empty when nothing to fix).
        details: Machine-readable facts for ``--json``.
    """

    name: str
    status: str
    summary: str
    fix: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}; received {self.status!r}")

    def format(self) -> str:
        line = f"  {self.status:<8} {self.name:<15} {self.summary}"
        if self.fix:
            fix_lines = self.fix.splitlines()
            line += f"\n  {'':<8} {'':<15} fix: {fix_lines[0]}"
            line += "".join(f"\n  {'':<8} {'':<15}      {rest}" for rest in fix_lines[1:])
        return line


# --------------------------------------------------------------------------- platform


def _pip(*requirements: str) -> str:
    exe = sys.executable
    exe = f'"{exe}"' if sys.platform.startswith("win") else shlex.quote(exe)
    reqs = " ".join(f'"{r}"' if any(ch in r for ch in "<>=!") else r for r in requirements)
    return f"{exe} -m pip install {reqs}"


def _requirement(name: str, fallback: str) -> str:
    """The version range kerasnotes declares for ``name`` (pyproject.toml is the one place)."""
    try:
        for req in metadata.requires("kerasnotes") or []:
            spec = req.split(";")[0].strip()
            if re.match(rf"^{re.escape(name)}\b(?![-_\w])", spec, re.IGNORECASE):
                return spec.replace(" ", "")
    except metadata.PackageNotFoundError:
        pass
    return fallback


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def _dist_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


# --------------------------------------------------------------------------- checks


def _check_python() -> Check:
    version = platform.python_version()
    details = {"version": version, "executable": sys.executable}
    if sys.version_info < (3, 10):  # noqa: UP036 - the doctor may run on an old Python
        return Check(
            "Python",
            "problem",
            f"{version} is too old: the course needs Python 3.10 or newer",
            "install Python 3.10+ (python.org, or conda create -n kerasnotes python=3.12)",
            details,
        )
    return Check("Python", "ok", f"{version} ({sys.executable})", "", details)


def _check_numpy(probe: dict[str, Any]) -> Check:
    version = probe.get("numpy") or _dist_version("numpy")
    if version:
        return Check("NumPy", "ok", version, "", {"version": version})
    err = probe.get("numpy_error", {}).get("message", "not installed")
    return Check("NumPy", "problem", err, _pip("numpy"), {"version": None})


def _tf_crash_fix(probe: dict[str, Any]) -> str:
    returncode = probe.get("probe_returncode")
    sigill = getattr(signal, "SIGILL", None)
    if sigill is not None and returncode == -sigill:
        return (
            "this CPU lacks instructions (AVX) the PyPI TensorFlow build needs; use "
            "conda's build instead: conda install -c conda-forge tensorflow"
        )
    return _pip("--force-reinstall", _requirement("tensorflow", "tensorflow"))


def _timeout_fix(probe: dict[str, Any]) -> str:
    """Raise the limit first; a generous limit that still expires means a broken install."""
    timeout = float(probe.get("probe_timeout") or DEFAULT_PROBE_TIMEOUT)
    suggested = max(DEFAULT_PROBE_TIMEOUT, 4 * timeout)
    fix = f"raise the limit: kerasnotes doctor --timeout {suggested:g}"
    if timeout >= DEFAULT_PROBE_TIMEOUT:
        fix += "\nif it still does not finish, the install hangs: " + _pip(
            "--force-reinstall", _requirement("tensorflow", "tensorflow")
        )
    return fix


def _check_tensorflow(probe: dict[str, Any], causes: Sequence[ConfigCause] = ()) -> Check:
    spec = _requirement("tensorflow", "tensorflow")
    log = probe.get("probe_log", [])
    if probe.get("probe_hung"):
        return Check(
            "TensorFlow",
            "problem",
            probe["probe_failed"],
            _timeout_fix(probe),
            {
                "version": None,
                "error": probe["probe_failed"],
                "timeout": probe.get("probe_timeout"),
            },
        )
    if "probe_failed" in probe:
        return Check(
            "TensorFlow",
            "problem",
            probe["probe_failed"],
            _tf_crash_fix(probe),
            {"version": None, "error": probe["probe_failed"], "log": log},
        )
    if "tensorflow" not in probe:
        err = probe.get("tensorflow_error", {}).get("message", "import failed")
        if probe.get("tensorflow_missing"):
            return Check(
                "TensorFlow",
                "problem",
                "not installed",
                _pip(spec),
                {"version": None, "error": err},
            )
        details = {"version": _dist_version("tensorflow"), "error": err, "log": log}
        if causes:
            # importing TensorFlow imports Keras, which reads its configuration first
            return Check(
                "TensorFlow",
                "problem",
                f"cannot be imported because of the Keras configuration: {causes[0].summary} "
                f"({err})",
                "\n".join(c.fix for c in causes),
                {**details, "cause": [c.source for c in causes]},
            )
        return Check(
            "TensorFlow",
            "problem",
            f"installed but broken: {err}",
            _pip("--force-reinstall", spec),
            details,
        )
    version = probe["tensorflow"]
    details = {"version": version, "import_seconds": probe.get("tensorflow_import_seconds")}
    if _version_tuple(version) < (2, 16):
        return Check(
            "TensorFlow",
            "problem",
            f"{version} is too old: the course needs TensorFlow 2.16+ (Keras 3)",
            _pip("--upgrade", spec),
            details,
        )
    return Check("TensorFlow", "ok", version, "", details)


def _check_keras(probe: dict[str, Any], causes: Sequence[ConfigCause] = ()) -> Check:
    version = probe.get("keras")
    config = probe.get("keras_config", {})
    details = {"version": version, "backend": config.get("backend")}
    spec = _requirement("keras", "keras>=3")
    env_causes = [c for c in causes if c.source == "KERAS_BACKEND"]
    if version is None:
        if "probe_failed" in probe:
            return Check(
                "Keras", "problem", "not checked: the TensorFlow probe failed", "", details
            )
        if env_causes:
            return Check("Keras", "problem", env_causes[0].summary, env_causes[0].fix, details)
        if causes:
            return Check(
                "Keras",
                "problem",
                "cannot be imported: keras.json is refused (see the keras.json line)",
                "",
                details,
            )
        err = probe.get("keras_error", {}).get("message", "import failed")
        if "tensorflow" not in probe:
            return Check(
                "Keras",
                "problem",
                "cannot be imported until TensorFlow can (fix that first)",
                "",
                details,
            )
        return Check("Keras", "problem", f"cannot be imported: {err}", _pip(spec), details)
    if _version_tuple(version) < (3,):
        return Check(
            "Keras",
            "problem",
            f"{version} is Keras 2; the course is about Keras 3",
            _pip("--upgrade", spec, _requirement("tensorflow", "tensorflow")),
            details,
        )
    if "keras_error" in probe:
        err = probe["keras_error"]["message"]
        return Check("Keras", "problem", f"{version} imports but fails: {err}", "", details)
    backend = config.get("backend", "?")
    env_backend = probe.get("keras_backend_env")
    where = f"KERAS_BACKEND={env_backend}" if env_backend else "keras.json"
    if backend != "tensorflow":
        fix = (
            _platform.unset_env_command("KERAS_BACKEND")
            if env_backend
            else f'set "backend": "tensorflow" in {keras_json_path()}'
        )
        return Check(
            "Keras",
            "warning",
            f"{version}, backend {backend} (from {where}); the notebooks expect tensorflow",
            fix,
            details,
        )
    return Check("Keras", "ok", f"{version}, backend tensorflow (from {where})", "", details)


def keras_json_path() -> Path:
    """Where Keras reads ``keras.json`` (see :func:`kerasnotes._platform.keras_json_path`)."""
    return _platform.keras_json_path()


def _check_keras_json(probe: dict[str, Any], causes: Sequence[ConfigCause] | None = None) -> Check:
    path = keras_json_path()
    if causes is None:
        causes = keras_config_causes()
    file_causes = [c for c in causes if c.source == "keras.json"]
    # what the file says, and (from the probe) what Keras actually uses
    details: dict[str, Any] = {
        "path": str(path),
        "exists": path.is_file(),
        "in_use": probe.get("keras_config"),
    }
    if file_causes:
        return Check(
            "keras.json",
            "problem",
            "; ".join(c.summary for c in file_causes),
            "\n".join(c.fix for c in file_causes),
            {**details, "fields": [c.field for c in file_causes]},
        )
    if not path.is_file():
        details.update(KERAS_DEFAULTS)
        return Check(
            "keras.json",
            "ok",
            f"{path} does not exist yet; Keras writes the defaults there on first import",
            "",
            details,
        )
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError(f"expected a JSON object, found {type(config).__name__}")
    except (OSError, ValueError) as exc:
        return Check(
            "keras.json",
            "warning",
            f"{path} is unreadable ({exc}); Keras silently ignores it and uses the defaults",
            f"fix the file, or delete it and Keras writes a fresh one: {json.dumps(KERAS_DEFAULTS)}",
            details,
        )
    details.update({k: config.get(k) for k in KERAS_DEFAULTS})
    shown = ", ".join(f"{k}={config.get(k, KERAS_DEFAULTS[k])}" for k in KERAS_DEFAULTS)
    notes, fixes = [], []
    if config.get("image_data_format", "channels_last") != "channels_last":
        notes.append("image_data_format is not channels_last (the lessons assume it)")
        fixes.append('"image_data_format": "channels_last"')
    if config.get("floatx", "float32") != "float32":  # float16/float64: Keras starts
        notes.append("floatx is not float32")
        fixes.append('"floatx": "float32"')
    if config.get("backend", "tensorflow") != "tensorflow" and not os.environ.get("KERAS_BACKEND"):
        notes.append(f"backend is {config.get('backend')!r}")
        fixes.append('"backend": "tensorflow"')
    if "image_dim_ordering" in config:
        notes.append("'image_dim_ordering' is a Keras 1 field that Keras 3 ignores")
        fixes.append('remove "image_dim_ordering"')
    if notes:
        return Check(
            "keras.json",
            "warning",
            f"{path}: {'; '.join(notes)}",
            f"edit {path}: " + ", ".join(fixes),
            details,
        )
    return Check("keras.json", "ok", f"{path}: {shown}", "", details)


def _check_devices(probe: dict[str, Any]) -> Check:
    devices = probe.get("devices", {})
    cpus = os.cpu_count() or 0
    gpus = devices.get("GPU", [])
    cuda_visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    details = {
        "cpu_count": cpus,
        "tf_cpus": devices.get("CPU", []),
        "gpus": gpus,
        "cuda_visible_devices": cuda_visible,
        "tf_built_with_cuda": probe.get("cuda_build"),
    }
    cuda_txt = "unset" if cuda_visible is None else repr(cuda_visible)
    summary = f"{cpus} CPU core(s), {len(gpus)} GPU(s) visible to TensorFlow; CUDA_VISIBLE_DEVICES {cuda_txt}"
    if "tensorflow" not in probe:
        return Check(
            "Devices", "warning", f"{cpus} CPU core(s); GPUs unknown (no TensorFlow)", "", details
        )
    if cuda_visible not in (None, "", "-1") and not gpus:
        return Check(
            "Devices",
            "warning",
            summary + ", but TensorFlow sees no GPU (CPU-only build or driver issue)",
            _pip("tensorflow[and-cuda]") if sys.platform.startswith("linux") else "",
            details,
        )
    if not gpus:
        summary += " (fine: every lesson is sized for CPU)"
    return Check("Devices", "ok", summary, "", details)


def _check_packages() -> Check:
    needed = {
        "matplotlib": "plots in most lessons",
        "scikit-learn": "LabelEncoder, splits, the MNIST fallback",
        "scipy": "ImageDataGenerator transforms",
        "pillow": "image folders",
        "h5py": "legacy .h5 files",
        "tensorboard": "the TensorBoard callback (notebook 23)",
    }
    versions = {name: _dist_version(name) for name in needed}
    missing = [name for name, v in versions.items() if v is None]
    shown = ", ".join(f"{n} {v}" for n, v in versions.items() if v)
    if missing:
        why = "; ".join(f"{n}: {needed[n]}" for n in missing)
        return Check("Libraries", "warning", f"missing {why}", _pip(*missing), versions)
    return Check("Libraries", "ok", shown, "", versions)


def _check_runner() -> Check:
    needed = ["nbclient", "nbformat", "nbconvert", "ipykernel"]
    versions = {name: _dist_version(name) for name in needed}
    missing = [n for n, v in versions.items() if v is None]
    if missing:
        return Check(
            "Jupyter",
            "problem",
            f"missing {', '.join(missing)}: `kerasnotes run` cannot execute notebooks",
            _pip("-e", ".[course]") + "   (from the kerasnotes folder)",
            versions,
        )
    shown = ", ".join(f"{n} {v}" for n, v in versions.items())
    return Check("Jupyter", "ok", shown, "", versions)


def _check_pydot() -> Check:
    version = _dist_version("pydot")
    if version is None or importlib.util.find_spec("pydot") is None:
        return Check(
            "pydot",
            "warning",
            "not installed: plot_model cannot draw models (lesson 07 falls back to text)",
            _pip("pydot"),
            {"version": None},
        )
    return Check("pydot", "ok", version, "", {"version": version})


def _check_dot() -> Check:
    path = shutil.which("dot")
    fix = _platform.install_command("graphviz")
    if path is None:
        return Check(
            "Graphviz dot",
            "warning",
            "`dot` not found on PATH: plot_model raises 'You must install graphviz' (the notes' trap)",
            fix,
            {"path": None, "version": None},
        )
    version = _platform.dot_version(path)
    if version is None:
        return Check(
            "Graphviz dot",
            "warning",
            f"{path} exists but `dot -V` did not report a version: the Graphviz install looks broken",
            fix,
            {"path": path, "version": None},
        )
    return Check(
        "Graphviz dot", "ok", f"{version} ({path})", "", {"path": path, "version": version}
    )


def _is_mnist(path: Path) -> bool:
    """A Keras-layout ``.npz``, or a folder of MNIST IDX files (what ``load_mnist`` reads)."""
    if path.is_dir():
        return any(
            (path / f"{name}{ext}").is_file()
            for name in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte")
            for ext in ("", ".gz")
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return MNIST_KEYS <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _check_mnist() -> Check:
    env = os.environ.get("KERASNOTES_MNIST")
    found = _platform.mnist_cache_file()
    cache = found or _platform.keras_cache_dir() / "datasets" / "mnist.npz"
    details = {"KERASNOTES_MNIST": env, "keras_cache": str(cache), "source": None}
    example = (
        "/path/to/mnist.npz" if not sys.platform.startswith("win") else r"C:\path\to\mnist.npz"
    )
    if env:
        if _is_mnist(Path(env)):
            details["source"] = "KERASNOTES_MNIST"
            return Check("MNIST offline", "ok", f"KERASNOTES_MNIST={env}", "", details)
        return Check(
            "MNIST offline",
            "warning",
            f"KERASNOTES_MNIST={env} is neither an MNIST .npz (keys {sorted(MNIST_KEYS)}) nor a "
            "folder of MNIST IDX files: load_mnist() raises instead of falling back",
            f"point it at a real copy ({_platform.set_env_command('KERASNOTES_MNIST', example)}), "
            f"or drop it: {_platform.unset_env_command('KERASNOTES_MNIST')}",
            details,
        )
    if found is not None:
        details["source"] = "keras_cache"
        return Check("MNIST offline", "ok", f"Keras' cache {cache}", "", details)
    fix = (
        f"{_platform.set_env_command('KERASNOTES_MNIST', example)}   (a Keras-layout .npz), or once online: "
        'python -c "import keras; keras.datasets.mnist.load_data()"'
    )
    if _dist_version("scikit-learn"):
        details["source"] = "sklearn_digits"
        return Check(
            "MNIST offline",
            "warning",
            "no MNIST file; lessons fall back to scikit-learn's 8x8 digits upscaled to 28x28",
            fix,
            details,
        )
    return Check(
        "MNIST offline",
        "warning",
        "no MNIST file and no scikit-learn fallback: the MNIST lessons will fail offline",
        fix + f"\nor: {_pip('scikit-learn')}",
        details,
    )
