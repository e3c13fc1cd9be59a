"""Tests for kerasnotes.convert: Keras 2 files become Keras 3 files plain Keras reads.

Oracles: Keras 2's stored predictions and evaluate() values, plain
``keras.saving.load_model`` on the written file, and the bytes of the old file.
"""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import keras2_files as K2  # noqa: E402

from kerasnotes.convert import Conversion, convert_model, main  # noqa: E402
from kerasnotes.saving import MissingCustomObjectsError  # noqa: E402


@pytest.mark.parametrize("name", ["mse_adam", "lstm_text", "nested_submodel", "attention_layer"])
def test_converted_file_loads_in_plain_keras3_and_predicts_like_keras2(name, tmp_path):
    old = K2.FIXTURES / K2.FILES[name]["file"]
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    objects = K2.custom_objects_for(name)
    result = convert_model(old, tmp_path / "new.keras", custom_objects=objects)
    assert isinstance(result, Conversion) and result.max_abs_diff <= 1e-5
    assert result.translations == K2.FILES[name]["translations"]
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    import kerasnotes._keras2_translate  # noqa: F401 - registers kerasnotes>keras2_hard_sigmoid

    plain = keras.saving.load_model(result.path, custom_objects=objects)  # no kerasnotes loader
    ref = K2.reference(name)
    np.testing.assert_allclose(
        plain.predict(K2.probe_input(ref), verbose=0), ref["pred"], atol=1e-5
    )
    assert K2.evaluate_matches(plain, name, ref)
    expected_needs = list(objects)
    if "keras2_hard_sigmoid" in result.translations:
        expected_needs = ["kerasnotes>keras2_hard_sigmoid"]
    assert result.custom_objects == expected_needs


def test_refuses_to_overwrite_and_names_missing_custom_objects(tmp_path, capsys):
    target = tmp_path / "taken.keras"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError, match="never overwrites"):
        convert_model(K2.FIXTURES / "mse_adam.h5", target)
    assert target.read_bytes() == b"mine"
    assert main([str(K2.FIXTURES / "mse_adam.h5"), str(target)]) == 2
    with pytest.raises(MissingCustomObjectsError, match="focal_loss_fixed"):
        convert_model(K2.FIXTURES / "focal_loss.h5", tmp_path / "f.keras")
    assert main([str(K2.FIXTURES / "focal_loss.h5"), str(tmp_path / "f.keras")]) == 2
    assert "focal_loss_fixed" in capsys.readouterr().err
    assert not (tmp_path / "f.keras").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.keras"]  # no temporary left


def test_cli_writes_and_reports(tmp_path, capsys, monkeypatch):
    old = tmp_path / "old.h5"
    shutil.copy(K2.FIXTURES / "conv2d_transpose.h5", old)
    assert main([str(old), str(tmp_path / "new.keras")]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "conv_transpose_groups" in out
    ref = K2.reference("conv2d_transpose")
    plain = keras.saving.load_model(tmp_path / "new.keras")
    np.testing.assert_allclose(plain.predict(ref["x"], verbose=0), ref["pred"], atol=1e-5)


def test_cli_custom_object_option(tmp_path, capsys, monkeypatch):
    module = tmp_path / "myattention.py"
    module.write_text("import keras2_files\nAttention = keras2_files.Attention\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    args = [str(K2.FIXTURES / "attention_layer.h5"), str(tmp_path / "a.keras")]
    assert main([*args, "--custom-object", "Attention=myattention:Attention"]) == 0
    assert "Attention" in capsys.readouterr().out
    assert main([*args[:1], str(tmp_path / "b.keras"), "--custom-object", "Attention"]) == 2
    assert "NAME=MODULE:ATTRIBUTE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"new": "x.h5"}, ValueError, r"must end in \.keras"),
        ({"new": 3}, TypeError, "received int"),
        ({"atol": -1.0}, ValueError, "atol"),
        ({"old": "/no/such/file.h5"}, FileNotFoundError, "no such file"),
    ],
)
def test_bad_arguments(tmp_path, kwargs, error, match):
    args = {"old": K2.FIXTURES / "mse_adam.h5", "new": tmp_path / "n.keras", **kwargs}
    if isinstance(args["new"], str):
        args["new"] = str(tmp_path / args["new"])
    with pytest.raises(error, match=match):
        convert_model(**args)
