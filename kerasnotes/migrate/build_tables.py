"""Build the rule tables from the real APIs (a maintainer's tool, run by hand).

``python -m kerasnotes.migrate.build_tables Keras-2.2.4.tar.gz Keras-2.3.1.tar.gz``
reads the Keras 2 sources inside the sdists with :mod:`ast` (never importing or
running them), lists their public names and the defaults of every public class
and function, compares them with the installed Keras 3 (``inspect.signature``),
and writes :mod:`kerasnotes.migrate.rules.keras2_api` with the provenance of each
entry. ``tests/test_migrate_tables.py`` re-checks every entry against the
installed Keras. Get the sdists with ``pip download --no-deps keras==2.2.4``.

Example:
    >>> import ast
    >>> tree = ast.parse("class SGD(Optimizer):\\n    def __init__(self, lr=0.01, **kw): pass\\n")
    >>> keras2_defaults(tree.body[0])
    {'lr': 0.01}
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import sys
import tarfile
from pathlib import Path
from typing import cast

__all__ = ["PUBLIC_MODULES", "Keras2Source", "keras2_defaults", "keras2_positions", "main"]

#: The Keras 2 modules whose public names are compared (``keras.`` prefix omitted).
PUBLIC_MODULES = (
    "activations", "callbacks", "constraints", "initializers", "layers", "losses", "metrics",
    "models", "optimizers", "regularizers", "utils", "preprocessing.image",
    "preprocessing.sequence", "preprocessing.text",
)  # fmt: skip
#: Keras 2 argument names that Keras 3 spells differently (compared under the new name).
RENAMED_ARGS = {"lr": "learning_rate"}
#: Default pairs that differ in spelling only (same behaviour), with the reason.
EQUIVALENT = {
    ("data_format", "channels_last", None): "None reads keras.config.image_data_format(), "
    "channels_last unless configured",
    ("sparse", False, None): "None means not sparse",
    ("log_dir", "./logs", "logs"): "the same folder, relative to the working directory",
    ("alpha_initializer", "zeros", "Zeros"): "the same initializer, by another name",
    ("distribution", "normal", "truncated_normal"): "Keras 2's 'normal' drew from a truncated "
    "normal (keras/initializers.py, VarianceScaling.__call__)",
}
#: Helpers that leaked into a module's namespace by an import (never documented API).
_LEAKED_FROM = ("keras/utils/generic_utils.py", "keras/engine/training_utils.py")
#: Removed names whose replacement is not the alias target (hand-written advice).
ADVICE = {
    "keras.layers.CuDNNLSTM": "keras.layers.LSTM (uses cuDNN when it can)",
    "keras.layers.CuDNNGRU": "keras.layers.GRU (uses cuDNN when it can; reset_after=True)",
    "keras.layers.AtrousConvolution1D": "keras.layers.Conv1D(dilation_rate=...)",
    "keras.layers.AtrousConvolution2D": "keras.layers.Conv2D(dilation_rate=...)",
    "keras.layers.AtrousConv1D": "keras.layers.Conv1D(dilation_rate=...)",
    "keras.layers.AtrousConv2D": "keras.layers.Conv2D(dilation_rate=...)",
    "keras.layers.ThresholdedReLU": "keras.layers.ReLU(threshold=...)",
    "keras.losses.cosine_proximity": "keras.losses.cosine_similarity (its sign is flipped)",
    "keras.losses.cosine": "keras.losses.cosine_similarity (its sign is flipped)",
    "keras.metrics.cosine_proximity": "keras.metrics.CosineSimilarity",
    "keras.losses.logcosh": "keras.losses.log_cosh",
    "keras.metrics.logcosh": "keras.losses.log_cosh",
    "keras.losses.kullback_leibler_divergence": "keras.losses.kl_divergence",
    "keras.losses.kld": "keras.losses.kl_divergence",
    "keras.losses.KLD": "keras.losses.kl_divergence",
    "keras.metrics.kullback_leibler_divergence": "keras.losses.kl_divergence",
    "keras.utils.HDF5Matrix": "numpy arrays or tf.data (read the file with h5py)",
    "keras.utils.print_summary": "model.summary()",
    "keras.models.Input": "keras.Input",
    "keras.models.InputLayer": "keras.layers.InputLayer",
    "keras.models.model_from_config": "keras.models.model_from_json / keras.saving.deserialize_keras_object",
}


def keras2_positions(node: ast.ClassDef | ast.FunctionDef) -> dict[str, int]:
    """Argument name -> its position in a call (``self`` not counted)."""
    func = _init(node)
    if func is None:
        return {}
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    if isinstance(node, ast.ClassDef) and names[:1] == ["self"]:
        names = names[1:]
    return {name: i for i, name in enumerate(names)}


def _init(node: ast.ClassDef | ast.FunctionDef) -> ast.FunctionDef | None:
    if isinstance(node, ast.FunctionDef):
        return node
    return next(
        (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
    )


def keras2_defaults(node: ast.ClassDef | ast.FunctionDef) -> dict[str, object]:
    """Literal defaults of a class's ``__init__`` (or a function's own), by name."""
    func: ast.AST | None = node
    if isinstance(node, ast.ClassDef):
        func = next(
            (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
            None,
        )
    if not isinstance(func, ast.FunctionDef):
        return {}
    args = func.args
    positional = args.posonlyargs + args.args
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [
        (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
    ]
    out: dict[str, object] = {}
    for arg, default in pairs:
        try:
            out[arg.arg] = ast.literal_eval(default)
        except ValueError:
            continue  # not a literal (e.g. K.epsilon()): not compared
    return out


class Keras2Source:
    """The ``keras/`` package of a Keras 2 sdist, read as text."""

    def __init__(self, sdist: Path) -> None:
        self.version = sdist.name.split("-")[1].removesuffix(".tar.gz")
        self.files: dict[str, str] = {}
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                parts = member.name.split("/", 1)
                if (
                    len(parts) == 2
                    and parts[1].startswith("keras/")
                    and member.name.endswith(".py")
                ):
                    handle = tar.extractfile(member)
                    if handle is not None:
                        self.files[parts[1]] = handle.read().decode("utf-8")
        self._cache: dict[str, dict[str, tuple[str, ast.AST]]] = {}

    def module_file(self, module: str) -> str | None:
        base = "keras/" + module.replace(".", "/") if module else "keras"
        for name in (base + ".py", base + "/__init__.py"):
            if name in self.files:
                return name
        return None

    def public(self, module: str) -> dict[str, tuple[str, ast.AST]]:
        """Public name -> (file it is defined in, its class/function node)."""
        if module in self._cache:
            return self._cache[module]
        self._cache[module] = {}
        path = self.module_file(module)
        if path is None:
            return {}
        tree = ast.parse(self.files[path])
        found: dict[str, tuple[str, ast.AST]] = {}
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        for stmt in tree.body:
            if isinstance(stmt, (ast.ClassDef, ast.FunctionDef)):
                found[stmt.name] = (path, stmt)
            elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name):
                target = found.get(stmt.value.id)
                for name in stmt.targets:
                    if isinstance(name, ast.Name) and target is not None:
                        found[name.id] = target
            elif isinstance(stmt, ast.ImportFrom):
                found.update(self._imported(stmt, package))
        result = {k: v for k, v in found.items() if not k.startswith("_")}
        self._cache[module] = result
        return result

    def _imported(self, stmt: ast.ImportFrom, package: str) -> dict[str, tuple[str, ast.AST]]:
        if stmt.level:
            parts = package.split(".") if package else []
            base = parts[: len(parts) - (stmt.level - 1)] if stmt.level > 1 else parts
            source = ".".join([*base, *(stmt.module.split(".") if stmt.module else [])])
        elif stmt.module and stmt.module.startswith("keras."):
            source = stmt.module[len("keras.") :]
        else:
            return {}
        names = self.public(source)
        out = {}
        for alias in stmt.names:
            if alias.name == "*":
                out.update(names)
            elif alias.name in names:
                out[alias.asname or alias.name] = names[alias.name]
        return out


def _keras3_defaults(obj: object) -> dict[str, object] | None:
    if not callable(obj):  # what inspect.signature raises TypeError for
        return None
    try:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    return {
        n: p.default
        for n, p in sig.parameters.items()
        if p.default is not inspect.Parameter.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def _same(old: object, new: object) -> bool:
    if (
        isinstance(old, (int, float))
        and isinstance(new, (int, float))
        and not (isinstance(old, bool) or isinstance(new, bool))
    ):
        return abs(float(old) - float(new)) <= 1e-12 * max(1.0, abs(float(old)))
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return list(old) == list(new)
    return old == new


#: Removed names: ``keras.module.Name`` -> ``source``, ``versions``, maybe ``replacement``.
RemovedTable = dict[str, dict[str, str]]
#: Changed defaults: ``(keras.module.Name, argument)`` -> ``keras2``, ``keras3``,
#: ``versions``, ``position``, ``source``, maybe ``later`` (release -> its own Keras 2
#: value, when a later release listed in ``versions`` had another one).
ChangesTable = dict[tuple[str, str], dict[str, object]]


def compare(sources: list[Keras2Source]) -> tuple[RemovedTable, ChangesTable]:
    """``(removed names, default changes)`` of these Keras 2 versions against installed Keras."""

    removed: RemovedTable = {}
    changes: ChangesTable = {}
    for src in sources:
        for module in PUBLIC_MODULES:
            try:
                k3 = importlib.import_module(f"keras.{module}")
            except ImportError:
                k3 = None
            for name, (path, node) in sorted(src.public(module).items()):
                dotted = f"keras.{module}.{name}"
                where = f"Keras {src.version} {path}, {getattr(node, 'name', name)}"
                new = getattr(k3, name, None) if k3 is not None else None
                if new is None and (
                    path in _LEAKED_FROM or (name == "Layer" and module != "layers")
                ):
                    continue
                if new is None:
                    entry = removed.setdefault(dotted, {"source": where, "versions": ""})
                    entry["versions"] = " ".join(filter(None, [entry["versions"], src.version]))
                    original = getattr(node, "name", name)
                    if original != name and k3 is not None and hasattr(k3, original):
                        entry["replacement"] = f"keras.{module}.{original}"
                    if dotted in ADVICE:
                        entry["replacement"] = ADVICE[dotted]
                    continue
                if not isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                    continue
                new_defaults = _keras3_defaults(new)
                if new_defaults is None:
                    continue
                for arg, old in keras2_defaults(node).items():
                    arg3 = RENAMED_ARGS.get(arg, arg)
                    if old is None or arg3 not in new_defaults:
                        continue  # None means "computed" in Keras 2; a removed arg is KN4xx
                    value = new_defaults[arg3]
                    if not isinstance(value, (str, int, float, bool, tuple, type(None))):
                        continue
                    if isinstance(old, (tuple, list)) and value in (1, (1, 1)) and set(old) == {1}:
                        continue  # (1, 1) and 1 are the same stride/dilation
                    if (
                        arg3 == "padding"
                        and isinstance(value, tuple)
                        and isinstance(old, (tuple, list))
                        and all(p == (old[0], old[0]) for p in value)
                    ):
                        continue  # ZeroPadding3D: (1, 1, 1) normalised to pairs
                    if (arg3, old, value) in EQUIVALENT:
                        continue
                    if not _same(old, value):
                        change = changes.setdefault((dotted, arg3), {
                            "keras2": old, "keras3": value, "versions": "",
                            "position": keras2_positions(node).get(arg, -1),
                            "source": f"{where}.__init__({arg}={old!r})",
                        })  # fmt: skip
                        change["versions"] = " ".join(
                            filter(None, [str(change["versions"]), src.version])
                        )
                        if not _same(old, change["keras2"]):  # a later release moved it again
                            later = cast("dict[str, object]", change.setdefault("later", {}))
                            later[src.version] = old
    return removed, changes


def _later(change: dict[str, object]) -> str:
    later = cast("dict[str, object]", change.get("later", {}))
    return f", later={tuple(sorted(later.items()))!r}" if later else ""


def render(removed: RemovedTable, changes: ChangesTable, sources: list[Keras2Source]) -> str:
    """The text of ``rules/keras2_api.py``."""
    import keras

    versions = ", ".join(s.version for s in sources)
    lines = [
        '"""Generated: the Keras 2 public API compared with Keras 3 (data only; do not edit).',
        "",
        f"Source: the ``keras/`` sources of the Keras {versions} sdists on PyPI, read with",
        f"``ast`` (never imported), compared with the installed Keras {keras.__version__} by",
        "``python -m kerasnotes.migrate.build_tables``. Each entry cites the Keras 2 file",
        "and definition it came from; ``tests/test_migrate_tables.py`` re-checks every entry",
        "against the installed Keras.",
        "",
        "Example:",
        "    >>> DEFAULT_CHANGES[('keras.optimizers.Adadelta', 'learning_rate')].keras2",
        "    1.0",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "",
        '__all__ = ["DEFAULT_CHANGES", "KERAS3_VERSION", "REMOVED_NAMES", "DefaultChange", '
        '"RemovedName"]',
        "",
        f"KERAS3_VERSION = {keras.__version__!r}",
        "",
        "",
        "@dataclass(frozen=True)",
        "class DefaultChange:",
        '    """A default that differs: Keras 2 value, Keras 3 value, where it was read."""',
        "",
        "    keras2: object",
        "    keras3: object",
        "    position: int  # where a positional argument gives it in Keras 2 (-1: keyword only)",
        "    versions: str",
        "    source: str",
        "    later: tuple[tuple[str, object], ...] = ()  # (release, its value) if not keras2",
        "",
        "    def keras2_in(self, release: str) -> object:",
        '        """The Keras 2 default in ``release`` (one of ``versions``)."""',
        "        return dict(self.later).get(release, self.keras2)",
        "",
        "",
        "@dataclass(frozen=True)",
        "class RemovedName:",
        '    """A Keras 2 public name missing from Keras 3 (and its Keras 3 spelling, if any)."""',
        "",
        "    versions: str",
        "    source: str",
        '    replacement: str = ""',
        "",
        "",
        "D = DefaultChange",
        "R = RemovedName",
        "DEFAULT_CHANGES: dict[tuple[str, str], DefaultChange] = {",
    ]
    for (dotted, arg), c in sorted(changes.items()):
        lines.append(
            f"    ({dotted!r}, {arg!r}): D({c['keras2']!r}, {c['keras3']!r}, {c['position']}, "
            f"{c['versions']!r}, {c['source']!r}{_later(c)}),"
        )
    lines += ["}", "REMOVED_NAMES: dict[str, RemovedName] = {"]
    for dotted, r in sorted(removed.items()):
        extra = f", {r['replacement']!r}" if r.get("replacement") else ""
        lines.append(f"    {dotted!r}: R({r['versions']!r}, {r['source']!r}{extra}),")
    lines += ["}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write ``rules/keras2_api.py`` from Keras 2 sdists; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m kerasnotes.migrate.build_tables")
    parser.add_argument("sdists", nargs="+", type=Path, help="Keras-2.x.y.tar.gz files")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "rules" / "keras2_api.py")  # fmt: skip
    args = parser.parse_args(argv)
    for sdist in args.sdists:
        if not sdist.is_file():
            parser.error(
                f"no such sdist: {str(sdist)!r}; get it with pip download --no-deps keras==2.2.4"
            )
    sources = [Keras2Source(s) for s in args.sdists]
    removed, changes = compare(sources)
    args.out.write_text(render(removed, changes, sources), encoding="utf-8")
    print(f"wrote {args.out}: {len(removed)} removed names, {len(changes)} changed defaults")
    return 0


if __name__ == "__main__":
    sys.exit(main())
