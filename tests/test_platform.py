"""Tests for kerasnotes._platform: conda, install hints, `dot -V`, Keras' folders."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kerasnotes import _platform


def test_public_api_is_sorted_and_documented():
    assert _platform.__all__ == sorted(_platform.__all__)
    for name in _platform.__all__:
        doc = inspect.getdoc(getattr(_platform, name)) or ""
        assert ">>>" in doc and "Returns:" in doc, name


def test_in_conda(tmp_path):
    env = tmp_path / "env"
    env.mkdir()
    assert not _platform.in_conda(prefix=str(env), environ={})
    # an activated conda env that is not this interpreter's (a venv made from conda's Python)
    assert not _platform.in_conda(prefix=str(env), environ={"CONDA_PREFIX": str(tmp_path)})
    assert _platform.in_conda(prefix=str(env), environ={"CONDA_PREFIX": str(env)})
    (env / "conda-meta").mkdir()
    assert _platform.in_conda(prefix=str(env), environ={})


def test_os_id_reads_os_release(tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Pop!_OS"\nID=pop\nID_LIKE="ubuntu debian"\n', encoding="utf-8")
    assert _platform.os_id(platform="linux", os_release=release) == "pop"
    release.write_text("# nothing\n", encoding="utf-8")
    assert _platform.os_id(platform="linux", os_release=release) == "linux"
    assert _platform.os_id(platform="win32") == "windows"


@pytest.mark.parametrize(
    ("os_name", "expected"),
    [
        ("debian", "sudo apt-get install -y graphviz"),
        ("pop", "sudo apt-get install -y graphviz"),
        ("fedora", "sudo dnf install -y graphviz"),
        ("arch", "sudo pacman -S graphviz"),
        ("alpine", "sudo apk add graphviz"),
        ("opensuse-leap", "sudo zypper install graphviz"),
        ("macos", "brew install graphviz"),
        ("windows", "winget install graphviz   (or: choco install graphviz)"),
    ],
)
def test_install_command_per_platform(os_name, expected):
    assert _platform.install_command("graphviz", os_name=os_name, conda=False, root=False) == (
        expected
    )


def test_install_command_as_root_and_in_conda():
    assert _platform.install_command("x", os_name="debian", conda=False, root=True) == (
        "apt-get install -y x"
    )
    assert _platform.install_command("x", os_name="macos", conda=True) == (
        "conda install -c conda-forge x"
    )
    assert "package manager" in _platform.install_command("x", os_name="plan9", conda=False)


@pytest.mark.parametrize(
    ("platform", "conda", "first"),
    [("darwin", False, "brew"), ("win32", False, "winget"), ("linux", False, "apt-get")],
)
def test_graphviz_hints_put_this_platform_first(platform, conda, first):
    hints = _platform.graphviz_install_hints(platform=platform, conda=conda)
    assert first in hints[0]
    assert len(hints) == 4 and len(set(hints)) == 4  # every platform, once
    with_conda = _platform.graphviz_install_hints(platform=platform, conda=True)
    assert with_conda[0].startswith("conda: conda install") and with_conda[1] == hints[0]


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("dot - graphviz version 2.43.0 (0)", "2.43.0"),
        ("dot - graphviz version 12.2.1 (20241206.2353)", "12.2.1"),
        ("dot - Graphviz version 2.38.0 (20140413.2041)\n", "2.38.0"),
        ("", None),
        ("Segmentation fault", None),
    ],
)
def test_parse_dot_version(text, version):
    assert _platform.parse_dot_version(text) == version


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed here")
def test_dot_version_runs_the_real_program():
    printed = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    version = _platform.dot_version(shutil.which("dot"))
    assert version is not None and f"version {version}" in printed


def test_dot_version_of_a_broken_program(tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'libgvc.so: cannot open' >&2\nexit 127\n", encoding="utf-8")
    fake.chmod(0o755)
    assert _platform.dot_version(fake) is None
    assert _platform.dot_version(tmp_path / "missing") is None


def test_keras_home_and_json(tmp_path, monkeypatch):
    env = {"KERAS_HOME": str(tmp_path)}
    assert _platform.keras_home(environ=env) == tmp_path
    assert _platform.keras_json_path(environ=env) == tmp_path / "keras.json"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _platform.keras_home(environ={}) == tmp_path / ".keras"


def test_cache_dir_falls_back_to_tmp_when_home_is_not_writable(tmp_path):
    assert _platform.keras_cache_dir(environ={"KERAS_HOME": str(tmp_path)}) == tmp_path
    missing = tmp_path / "missing"
    assert _platform.keras_cache_dir(environ={"KERAS_HOME": str(missing)}) == Path("/tmp/.keras")


def test_mnist_cache_file(tmp_path):
    env = {"KERAS_HOME": str(tmp_path)}
    assert _platform.mnist_cache_file(environ=env) is None
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"")
    assert _platform.mnist_cache_file(environ=env) == tmp_path / "datasets" / "mnist.npz"


def test_env_commands():
    assert _platform.set_env_command("A", "b c", platform="linux") == "export A='b c'"
    assert _platform.set_env_command("A", "b", platform="win32").startswith('$env:A = "b"')
    assert _platform.unset_env_command("A", platform="win32").startswith("Remove-Item Env:A")


@pytest.mark.slow
def test_folders_agree_with_keras_itself(tmp_path):
    """Oracle: Keras' own keras_home() and where get_file really stores a (file://) download."""
    source = tmp_path / "payload.bin"
    source.write_bytes(b"kerasnotes")
    code = (
        "import json, keras\n"
        "from keras.src.backend import config\n"
        f"p = keras.utils.get_file('payload.bin', origin={source.as_uri()!r})\n"
        "print(json.dumps([config.keras_home(), p]))"
    )
    for home in (tmp_path / "home", tmp_path / "absent"):
        if home.name == "home":
            home.mkdir()
        env = dict(os.environ, KERAS_HOME=str(home), TF_CPP_MIN_LOG_LEVEL="3")
        env.pop("KERAS_BACKEND", None)
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        import json

        keras_home, stored = json.loads(proc.stdout.strip().splitlines()[-1])
        assert Path(keras_home) == _platform.keras_home(environ=env)
        assert Path(stored).parent.parent == _platform.keras_cache_dir(environ=env)
