"""scripts/fit_from_file.py, run as a user would (a subprocess), plus its pull counter.

Oracles: the number of training steps is steps_per_epoch * epochs by definition;
Keras must have pulled at least that many batches (it reads ahead, but never a
whole epoch ahead); a linearly separable file must be learned (training accuracy
near 1, loss far below the ln 2 of a coin flip); bad input must fail with a
message naming the problem.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "fit_from_file.py"
KEYS = {
    "loss",
    "accuracy",
    "val_loss",
    "val_accuracy",
    "epochs",
    "steps_per_epoch",
    "batches_trained",
    "generator_pulls",
}


def run_script(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "KERASNOTES_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def last_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr[-3000:]}"
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def separable_file(path: Path, n: int = 40, seed: int = 0) -> Path:
    """Lines ``a b onehot``: class 0 when a > b, class 1 when a < b (never equal)."""
    rng = np.random.default_rng(seed)
    rows = []
    while len(rows) < n:
        a, b = (int(v) for v in rng.integers(0, 10, size=2))
        if a != b:
            rows.append(f"{a} {b} {int(a > b)} {int(a < b)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_defaults_are_the_notes_run_and_count_the_pulls(tmp_path: Path) -> None:
    # run from another folder: the default data path must not depend on the cwd
    result = last_json(run_script(cwd=tmp_path))
    assert set(result) == KEYS
    assert (result["epochs"], result["steps_per_epoch"]) == (2, 10)  # the notes' settings
    assert result["batches_trained"] == 2 * 10
    # Keras peeks 2 batches (put back), then prefetches: at least one pull per step,
    # never a whole epoch ahead
    assert 20 <= result["generator_pulls"] <= 20 + 10
    for key in ("loss", "val_loss"):
        assert math.isfinite(result[key]) and result[key] > 0
    for key in ("accuracy", "val_accuracy"):
        assert 0.0 <= result[key] <= 1.0
    # the file has 6 samples per batch and 10 batches per epoch: accuracy is a count / 60
    assert result["accuracy"] * 60 == pytest.approx(round(result["accuracy"] * 60), abs=1e-4)


@pytest.mark.slow
def test_learns_a_separable_file_with_custom_arguments(tmp_path: Path) -> None:
    data = separable_file(tmp_path / "separable.txt")
    result = last_json(run_script("--data", str(data), "--epochs", "5", "--steps-per-epoch", "10"))
    assert result["batches_trained"] == 50
    assert 50 <= result["generator_pulls"] <= 60
    assert result["accuracy"] >= 0.95
    assert result["loss"] < 0.5 * math.log(2)  # far better than guessing


def test_missing_file_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    proc = run_script("--data", str(missing))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and str(missing) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_folder_is_not_a_data_file(tmp_path: Path) -> None:
    proc = run_script("--data", str(tmp_path))
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_help_lists_the_options() -> None:
    proc = run_script("--help")
    assert proc.returncode == 0
    for option in ("--data", "--epochs", "--steps-per-epoch", "--batch-size", "--seed"):
        assert option in proc.stdout


@pytest.mark.parametrize("arg", [["--epochs", "0"], ["--steps-per-epoch", "x"]])
def test_bad_numbers_are_rejected_by_argparse(arg: list[str]) -> None:
    proc = run_script(*arg)
    assert proc.returncode == 2
    assert arg[0] in proc.stderr and arg[1] in proc.stderr


@pytest.mark.slow
def test_malformed_line_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 0 1\n2 x 1 0\n", encoding="utf-8")
    proc = run_script("--data", str(bad))
    assert proc.returncode == 2
    assert "line 2" in proc.stderr and "'x'" in proc.stderr
    assert "Traceback" not in proc.stderr


def _load_script_module():
    spec = importlib.util.spec_from_file_location("fit_from_file", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_pull_counter_counts_each_batch_handed_over() -> None:
    module = _load_script_module()
    counter = module.PullCounter()
    gen = counter.count(iter(range(100)))
    taken = [next(gen) for _ in range(7)]
    assert taken == list(range(7)) and counter.pulls == 7
    assert list(gen) == list(range(7, 100)) and counter.pulls == 100


def test_script_module_does_not_import_keras_at_import_time() -> None:
    code = (
        "import importlib.util, sys;"
        f"spec = importlib.util.spec_from_file_location('m', {str(SCRIPT)!r});"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m);"
        "print('keras' in sys.modules, 'tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False False", out.stderr
