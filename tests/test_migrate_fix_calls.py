"""The fixes that rewrite a whole call: ``decay=``, Keras 1 ``merge``, ``predict_classes``.

Each fixed snippet (our own) is run under the installed Keras 3 and compared with an
independent oracle: Keras 2's formula, or NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

from kerasnotes.migrate import scan_source
from kerasnotes.migrate.fix import fix_source

pytest.importorskip("libcst")
keras = pytest.importorskip("keras")


def _fixed(old: str, *, unsafe: bool = True) -> str:
    new, report = fix_source(old, unsafe=unsafe)
    again, second = fix_source(new, unsafe=unsafe)
    assert again == new and second.fixed == [], "a second --fix changed something"
    return new


def _run(code: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(code, "<fixed>", "exec"), namespace)  # noqa: S102 - our own snippet
    return namespace


def _keras2_steps(optimizer: object, steps: int) -> np.ndarray:
    """Apply a gradient of 1 ``steps`` times to a variable starting at 0; its values."""
    w = keras.Variable(0.0)
    seen = []
    for _ in range(steps):
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(1.0), w)])  # type: ignore[attr-defined]
        seen.append(float(w.numpy()))
    return np.array(seen)


@pytest.mark.parametrize(
    ("old", "rate", "decay"),
    [
        ("from keras.optimizers import SGD\nopt = SGD(lr=0.1, decay=0.5)\n", 0.1, 0.5),
        ("from keras.optimizers import SGD\nopt = SGD(0.2, decay=0.25)\n", 0.2, 0.25),
        (
            "from keras import optimizers\nopt = optimizers.sgd(lr=0.3, decay=1.0, momentum=0.0)\n",
            0.3,
            1.0,
        ),
    ],
)
def test_decay_becomes_a_schedule_with_keras2s_formula(old, rate, decay):
    assert "KN402" in [f.rule for f in scan_source(old)]
    new = _fixed(old)
    assert "decay=" not in new.replace("decay_rate", "").replace("decay_steps", "")
    opt = _run(new)["opt"]
    got = _keras2_steps(opt, 6)
    # Keras 2 (keras/optimizers.py, SGD.get_updates): lr * 1 / (1 + decay * iterations),
    # iterations counting the updates already made; plain SGD then does w -= lr_t * g.
    lr_t = rate / (1 + decay * np.arange(6))
    np.testing.assert_allclose(got, -np.cumsum(lr_t), rtol=1e-6)


def test_decay_without_a_rate_uses_the_keras2_default_rate():
    # Keras 2.2.4's Adagrad had lr=0.01 (Keras 3: 0.001); the schedule starts from Keras 2's.
    new = _fixed("from keras.optimizers import Adagrad\nopt = Adagrad(decay=0.5)\n")
    opt = _run(new)["opt"]
    schedule = opt.learning_rate if callable(opt.learning_rate) else opt._learning_rate  # type: ignore[attr-defined]
    assert [float(schedule(step)) for step in (0, 2)] == pytest.approx([0.01, 0.01 / 2])


def test_decay_zero_is_dropped_and_decay_is_left_without_unsafe_fixes():
    assert _fixed(
        "from keras.optimizers import SGD\nopt = SGD(learning_rate=0.1, decay=0.0)\n"
    ) == ("from keras.optimizers import SGD\nopt = SGD(learning_rate=0.1)\n")
    old = "from keras.optimizers import SGD\nopt = SGD(learning_rate=0.1, decay=1e-6)\n"
    new, report = fix_source(old)
    assert new == old and any(
        f.rule == "KN402" and "--unsafe-fixes" in why for f, why in report.left
    )


MERGE = """\
from keras.layers import Input, merge
from keras.models import Model
a = Input(shape=(3,))
b = Input(shape=(3,))
outs = [merge([a, b], mode='concat', concat_axis=-1), merge([a, b], mode='sum'),
        merge([a, b], mode='mul'), merge([a, b], mode='ave'),
        merge([a, b], mode='max', name='biggest'), merge([a, b], mode='dot', dot_axes=1)]
model = Model(input=[a, b], output=outs)
"""


def test_keras1_merge_becomes_the_keras3_functions_with_the_same_numbers():
    new = _fixed(MERGE, unsafe=False)
    assert "merge(" not in new and "keras.layers.concatenate([a, b], axis=-1)" in new
    assert [f.rule for f in scan_source(new) if f.severity == "error"] == []
    model = _run(new)["model"]
    x = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype="float32")
    y = np.array([[2.0, 1.0, -1.0], [3.0, -2.0, 2.0]], dtype="float32")
    got = model.predict([x, y], verbose=0)  # type: ignore[attr-defined]
    # NumPy, what Keras 1's merge modes computed
    want = [np.concatenate([x, y], axis=-1), x + y, x * y, (x + y) / 2, np.maximum(x, y),
            np.sum(x * y, axis=1, keepdims=True)]  # fmt: skip
    assert model.get_layer("biggest") is not None  # type: ignore[attr-defined]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-6)


def test_merge_with_a_computed_mode_is_left_by_hand():
    old = "from keras.layers import merge\ny = merge([a, b], mode=how)\n"
    new, report = fix_source(old)
    assert "merge([a, b], mode=how)" in new
    assert any(f.rule == "KN203" for f, _ in report.left)


PREDICT = """\
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation='softmax', input_shape=(2,))])
model.set_weights([np.array([[1.0, -1.0, 0.0], [0.0, 2.0, -3.0]]), np.zeros(3)])
x = np.array([[3.0, 0.0], [0.0, 2.0], [-2.0, -1.0]])
labels = model.predict_classes(x)
"""


def test_predict_classes_becomes_argmax_of_predict():
    new = _fixed(PREDICT)
    assert "labels = np.argmax(model.predict(x), axis=-1)" in new
    labels = _run(new)["labels"]
    # NumPy: the logits x @ W; softmax keeps their order, so argmax picks the same class
    x = np.array([[3.0, 0.0], [0.0, 2.0], [-2.0, -1.0]])
    want = np.argmax(x @ np.array([[1.0, -1.0, 0.0], [0.0, 2.0, -3.0]]), axis=-1)
    np.testing.assert_array_equal(labels, want)


def test_predict_classes_is_unsafe_and_never_argmax_near_a_sigmoid():
    new, report = fix_source(PREDICT)
    assert new == PREDICT and any(
        "--unsafe-fixes" in why for f, why in report.left if f.rule == "KN214"
    )
    sigmoid = PREDICT.replace("Dense(3, activation='softmax'", "Dense(1, activation='sigmoid'")
    new, report = fix_source(sigmoid, unsafe=True)
    assert "predict_classes(x)" in new and any(f.rule == "KN214" for f, _ in report.left)


def test_fix_adds_the_numpy_import_it_needs():
    new = _fixed("import keras\nlabels = model.predict_classes(x)\n")
    assert (
        new == "import numpy as np\nimport keras\nlabels = np.argmax(model.predict(x), axis=-1)\n"
    )


def test_int_shape_becomes_the_static_shape():
    old = "import keras\nfrom keras import backend as K\nx = keras.Input((5, 3))\ns = K.int_shape(x)\nt = K.int_shape(x[:, 1:] + 1)\n"
    new = _fixed(old)
    assert "s = tuple(x.shape)" in new and "t = tuple((x[:, 1:] + 1).shape)" in new
    ns = _run(new)
    # Keras 2's int_shape: the static shape, None for the batch dimension
    assert ns["s"] == (None, 5, 3) and ns["t"] == (None, 4, 3)


def test_tf1_losses_are_reported():
    old = (
        "import tensorflow as tf\n"
        "a = tf.losses.softmax_cross_entropy(onehot, logits)\n"
        "b = tf.losses.mean_squared_error(labels, predictions, weights=w)\n"
        "c = tf.keras.losses.MeanSquaredError()\n"
    )
    assert [(f.line, f.rule) for f in scan_source(old)] == [(2, "KN720"), (3, "KN720")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "model.save_weights('w_{0:03d}.hdf5'.format(epoch), True)\n",
            "model.save_weights('w_{0:03d}.weights.h5'.format(epoch), True)\n",
        ),
        (
            "model.save_weights('w_%d.h5' % epoch)\n",
            "model.save_weights('w_%d.weights.h5' % epoch)\n",
        ),
    ],
)
def test_weights_file_name_built_by_format_or_percent_is_renamed(old, new, tmp_path):
    assert _fixed(old, unsafe=False) == new
    # the renamed template is accepted by Keras 3's save_weights
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    name = eval(new.split("save_weights(", 1)[1].rsplit(")", 1)[0].split(", True")[0], {"epoch": 3})  # noqa: S307
    model.save_weights(tmp_path / name)
    assert (tmp_path / name).is_file()
