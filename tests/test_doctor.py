"""kerasnotes doctor: real probe, simulated broken installs, keras.json, Graphviz, MNIST."""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from kerasnotes import _platform
from kerasnotes.course import doctor, doctor_checks

ROOT = Path(__file__).resolve().parents[1]


def _fake_tensorflow(tmp_path: Path, body: str) -> dict[str, str]:
    """An environment whose `import tensorflow` runs ``body`` instead of TensorFlow."""
    pkg = tmp_path / "fake" / "tensorflow"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(body, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pkg.parent), env.get("PYTHONPATH")]))
    return env


def _doctor_json(env: dict[str, str] | None = None, *extra: str) -> tuple[int, dict, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "kerasnotes", "doctor", "--json", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return proc.returncode, json.loads(proc.stdout), time.perf_counter() - start


def _check(report: dict, name: str) -> dict:
    return next(c for c in report["checks"] if c["name"] == name)


@pytest.mark.slow
def test_real_environment_report_matches_installed_versions():
    code, report, seconds = _doctor_json()
    assert code == 0 and report["ok"] is True, [
        c for c in report["checks"] if c["status"] == "problem"
    ]
    # the TensorFlow import is the doctor's cost; every other check together adds little to it
    probe_seconds = _check(report, "TensorFlow")["details"]["import_seconds"]
    assert report["seconds"] < 1.5 * probe_seconds + 1, (report["seconds"], probe_seconds, seconds)
    assert _check(report, "TensorFlow")["details"]["version"] == metadata.version("tensorflow")
    keras_check = _check(report, "Keras")
    assert keras_check["details"]["version"] == metadata.version("keras")
    assert _check(report, "NumPy")["details"]["version"] == np.__version__
    assert _check(report, "Python")["details"]["executable"] == sys.executable
    assert _check(report, "Devices")["details"]["cpu_count"] == os.cpu_count()
    statuses = {c["status"] for c in report["checks"]}
    assert statuses <= set(doctor.STATUSES)


def test_missing_tensorflow_is_a_problem_not_a_crash(tmp_path):
    env = _fake_tensorflow(
        tmp_path, "raise ModuleNotFoundError(\"No module named 'tensorflow'\", name='tensorflow')\n"
    )
    code, report, _ = _doctor_json(env)
    assert code == 1 and report["ok"] is False
    tf = _check(report, "TensorFlow")
    assert tf["status"] == "problem" and tf["summary"] == "not installed"
    assert tf["fix"].startswith(sys.executable) and "pip install" in tf["fix"]
    assert "tensorflow>=" in tf["fix"]
    # the rest of the report is still there
    assert _check(report, "Python")["status"] == "ok"
    assert _check(report, "Graphviz dot")["status"] in ("ok", "warning")


def test_broken_tensorflow_is_reported_with_its_error(tmp_path):
    env = _fake_tensorflow(
        tmp_path, "raise ImportError('libcudart.so.12: cannot open shared object')\n"
    )
    probe = doctor.probe_tensorflow(30, env=env)
    check = doctor._check_tensorflow(probe)
    assert check.status == "problem"
    assert (
        check.summary
        == "installed but broken: ImportError: libcudart.so.12: cannot open shared object"
    )
    assert "--force-reinstall" in check.fix


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
def test_crashing_tensorflow_is_reported(tmp_path):
    env = _fake_tensorflow(tmp_path, "import os\nos.abort()\n")
    probe = doctor.probe_tensorflow(30, env=env)
    assert probe["probe_failed"].startswith(
        "the Python process importing TensorFlow crashed (SIGABRT)"
    )
    check = doctor._check_tensorflow(probe)
    assert check.status == "problem" and "--force-reinstall" in check.fix
    assert doctor._check_keras(probe).status == "problem"


def test_hanging_tensorflow_hits_the_timeout(tmp_path):
    env = _fake_tensorflow(tmp_path, "import time\ntime.sleep(60)\n")
    start = time.perf_counter()
    probe = doctor.probe_tensorflow(2, env=env)
    # the child was stopped by the timeout, long before its 60 s sleep could end
    assert (time.perf_counter() - start) / 60 < 0.5
    assert probe["probe_failed"] == "importing TensorFlow did not finish within 2 s"
    check = doctor._check_tensorflow(probe)
    assert check.status == "problem" and "--timeout 60" in check.fix  # raise the limit first
    assert "--force-reinstall" not in check.fix


def test_old_tensorflow_and_keras_2_are_problems():
    probe = {"tensorflow": "2.15.1", "keras": "2.15.0", "keras_config": {"backend": "tensorflow"}}
    assert doctor._check_tensorflow(probe).status == "problem"
    keras_check = doctor._check_keras(probe)
    assert keras_check.status == "problem" and "Keras 2" in keras_check.summary


def test_other_backend_is_a_warning_with_the_unset_command():
    probe = {
        "tensorflow": "2.21.0",
        "keras": "3.15.1",
        "keras_config": {"backend": "jax"},
        "keras_backend_env": "jax",
    }
    check = doctor._check_keras(probe)
    assert check.status == "warning" and "KERAS_BACKEND=jax" in check.summary
    assert "KERAS_BACKEND" in check.fix


def test_tensorflow_range_comes_from_the_package_metadata():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'"(tensorflow[<>=!~][^"]*)"', text).group(1)
    assert doctor_checks._requirement("tensorflow", "?") == declared.replace(" ", "")


def test_keras_json_path_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert doctor.keras_json_path() == tmp_path / "keras.json"
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert doctor.keras_json_path() == tmp_path / ".keras" / "keras.json"


@pytest.mark.slow
def test_keras_json_path_is_where_keras_reads_it(tmp_path):
    """Oracle: Keras itself, in a fresh process with KERAS_HOME pointing at an empty folder."""
    home = tmp_path / "kh"
    env = dict(os.environ, KERAS_HOME=str(home), TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("KERAS_BACKEND", None)
    subprocess.run([sys.executable, "-c", "import keras"], env=env, check=True, capture_output=True)
    written = json.loads((home / "keras.json").read_text(encoding="utf-8"))
    assert written == doctor_checks.KERAS_DEFAULTS  # what Keras writes when the file is missing


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (None, "ok", "does not exist yet"),
        (json.dumps(doctor_checks.KERAS_DEFAULTS), "ok", "image_data_format=channels_last"),
        ('{"image_data_format": "channels_first"}', "warning", "not channels_last"),
        ('{"epsilon": 1}', "problem", '"epsilon": 1 is refused by Keras'),
        ('{"image_dim_ordering": "th"}', "warning", "Keras 1 field"),
        ("{not json", "warning", "silently ignores it"),
    ],
)
def test_keras_json_check(tmp_path, monkeypatch, content, status, words):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    if content is not None:
        (tmp_path / "keras.json").write_text(content, encoding="utf-8")
    check = doctor._check_keras_json({})
    assert (check.status, words in check.summary) == (status, True), check.summary
    assert (check.fix == "") == (status == "ok")
    assert check.details["path"] == str(tmp_path / "keras.json")


def test_graphviz_missing_gives_the_platform_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    check = doctor._check_dot()
    assert check.status == "warning" and "not found" in check.summary
    assert "graphviz" in check.fix


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_graphviz_version_is_what_dot_says():
    check = doctor._check_dot()
    out = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    assert check.status == "ok"
    assert check.details["version"] in out and check.details["path"] == shutil.which("dot")


def test_graphviz_fix_is_the_platform_modules(monkeypatch, tmp_path):
    """doctor and viz give the same command: both ask kerasnotes._platform."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_platform, "in_conda", lambda **_: True)
    assert doctor._check_dot().fix == "conda install -c conda-forge graphviz"


def test_mnist_from_env(real_mnist_path, monkeypatch):
    monkeypatch.setenv("KERASNOTES_MNIST", str(real_mnist_path))
    check = doctor._check_mnist()
    assert check.status == "ok" and check.details["source"] == "KERASNOTES_MNIST"


def test_mnist_from_keras_cache_and_fallbacks(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("KERASNOTES_MNIST", raising=False)
    check = doctor._check_mnist()
    assert check.status == "warning" and check.details["source"] == "sklearn_digits"
    assert "KERASNOTES_MNIST" in check.fix

    bogus = tmp_path / "not-mnist.npz"
    np.savez(bogus, a=np.zeros(1))
    monkeypatch.setenv("KERASNOTES_MNIST", str(bogus))
    check = doctor._check_mnist()
    assert check.status == "warning" and "is neither an MNIST .npz" in check.summary
    assert (
        "raises instead of falling back" in check.summary and "unset KERASNOTES_MNIST" in check.fix
    )

    (tmp_path / "datasets").mkdir()
    arrays = {k: np.zeros((1, 28, 28), "uint8") for k in ("x_train", "x_test")}
    arrays.update({k: np.zeros(1, "uint8") for k in ("y_train", "y_test")})
    np.savez(tmp_path / "datasets" / "mnist.npz", **arrays)
    monkeypatch.delenv("KERASNOTES_MNIST")
    check = doctor._check_mnist()
    assert check.status == "ok" and check.details["source"] == "keras_cache"


def test_check_and_report_basics():
    with pytest.raises(ValueError, match="received 'bad'"):
        doctor.Check("x", "bad", "y")
    report = doctor.Report(
        [doctor.Check("a", "ok", "fine"), doctor.Check("b", "warning", "meh", "do it")], "test"
    )
    assert report.exit_code == 0 and report.to_dict()["ok"] is True
    assert "fix: do it" in report.format() and "1 ok, 1 warning(s), 0 problem(s)" in report.format()
    report.checks.append(doctor.Check("c", "problem", "broken"))
    assert report.exit_code == 1 and "cannot run" in report.format()
    with pytest.raises(KeyError, match="no check named 'zzz'"):
        report.get("zzz")


def test_in_process_probe_agrees_with_the_subprocess():
    pytest.importorskip("tensorflow")
    report = doctor.run_checks(in_process=True)
    assert report.get("TensorFlow").details["version"] == metadata.version("tensorflow")
    assert report.get("Keras").details["backend"] == os.environ.get("KERAS_BACKEND", "tensorflow")


def test_mnist_idx_folder_counts(tmp_path, monkeypatch):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"")
    monkeypatch.setenv("KERASNOTES_MNIST", str(tmp_path))
    assert doctor._check_mnist().status == "ok"


def test_keras_json_details_carry_the_values_keras_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "keras.json").write_text('{"backend": "jax"}', encoding="utf-8")
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    in_use = {"backend": "tensorflow", "image_data_format": "channels_last"}
    check = doctor._check_keras_json({"keras_config": in_use})
    assert check.status == "ok"  # the environment variable overrides the file's backend
    assert check.details["backend"] == "jax" and check.details["in_use"] == in_use


# ----------------------------------------------------------------------------- issue 16


def _doctor_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = doctor.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-3", "soon"])
def test_bad_timeout_is_refused_with_exit_2(capsys, value):
    code, out, err = _doctor_main(capsys, f"--timeout={value}")
    assert code == 2 and out == ""
    assert f"received {value!r}" in err and "--timeout" in err


def test_help_is_a_status_not_an_exit(capsys):
    code, out, _ = _doctor_main(capsys, "--help")
    assert code == 0 and "--timeout SECONDS" in out


def test_too_short_timeout_says_raise_it(capsys, monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    code, out, err = _doctor_main(capsys, "--json", "--timeout", "0.01")
    report = json.loads(out)
    tf = _check(report, "TensorFlow")
    assert code == 1 and tf["status"] == "problem"
    assert tf["summary"] == "importing TensorFlow did not finish within 0.01 s"
    assert tf["fix"] == "raise the limit: kerasnotes doctor --timeout 60"
    assert err == ""


def test_run_checks_refuses_an_infinite_timeout():
    with pytest.raises(ValueError, match="received inf"):
        doctor.run_checks(float("inf"))


@pytest.mark.parametrize(
    ("content", "field", "words", "fix"),
    [
        ("[1, 2]", None, "holds a JSON list, not an object", "replace its content with {"),
        (None, None, "is a folder, not a file", "mv "),
        (
            '{"image_data_format": "bogus"}',
            "image_data_format",
            '"image_data_format": "bogus" is refused',
            '"image_data_format": "channels_last"',
        ),
        ('{"floatx": "float8"}', "floatx", '"floatx": "float8" is refused', '"floatx": "float32"'),
        ('{"backend": "bogus"}', "backend", "is not a Keras backend", '"backend": "tensorflow"'),
    ],
)
def test_keras_json_causes_name_the_file_and_field(tmp_path, content, field, words, fix):
    if content is None:
        (tmp_path / "keras.json").mkdir()
    else:
        (tmp_path / "keras.json").write_text(content, encoding="utf-8")
    causes = doctor.keras_config_causes({"KERAS_HOME": str(tmp_path)})
    assert [(c.source, c.field) for c in causes] == [("keras.json", field)]
    assert words in causes[0].summary and fix in causes[0].fix
    assert str(tmp_path / "keras.json") in causes[0].summary


def test_keras_backend_env_cause():
    causes = doctor.keras_config_causes({"KERAS_BACKEND": "bogus", "KERAS_HOME": "/nonexistent"})
    assert [(c.source, c.field) for c in causes] == [("KERAS_BACKEND", None)]
    assert "'bogus' is not a Keras backend" in causes[0].summary
    assert causes[0].fix.startswith("unset KERAS_BACKEND")
    assert doctor.keras_config_causes({"KERAS_BACKEND": "jax", "KERAS_HOME": "/nonexistent"}) == []


@pytest.mark.slow
def test_causes_agree_with_keras_itself(tmp_path):
    """Oracle: a fresh Python importing Keras fails exactly when a cause is reported."""
    cases = {
        "list": ("[1]", {}),
        "format": ('{"image_data_format": "bogus"}', {}),
        "fine": ('{"image_data_format": "channels_first"}', {}),
        "not-json": ("{oops", {}),
        "env": (None, {"KERAS_BACKEND": "bogus"}),
    }
    for name, (content, extra) in cases.items():
        home = tmp_path / name
        home.mkdir()
        if content is not None:
            (home / "keras.json").write_text(content, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
        env.update(KERAS_HOME=str(home), TF_CPP_MIN_LOG_LEVEL="3", **extra)
        # keras' config module only (no TensorFlow): it raises on the same settings
        code = "import keras.src.backend"
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
        fails = proc.returncode != 0
        assert bool(doctor.keras_config_causes(env)) == fails, (name, proc.stderr[-300:])


@pytest.mark.slow
@pytest.mark.parametrize("case", ["list", "folder", "format", "env"])
def test_doctor_blames_the_keras_configuration_not_tensorflow(tmp_path, case):
    """The four causes of issue 16, each through the real probe (a real TensorFlow import)."""
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env["KERAS_HOME"] = str(tmp_path)
    if case == "list":
        (tmp_path / "keras.json").write_text("[]", encoding="utf-8")
    elif case == "folder":
        (tmp_path / "keras.json").mkdir()
    elif case == "format":
        (tmp_path / "keras.json").write_text('{"image_data_format": "bogus"}', encoding="utf-8")
    else:
        env["KERAS_BACKEND"] = "bogus"
    code, report, _ = _doctor_json(env)
    tf = _check(report, "TensorFlow")
    assert code == 1 and tf["status"] == "problem"
    assert "--force-reinstall" not in tf["fix"]
    assert "because of the Keras configuration" in tf["summary"]
    culprit = _check(report, "Keras" if case == "env" else "keras.json")
    assert culprit["status"] == "problem" and culprit["fix"] in tf["fix"]


@pytest.mark.slow
def test_doctor_prints_its_report_and_nothing_else():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}  # full TF noise
    proc = subprocess.run(
        [sys.executable, "-m", "kerasnotes.course.doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.stderr == ""
    lines = proc.stdout.rstrip("\n").splitlines()
    assert lines[0].startswith("kerasnotes doctor (")
    assert re.match(r"\d+ ok, \d+ warning\(s\), \d+ problem\(s\) in ", lines[-1])
    assert not any(re.match(r"^[IWE]\d{4} |^WARNING: All log", line) for line in lines)
