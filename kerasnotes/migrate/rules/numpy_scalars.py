"""KN43x: a NumPy integer where a Keras 3 layer wants a Python ``int``.

Keras 2 layers stored sizes such as ``Dense(units)`` as given, so a NumPy integer
(``num_classes = np.max(y_train) + 1``) worked. Keras 3 validates them with
``isinstance(value, int)``, which a ``numpy.int64`` fails: the layer raises
ValueError or TypeError when it is built or created.

The type of a value is not visible in the source, so the rule follows a small,
local dataflow and nothing more. In one scope (the module, or one function), a
name is a *NumPy scalar* when its latest binding before the use, in source order,
is one of:

* a call of a NumPy reduction without ``axis`` (``np.max``, ``np.sum``,
  ``np.argmax``, ``np.prod``, ...) or of a NumPy integer type (``np.int64(...)``);
* arithmetic whose operands are NumPy scalars or integer literals;
* another name that is a NumPy scalar.

A parameter of a module-level function is a NumPy scalar when every call of that
function in the module passes it one. ``x.shape[i]``, ``len(x)`` and ``int(...)``
are Python integers and are never reported.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> code = ("import numpy as np\\nfrom keras.layers import Dense\\n"
    ...         "n = np.max(y) + 1\\nout = Dense(n)\\n")
    >>> [(f.rule, f.line) for f in scan_source(code)]
    [('KN430', 4)]
    >>> [f.rule for f in scan_source(code.replace("Dense(n)", "Dense(int(n))"))]
    []
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from kerasnotes.migrate.context import Context
from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules.arguments import layer_call

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["INTEGER_ARGUMENTS", "NUMPY_REDUCTIONS", "RULES", "IntegerArgument"]


@dataclass(frozen=True)
class IntegerArgument:
    """An argument of a Keras 3 layer that must be a Python ``int``.

    Attributes:
        layer: The layer class (``keras.layers.<layer>``).
        name: The argument's name.
        position: Its position in the Keras 3 signature (0 = first).
        proof: Code that uses the layer with ``n`` as the argument; with
            ``n = np.int64(3)`` it raises, with ``n = 3`` it runs (the tests run both).
    """

    layer: str
    name: str
    position: int
    proof: str


#: The layer arguments the installed Keras refuses as NumPy integers (each proven
#: by ``tests/test_migrate_numpy.py``). Arguments that accept them (``Conv2D``'s
#: ``filters``, ``Reshape``'s target shape, ``keras.Input``'s shape) are not listed.
INTEGER_ARGUMENTS: tuple[IntegerArgument, ...] = (
    IntegerArgument("Dense", "units", 0, "keras.layers.Dense(n)"),
    IntegerArgument("Embedding", "input_dim", 0, "keras.layers.Embedding(n, 4)"),
    IntegerArgument("Embedding", "output_dim", 1, "keras.layers.Embedding(10, n)"),
    IntegerArgument("LSTM", "units", 0, "keras.layers.LSTM(n)(keras.Input((4, 2)))"),
    IntegerArgument("GRU", "units", 0, "keras.layers.GRU(n)"),
    IntegerArgument("SimpleRNN", "units", 0, "keras.layers.SimpleRNN(n)"),
    IntegerArgument("RepeatVector", "n", 0, "keras.layers.RepeatVector(n)"),
    IntegerArgument("Dropout", "seed", 2, "keras.layers.Dropout(0.5, seed=n)"),
    IntegerArgument("Conv1D", "kernel_size", 1, "keras.layers.Conv1D(4, n)"),
    IntegerArgument("Conv2D", "kernel_size", 1, "keras.layers.Conv2D(4, n)"),
    IntegerArgument("MaxPooling1D", "pool_size", 0, "keras.layers.MaxPooling1D(n)"),
    IntegerArgument("MaxPooling2D", "pool_size", 0, "keras.layers.MaxPooling2D(n)"),
    IntegerArgument("AveragePooling2D", "pool_size", 0, "keras.layers.AveragePooling2D(n)"),
    IntegerArgument("UpSampling2D", "size", 0, "keras.layers.UpSampling2D(n)"),
)
_BY_LAYER: dict[str, tuple[IntegerArgument, ...]] = {}
for _arg in INTEGER_ARGUMENTS:
    _BY_LAYER[_arg.layer] = (*_BY_LAYER.get(_arg.layer, ()), _arg)

#: NumPy functions that return a NumPy scalar when called without ``axis``.
NUMPY_REDUCTIONS = frozenset(
    "max min amax amin sum prod argmax argmin nanmax nanmin nansum nanprod ptp".split()
)
#: NumPy integer types: calling one returns a NumPy integer.
_NUMPY_INT_TYPES = frozenset(
    "int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp uintp intc uintc int_ "
    "longlong ulonglong".split()
)
_SCALAR_MAKERS = NUMPY_REDUCTIONS | _NUMPY_INT_TYPES
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Pow)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _numpy_aliases(tree: ast.AST, context: Context) -> tuple[dict[str, str], bool]:
    """Local name -> what it means in NumPy (``np`` -> ``numpy``, ``amax`` -> ``numpy.amax``),
    and whether the tree calls anything that returns a NumPy scalar at all (one walk;
    without such a call no name can hold one, and the dataflow is skipped)."""
    out = {
        name: path
        for name, path in context.state.aliases.items()
        if path == "numpy" or path.startswith("numpy.")
    }
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    out[alias.asname or "numpy"] = "numpy"
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy" and not node.level:
            for alias in node.names:
                out[alias.asname or alias.name] = f"numpy.{alias.name}"
        elif isinstance(node, ast.Call) and (
            isinstance(node.func, ast.Name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in _SCALAR_MAKERS)
        ):
            calls.append(node)
    return out, any(_numpy_call(call, out) for call in calls)


def _numpy_function(func: ast.expr, aliases: dict[str, str]) -> str | None:
    """``max`` for ``np.max`` / ``numpy.max`` / ``amax`` imported from NumPy, else None."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if aliases.get(func.value.id) == "numpy":
            return func.attr
    if isinstance(func, ast.Name):
        path = aliases.get(func.id, "")
        if path.startswith("numpy."):
            return path[len("numpy.") :]
    return None


def _is_numpy_scalar(node: ast.expr, aliases: dict[str, str], holds: Callable[[str], bool]) -> bool:
    """Whether ``node`` evaluates to a NumPy scalar (``holds(name)``: whether a name does)."""
    todo = [node]
    seen = 0
    numpy_found = False
    while todo and seen < 200:  # iterative: a long sum must not recurse
        seen += 1
        expr = todo.pop()
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, _ARITHMETIC):
            todo += [expr.left, expr.right]
        elif isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            todo.append(expr.operand)
        elif isinstance(expr, ast.Constant) and type(expr.value) is int:
            continue  # an integer literal keeps a NumPy integer a NumPy integer
        elif isinstance(expr, ast.Name) and holds(expr.id):
            numpy_found = True
        elif isinstance(expr, ast.Call) and _numpy_call(expr, aliases):
            numpy_found = True
        else:
            return False  # anything else (a shape, len(), int(), an array) is not known
    return numpy_found and not todo


def _numpy_call(call: ast.Call, aliases: dict[str, str]) -> bool:
    name = _numpy_function(call.func, aliases)
    if name in _NUMPY_INT_TYPES:
        return True
    if name not in NUMPY_REDUCTIONS or not call.args:
        return False
    axis = next((k.value for k in call.keywords if k.arg == "axis"), None)
    if len(call.args) > 1:
        axis = call.args[1]  # np.max(x, 1)
    return axis is None or (isinstance(axis, ast.Constant) and axis.value is None)


_BRANCHING = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try)


def _scope_nodes(body: list[ast.stmt]) -> list[tuple[ast.AST, tuple[int, ...]]]:
    """The nodes of one scope in source order (not entering nested scopes), each with
    its branch: the ids of the ``if``/loop/``try`` statements whose body holds it."""
    out: list[tuple[ast.AST, tuple[int, ...]]] = []
    stack: list[tuple[ast.AST, tuple[int, ...]]] = [(s, ()) for s in reversed(body)]
    while stack:
        node, branch = stack.pop()
        out.append((node, branch))
        if isinstance(node, _NESTED_SCOPES):
            # decorators and defaults are evaluated in this scope
            outer: list[ast.AST] = list(getattr(node, "decorator_list", []))
            args = getattr(node, "args", None)
            if isinstance(args, ast.arguments):
                outer += [d for d in (*args.defaults, *args.kw_defaults) if d is not None]
            stack.extend((child, branch) for child in reversed(outer))
            continue
        inner = (*branch, id(node)) if isinstance(node, _BRANCHING) else branch
        for child in reversed(list(ast.iter_child_nodes(node))):
            # an if's test and a loop's iterable always run; their bodies may not
            test = child is getattr(node, "test", None) or child is getattr(node, "iter", None)
            stack.append((child, branch if test else inner))
    return out


class _Bindings:
    """The bindings of one scope so far: whether a name holds a NumPy scalar at a point.

    A binding inside an ``if``, loop or ``try`` body may not have run, so a use outside
    that body counts it only together with the earlier bindings (a NumPy scalar on
    every path); a use inside the same body sees it directly.
    """

    def __init__(self, seeded: dict[str, bool]) -> None:
        self._history: dict[str, list[tuple[tuple[int, ...], bool]]] = {
            name: [((), value)] for name, value in seeded.items()
        }

    def bind(self, name: str, holds: bool, branch: tuple[int, ...]) -> None:
        self._history.setdefault(name, []).append((branch, holds))

    def holds(self, name: str, branch: tuple[int, ...]) -> bool:
        for where, value in reversed(self._history.get(name, [])):
            if not value:
                return False
            if branch[: len(where)] == where:  # this binding surely ran before the use
                return True
        return False  # not bound here on every path


def _analyse(body: list[ast.stmt], aliases: dict[str, str], seeded: dict[str, bool],
             uses: set[int]) -> None:  # fmt: skip
    """Add to ``uses`` the ids of the Name loads that hold a NumPy scalar there."""
    names = _Bindings(seeded)
    # an assignment binds after its value is read: (value, targets, branch)
    pending: list[tuple[ast.expr, list[str], tuple[int, ...]]] = []
    for node, branch in _scope_nodes(body):
        if isinstance(node, ast.stmt):
            for bound_value, targets, where in pending:
                holds = _is_numpy_scalar(bound_value, aliases, partial(names.holds, branch=where))
                for target in targets:
                    names.bind(target, holds, where)
            pending = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            pending.append((node.value, targets, branch))
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            value: ast.expr | None = node.value
            if isinstance(node, ast.AugAssign):
                value = ast.BinOp(
                    left=ast.Name(node.target.id, ast.Load()), op=node.op, right=node.value
                )
            if value is not None:
                pending.append((value, [node.target.id], branch))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if names.holds(node.id, branch):
                uses.add(id(node))
        elif isinstance(node, ast.Name):  # any other binding (a loop target, del, ...)
            if not any(node.id in t for _, t, _ in pending):
                names.bind(node.id, False, branch)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.bind(node.name, False, branch)
        elif isinstance(node, ast.alias):
            names.bind((node.asname or node.name).split(".")[0], False, branch)


def _call_sites(body: list[ast.stmt], functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
                uses: set[int]) -> dict[str, set[str]]:  # fmt: skip
    """Function -> its parameters that every call of it in ``body`` passes a NumPy scalar."""
    passed: dict[str, dict[str, list[bool]]] = {}
    for node, _ in _scope_nodes(body):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        fn = functions.get(node.func.id)
        if fn is None:
            continue
        params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
        given: dict[str, ast.expr] = dict(zip(params, node.args, strict=False))
        given.update({k.arg: k.value for k in node.keywords if k.arg})
        record = passed.setdefault(fn.name, {p: [] for p in params})
        for param in record:
            value = given.get(param)
            record[param].append(isinstance(value, ast.Name) and id(value) in uses)
    return {
        fn: {p for p, flags in params.items() if flags and all(flags)}
        for fn, params in passed.items()
    }


def _numpy_integer(context: Context, node: ast.AST, rule: Rule) -> None:
    state = context.state
    if isinstance(node, ast.Module):
        aliases, any_scalar = _numpy_aliases(node, context)
        if not any_scalar:
            aliases = {}  # nothing makes a NumPy scalar here: no name can hold one
        # ids are only meaningful inside this tree (a notebook's cells are separate trees)
        state.numpy_aliases, state.numpy_uses, state.numpy_params = aliases, set(), {}
        if aliases:
            uses: set[int] = set()
            _analyse(node.body, aliases, {}, uses)
            functions = {
                s.name: s
                for s in node.body
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            state.numpy_uses |= uses
            for name, params in _call_sites(node.body, functions, uses).items():
                state.numpy_params[id(functions[name])] = params
        return
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if state.numpy_aliases:
            seeded = dict.fromkeys(state.numpy_params.get(id(node), set()), True)
            uses = set()
            _analyse(node.body, state.numpy_aliases, seeded, uses)
            state.numpy_uses |= uses
        return
    if not isinstance(node, ast.Call) or not state.numpy_uses:
        return
    layer = layer_call(context, node)
    for arg in _BY_LAYER.get(layer or "", ()):
        given = next((k.value for k in node.keywords if k.arg == arg.name), None)
        if given is None and arg.position < len(node.args):
            given = node.args[arg.position]
        if isinstance(given, ast.Name) and id(given) in state.numpy_uses:
            where = next((k for k in node.keywords if k.arg == arg.name), given)
            context.report(where, rule, f"{layer}({arg.name}={given.id})",
                           f"{arg.name}=int({given.id})")  # fmt: skip


def _int_argument(finding: Finding, node: libcst.CSTNode) -> libcst.Arg | None:
    """KN430's fix: ``Dense(n)`` -> ``Dense(int(n))`` (the NumPy integer made a Python int)."""
    import libcst as cst

    if not isinstance(node, cst.Arg) or not isinstance(node.value, cst.Name):
        return None
    return node.with_changes(value=cst.Call(func=cst.Name("int"), args=[cst.Arg(value=node.value)]))


KN430 = Rule(
    id="KN430",
    title="NumPy integer as a layer size",
    severity="error",
    template="`{old}` gets a NumPy integer (from a NumPy reduction such as np.max): Keras 2 "
    "took it, Keras 3 accepts only a Python int here and raises ValueError or TypeError; "
    "write `{new}`",
    replacement="int(...) around the value",
    lesson="30_migrating_old_code",
    bad="import numpy as np\nfrom keras.layers import Dense\n"
    "num_classes = np.max(y_train) + 1\nhead = Dense(num_classes)\n",
    good="import numpy as np\nfrom keras.layers import Dense\n"
    "num_classes = int(np.max(y_train)) + 1\nhead = Dense(num_classes)\n",
    checks=(
        *(
            Claim(
                kind="raises",
                expr=f"(lambda n: {a.proof})(np.int64(3))",
                error="TypeError" if a.layer == "RepeatVector" else "ValueError",
                match=a.name if a.layer not in ("GRU", "SimpleRNN", "LSTM") else "integer",
            )
            for a in INTEGER_ARGUMENTS
        ),  # fmt: skip
        *(Claim(kind="runs", expr=f"(lambda n: {a.proof})(3)") for a in INTEGER_ARGUMENTS),
        Claim(kind="runs", expr="keras.layers.Conv2D(np.int64(3), 2)(keras.Input((4, 4, 1)))"),
    ),
    fix=Fix(safety="safe", title="wrap the value in int(...)", apply=_int_argument),
    nodes=(ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Call),
    detect=_numpy_integer,
)

RULES = (KN430,)
