"""Pictures: model diagrams that explain what is missing, and training curves.

``keras.utils.plot_model`` needs two things besides Keras: the ``pydot`` package
and Graphviz's ``dot`` program on ``PATH``. When either is missing, Keras raises a
bare ``ImportError`` in a script, and in Jupyter only *prints* a line and returns
``None``. :func:`check_plot_model` says exactly which part is missing and how to
install it on this platform; :func:`plot_model` raises one clear error instead.

Importing this module imports neither Keras, pydot nor matplotlib.

Example:
    >>> print(PlotModelCheck(ok=False, problems=["no dot"], fixes=["brew install graphviz"]))
    plot_model: NOT available
      pydot: not installed
      dot:   not on PATH
      problem: no dot
      fix:     brew install graphviz
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasnotes import _platform

__all__ = [
    "PlotModelCheck",
    "PlotModelUnavailableError",
    "check_plot_model",
    "plot_history",
    "plot_model",
]

# Where Graphviz usually lands when its installer did not add it to PATH.
_DOT_CANDIDATES = {
    "win32": [
        r"C:\Program Files\Graphviz\bin\dot.exe",
        r"C:\Program Files (x86)\Graphviz\bin\dot.exe",
        r"C:\ProgramData\chocolatey\bin\dot.exe",
    ],
    "darwin": ["/opt/homebrew/bin/dot", "/usr/local/bin/dot", "/opt/local/bin/dot"],
    "linux": ["/usr/bin/dot", "/usr/local/bin/dot", "/snap/bin/dot"],
}


@dataclass
class PlotModelCheck:
    """The result of :func:`check_plot_model`.

    Attributes:
        ok: ``True`` when a real render worked, so ``plot_model`` will work.
        problems: What is wrong, one sentence each (empty when ``ok``).
        fixes: Commands that fix it, this platform's first.
        pydot_version: The installed pydot version, or ``None``.
        dot_path: Path of Graphviz's ``dot`` found on PATH, or ``None``.
        dot_version: The version ``dot -V`` reports (e.g. ``"2.43.0"``), or ``None``.
        platform: ``sys.platform`` plus ``"+conda"`` inside a conda environment.
    """

    ok: bool
    problems: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    pydot_version: str | None = None
    dot_path: str | None = None
    dot_version: str | None = None
    platform: str = sys.platform

    def __str__(self) -> str:
        head = "plot_model: ready" if self.ok else "plot_model: NOT available"
        lines = [
            head,
            f"  pydot: {self.pydot_version or 'not installed'}",
            f"  dot:   {self.dot_path or 'not on PATH'}"
            + (f" (version {self.dot_version})" if self.dot_version else ""),
        ]
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [f"  fix:     {f}" for f in self.fixes]
        return "\n".join(lines)


class PlotModelUnavailableError(ImportError):
    """``plot_model`` cannot render: pydot or Graphviz is missing. ``.check`` has the details."""

    def __init__(self, check: PlotModelCheck) -> None:
        self.check = check
        super().__init__(
            "plot_model needs pydot and Graphviz's `dot`, and they are not both working:\n"
            + "\n".join(f"- {p}" for p in check.problems)
            + "\nHow to fix it:\n"
            + "\n".join(f"- {f}" for f in check.fixes)
            + "\n(Without Graphviz, keras.utils.model_to_dot(model).to_string() still gives "
            "the DOT text, and model.summary() a table.)"
        )


def check_plot_model() -> PlotModelCheck:
    """Check whether ``keras.utils.plot_model`` can work here, and say how to fix it.

    It checks that pydot imports, that ``dot`` is on ``PATH`` (and if not, whether
    Graphviz is installed somewhere off the PATH), reads ``dot -V``, and renders an
    empty graph to PNG through pydot, which is what Keras itself tries.

    Returns:
        A :class:`PlotModelCheck`; ``print()`` it for a readable report.

    Example:
        >>> import os
        >>> saved, os.environ["PATH"] = os.environ["PATH"], ""  # hide every program
        >>> check = check_plot_model()
        >>> os.environ["PATH"] = saved
        >>> check.ok, check.dot_path, len(check.problems) >= 1
        (False, None, True)
    """
    key = (
        "win32"
        if sys.platform.startswith("win")
        else "darwin"
        if sys.platform == "darwin"
        else "linux"
    )
    problems: list[str] = []
    fixes: list[str] = []
    pydot_version = None
    pydot: Any
    try:
        import pydot
    except ImportError as exc:
        pydot = None
        problems.append(f"the Python package pydot is not installed ({exc})")
        fixes.append(
            f"{sys.executable} -m pip install pydot   (conda: conda install -c conda-forge pydot)"
        )
    else:
        pydot_version = str(getattr(pydot, "__version__", "unknown"))

    dot_path = shutil.which("dot")
    dot_version = _platform.dot_version(dot_path) if dot_path else None
    if dot_path is None:
        off_path = next((c for c in _DOT_CANDIDATES.get(key, []) if Path(c).is_file()), None)
        if off_path is not None:
            folder = str(Path(off_path).parent)
            problems.append(f"Graphviz is installed at {off_path} but its folder is not on PATH")
            if key == "win32":
                fixes.append(
                    f'add "{folder}" to PATH (Settings > Environment variables), or in this '
                    f'session: os.environ["PATH"] += os.pathsep + r"{folder}"'
                )
            else:
                fixes.append(
                    f'export PATH="{folder}:$PATH"   (or in Python: os.environ["PATH"] += ":{folder}")'
                )
        else:
            problems.append("Graphviz's `dot` program is not installed (or not on PATH)")
            fixes.extend(_platform.graphviz_install_hints())
            fixes.append(
                "pip cannot install Graphviz itself: it is a system program, not a Python package"
            )
    elif dot_version is None:
        problems.append(f"`{dot_path} -V` did not run: the Graphviz install looks broken")
        fixes.extend(_platform.graphviz_install_hints())

    if pydot is not None and dot_path is not None and not problems:
        try:
            png = pydot.Dot(graph_type="digraph").create(format="png")
        except Exception as exc:  # pydot raises OSError, PydotException, AssertionError...
            problems.append(f"rendering an empty graph failed: {type(exc).__name__}: {exc}")
            fixes.extend(_platform.graphviz_install_hints())
        else:
            if not png.startswith(b"\x89PNG"):
                problems.append("rendering an empty graph did not produce a PNG")
                fixes.extend(_platform.graphviz_install_hints())

    return PlotModelCheck(
        ok=not problems,
        problems=problems,
        fixes=fixes,
        pydot_version=pydot_version,
        dot_path=dot_path,
        dot_version=dot_version,
        platform=sys.platform + ("+conda" if _platform.in_conda() else ""),
    )


def plot_model(model: Any, to_file: str | os.PathLike[str] = "model.png", **kwargs: Any) -> Any:
    """Draw a model with ``keras.utils.plot_model``, or say exactly what is missing.

    Args:
        model: A built ``keras.Model`` (e.g. ``Sequential`` starting with ``keras.Input``).
        to_file: Output file; the extension picks the format (``.png``, ``.svg``, ``.pdf``...).
        **kwargs: Passed to ``keras.utils.plot_model`` (``show_shapes=True``,
            ``show_layer_names=True`` - it defaults to False in Keras 3 -, ``rankdir``, ``dpi``...).

    Returns:
        What Keras returns: an ``IPython.display.Image`` when IPython is
        installed (it shows inline in Jupyter), else ``None``. The file is written.
        For ``.svg`` files, an ``IPython.display.SVG`` (Keras 3.15 itself raises
        ``ValueError: Cannot embed the 'svg' image format`` there, after writing).

    Raises:
        TypeError: ``model`` is not a Keras model.
        PlotModelUnavailableError: pydot or Graphviz is missing (an ``ImportError``
            listing the problems and the install commands), instead of Keras'
            bare error or, in Jupyter, a printed line and ``None``.
        ValueError: From Keras, for an unknown keyword argument or an unbuilt model.

    Example:
        >>> import tempfile, pathlib, keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "model.png"
        >>> if check_plot_model().ok:
        ...     _ = plot_model(model, to_file=out, show_shapes=True)
        ...     assert out.read_bytes().startswith(b"\\x89PNG")
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"plot_model: model must be a keras.Model; received {type(model).__name__}. "
            "For a single layer, wrap it: keras.Sequential([keras.Input(shape), layer])."
        )
    check = check_plot_model()
    if not check.ok:
        raise PlotModelUnavailableError(check)
    try:
        return keras.utils.plot_model(model, to_file=str(to_file), **kwargs)
    except ValueError as exc:
        # Keras 3.15 writes an .svg fine, then fails wrapping it in IPython's Image
        # ("Cannot embed the 'svg' image format"): return an SVG display object instead.
        if "Cannot embed" in str(exc) and Path(to_file).is_file():
            try:
                from IPython.display import SVG
            except ImportError:  # pragma: no cover - IPython is what raised
                return None
            return SVG(filename=str(to_file))  # type: ignore[no-untyped-call]  # IPython is untyped
        raise


def plot_history(history: Any, *, title: str | None = None) -> Any:
    """Plot training curves: one panel per metric, train vs ``val_`` curve.

    Args:
        history: The ``History`` returned by ``model.fit`` or its ``.history`` dict
            (``{"loss": [...], "val_loss": [...], "accuracy": [...], ...}``).
            A ``learning_rate`` entry gets its own panel.
        title: Optional figure title.

    Returns:
        A ``matplotlib.figure.Figure`` (call ``plt.show()`` in a notebook, or
        ``fig.savefig(...)``). Each axes has ``"train"`` and, when present,
        ``"validation"`` lines; x is the epoch number starting at 1.

    Raises:
        TypeError: ``history`` is neither a History nor a dict, or a value is not a
            list of numbers.
        ValueError: The dict is empty, or its lists have different lengths.

    Example:
        >>> fig = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]})
        >>> [ax.get_title() for ax in fig.axes]
        ['loss']
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['train', 'validation']
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise TypeError(
            "plot_history: pass the History returned by model.fit or its .history dict; "
            f"received {type(history).__name__}"
        )
    if not logs:
        raise ValueError(
            "plot_history: the history is empty (was fit() run with epochs >= 1?); received {}"
        )
    series: dict[str, list[float]] = {}
    for key, values in logs.items():
        try:
            series[str(key)] = [float(v) for v in values]
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"plot_history: history[{key!r}] must be a list of numbers; received {values!r}"
            ) from exc
    lengths = {k: len(v) for k, v in series.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"plot_history: the curves have different lengths: {lengths}")

    import matplotlib.pyplot as plt

    names = [k for k in series if not k.startswith("val_")]
    names += [k[4:] for k in series if k.startswith("val_") and k[4:] not in series]
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        if name in series:
            epochs = range(1, len(series[name]) + 1)
            ax.plot(epochs, series[name], "o-", label="train", markersize=3)
        if f"val_{name}" in series:
            epochs = range(1, len(series[f"val_{name}"]) + 1)
            ax.plot(epochs, series[f"val_{name}"], "s--", label="validation", markersize=3)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
