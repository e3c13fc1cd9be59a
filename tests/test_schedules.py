"""kerasnotes.schedules against the notes' formula and Keras' own schedules."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from kerasnotes import schedules
from kerasnotes.schedules import plot_schedule, step_decay, time_based_decay

pytestmark = pytest.mark.backend_agnostic


def notes_step_decay(epoch, initial_lrate=0.1, drop=0.5, epochs_drop=10.0):
    """The notes' function, with its constants as parameters (the oracle)."""
    return initial_lrate * math.pow(drop, math.floor((1 + epoch) / epochs_drop))


def tiny_regression(n=24, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[0.5], [-1.0], [2.0]]) + 0.1).astype("float32")
    return x, y


def tiny_model(learning_rate):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


class LearningRateLog(keras.callbacks.Callback):
    """Reads the optimizer's rate back: once per epoch and before every batch."""

    def __init__(self):
        super().__init__()
        self.per_epoch, self.per_batch = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.per_batch.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))

    def on_epoch_end(self, epoch, logs=None):
        self.per_epoch.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


# --------------------------------------------------------------------------- step_decay


@pytest.mark.parametrize(
    "initial_lr, drop, epochs_drop", [(0.1, 0.5, 10.0), (0.01, 0.9, 3.0), (1.0, 1.0, 2.5)]
)
def test_step_decay_matches_the_notes_formula(initial_lr, drop, epochs_drop):
    f = step_decay(initial_lr, drop, epochs_drop)
    for epoch in range(60):
        expected = notes_step_decay(epoch, initial_lr, drop, epochs_drop)
        assert f(epoch) == pytest.approx(expected, rel=1e-12)
        assert f(epoch, 123.0) == f(epoch)  # the current lr does not matter
        assert isinstance(f(epoch), float)


def test_step_decay_defaults_and_the_first_drop():
    f = step_decay()
    assert [f(e) for e in range(9)] == [0.1] * 9  # epochs 1..9 (indices 0..8)
    assert f(9) == 0.05  # the 10th epoch already runs at the lower rate
    assert f(18) == 0.05 and f(19) == 0.025
    first = next(e for e in range(100) if f(e) < 0.1)
    assert f.first_drop_epoch == first == 9
    g = step_decay(shift=0)
    assert g.first_drop_epoch == next(e for e in range(100) if g(e) < 0.1) == 10


@pytest.mark.parametrize("epochs_drop", [1.0, 2.5, 3.0, 10.0])
def test_first_drop_epoch_for_other_periods(epochs_drop):
    for shift in (0, 1, 2):
        f = step_decay(0.1, 0.5, epochs_drop, shift=shift)
        assert f.first_drop_epoch == next(e for e in range(100) if f(e) < 0.1)


def test_step_decay_equals_keras_exponential_staircase():
    # shift=0 is ExponentialDecay(staircase=True) at the epoch; the notes' +1 shifts it by one.
    oracle = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)
    notes, textbook = step_decay(0.1, 0.5, 10), step_decay(0.1, 0.5, 10, shift=0)
    for e in range(45):
        assert textbook(e) == pytest.approx(float(oracle(e)), rel=1e-6)
        assert notes(e) == pytest.approx(float(oracle(e + 1)), rel=1e-6)


@pytest.mark.parametrize(
    "initial_lr, drop, epochs_drop, epochs, first_drop",
    [(0.05, 0.5, 3, 8, 2), (0.1, 0.5, 10.0, 11, 9)],
)
def test_step_decay_drives_learning_rate_scheduler_in_fit(
    initial_lr, drop, epochs_drop, epochs, first_drop
):
    x, y = tiny_regression(n=8)
    f = step_decay(initial_lr, drop, epochs_drop)
    model = tiny_model(learning_rate=0.0)  # as in the notes: the callback sets the rate
    log = LearningRateLog()
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=epochs,
        verbose=0,
        callbacks=[keras.callbacks.LearningRateScheduler(f), log],
    )
    expected = [notes_step_decay(e, initial_lr, drop, epochs_drop) for e in range(epochs)]
    np.testing.assert_allclose(log.per_epoch, expected, rtol=1e-6)
    np.testing.assert_allclose(log.per_batch, expected, rtol=1e-6)  # one batch per epoch
    np.testing.assert_allclose(history.history["learning_rate"], expected, rtol=1e-6)
    lowered = [e for e in range(epochs) if log.per_epoch[e] < initial_lr * (1 - 1e-6)]
    assert lowered[0] == first_drop == f.first_drop_epoch  # the 1 + epoch quirk, in a real fit


def test_step_decay_keras_class_follows_the_callback_rate_per_batch():
    x, y = tiny_regression(n=24)
    f = step_decay(0.05, 0.5, 3)
    model = tiny_model(learning_rate=f.to_keras(steps_per_epoch=3))  # 24 / 8 = 3 batches
    log = LearningRateLog()
    model.fit(x, y, batch_size=8, epochs=7, verbose=0, shuffle=False, callbacks=[log])
    expected = [f(epoch) for epoch in range(7) for _ in range(3)]
    np.testing.assert_allclose(log.per_batch, expected, rtol=1e-6)


def test_keras_classes_match_the_functions_over_steps():
    sd = schedules.StepDecay(0.2, 0.7, 4.0, steps_per_epoch=5)
    tb = schedules.TimeBasedDecay(0.2, 0.3, steps_per_epoch=5)
    for step in range(200):
        assert float(sd(step)) == pytest.approx(
            notes_step_decay(step // 5, 0.2, 0.7, 4.0), rel=1e-6
        )
        assert float(tb(step)) == pytest.approx(0.2 / (1 + 0.3 * (step // 5)), rel=1e-6)


# --------------------------------------------------------------------------- time_based_decay


@pytest.mark.parametrize("lr0, decay", [(0.01, 1e-6), (0.1, 0.5), (0.1, 0.001), (0.3, 0.0)])
def test_time_based_decay_matches_inverse_time_decay(lr0, decay):
    f = time_based_decay(lr0, decay)
    oracle = keras.optimizers.schedules.InverseTimeDecay(lr0, decay_steps=1, decay_rate=decay)
    per_step = schedules.TimeBasedDecay(lr0, decay)
    for t in (0, 1, 2, 3, 5, 10, 100, 1000, 100_000):
        assert f(t) == pytest.approx(float(oracle(t)), rel=1e-6)
        assert float(per_step(t)) == pytest.approx(float(oracle(t)), rel=1e-6)
        assert f(t) == pytest.approx(lr0 / (1 + decay * t), rel=1e-15)


def test_time_based_decay_values_keras2_printed():
    # Keras 2's SGD(0.1, decay=0.5) applied lr / (1 + decay * iterations) (keras/optimizers.py in 2.2.4): 0.1, 0.0666667, 0.05, 0.04, ...
    f = time_based_decay(0.1, 0.5)
    np.testing.assert_allclose(
        [f(t) for t in range(6)], [0.1, 0.0666667, 0.05, 0.04, 0.0333333, 0.0285714], rtol=1e-5
    )


def test_time_based_decay_class_is_applied_per_update_in_fit():
    x, y = tiny_regression(n=24)
    model = tiny_model(learning_rate=schedules.TimeBasedDecay(0.05, 0.5))
    log = LearningRateLog()
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[log])
    oracle = keras.optimizers.schedules.InverseTimeDecay(0.05, 1, 0.5)
    np.testing.assert_allclose(log.per_batch, [float(oracle(t)) for t in range(6)], rtol=1e-6)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"initial_lr": 0}, "initial_lr=0"),
        ({"initial_lr": -0.1}, "initial_lr=-0.1"),
        ({"initial_lr": float("nan")}, "initial_lr=nan"),
        ({"drop": 1.5}, "drop=1.5"),
        ({"drop": 0}, "drop=0"),
        ({"drop": -0.5}, "drop=-0.5"),
        ({"epochs_drop": 0}, "epochs_drop=0"),
        ({"epochs_drop": -10.0}, "epochs_drop=-10.0"),
        ({"epochs_drop": float("inf")}, "epochs_drop=inf"),
        ({"shift": -1}, "shift=-1"),
    ],
)
def test_step_decay_rejects_bad_values(kwargs, fragment):
    with pytest.raises(ValueError, match=r"received .*" + fragment.replace(".", r"\.")):
        step_decay(**kwargs)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"initial_lr": 0.0, "decay": 0.1}, "initial_lr=0.0"),
        ({"initial_lr": 0.1, "decay": -1e-6}, "decay=-1e-06"),
        ({"initial_lr": 0.1, "decay": float("inf")}, "decay=inf"),
    ],
)
def test_time_based_decay_rejects_bad_values(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        time_based_decay(**kwargs)


@pytest.mark.parametrize("bad", ["0.1", None, True, [0.1]])
def test_non_numbers_are_type_errors(bad):
    with pytest.raises(TypeError, match="initial_lr"):
        step_decay(initial_lr=bad)
    with pytest.raises(TypeError, match="decay"):
        time_based_decay(0.1, decay=bad)


def test_bad_epoch_and_keras_class_arguments():
    with pytest.raises(ValueError, match="epoch=-1"):
        step_decay()(-1)
    with pytest.raises(TypeError, match="t='3'"):
        time_based_decay(0.1, 0.1)("3")
    with pytest.raises(ValueError, match="steps_per_epoch=0"):
        schedules.StepDecay(steps_per_epoch=0)
    with pytest.raises(ValueError, match="drop=2"):
        schedules.StepDecay(drop=2)
    with pytest.raises(ValueError, match="decay=-1"):
        schedules.TimeBasedDecay(0.1, decay=-1)


def test_functions_pickle_and_describe_themselves():
    f = pickle.loads(pickle.dumps(step_decay(0.2, 0.25, 4)))
    assert [f(e) for e in range(8)] == [notes_step_decay(e, 0.2, 0.25, 4) for e in range(8)]
    assert repr(f) == "step_decay(initial_lr=0.2, drop=0.25, epochs_drop=4.0)"
    g = pickle.loads(pickle.dumps(time_based_decay(0.2, 0.5)))
    assert g(2) == 0.1 and "decay=0.5" in repr(g)


# --------------------------------------------------------------------------- saving


def test_keras_classes_config_round_trip():
    for obj in (
        schedules.StepDecay(0.3, 0.2, 7.0, 4, shift=0),
        schedules.TimeBasedDecay(0.3, 0.2, 3),
    ):
        clone = type(obj).from_config(obj.get_config())
        assert clone.get_config() == obj.get_config()
        restored = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(obj))
        assert type(restored) is type(obj)
        for step in (0, 5, 27, 100):
            assert float(restored(step)) == float(obj(step))


@pytest.mark.parametrize(
    "make",
    [
        lambda: schedules.StepDecay(0.05, 0.5, 2.0, steps_per_epoch=3),
        lambda: schedules.TimeBasedDecay(0.05, 0.25),
    ],
    ids=["StepDecay", "TimeBasedDecay"],
)
def test_model_with_schedule_saves_and_reloads(make, tmp_path):
    x, y = tiny_regression(n=24)
    model = tiny_model(learning_rate=make())
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)  # 6 updates
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # no custom_objects
    original = model.optimizer.get_config()["learning_rate"]
    assert loaded.optimizer.get_config()["learning_rate"] == original
    assert (
        original["registered_name"] == f"kerasnotes>{type(model.optimizer._learning_rate).__name__}"
    )
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 6
    assert float(keras.ops.convert_to_numpy(loaded.optimizer.learning_rate)) == pytest.approx(
        float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)), rel=1e-7
    )
    reloaded_schedule = keras.optimizers.schedules.deserialize(original)
    for step in range(0, 40, 3):
        assert float(reloaded_schedule(step)) == float(make()(step))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


@pytest.mark.slow  # a fresh Python process imports Keras
def test_reload_in_a_fresh_process_needs_only_the_import(tmp_path):
    """Plain module-level classes: importing kerasnotes.schedules registers them."""
    model = tiny_model(learning_rate=schedules.StepDecay(0.05, 0.5, 2.0))
    path = tmp_path / "model.keras"
    model.save(path)
    code = textwrap.dedent(
        f"""
        import keras
        try:
            keras.saving.load_model({str(path)!r})
        except TypeError as exc:
            assert "StepDecay" in str(exc), exc
        else:
            raise SystemExit("expected the unregistered class to fail")
        import kerasnotes.schedules  # registers them, nothing else to call
        m = keras.saving.load_model({str(path)!r})
        assert type(m.optimizer._learning_rate) is kerasnotes.schedules.StepDecay
        print(float(keras.ops.convert_to_numpy(m.optimizer._learning_rate(4))))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout.split()[-1]) == pytest.approx(notes_step_decay(4, 0.05, 0.5, 2.0))


def test_classes_are_plain_module_level_classes():
    for cls in (schedules.StepDecay, schedules.TimeBasedDecay):
        assert cls.__module__ == "kerasnotes.schedules" and cls.__qualname__ == cls.__name__
        assert getattr(schedules, cls.__name__) is cls
        assert keras.saving.get_registered_object(f"kerasnotes>{cls.__name__}") is cls


# --------------------------------------------------------------------------- plot_schedule


@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_plot_schedule_draws_the_values(plt):
    from matplotlib.figure import Figure

    f = step_decay()
    fig = plot_schedule(f, epochs=30)
    assert isinstance(fig, Figure)
    line = fig.axes[0].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), np.arange(30))
    np.testing.assert_allclose(line.get_ydata(), [f(e) for e in range(30)])
    assert "first drop: epoch index 9" in [t.get_text() for t in fig.axes[0].texts]


def test_plot_schedule_compares_several_kinds(plt):
    fig = plot_schedule(
        {
            "notes": step_decay(),
            "textbook": step_decay(shift=0),
            "time": time_based_decay(0.1, 0.05),
            "keras": keras.optimizers.schedules.InverseTimeDecay(0.1, 1, 0.05),
            "lambda": lambda epoch: 0.1,
        },
        epochs=[0, 5, 10, 20],
        log=True,
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "notes",
        "textbook",
        "time",
        "keras",
        "lambda",
    ]
    curves = {line.get_label(): line.get_ydata() for line in ax.lines}
    np.testing.assert_allclose(curves["time"], curves["keras"], rtol=1e-6)  # == InverseTimeDecay
    np.testing.assert_allclose(curves["notes"], [0.1, 0.1, 0.05, 0.025])
    np.testing.assert_allclose(curves["textbook"], [0.1, 0.1, 0.05, 0.025])
    np.testing.assert_allclose(curves["lambda"], [0.1] * 4)
    assert ax.get_yscale() == "log"


def test_plot_schedule_first_drop_labels_do_not_overlap(plt):
    # notes (drop at index 9) and textbook (index 10) drop to the same rate one epoch
    # apart: their labels used to be drawn on top of each other.
    fig = plot_schedule({"notes": step_decay(), "textbook": step_decay(shift=0)}, epochs=30)
    ax = fig.axes[0]
    texts = {t.get_text(): t for t in ax.texts}
    assert set(texts) == {
        "notes: first drop: epoch index 9",
        "textbook: first drop: epoch index 10",
    }
    colours = {
        line.get_label(): line.get_color() for line in ax.lines if line.get_label()[0] != "_"
    }
    assert texts["notes: first drop: epoch index 9"].get_color() == colours["notes"]
    renderer = fig.canvas.get_renderer()
    a, b = (t.get_window_extent(renderer) for t in texts.values())
    assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize(
    "schedule, epochs, error",
    [
        (step_decay(), 0, ValueError),
        (step_decay(), [], ValueError),
        (step_decay(), [1, -2], ValueError),
        (step_decay(), 2.5, ValueError),
        (0.1, 10, TypeError),
        ({}, 10, ValueError),
    ],
)
def test_plot_schedule_bad_input(plt, schedule, epochs, error):
    with pytest.raises(error, match="received"):
        plot_schedule(schedule, epochs)


def test_package_root_re_exports_these_functions():
    import kerasnotes

    assert kerasnotes.step_decay is step_decay and kerasnotes.time_based_decay is time_based_decay


# --------------------------------------------------------------------------- issue 16

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: step_decay(initial_lr=10**400), "initial_lr"),
        (lambda: step_decay(epochs_drop=10**400), "epochs_drop"),
        (lambda: step_decay()(10**400), "epoch"),
        (lambda: time_based_decay(0.1, decay=10**400), "decay"),
        (lambda: time_based_decay(0.1, 0.1)(10**400), "t"),
        (lambda: step_decay(shift=10**400), "shift"),
    ],
)
def test_huge_ints_name_the_argument(call, name):
    with pytest.raises(ValueError, match=rf": {name} must be .*; received {name}=1000"):
        call()


def test_tiny_epochs_drop_is_finite_everywhere():
    f = step_decay(0.1, 0.5, 5e-324)
    # oracle: exact arithmetic says floor((1 + e) / 5e-324) drops, so 0.5 ** that is 0
    assert [f(e) for e in (0, 1, 10**6)] == [0.0, 0.0, 0.0]
    assert step_decay(0.1, 0.5, 5e-324, shift=0)(0) == 0.1  # zero drops before epoch 0
    assert step_decay(0.1, 1.0, 5e-324)(3) == 0.1  # drop 1 never changes the rate
    s = schedules.StepDecay(0.1, 0.5, 5e-324, shift=0)
    assert [float(s(step)) for step in (0, 1, 1000)] == [float(np.float32(0.1)), 0.0, 0.0]


def test_keras_class_refuses_a_rate_float32_cannot_hold():
    with pytest.raises(ValueError, match="initial_learning_rate must be <= 3.4"):
        schedules.StepDecay(1e39)
    with pytest.raises(ValueError, match="initial_learning_rate must be <= 3.4"):
        schedules.TimeBasedDecay(1e39)


_reals = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
)


def _finite_or_documented(make, *args):
    try:
        value = float(make(*args))
    except (ValueError, TypeError) as exc:
        assert "received" in str(exc)  # the documented error names the value
        return None
    assert math.isfinite(value) and value >= 0.0
    return value


@settings(max_examples=100, deadline=None)
@given(lr=_reals, drop=_reals, epochs_drop=_reals, epoch=_reals, shift=st.integers(0, 3))
def test_step_decay_on_arbitrary_numbers(lr, drop, epochs_drop, epoch, shift):
    def make(*_):
        return step_decay(lr, drop, epochs_drop, shift=shift)(epoch)

    value = _finite_or_documented(make)
    if value is not None:
        assert value <= float(lr)


@settings(max_examples=100, deadline=None)
@given(lr=_reals, decay=_reals, t=_reals)
def test_time_based_decay_on_arbitrary_numbers(lr, decay, t):
    value = _finite_or_documented(lambda: time_based_decay(lr, decay)(t))
    if value is not None:
        assert value <= float(lr)


@settings(max_examples=40, deadline=None)
@given(
    lr=st.floats(1e-30, 3e38),
    drop=st.floats(1e-30, 1.0),
    epochs_drop=st.floats(5e-324, 1e300),
    decay=st.floats(0.0, 1e300),
    step=st.integers(0, 2**31 - 1),
    steps_per_epoch=st.integers(1, 10**6),
)
def test_keras_classes_on_arbitrary_valid_numbers(
    lr, drop, epochs_drop, decay, step, steps_per_epoch
):
    for schedule in (
        schedules.StepDecay(lr, drop, epochs_drop, steps_per_epoch=steps_per_epoch),
        schedules.TimeBasedDecay(lr, decay, steps_per_epoch=steps_per_epoch),
    ):
        value = float(keras.ops.convert_to_numpy(schedule(step)))
        assert math.isfinite(value) and 0.0 <= value <= np.float32(lr) * (1 + 1e-6)
