"""Tests for kerasnotes.viz: the plot_model check (real render), plot_model, plot_history."""

from __future__ import annotations

import builtins
import re
import shutil
import subprocess
import sys

import pytest

from kerasnotes import _platform, viz
from kerasnotes.viz import (
    PlotModelCheck,
    PlotModelUnavailableError,
    check_plot_model,
    plot_history,
    plot_model,
)

HAVE_DOT = shutil.which("dot") is not None


@pytest.fixture(autouse=True)
def _agg_and_close(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def small_model():
    import keras

    return keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, name="hidden"), keras.layers.Dense(1, name="out")]
    )


def _hide_pydot(monkeypatch):
    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "pydot" or name.startswith("pydot."):
            raise ImportError("No module named 'pydot'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pydot", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake)


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz is not installed here")
def test_check_ok_when_everything_is_installed():
    import pydot

    check = check_plot_model()
    assert check.ok and check.problems == [] and check.fixes == []
    assert check.pydot_version == pydot.__version__
    assert check.dot_path == shutil.which("dot")
    # the oracle: what `dot -V` itself prints, read here with a plain regex
    printed = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    assert check.dot_version == re.search(r"version (\S+)", printed).group(1)
    assert "ready" in str(check)


def test_check_without_dot_on_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot`
    monkeypatch.setattr(viz, "_DOT_CANDIDATES", {})  # and no install off the PATH
    check = check_plot_model()
    assert not check.ok and check.dot_path is None and check.dot_version is None
    assert any("`dot`" in p for p in check.problems)
    text = " ".join(check.fixes)
    for command in (
        "apt-get install graphviz",
        "brew install graphviz",
        "conda install",
        "winget",
        "choco",
    ):
        assert command in text
    assert "NOT available" in str(check)


def test_check_platform_order(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(viz, "_DOT_CANDIDATES", {})
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    monkeypatch.setattr(_platform, "in_conda", lambda **_: False)
    for platform, first in (("darwin", "brew"), ("win32", "winget"), ("linux", "apt-get")):
        monkeypatch.setattr(viz.sys, "platform", platform)
        assert first in check_plot_model().fixes[0]
    monkeypatch.setattr(_platform, "in_conda", lambda **_: True)
    assert "conda install" in check_plot_model().fixes[0]


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz is not installed here")
def test_check_finds_graphviz_off_path(monkeypatch, tmp_path):
    real_dot = shutil.which("dot")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(
        viz, "_DOT_CANDIDATES", {"linux": [real_dot], "darwin": [real_dot], "win32": [real_dot]}
    )
    check = check_plot_model()
    assert not check.ok
    assert "not on PATH" in check.problems[0]
    assert str(shutil.os.path.dirname(real_dot)) in check.fixes[0]


def test_check_without_pydot(monkeypatch):
    _hide_pydot(monkeypatch)
    check = check_plot_model()
    assert not check.ok and check.pydot_version is None
    assert any("pydot" in p for p in check.problems)
    assert any("pip install pydot" in f for f in check.fixes)


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz is not installed here")
def test_check_detects_a_broken_render(monkeypatch):
    import pydot

    def broken(self, *args, **kwargs):
        raise OSError("dot crashed")

    monkeypatch.setattr(pydot.Dot, "create", broken)
    check = check_plot_model()
    assert not check.ok and "dot crashed" in check.problems[0]


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz is not installed here")
def test_plot_model_writes_png_like_keras(small_model, tmp_path):
    import keras

    ours = tmp_path / "ours.png"
    theirs = tmp_path / "theirs.png"
    plot_model(small_model, to_file=ours, show_shapes=True, show_layer_names=True)
    keras.utils.plot_model(
        small_model, to_file=str(theirs), show_shapes=True, show_layer_names=True
    )
    assert ours.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ours.read_bytes() == theirs.read_bytes()  # oracle: Keras' own output
    svg = tmp_path / "m.svg"
    shown = plot_model(small_model, to_file=svg, show_layer_names=True)
    assert "hidden" in svg.read_text()
    if shown is not None:  # IPython installed: Keras' Image() fails on svg, we return SVG
        assert "hidden" in shown.data


def test_plot_model_missing_graphviz_raises_one_clear_error(small_model, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(viz, "_DOT_CANDIDATES", {})
    with pytest.raises(PlotModelUnavailableError) as info:
        plot_model(small_model, to_file=tmp_path / "m.png")
    err = info.value
    assert isinstance(err, ImportError)
    assert isinstance(err.check, PlotModelCheck) and not err.check.ok
    assert "apt-get install graphviz" in str(err) and "model_to_dot" in str(err)
    assert not (tmp_path / "m.png").exists()


def test_plot_model_bad_input(tmp_path, small_model):
    with pytest.raises(TypeError, match="keras.Model"):
        plot_model("not a model", to_file=tmp_path / "x.png")
    if HAVE_DOT:  # Keras' own validation of keyword arguments still applies
        with pytest.raises(ValueError, match="Unrecognized keyword"):
            plot_model(small_model, to_file=tmp_path / "x.png", bogus=1)


def test_plot_history_from_fit():
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    fig = plot_history(history, title="run")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["accuracy", "loss"]
    loss_ax = fig.axes[titles.index("loss")]
    lines = {line.get_label(): line for line in loss_ax.get_lines()}
    assert set(lines) == {"train", "validation"}
    np.testing.assert_allclose(lines["train"].get_ydata(), history.history["loss"])
    np.testing.assert_allclose(lines["validation"].get_ydata(), history.history["val_loss"])
    assert list(lines["train"].get_xdata()) == [1, 2, 3]
    assert fig._suptitle.get_text() == "run"


def test_plot_history_dict_with_learning_rate_and_val_only():
    fig = plot_history({"loss": [3, 2], "learning_rate": [0.1, 0.05], "val_mae": [1.0, 0.5]})
    assert [ax.get_title() for ax in fig.axes] == ["loss", "learning_rate", "mae"]
    assert [line.get_label() for line in fig.axes[2].get_lines()] == ["validation"]


@pytest.mark.parametrize(
    "bad, exc, match",
    [
        ([1, 2, 3], TypeError, "received list"),
        ({}, ValueError, "empty"),
        ({"loss": ["a", "b"]}, TypeError, r"history\['loss'\]"),
        ({"loss": 3}, TypeError, "list of numbers"),
        ({"loss": [1, 2], "val_loss": [1]}, ValueError, "different lengths"),
    ],
)
def test_plot_history_bad_input(bad, exc, match):
    with pytest.raises(exc, match=match):
        plot_history(bad)


def test_public_api():
    import kerasnotes

    assert kerasnotes.check_plot_model is check_plot_model
    assert kerasnotes.plot_model is plot_model
    assert kerasnotes.plot_history is plot_history
    assert set(viz.__all__) <= set(dir(viz))
