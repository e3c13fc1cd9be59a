"""Run the notes' programs in scripts/ as a user would, and check what they print.

Each script prints JSON as its last line. The oracles: least squares (NumPy) and
the notes' printed test cost for the regression; for MNIST, the accuracy a model
of that size reaches on 8,000 real training images (measured, with a margin),
and a synthetic data set that any working classifier separates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def run_script(name: str, *args: str, env: dict[str, str] | None = None, check: bool = True):
    """Run ``scripts/<name>`` in a fresh interpreter; return the CompletedProcess."""
    full_env = {**os.environ, "KERASNOTES_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{name} {' '.join(args)} exited with {proc.returncode}\n"
            f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
        )
    return proc


def last_json(proc: subprocess.CompletedProcess) -> dict:
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, f"the script printed nothing; stderr:\n{proc.stderr[-2000:]}"
    return json.loads(lines[-1])


def synthetic_digits(path: Path, n_train: int = 600, n_test: int = 200, seed: int = 0) -> Path:
    """A Keras-layout ``mnist.npz`` of 28x28 uint8 images whose class is where a bright
    6x6 square sits (10 positions), on a noisy background: separable by any working model."""
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    labels = rng.integers(0, 10, size=n).astype("uint8")
    images = rng.integers(0, 60, size=(n, 28, 28)).astype("uint8")
    for i, k in enumerate(labels):
        row, col = 3 + 13 * (k // 5), 1 + 5 * (k % 5)
        images[i, row : row + 6, col : col + 6] = 255
    np.savez(
        path,
        x_train=images[:n_train],
        y_train=labels[:n_train],
        x_test=images[n_train:],
        y_test=labels[n_train:],
    )
    return path


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("name", ["regression.py", "mnist_mlp.py", "mnist_cnn.py"])
def test_help_lists_the_options(name):
    proc = run_script(name, "--help")
    for option in ("--epochs", "--seed"):
        assert option in proc.stdout
    if name != "regression.py":
        assert "--data" in proc.stdout


@pytest.mark.parametrize("name", ["mnist_mlp.py", "mnist_cnn.py"])
def test_missing_data_file_is_a_clear_error(name, tmp_path):
    missing = tmp_path / "nowhere" / "mnist.npz"
    proc = run_script(name, "--data", str(missing), check=False)
    assert proc.returncode == 2
    assert str(missing) in proc.stderr
    assert "mnist.npz" in proc.stderr and "x_train" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["mnist_mlp.py", "mnist_cnn.py"])
def test_a_folder_is_not_a_data_file(name, tmp_path):
    proc = run_script(name, "--data", str(tmp_path), check=False)
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr


@pytest.mark.parametrize(
    "name,kind,expected",
    [
        ("mnist_mlp.py", "wrong keys", "missing ['x_train'"),
        ("mnist_cnn.py", "not npz", "could not read"),
    ],
)
def test_a_file_that_is_not_mnist_is_a_clear_error(name, kind, expected, tmp_path):
    path = tmp_path / "mnist.npz"
    if kind == "wrong keys":
        np.savez(path, images=np.zeros((2, 28, 28), "uint8"))
    else:
        path.write_text("not an npz file")
    proc = run_script(name, "--data", str(path), check=False)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"{name}: error: " in proc.stderr and expected in proc.stderr
    assert str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "name,args,expected",
    [
        ("regression.py", ["--epochs", "0"], "expected a number >= 1, received 0"),
        ("regression.py", ["--lr", "-1"], "expected a number > 0, received -1.0"),
        ("mnist_mlp.py", ["--epochs", "two"], "expected a whole number, received 'two'"),
        ("mnist_cnn.py", ["--batch-size", "0"], "expected a number >= 1, received 0"),
    ],
)
def test_bad_numbers_are_rejected_with_the_value(name, args, expected):
    proc = run_script(name, *args, check=False)
    assert proc.returncode == 2
    assert expected in proc.stderr


# ---------------------------------------------------------------------- regression


def _notes_data():
    from kerasnotes.data import make_linear_data

    x, y = make_linear_data(n=200, seed=1337)
    return x[:160], y[:160], x[160:], y[160:]


@pytest.mark.slow
def test_regression_with_the_notes_settings():
    """301 full-batch SGD steps at lr 0.01, as in the notes.

    The bias converges (its curvature is 2, so the start error shrinks by
    (1 - 0.02)**301 ~ 0.002), but the weight does not quite: its curvature is
    2 * mean(x**2) ~ 2/3, so the start error only shrinks to (1 - 0.0067)**301 ~ 0.134
    of itself. Glorot-uniform starts a 1x1 kernel in [-1.73, 1.73], at most 2.23 from
    0.5, so the weight can still be 0.30 away. Hence the loose weight bound here and
    the converged run below.
    """
    result = last_json(run_script("regression.py"))
    assert set(result) == {"weight", "bias", "test_loss"}
    assert abs(result["bias"] - 2.0) < 0.02
    assert abs(result["weight"] - 0.5) < 0.134 * 2.24 + 0.02
    # the test loss is the MSE of the printed line on the notes' 40 test points
    _, _, x_test, y_test = _notes_data()
    mse = np.mean((result["weight"] * x_test + result["bias"] - y_test) ** 2)
    np.testing.assert_allclose(result["test_loss"], mse, rtol=1e-3)
    assert result["test_loss"] < 0.02


@pytest.mark.slow
def test_regression_converged_matches_least_squares_and_the_notes():
    """With lr 0.1 the weight's start error shrinks by (1 - 0.067)**301 ~ 1e-9: SGD lands
    on the least-squares line. Its test MSE is then compared with the notes' 0.0031:
    40 test points with noise sigma 0.05 give an MSE of 0.0025 +- 0.00056 (one standard
    deviation, sigma**2 * sqrt(2 / 40)), so the notes' figure and ours may differ by
    sampling alone; 0.0015 is about 2.7 of those deviations."""
    result = last_json(run_script("regression.py", "--lr", "0.1"))
    x_train, y_train, x_test, y_test = _notes_data()
    w_ls, b_ls = np.polyfit(x_train, y_train, deg=1)
    np.testing.assert_allclose(result["weight"], w_ls, atol=1e-3)
    np.testing.assert_allclose(result["bias"], b_ls, atol=1e-3)
    assert abs(result["weight"] - 0.5) < 0.05
    assert abs(result["bias"] - 2.0) < 0.05
    assert abs(result["test_loss"] - 0.0031) < 0.0015


# ---------------------------------------------------------------------------- MNIST


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mnist_mlp.py", "mnist_cnn.py"])
def test_mnist_scripts_learn_a_synthetic_data_file(name, tmp_path):
    data = synthetic_digits(tmp_path / "mnist.npz")
    result = last_json(run_script(name, "--epochs", "2", "--data", str(data)))
    assert set(result) == {"test_loss", "test_accuracy"}
    assert result["test_accuracy"] >= 0.9, result  # chance is 0.1
    assert 0.0 <= result["test_loss"] < 1.0


@pytest.mark.slow
def test_mnist_mlp_offline_fallback_says_so(tmp_path):
    """No --data, no $KERASNOTES_MNIST, an empty Keras home, offline: load_mnist falls back
    to scikit-learn's digits and the script's output says it is not MNIST. The notes'
    MLP reached 0.93-0.96 on those 1,438 training images here (seeds 1-4, 1337)."""
    env = {"KERASNOTES_MNIST": "", "KERAS_HOME": str(tmp_path / "keras-home")}
    proc = run_script("mnist_mlp.py", env=env)
    assert "NOT MNIST" in proc.stdout
    result = last_json(proc)
    assert result["test_accuracy"] >= 0.88, result


@pytest.mark.slow
def test_mnist_mlp_on_real_mnist_through_the_default_loader(real_mnist_path):
    """The notes' MLP, 4 epochs (their settings), trained on 8,000 real digits.

    The notes report 0.9743 after 4 epochs on the full 60,000. With 8,000 images,
    seeds 1-4 and 1337 gave 0.9415-0.9615 here, so 0.92 leaves a margin.
    """
    proc = run_script("mnist_mlp.py", env={"KERASNOTES_MNIST": str(real_mnist_path)})
    result = last_json(proc)
    assert "real MNIST from $KERASNOTES_MNIST" in proc.stdout  # load_mnist names its source
    assert "(8000, 784)" in proc.stdout  # it really trained on the 8,000 real images
    assert result["test_accuracy"] >= 0.92, result
    assert result["test_loss"] < 0.3, result


@pytest.mark.slow
def test_mnist_cnn_on_real_mnist(real_mnist_path):
    """The notes' CNN, 1 epoch (their setting), on 8,000 real digits: seeds 1-4 and 1337
    gave 0.9695-0.9755 here, so 0.95 leaves a margin."""
    result = last_json(run_script("mnist_cnn.py", "--data", str(real_mnist_path)))
    assert result["test_accuracy"] >= 0.95, result
    assert result["test_loss"] < 0.2, result
