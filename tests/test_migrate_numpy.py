"""KN430: a NumPy integer given where a Keras 3 layer needs a Python int."""

from __future__ import annotations

import inspect

import pytest

from kerasnotes.migrate import scan_source
from kerasnotes.migrate.rules.numpy_scalars import INTEGER_ARGUMENTS

HEAD = "import numpy as np\nfrom keras.layers import Dense, Embedding, LSTM, Dropout\n"


def kn430(code: str) -> list[int]:
    return [f.line for f in scan_source(HEAD + code) if f.rule == "KN430"]


@pytest.mark.parametrize(
    "code,lines",
    [
        # reductions, arithmetic on them, NumPy integer types, and a chain of names
        ("k = np.max(labels) + 1\nout = Dense(k)\n", [4]),
        ("k = np.argmax(scores)\nout = Dense(units=k)\n", [4]),
        ("k = 2 * np.sum(mask) - 1\nemb = Embedding(k, 16)\n", [4]),
        ("k = np.max(y)\nk += 1\nout = Dense(k)\n", [5]),
        ("k = np.int64(7)\nemb = Embedding(500, output_dim=k)\n", [4]),
        ("total = np.prod(dims)\nk = total // 2\nrnn = LSTM(k)\n", [5]),
        ("s = np.max(seeds)\nd = Dropout(0.2, None, s)\n", [4]),
        ("import numpy\nk = numpy.amax(y)\nout = Dense(k)\n", [5]),
        ("from numpy import amax\nk = amax(y) + 1\nout = Dense(k)\n", [5]),
        # a binding inside an if is seen inside it, and after it when every path binds one
        ("if big:\n    k = np.max(y) + 1\n    emb = Embedding(k, 8)\n", [5]),
        ("k = np.max(y)\nif big:\n    k = np.sum(y)\nemb = Embedding(k, 8)\n", [6]),
        # inside a function, and a parameter every caller passes a NumPy scalar
        ("def head():\n    k = np.max(y) + 1\n    return Dense(k)\n", [5]),
        (
            "def net(classes):\n    return Dense(classes)\nk = np.max(y) + 1\nm = net(classes=k)\n",
            [4],
        ),
        (
            "def net(classes):\n    return Dense(classes)\nk = np.max(y) + 1\nm = net(k)\nm2 = net(k)\n",
            [4],
        ),
    ],
)
def test_numpy_integers_are_flagged(code, lines):
    assert kn430(code) == lines


@pytest.mark.parametrize(
    "code",
    [
        "k = y.shape[1]\nout = Dense(k)\n",  # a shape entry is a Python int
        "k = len(words) + 1\nemb = Embedding(k, 8)\n",
        "k = int(np.max(y)) + 1\nout = Dense(k)\n",
        "k = np.max(y) + 1\nout = Dense(int(k))\n",
        "k = np.max(y, axis=0)\nout = Dense(3)\n",  # an array, and not used as a size
        "k = np.max(y) + 1\nk = 10\nout = Dense(k)\n",  # rebound to a Python int first
        "k = 20000\nif big:\n    k = np.max(y) + 1\nemb = Embedding(k, 8)\n",  # only on one path
        "k = np.max(y)\nfor k in range(3):\n    out = Dense(k)\n",  # a loop rebinds it
        "k = np.max(y) + 1\ndef head(k):\n    return Dense(k)\n",  # a parameter shadows it
        "def net(c):\n    return Dense(c)\nk = np.max(y) + 1\na = net(k)\nb = net(4)\n",
        "k = np.max(y) + 1\nconv = __import__('keras').layers.Conv2D(k, 3)\n",  # filters accept it
        "k = np.max(y) + 1\nx = np.zeros(k)\n",  # not a Keras layer
        "k = np.max(y) + offset\nout = Dense(k)\n",  # an operand of unknown type
    ],
)
def test_python_integers_and_unknown_values_are_not_flagged(code):
    assert kn430(code) == []


def test_a_notebook_cell_does_not_see_another_cells_ids(tmp_path):
    # each cell is a separate tree: the uses of one never match nodes of the next
    import json

    from kerasnotes.migrate.scanner import scan_notebook

    cells = [HEAD + "k = np.max(y) + 1\nout = Dense(k)\n", "k = 3\nout = Dense(k)\n"]
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                     "execution_count": None} for c in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(nb))
    found = [(f.cell, f.line) for f in scan_notebook(path).findings if f.rule == "KN430"]
    assert found == [(1, 4)]


@pytest.mark.slow
@pytest.mark.parametrize("arg", INTEGER_ARGUMENTS, ids=lambda a: f"{a.layer}.{a.name}")
def test_table_entries_are_refused_by_installed_keras(arg):
    """The oracle is Keras itself: the NumPy integer is refused, the same Python int runs."""
    keras = pytest.importorskip("keras")
    np = pytest.importorskip("numpy")
    params = list(inspect.signature(getattr(keras.layers, arg.layer).__init__).parameters)[1:]
    assert params[arg.position] == arg.name, f"{arg.layer}: {params}"
    proof = eval(f"lambda n: {arg.proof}", {"keras": keras})
    with pytest.raises((ValueError, TypeError)):
        proof(np.int64(3))
    proof(3)


@pytest.mark.slow
def test_the_fix_makes_the_layer_build():
    pytest.importorskip("libcst")
    keras = pytest.importorskip("keras")
    from kerasnotes.migrate.fix import fix_source

    old = (
        "import numpy as np\nimport keras\nfrom keras.layers import Dense\n"
        "y = np.array([0, 2, 1])\nnum_classes = np.max(y) + 1\nhead = Dense(num_classes)\n"
    )
    new, report = fix_source(old)
    assert "head = Dense(int(num_classes))" in new and report.fixed == ["KN430"]
    assert fix_source(new)[0] == new  # idempotent
    scope: dict[str, object] = {}
    with pytest.raises(ValueError, match="units"):
        exec(old, scope)  # noqa: S102 - our own snippet: Keras 3 refuses it
    exec(new, scope)  # noqa: S102
    assert isinstance(scope["head"], keras.layers.Dense) and scope["head"].units == 3
