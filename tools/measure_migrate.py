"""Measure ``kerasnotes migrate`` against ground truth obtained by running old code.

    .venv/bin/python tools/measure_migrate.py CORPUS_DIR [--json OUT] [--only NAME ...]

``CORPUS_DIR`` is an unpacked Keras 2 sdist (``pip download --no-deps --no-binary
:all: keras==2.2.4``, then ``tar xzf``): its ``examples/*.py`` are the corpus and its
``keras/`` sources are the Keras 2 API the silent changes are read from. Nothing is
downloaded; the corpus is read and run, never copied. The checker is told which Keras
the scripts were written for with ``--keras-version`` (default: the version in the
corpus folder's name, so ``Keras-2.3.1`` is scanned as Keras 2.3 code).

The ground truth comes from two oracles that share no code with the checker:

* **hard breaks, by running**: each script runs under the installed Keras 3 in a
  child process, one top-level statement at a time (``from m import a, b`` split
  per name), with the dataset loaders stubbed to tiny offline arrays, ``fit``
  capped at one epoch and two steps, top-level ``epochs``-like integers capped at 1
  and the network closed. A statement that raises is a hard break at the innermost
  line of the script in its traceback, unless it read a name that an earlier
  failure left unbound (a consequence, not counted) or the failure was missing data
  or network (a limit of the run, reported). The failing line is then skipped (its
  targets bound to a placeholder) and the statement, or the function defining that
  line, runs again, so later lines are still reached. The placeholder records every
  script line that uses it: such a line never showed Keras its real call and is not
  judged, and what a statement that used it assigned or changed is tainted too. An
  error raised inside a stock callback counts at the line that built the callback; a
  callback that no fit ever used is not judged. Keras' own warnings that it ignores
  an argument or cannot find a monitored metric are silent changes at run time. The
  body of an ``if __name__ == '__main__':`` guard runs as top-level statements, and
  ``--rows N`` cuts every stubbed dataset split to N rows (for a script's own
  training loop; the recall runs keep the real sizes).
* **silent changes, by reading both APIs**: every call in the script whose callee
  resolves, through the script's imports, to a Keras 2.2.4 public class or function
  (read from the sdist with :mod:`ast`) or to a Keras ``Model`` method, has its
  arguments bound to the Keras 2 signature; each parameter the call leaves to its
  default is compared with the installed Keras 3 default of the same parameter.
  A different value is a silent change on that line. ``compile(optimizer='name')``
  counts as a call of that optimizer. A keyword the call gives that Keras 3 only
  accepts to warn that it ignores it (``decay=``) is a silent change too: the class is
  built with that keyword alone and Keras' warnings are read. At run time, a model whose trainable weights
  differ between its ``compile()`` and its training (``trainable`` set after
  compile) is a silent change at the line that set ``trainable``.

Lines are compared per statement (a finding anywhere in a multi-line statement
matches a break anywhere in it). Recall = ground-truth statements with a finding
of the same kind / ground-truth statements. Precision = findings on statements the
oracle judged (ran, or read statically) that are ground truth of the same kind /
judged findings; statements not reached and consequences of an earlier failure
are not judged, and their count is printed.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import importlib
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_EPOCH_NAMES = re.compile(r"(epoch|iteration|num_steps|steps$|nb_step)", re.IGNORECASE)
#: Parameters whose default only changes what is printed, not what is computed.
_PRESENTATION_ONLY = {"verbose", "width"}  # width: of the progress bar
#: Keras 2 parameter -> its Keras 3 name, where only the name changed.
_RENAMED_PARAMS = {"lr": "learning_rate"}
_MODEL_METHODS = (
    "compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
    "predict_on_batch", "save", "save_weights", "load_weights",
)  # fmt: skip


# ----------------------------------------------------------------------- statement map


def statement_starts(tree: ast.Module) -> dict[int, int]:
    """Line -> first line of the innermost statement (header, for a compound one)."""
    out: dict[int, int] = {}

    def visit(stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            bodies = [
                getattr(stmt, name)
                for name in ("body", "orelse", "finalbody", "handlers")
                if isinstance(getattr(stmt, name, None), list)
            ]
            end = stmt.end_lineno or stmt.lineno
            inner = [s for b in bodies for s in b if isinstance(s, ast.stmt)]
            header_end = min((s.lineno for s in inner), default=end + 1) - 1 if inner else end
            for line in range(stmt.lineno, max(header_end, stmt.lineno) + 1):
                out[line] = stmt.lineno
            for body in bodies:
                visit([s for s in body if isinstance(s, ast.stmt)])
                for handler in body:
                    if isinstance(handler, ast.ExceptHandler):
                        visit(handler.body)

    visit(tree.body)
    return out


# ---------------------------------------------------------------- Keras 2 source reader


class Keras2Source:
    """The ``keras/`` package of a Keras 2 sdist, resolved with ``ast`` (never imported)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._trees: dict[str, ast.Module | None] = {}

    def _tree(self, module: str) -> ast.Module | None:
        if module not in self._trees:
            parts = module.split(".")
            base = self.root.joinpath(*parts)
            path = (
                base.with_suffix(".py")
                if base.with_suffix(".py").is_file()
                else base / "__init__.py"
            )
            self._trees[module] = ast.parse(path.read_text("utf-8")) if path.is_file() else None
        return self._trees[module]

    @staticmethod
    def _top(tree: ast.Module) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        todo = list(tree.body)
        while todo:
            stmt = todo.pop(0)
            if isinstance(stmt, (ast.If, ast.Try)):
                todo[:0] = [*stmt.body, *getattr(stmt, "orelse", []),
                            *[s for h in getattr(stmt, "handlers", []) for s in h.body]]  # fmt: skip
            else:
                out.append(stmt)
        return out

    @staticmethod
    def _relative(module: str, node: ast.ImportFrom, is_package: bool) -> str:
        if not node.level:
            return node.module or ""
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        return ".".join(base + ([node.module] if node.module else []))

    def find(self, module: str, name: str, depth: int = 0) -> tuple[str, ast.AST] | None:
        """The definition of ``module.name`` and the module that holds it."""
        tree = self._tree(module)
        if tree is None or depth > 12:
            return None
        is_package = (self.root.joinpath(*module.split(".")) / "__init__.py").is_file()
        for stmt in reversed(self._top(tree)):
            if isinstance(stmt, (ast.ClassDef, ast.FunctionDef)) and stmt.name == name:
                return module, stmt
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets
            ):
                if isinstance(stmt.value, ast.Name) and stmt.value.id != name:
                    return self.find(module, stmt.value.id, depth + 1)
                return None
            if isinstance(stmt, ast.ImportFrom):
                source = self._relative(module, stmt, is_package)
                for alias in stmt.names:
                    if alias.name == "*":
                        hit = self.find(source, name, depth + 1)
                        if hit:
                            return hit
                    elif (alias.asname or alias.name) == name:
                        return self.find(source, alias.name, depth + 1)
        return None

    def signature(self, dotted: str) -> tuple[list[tuple[str, Any]], str] | None:
        """``[(param, default or _REQUIRED)], defining name`` of a class's __init__ or a function."""
        module, _, name = dotted.rpartition(".")
        hit = self.find(module, name)
        if hit is None:
            return None
        where, node = hit
        seen = 0
        while isinstance(node, ast.ClassDef) and seen < 8:
            seen += 1
            init = next((s for s in node.body if isinstance(s, ast.FunctionDef)
                         and s.name == "__init__"), None)  # fmt: skip
            if init is not None:
                return _params(init, skip_first=True), node.name
            base = node.bases[0] if node.bases else None
            if not isinstance(base, ast.Name):
                return None
            found = self.find(where, base.id)
            if found is None:
                return None
            where, node = found
        if isinstance(node, ast.FunctionDef):
            return _params(node, skip_first=False), node.name
        return None

    def method(self, cls: str, method: str) -> list[tuple[str, Any]] | None:
        module, _, name = cls.rpartition(".")
        hit = self.find(module, name)
        seen = 0
        while hit is not None and seen < 8:
            seen += 1
            where, node = hit
            if not isinstance(node, ast.ClassDef):
                return None
            fn = next(
                (s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == method), None
            )
            if fn is not None:
                return _params(fn, skip_first=True)
            base = node.bases[0] if node.bases else None
            hit = self.find(where, base.id) if isinstance(base, ast.Name) else None
        return None


_REQUIRED = object()


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return f"<{ast.unparse(node)}>"


def _params(fn: ast.FunctionDef, skip_first: bool) -> list[tuple[str, Any]]:
    args = [*fn.args.posonlyargs, *fn.args.args]
    if skip_first:
        args = args[1:]
    defaults: list[Any] = [_REQUIRED] * (len(args) - len(fn.args.defaults)) + [
        _literal(d) for d in fn.args.defaults
    ]
    out = [(a.arg, d) for a, d in zip(args, defaults, strict=True)]
    out += [(a.arg, _REQUIRED if d is None else _literal(d))
            for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True)]  # fmt: skip
    return out


# ------------------------------------------------------------ silent oracle (static)


def _aliases(tree: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "keras":
                    out[a.asname or a.name.split(".")[0]] = a.name if a.asname else "keras"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] == "keras":
                for a in node.names:
                    if a.name != "*":
                        out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _keras3_object(k2_dotted: str, k2_name: str, k2_module: str) -> Any:
    """The Keras 3 object for a Keras 2 one: same dotted name, else its family namespace."""
    candidates = [k2_dotted]
    family = k2_module.split(".")[1] if k2_module.count(".") else ""
    spaces = {"layers": "keras.layers", "optimizers": "keras.optimizers", "callbacks": "keras.callbacks",
              "engine": "keras.models", "models": "keras.models", "losses": "keras.losses",
              "metrics": "keras.metrics", "initializers": "keras.initializers",
              "regularizers": "keras.regularizers", "utils": "keras.utils", "backend": "keras.backend",
              "constraints": "keras.constraints", "activations": "keras.activations"}  # fmt: skip
    if family in spaces:
        candidates.append(f"{spaces[family]}.{k2_name}")
    for dotted in candidates:
        module, _, name = dotted.rpartition(".")
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
        lower = {n.lower(): n for n in dir(mod)}
        if name.lower() in lower:
            return getattr(mod, lower[name.lower()])
    return None


def _keras3_defaults(obj: Any) -> dict[str, Any] | None:
    try:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    return {
        n: p.default for n, p in sig.parameters.items() if p.default is not inspect.Parameter.empty
    }


def _resolved(param: str, value: Any) -> Any:
    """What a default means once the library resolves it (None = the global setting)."""
    if value is None and param == "epsilon":
        return 1e-07  # keras.config.epsilon(), as Keras 2's K.epsilon()
    if value is None and param == "data_format":
        return "channels_last"  # keras.config.image_data_format(), as Keras 2
    if value is None and param == "sparse":
        return False
    if isinstance(value, str) and param.endswith("dir"):
        return os.path.normpath(value)
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, int) and not isinstance(b, bool):
        return all(_same(x, b) for x in a)
    if isinstance(b, tuple) and isinstance(a, int) and not isinstance(a, bool):
        return _same(b, a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(a)))
    return type(a) is type(b) and a == b


def _ignored_keywords(obj: Any, call: ast.Call, k2_params: list[tuple[str, Any]]) -> list[str]:
    """Keywords of ``call`` that Keras 2 honoured and the installed Keras 3 says it ignores.

    The experiment: build the Keras 3 class with that keyword alone (its literal
    value) and read Keras' own warnings. A keyword Keras 3 refuses, or a class that
    needs other arguments, gives nothing here (that is the run's business).
    """
    if not inspect.isclass(obj):
        return []
    known = {name for name, _ in k2_params}
    k3 = _keras3_defaults(obj) or {}
    out = []
    for keyword in call.keywords:
        new = _RENAMED_PARAMS.get(keyword.arg or "", keyword.arg or "")
        if keyword.arg not in known or new in k3:
            continue
        try:
            value = ast.literal_eval(keyword.value)
        except ValueError:
            continue
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                obj(**{new: value})
            except Exception:  # noqa: BLE001, S112 - refused or incomplete: not silent
                continue
        for w in seen:
            text = str(w.message)
            if _IGNORED_WARNINGS.search(text) and new in text:
                out.append(f"{obj.__name__}({new}=) Keras 3 warns: {text[:100]}")
    return out


_OPTIMIZER_STRINGS = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta",
                      "adam": "Adam", "adamax": "Adamax", "nadam": "Nadam"}  # fmt: skip


def silent_changes(tree: ast.Module, k2: Keras2Source) -> list[tuple[int, str]]:
    """``(line, description)`` of each default a call leaves that Keras 3 changed."""
    aliases = _aliases(tree)
    if not aliases:
        return []
    out: list[tuple[int, str]] = []

    def compare(line: int, label: str, k2_params: list[tuple[str, Any]], k3: dict[str, Any] | None,
                given_pos: int, given_kw: set[str]) -> None:  # fmt: skip
        if k3 is None:
            return
        for index, (param, default) in enumerate(k2_params):
            if default is _REQUIRED or index < given_pos or param in given_kw:
                continue
            if param in _PRESENTATION_ONLY or param.startswith("*"):
                continue
            new = _RENAMED_PARAMS.get(param, param)
            if new in given_kw or new not in k3:
                continue
            if not _same(_resolved(param, default), _resolved(new, k3[new])):
                out.append((line, f"{label}({new}=) {default!r} -> {k3[new]!r}"))

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            continue
        given_kw = {k.arg for k in node.keywords if k.arg}
        name = _dotted(node.func)
        if name is not None:
            head, _, rest = name.partition(".")
            if head in aliases:
                full = aliases[head] + ("." + rest if rest else "")
                sig = k2.signature(full)
                if sig is not None:
                    params, k2_name = sig
                    module = full.rpartition(".")[0]
                    obj = _keras3_object(full, k2_name, module)
                    if obj is not None:
                        compare(node.lineno, k2_name, params, _keras3_defaults(obj),
                                len(node.args), given_kw)  # fmt: skip
                        out += [(node.lineno, why) for why in _ignored_keywords(obj, node, params)]
                continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _MODEL_METHODS:
            import keras

            method = node.func.attr
            params2 = k2.method("keras.engine.training.Model", method)
            if params2 is not None and hasattr(keras.Model, method):
                compare(node.lineno, f"Model.{method}", params2,
                        _keras3_defaults(getattr(keras.Model, method)), len(node.args), given_kw)  # fmt: skip
            if method == "compile":
                opt = next((k.value for k in node.keywords if k.arg == "optimizer"),
                           node.args[0] if node.args else None)  # fmt: skip
                if isinstance(opt, ast.Constant) and str(opt.value).lower() in _OPTIMIZER_STRINGS:
                    cls = _OPTIMIZER_STRINGS[str(opt.value).lower()]
                    sig = k2.signature(f"keras.optimizers.{cls}")
                    obj = _keras3_object(f"keras.optimizers.{cls}", cls, "keras.optimizers")
                    if sig is not None and obj is not None:
                        compare(
                            node.lineno, f"'{opt.value}'", sig[0], _keras3_defaults(obj), 0, set()
                        )
    return out


# ------------------------------------------------------------- hard-break oracle (run)


#: Script lines at which a placeholder was used (read, called, iterated...): the
#: real call there never reached Keras, so such a line is not judged.
_TOUCHED: set[int] = set()
_TOUCH_COUNT = [0]


def _touch() -> None:
    _TOUCH_COUNT[0] += 1
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == _SCRIPT:
            _TOUCHED.add(frame.f_lineno)
            return
        frame = frame.f_back  # type: ignore[assignment]


def _changed_objects(stmt: ast.stmt, namespace: dict[str, Any]) -> set[str]:
    """:func:`_changed_names` without modules (``K.foo(...)`` does not change ``K``)."""
    return {n for n in _changed_names(stmt) if not inspect.ismodule(namespace.get(n))}


def _changed_names(stmt: ast.stmt) -> set[str]:
    """Global names a statement binds or changes: ``x =``, ``x[k] =``, ``x.a =``, ``x.m(...)``."""
    out: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                out.add(base.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if isinstance(node.func.value, ast.Name):
                out.add(node.func.value.id)
    return out


class _Unbound:
    """What a failed statement leaves in its targets' place: absorbs everything.

    Every use is recorded (``_TOUCHED``) at the script line that made it.
    """

    def __getattr__(self, name: str) -> _Unbound:
        if name.startswith("__"):
            raise AttributeError(name)
        _touch()
        return self

    def __call__(self, *a: Any, **k: Any) -> _Unbound:
        _touch()
        return self

    def __getitem__(self, key: Any) -> _Unbound:
        _touch()
        return self

    def __iter__(self) -> Any:
        _touch()
        return iter(())

    def __len__(self) -> int:
        _touch()
        return 0

    def __bool__(self) -> bool:
        _touch()
        return False

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __call__


UNBOUND = _Unbound()


class _DataUnavailable(OSError):
    pass


#: ``--rows N`` (passed to the child processes in this variable): every stubbed
#: dataset split has at most N rows, so a script's own training loop (a GAN's
#: ``train_on_batch`` over every batch) runs N / batch_size steps per epoch.
_ROWS_VARIABLE = "MEASURE_MIGRATE_ROWS"


def _stub_datasets() -> None:
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    limit = int(os.environ.get(_ROWS_VARIABLE) or 0)

    def images(shape: tuple[int, ...], classes: int, ydim: bool, sizes: tuple[int, int]) -> Any:
        def load_data(*a: Any, **k: Any) -> Any:
            def part(m: int) -> Any:  # the real sizes (scripts reshape to them); random pixels
                x = rng.integers(0, 255, (m, *shape), dtype=np.uint8)
                y = (np.arange(m) % classes).astype(np.uint8)
                return x, (y.reshape(-1, 1) if ydim else y)

            return part(_cap(sizes[0])), part(_cap(sizes[1]))

        return load_data

    def _cap(m: int) -> int:
        return min(m, limit) if limit else m

    def sequences(classes: int, sizes: tuple[int, int]) -> Any:
        def load_data(
            *a: Any, num_words: int | None = None, maxlen: int | None = None, **k: Any
        ) -> Any:
            top = num_words or 1000

            def part(m: int) -> Any:
                x = np.empty(m, dtype=object)
                for i in range(m):
                    x[i] = [1, *rng.integers(2, top, int(rng.integers(5, maxlen or 40))).tolist()]
                return x, np.arange(m) % classes

            return part(_cap(sizes[0])), part(_cap(sizes[1]))

        return load_data

    ds = keras.datasets
    ds.mnist.load_data = images((28, 28), 10, False, (60000, 10000))
    ds.fashion_mnist.load_data = images((28, 28), 10, False, (60000, 10000))
    ds.cifar10.load_data = images((32, 32, 3), 10, True, (5000, 1000))
    ds.cifar100.load_data = images((32, 32, 3), 100, True, (5000, 1000))
    ds.imdb.load_data = sequences(2, (25000, 25000))
    ds.reuters.load_data = sequences(46, (8982, 2246))
    ds.imdb.get_word_index = lambda *a, **k: {f"w{i}": i for i in range(1, 1000)}
    ds.reuters.get_word_index = ds.imdb.get_word_index

    def no_download(*a: Any, **k: Any) -> Any:
        raise _DataUnavailable("the oracle runs offline: no downloads")

    from keras.src.utils import file_utils

    file_utils.get_file = no_download
    keras.utils.get_file = no_download


_EVENTS: list[dict[str, Any]] = []


def _cap_training_once() -> None:
    """Cap training and watch ``trainable`` (patched once per child process)."""
    import keras

    events = _EVENTS

    fit = keras.Model.fit

    def capped_fit(self: Any, *a: Any, **k: Any) -> Any:
        a, k = _few(a, k)
        if "epochs" in k and isinstance(k["epochs"], int):
            k["epochs"] = min(k["epochs"], 1 + int(k.get("initial_epoch", 0) or 0))
        for key in ("steps_per_epoch", "validation_steps"):
            if isinstance(k.get(key), int):
                k[key] = min(k[key], 2)
        _check_trainable(self, events)
        result = fit(self, *a, **k)
        _trained(self)
        return result

    keras.Model.fit = capped_fit
    for name in ("evaluate",):  # predict sees all rows: scripts reshape its output to them
        method = getattr(keras.Model, name)

        def few(self: Any, *a: Any, _method: Any = method, **k: Any) -> Any:
            a, k = _few(a, k)
            return _method(self, *a, **k)

        setattr(keras.Model, name, few)
    compile_ = keras.Model.compile

    def compile(self: Any, *a: Any, **k: Any) -> Any:
        result = compile_(self, *a, **k)
        self._oracle_trainable = {id(w) for w in self.trainable_weights}
        return result

    keras.Model.compile = compile
    for name in ("train_on_batch",):
        original = getattr(keras.Model, name)

        def wrapped(self: Any, *a: Any, _original: Any = original, **k: Any) -> Any:
            _check_trainable(self, events)
            result = _original(self, *a, **k)
            _trained(self)
            return result

        setattr(keras.Model, name, wrapped)
    prop = keras.Layer.trainable

    def setter(self: Any, value: bool) -> None:
        if isinstance(self, keras.Model):
            line = _script_line(traceback.extract_stack())
            if line:
                _TRAINABLE_SET.append((line, id(self)))
            if line and getattr(self, "_oracle_trainable", None) is not None:
                self.__dict__.setdefault("_oracle_set_lines", []).append(line)
        prop.fset(self, value)

    keras.Layer.trainable = property(prop.fget, setter)

    # A callback's arguments are checked only when a fit uses it: remember where each
    # stock Keras callback was built and whether a fit ever used it.
    callback_init = keras.callbacks.Callback.__init__

    def init(self: Any, *a: Any, **k: Any) -> None:
        callback_init(self, *a, **k)
        if type(self).__module__.startswith("keras.") and "_oracle_line" not in self.__dict__:
            line = _script_line(traceback.extract_stack())
            if line:
                self.__dict__["_oracle_line"] = line
                _CALLBACKS[id(self)] = [line, False]

    keras.callbacks.Callback.__init__ = init
    set_model = keras.callbacks.Callback.set_model

    def used(self: Any, model: Any) -> None:
        if id(self) in _CALLBACKS:
            _CALLBACKS[id(self)][1] = True
        set_model(self, model)

    keras.callbacks.Callback.set_model = used


#: id of a stock callback the script built -> [its line, whether a fit used it].
_CALLBACKS: dict[int, list[Any]] = {}
#: Keras' own warnings that it does not do what the code asked: silent changes seen
#: at run time (Keras 2 honoured the argument, or found the metric).
_IGNORED_WARNINGS = re.compile(
    r"is no longer supported and will be ignored|which is not available|only with \S+ available"
)


def _callback_line(frames: Any) -> int | None:
    """The line that built the stock callback whose method is running in ``frames``."""
    for frame in frames:
        owner = frame.f_locals.get("self")
        line = getattr(owner, "__dict__", {}).get("_oracle_line") if owner is not None else None
        if line:
            return int(line)
    return None


def _on_warning(message: Any, category: Any, filename: str, lineno: int, *_: Any) -> None:
    text = str(message)
    if not _IGNORED_WARNINGS.search(text):
        return
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back  # type: ignore[assignment]
    line = _callback_line(frames) or next(
        (f.f_lineno for f in frames if f.f_code.co_filename == _SCRIPT), None
    )
    if line:
        _EVENTS.append({"kind": "silent", "line": line, "why": f"Keras warns: {text[:140]}"})


_ROWS = 256


def _few(a: tuple[Any, ...], k: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The first rows of every array (and list/tuple of arrays) passed as data."""
    import numpy as np

    def cut(v: Any) -> Any:
        if isinstance(v, np.ndarray) and v.ndim and len(v) > _ROWS:
            return v[:_ROWS]
        if isinstance(v, (list, tuple)) and v and all(isinstance(x, np.ndarray) for x in v):
            return type(v)(cut(x) for x in v)
        if isinstance(v, dict) and v and all(isinstance(x, np.ndarray) for x in v.values()):
            return {key: cut(x) for key, x in v.items()}
        return v

    data = ("x", "y", "sample_weight", "validation_data")
    return tuple(cut(v) for v in a), {key: cut(v) if key in data else v for key, v in k.items()}


#: ``(line, model id)`` of each ``model.trainable = ...``, and the lines a later
#: training of that model observed: only those are judged for a silent change.
_TRAINABLE_SET: list[tuple[int, int]] = []
_TRAINABLE_OBSERVED: set[int] = set()


def _trained(model: Any) -> None:
    """A training call of ``model`` succeeded: its ``trainable`` lines were observed."""
    _TRAINABLE_OBSERVED.update(line for line, mid in _TRAINABLE_SET if mid == id(model))


def _check_trainable(model: Any, events: list[dict[str, Any]]) -> None:
    before = getattr(model, "_oracle_trainable", None)
    lines = model.__dict__.get("_oracle_set_lines")
    if before is None or not lines:
        return
    if {id(w) for w in model.trainable_weights} != before:
        for line in lines:
            events.append({"kind": "silent", "line": line, "why": "trainable set after compile()"})
        model.__dict__["_oracle_set_lines"] = []


_SCRIPT = ""


def _script_line(frames: Any) -> int | None:
    for frame in reversed(frames):
        if frame.filename == _SCRIPT:
            return frame.lineno
    return None


class _Skip(ast.NodeTransformer):
    """Replace the simple statements starting on given lines by binding their targets to UNBOUND."""

    def __init__(self, lines: set[int]) -> None:
        self.lines = lines

    def generic_visit(self, node: ast.AST) -> ast.AST:
        super().generic_visit(node)
        return node

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.stmt) and node.lineno in self.lines and not hasattr(node, "body"):
            names = _bound_names(node)
            new: ast.stmt
            if isinstance(node, ast.Return):
                new = ast.Return(value=ast.Name("__oracle_unbound__", ast.Load()))
            elif names:
                new = ast.Assign(targets=[ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())],
                                 value=ast.Tuple([ast.Name("__oracle_unbound__", ast.Load())] * len(names), ast.Load()))  # fmt: skip
            else:
                new = ast.Pass()
            return ast.copy_location(new, node)
        return super().visit(node)


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    names = []
    for t in targets:
        for sub in ast.walk(t):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.append(sub.id)
    return names


def _reads(node: ast.AST, namespace: dict[str, Any], seen: set[int] | None = None) -> set[str]:
    """Global names a statement reads, through the script's own functions and classes."""
    seen = set() if seen is None else seen
    names = {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    out = set(names)
    todo = list(names)
    while todo:
        value = namespace.get(todo.pop())
        code = getattr(value, "__code__", None)
        if code is None and inspect.isclass(value):
            code = getattr(getattr(value, "__init__", None), "__code__", None)
        if code is None or id(code) in seen or code.co_filename != _SCRIPT:
            continue
        seen.add(id(code))
        stack = [code]
        while stack:
            c = stack.pop()
            for n in c.co_names:
                if n not in out:
                    out.add(n)
                    todo.append(n)
            stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))
    return out


def _timed_out(exc: BaseException) -> bool:
    """Whether the oracle's own time limit is in ``exc``'s chain (e.g. a SystemError)."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, TimeoutError) and "oracle time limit" in str(current):
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def _raising_statement(exc: BaseException) -> ast.stmt | None:
    """The script's own statement that raised ``exc`` (a ``raise`` in the script), if any."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames or frames[-1].filename != _SCRIPT:
        return None
    line = (frames[-1].line or "").strip()
    return ast.Raise() if line.startswith("raise ") or line == "raise" else None


def _is_main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == '__main__':`` without ``else`` (the script runs as __main__)."""
    test = stmt.test if isinstance(stmt, ast.If) and not stmt.orelse else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _split_imports(tree: ast.Module) -> list[ast.stmt]:
    """Top-level statements, one import per name, a ``__main__`` guard's body unrolled.

    The guard is always true here, so its body runs as top-level statements: one at a
    time (a failure skips one statement, not the whole program) and with the
    ``epochs``-like integers capped like any other top-level one.
    """
    out: list[ast.stmt] = []
    todo = list(tree.body)
    while todo:
        stmt = todo.pop(0)
        if _is_main_guard(stmt):
            todo[:0] = stmt.body  # type: ignore[attr-defined]
            continue
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and len(stmt.names) > 1:
            for alias in stmt.names:
                clone = ast.ImportFrom(stmt.module, [alias], stmt.level) if isinstance(
                    stmt, ast.ImportFrom) else ast.Import([alias])  # fmt: skip
                out.append(ast.copy_location(clone, stmt))
        else:
            out.append(stmt)
    return out


#: Scripts that need files named on their command line (images): they get small
#: generated images instead, so the run gets past argument parsing. ``{image}`` /
#: ``{mask}`` / ``{out}`` are replaced by files in a fresh temporary folder.
COMMAND_LINES = {
    "neural_doodle": ["--nlabels", "2", "--style-image", "{image}", "--style-mask", "{mask}",
                      "--target-mask", "{mask}", "--target-image-prefix", "{out}"],
    "neural_style_transfer": ["{image}", "{image}", "{out}", "--iter", "1"],
    "deep_dream": ["{image}", "{out}"],
}  # fmt: skip


def _command_line(stem: str) -> list[str]:
    if stem not in COMMAND_LINES:
        return []
    import tempfile

    import numpy as np
    from PIL import Image

    folder = Path(tempfile.mkdtemp(prefix="measure-migrate-"))
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(folder / "image.png")
    mask = np.zeros((64, 64, 3), dtype=np.uint8)
    mask[:, 32:] = (255, 0, 0)  # two colour regions: two semantic labels
    Image.fromarray(mask).save(folder / "mask.png")
    names = {"{image}": "image.png", "{mask}": "mask.png", "{out}": "out"}
    return [str(folder / names[a]) if a in names else a for a in COMMAND_LINES[stem]]


def run_script(path: Path, timeout: float) -> dict[str, Any]:
    """Run one script statement by statement; its hard breaks, silent events and limits."""
    global _SCRIPT
    _SCRIPT = str(path)
    source = path.read_text("utf-8")
    tree = ast.parse(source)
    stmts = _split_imports(tree)
    events = _EVENTS
    events.clear()
    _TOUCHED.clear()
    _CALLBACKS.clear()
    _TRAINABLE_SET.clear()
    _TRAINABLE_OBSERVED.clear()
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(path),
                                 "__oracle_unbound__": UNBOUND, "__builtins__": builtins}  # fmt: skip
    unbound: set[str] = set()
    skip: set[int] = set()
    ran: set[int] = set()
    deadline = time.monotonic() + timeout
    sys.argv = [str(path), *_command_line(path.stem)]
    os.chdir(path.parent)

    def execute(stmt: ast.stmt) -> None:
        module = ast.Module(body=[_Skip(skip).visit(copy.deepcopy(stmt))], type_ignores=[])
        code = compile(ast.fix_missing_locations(module), str(path), "exec")
        exec(code, namespace)  # noqa: S102 - the corpus is what is measured

    def on_alarm(*_: Any) -> None:
        raise TimeoutError("oracle time limit")

    covered: set[int] = set()

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            covered.add(frame.f_lineno)
        return local

    def global_trace(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename == _SCRIPT:
            covered.add(frame.f_lineno)
            return local
        return None

    sys.settrace(global_trace)
    signal.signal(signal.SIGALRM, on_alarm)
    data_missing = False
    index = 0
    while index < len(stmts):
        stmt = stmts[index]
        if time.monotonic() > deadline:
            events.append({"kind": "limit", "line": stmt.lineno, "why": "time limit: not reached"})
            break
        ran.add(stmt.lineno)
        signal.alarm(max(1, int(deadline - time.monotonic())))
        try:
            touches = _TOUCH_COUNT[0]
            with warnings.catch_warnings():
                warnings.simplefilter("always")
                warnings.showwarning = _on_warning
                execute(stmt)
        except (TimeoutError, EOFError) as exc:
            if isinstance(exc, EOFError):
                events.append({"kind": "limit", "line": stmt.lineno, "why": "waits for input()"})
                index += 1
                continue
            events.append({"kind": "limit", "line": stmt.lineno, "why": "time limit inside"})
            break
        except BaseException as exc:  # noqa: BLE001 - any failure of old code is a finding
            signal.alarm(0)
            if _timed_out(exc):  # the alarm fired inside C code and came back wrapped
                events.append({"kind": "limit", "line": stmt.lineno, "why": "time limit inside"})
                break
            tb_frames = []
            tb = exc.__traceback__
            while tb is not None:
                tb_frames.append(tb.tb_frame)
                tb = tb.tb_next
            # raised inside a stock callback the script built: its arguments are at fault
            line = (
                _callback_line(reversed(tb_frames))
                or _script_line(traceback.extract_tb(exc.__traceback__))
                or stmt.lineno
            )
            names = _reads(stmt, namespace)
            text = f"{type(exc).__name__}: {exc}"
            tainted = (
                bool(names & unbound)
                or isinstance(exc, NameError)  # a name an earlier failure left unbound
                or "_Unbound" in text
                or _TOUCH_COUNT[0] != touches  # it used a placeholder on the way
                or "must call `compile()`" in text  # its compile() failed earlier
                or any(  # the placeholder itself refused an attribute
                    f.filename == __file__ and f.name == "__getattr__"
                    for f in traceback.extract_tb(exc.__traceback__)
                )
            )
            data = isinstance(exc, (_DataUnavailable, FileNotFoundError, ConnectionError)) or (
                isinstance(exc, OSError) and "download" in str(exc)
            )
            environment = (
                isinstance(exc, ModuleNotFoundError)
                and (exc.name or "").split(".")[0] not in ("keras", "tensorflow")
            ) or (isinstance(exc, AttributeError) and "module 'numpy'" in str(exc))
            own_raise = isinstance(_raising_statement(exc), ast.Raise)
            if data or isinstance(exc, SystemExit):  # no data, or no command-line arguments
                data_missing = True
            kind = (
                "limit" if data or environment or own_raise or isinstance(exc, SystemExit)
                else "consequence" if tainted or data_missing
                else "hard"
            )  # fmt: skip
            events.append({"kind": kind, "line": line, "stmt": stmt.lineno,
                           "why": f"{type(exc).__name__}: {str(exc)[:160]}"})  # fmt: skip
            if line not in skip and line != stmt.lineno and len(skip) < 200:
                skip.add(line)
                owner = next(
                    (s for s in stmts if s.lineno <= line <= (s.end_lineno or s.lineno)), None
                )
                if owner is not None and owner is not stmt:
                    try:
                        execute(owner)
                    except BaseException:  # noqa: BLE001
                        pass
                continue  # run the same statement again with the line skipped
            for name in _bound_names(stmt) or (
                [stmt.name] if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)) else []
            ):
                namespace[name] = UNBOUND
                unbound.add(name)
            if kind == "consequence":  # `obj.fit(...)` failed: obj is left half-done
                unbound.update(_changed_objects(stmt, namespace))
        else:
            if _TOUCH_COUNT[0] != touches:  # it ran on a placeholder: what it set is suspect
                unbound.update(_changed_objects(stmt, namespace))
        finally:
            signal.alarm(0)
        # a name now holding the placeholder (computed from one) is unbound too
        unbound.update(name for name, value in list(namespace.items()) if value is UNBOUND)
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            target = stmt.targets[0].id
            value = namespace.get(target)
            if (
                _EPOCH_NAMES.search(target)
                and isinstance(value, int)
                and not isinstance(value, bool)
                and value > 1
            ):
                namespace[target] = 1
        index += 1
    sys.settrace(None)
    unused = sorted({line for line, used in _CALLBACKS.values() if not used})
    # `model.trainable = ...` on a model that never trained afterwards: not observed
    unused += sorted({line for line, _ in _TRAINABLE_SET} - _TRAINABLE_OBSERVED)
    return {"events": events, "ran": sorted(ran), "covered": sorted(covered),
            "touched": sorted(_TOUCHED), "unused_callbacks": unused}  # fmt: skip


def _child(paths: list[str], out_dir: str, timeout: float) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    import socket

    def closed(*a: Any, **k: Any) -> Any:
        raise _DataUnavailable("the oracle runs offline: network closed")

    socket.socket.connect = closed  # type: ignore[method-assign]
    socket.create_connection = closed  # type: ignore[assignment]
    import keras

    _stub_datasets()
    _cap_training_once()
    for path in paths:
        try:
            result = run_script(Path(path), timeout)
        except SyntaxError as exc:  # the whole script does not parse on Python 3
            result = {"events": [{"kind": "hard", "line": exc.lineno or 1, "why": f"SyntaxError: {exc.msg}"}],
                      "ran": []}  # fmt: skip
        keras.backend.clear_session()
        keras.config.set_image_data_format("channels_last")  # a script may have changed it
        keras.config.set_floatx("float32")
        (Path(out_dir) / f"{Path(path).stem}.json").write_text(json.dumps(result))
        print(f"  ran {Path(path).name}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- measure


@dataclass
class Tally:
    hard: int = 0
    hard_found: int = 0
    silent: int = 0
    silent_found: int = 0
    judged: int = 0
    correct: int = 0
    unjudged: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


def measure(
    corpus: Path,
    files: list[Path],
    timeout: float,
    out_dir: Path,
    rerun: bool,
    static_only: bool = False,
    keras_version: str = "2.2",
) -> Tally:
    sys.path.insert(0, str(ROOT))
    from kerasnotes.migrate import scan_file

    k2 = Keras2Source(corpus)
    tally = Tally()
    todo = [p for p in files if rerun or not (out_dir / f"{p.stem}.json").is_file()]
    if not static_only:
        _run_children(todo, out_dir, timeout)
    for path in files:
        tree = ast.parse(path.read_text("utf-8"))
        starts = statement_starts(tree)
        cache = out_dir / f"{path.stem}.json"
        run = (
            {"events": [], "ran": [], "covered": []}
            if static_only
            else json.loads(cache.read_text())
        )
        if run.get("died"):
            tally.limits.append(f"{path.name}: the oracle's process died on it (no result)")
        # a statement can hold a hard break and a silent change at once (a silent
        # default on a call whose other argument raises): each is ground truth
        truth: dict[int, dict[str, str]] = {}
        consequence: set[int] = set()
        for e in run["events"]:
            s = starts.get(e["line"], e["line"])
            if e["kind"] in ("hard", "silent"):
                truth.setdefault(s, {}).setdefault(e["kind"], e["why"])
            elif e["kind"] == "consequence":
                consequence.add(s)
            else:
                tally.limits.append(f"{path.name}:{e['line']}: {e['why']}")
        for line, why in silent_changes(tree, k2):
            truth.setdefault(starts.get(line, line), {}).setdefault("silent", why)
        # a line that ran on a placeholder, or built a callback no fit ever used, never
        # showed Keras its real call: not judged (unless it holds ground truth)
        for line in [*run.get("touched", []), *run.get("unused_callbacks", [])]:
            consequence.add(starts.get(line, line))
        # every line the run reached, or that the static pass read (all calls), is judged
        reached = _reached_lines(tree, run, starts)
        found: dict[int, set[str]] = {}
        for f in scan_file(path, keras_version=keras_version).findings:
            if f.severity in ("error", "silent"):
                s = starts.get(f.line, f.line)
                found.setdefault(s, set()).add(f.severity)
                kind = "hard" if f.severity == "error" else "silent"
                if kind not in truth.get(s, {}) and (s in consequence or s not in reached):
                    # the run never showed this kind here (the line failed as a
                    # consequence, ran on a placeholder, or was not reached): the
                    # oracle knows only the other kind, so this finding is not judged
                    tally.unjudged += 1
                elif s in reached or kind in truth.get(s, {}):
                    tally.judged += 1
                    if kind in truth.get(s, {}):
                        tally.correct += 1
                    else:
                        tally.wrong.append(f"{path.name}:{f.line}: {f.rule} ({f.severity}); oracle: "
                                           f"{truth.get(s) or 'runs, no change'}")  # fmt: skip
                else:
                    tally.unjudged += 1
        for s, kinds in sorted(truth.items()):
            for kind, why in kinds.items():
                want = "error" if kind == "hard" else "silent"
                if kind == "hard":
                    tally.hard += 1
                    tally.hard_found += want in found.get(s, set())
                else:
                    tally.silent += 1
                    tally.silent_found += want in found.get(s, set())
                if want not in found.get(s, set()):
                    tally.missed.append(f"{path.name}:{s}: {kind}: {why}")
    return tally


def _run_children(todo: list[Path], out_dir: Path, timeout: float, jobs: int = 2) -> None:
    """Run the oracle over ``todo`` in ``jobs`` child processes (TensorFlow imported once each)."""
    started = time.monotonic()
    while todo:
        batches = [todo[i::jobs] for i in range(jobs)]
        procs = [subprocess.Popen([sys.executable, __file__, "--child", str(out_dir), str(timeout),
                                   *map(str, batch)], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL)  # fmt: skip
                 for batch in batches if batch]  # fmt: skip
        for proc in procs:
            proc.wait()
        done = [p for p in todo if (out_dir / f"{p.stem}.json").is_file()]
        # a child that died skips the script it was on; the rest of its batch runs again
        dead = [
            b[len([p for p in b if p in done])]
            for b in batches
            if len([p for p in b if p in done]) < len(b)
        ]
        for path in dead:
            (out_dir / f"{path.stem}.json").write_text(
                json.dumps({"events": [], "ran": [], "died": True})
            )
        todo = [p for p in todo if p not in done and p not in dead]
    print(f"  oracle runs: {time.monotonic() - started:.0f} s wall", file=sys.stderr)


def _reached_lines(tree: ast.Module, run: dict[str, Any], starts: dict[int, int]) -> set[int]:
    """Statements the run executed (line coverage of the script's own frames)."""
    return {starts.get(line, line) for line in run.get("covered", [])}


#: The release's examples that use only MNIST or generated data (no download needed
#: once the loaders are stubbed), for the "runs after --fix" count.
MNIST_OR_GENERATED = (
    "addition_rnn", "antirectifier", "conv_lstm", "lstm_stateful", "mnist_acgan", "mnist_cnn",
    "mnist_denoising_autoencoder", "mnist_hierarchical_rnn", "mnist_irnn", "mnist_mlp",
    "mnist_net2net", "mnist_siamese", "mnist_swwae", "mnist_transfer_cnn",
    "variational_autoencoder", "variational_autoencoder_deconv",
)  # fmt: skip


def after_fix(
    corpus: Path, names: list[str], timeout: float, cache: Path, keras_version: str = "2.2"
) -> int:
    """Copy the scripts, ``--fix --unsafe-fixes`` them, run them; a second fix must change nothing."""
    import shutil

    folder = cache / "fixed"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    for name in names:
        source = corpus / "examples" / f"{name}.py"
        if source.is_file():
            shutil.copy(source, folder / source.name)
            files.append(folder / source.name)
    cli = [sys.executable, "-m", "kerasnotes.migrate", "--keras-version", keras_version]
    subprocess.run([*cli, "--fix", "--unsafe-fixes", *map(str, files)], check=False,
                   stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    before = {f: f.read_text() for f in files}
    subprocess.run([*cli, "--fix", "--unsafe-fixes", *map(str, files)], check=False,
                   stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    changed = [f.name for f in files if f.read_text() != before[f]]
    results = cache / "fixed-runs"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir()
    _run_children(files, results, timeout, jobs=3)
    ok = 0
    for f in files:
        run = json.loads((results / f"{f.stem}.json").read_text())
        bad = [e for e in run["events"] if e["kind"] != "silent"]
        ok += not bad and not run.get("died")
        print(f"  {f.name}: " + ("runs to the end" if not bad else
              f"stops at line {bad[0]['line']}: {bad[0]['why']}"))  # fmt: skip
    print(f"after --fix --unsafe-fixes: {ok} of {len(files)} run to the end; "
          f"a second --fix changed {len(changed)} file(s) {changed}")  # fmt: skip
    return 0


def corpus_keras_version(corpus: Path) -> str:
    """The Keras version an sdist folder's name says (``Keras-2.3.1`` -> ``2.3.1``), else 2.2.

    >>> corpus_keras_version(Path("/tmp/k231/Keras-2.3.1"))
    '2.3.1'
    >>> corpus_keras_version(Path("/tmp/examples"))
    '2.2'
    """
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)$", corpus.resolve().name)
    return match.group(1) if match else "2.2"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        _child(argv[3:], argv[1], float(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", type=Path, help="an unpacked Keras 2 sdist (has examples/ and keras/)"
    )
    parser.add_argument("--only", nargs="*", default=None, help="script stems to measure")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per script")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/measure-migrate"),
                        help="where the oracle's per-script results are kept")  # fmt: skip
    parser.add_argument("--rerun", action="store_true", help="run the oracle again")
    parser.add_argument("--json", type=Path, help="write the counts here")
    parser.add_argument("--static-only", action="store_true",
                        help="no runs: silent changes only (hard-break counts are then empty)")  # fmt: skip
    parser.add_argument("--after-fix", action="store_true",
                        help="instead: fix copies of the MNIST/generated-data scripts and run them")  # fmt: skip
    parser.add_argument("--rows", type=int, default=0,
                        help="at most this many rows in each stubbed dataset split "
                        "(caps a script's own training loop; 0 = the real sizes)")  # fmt: skip
    parser.add_argument("--keras-version", default=None, metavar="VERSION",
                        help="the Keras version the corpus was written for, passed to the "
                        "checker's --keras-version (default: read from the corpus folder's "
                        "name, Keras-2.3.1 -> 2.3; 2.2 if the name has no version)")  # fmt: skip
    args = parser.parse_args(argv)
    keras_version = args.keras_version or corpus_keras_version(args.corpus)
    try:
        sys.path.insert(0, str(ROOT))
        from kerasnotes.migrate.target import parse_keras_version

        keras_version = parse_keras_version(keras_version)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"scored as code written for Keras {keras_version} (--keras-version)")
    if args.rows < 0:
        parser.error(f"--rows must be 0 (the real sizes) or a positive row count, not {args.rows}")
    if args.rows:
        os.environ[_ROWS_VARIABLE] = str(args.rows)  # the child processes inherit it
    if args.after_fix:
        return after_fix(
            args.corpus,
            list(args.only or MNIST_OR_GENERATED),
            args.timeout,
            args.cache,
            keras_version,
        )
    examples = args.corpus / "examples"
    if not (examples.is_dir() and (args.corpus / "keras").is_dir()):
        raise FileNotFoundError(
            f"{args.corpus} is not an unpacked Keras 2 sdist (needs examples/ and keras/)"
        )
    files = sorted(p for p in examples.glob("*.py") if args.only is None or p.stem in args.only)
    out_dir = args.cache / args.corpus.name
    out_dir.mkdir(parents=True, exist_ok=True)
    tally = measure(args.corpus, files, args.timeout, out_dir, args.rerun, args.static_only,
                    keras_version)  # fmt: skip
    pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "n/a"  # noqa: E731
    print(f"corpus: {args.corpus.name}/examples, {len(files)} files")
    print(
        f"hard breaks: {tally.hard_found}/{tally.hard} found ({pct(tally.hard_found, tally.hard)})"
    )
    print(
        f"silent changes: {tally.silent_found}/{tally.silent} found ({pct(tally.silent_found, tally.silent)})"
    )
    print(f"precision: {tally.correct}/{tally.judged} judged findings right "
          f"({pct(tally.correct, tally.judged)}); {tally.unjudged} not judged")  # fmt: skip
    for title, rows in (("missed", tally.missed), ("wrong", tally.wrong), ("limits", tally.limits)):
        print(f"\n{title} ({len(rows)}):")
        for row in rows:
            print("  " + row)
    if args.json:
        args.json.write_text(json.dumps(tally.__dict__, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
