"""kerasnotes.course.environment: setup() silences TensorFlow's start-up, and nothing else."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kerasnotes.course.environment import QUIET_ENV, setup


def test_setup_rejects_a_seed_that_is_not_an_int():
    with pytest.raises(TypeError, match="expects an int or None, received '1'"):
        setup(seed="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="received True"):
        setup(seed=True)


def test_quiet_env_leaves_onednn_alone():
    # TF_ENABLE_ONEDNN_OPTS=0 makes TensorFlow's CPU convolutions refuse channels_first data
    assert "TF_ENABLE_ONEDNN_OPTS" not in QUIET_ENV


@pytest.mark.slow  # a fresh interpreter imports TensorFlow
def test_setup_prints_one_line_and_tensorflow_prints_nothing():
    code = (
        "import kerasnotes.course\n"
        "kerasnotes.course.setup(seed=3)\n"
        "import keras, numpy as np\n"
        "m = keras.Sequential([keras.Input((3, 8, 8)),"
        " keras.layers.Conv2D(2, 3, data_format='channels_first')])\n"
        "print(m.predict(np.zeros((1, 3, 8, 8)), verbose=0).shape)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("TF_")}
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"  # as lessons 00 and 04 do: channels_first needs oneDNN
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Keras 3") and lines[0].endswith("seed 3")
    assert lines[1:] == ["(1, 2, 6, 6)"]  # channels_first convolution runs on the CPU
    # Without setup(), the same import writes TensorFlow's C++ start-up lines to stderr;
    # with it, nothing from absl / oneDNN / CUDA reaches stderr.
    for noise in ("absl::InitializeLog", "oneDNN", "cuda", "cpu_feature_guard"):
        assert noise not in done.stderr, done.stderr
