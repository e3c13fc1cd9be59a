"""Tests for kerasnotes.saving: load_model's errors, lambda globals, required_custom_objects.

Oracles: Keras' own ``keras.saving.load_model`` (its successful loads and its failures),
predictions before saving, and the JSON inside the files.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from kerasnotes import saving  # noqa: E402
from kerasnotes.saving import (  # noqa: E402
    MissingCustomObjectsError,
    UnsafeLambdaError,
    load_model,
    required_custom_objects,
    saved_model_info,
)

H, W = 4, 4
X = np.random.default_rng(0).normal(size=(3, 8, 8, 1)).astype("float32")


def focal_loss(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred))


def focal_loss_factory(gamma=2.0):
    def focal_loss_fixed(y_true, y_pred):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred)) * gamma

    return focal_loss_fixed


class Doubler(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dense_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="sigmoid"),
        ]
    )


def _save(model, path: Path) -> Path:
    model.save(path)
    return path


@pytest.fixture(params=["keras", "h5"])
def ext(request):
    return request.param


# --- plain models: the same result as Keras ------------------------------------------------


def test_plain_model_loads_like_keras(tmp_path, ext):
    model = _dense_model()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    path = _save(model, tmp_path / f"m.{ext}")
    before = _digest(path)
    ours = load_model(path)
    theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(ours.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(ours.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-6)
    assert ours.loss == theirs.loss
    assert _digest(path) == before  # never modified
    assert required_custom_objects(path) == []


# --- kerasnotes' own objects ----------------------------------------------------------------


def test_kerasnotes_objects_resolve_in_a_fresh_process(tmp_path):
    """Saved with dice_coef and a kerasnotes schedule; reloaded where nobody imported them."""
    from kerasnotes.metrics import dice_coef
    from kerasnotes.schedules import StepDecay

    paths = []
    for ext in ("keras", "h5"):
        model = _dense_model()
        model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=StepDecay(0.1, 0.5, 10.0)),
            loss="binary_crossentropy",
            metrics=[dice_coef],
        )
        paths.append(str(_save(model, tmp_path / f"dice.{ext}")))
        assert "kerasnotes>dice_coef" in required_custom_objects(paths[-1])
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "expected.npy", model.predict(X, verbose=0))
    code = (
        "import sys, numpy as np\n"
        "from kerasnotes.saving import load_model\n"
        "assert 'kerasnotes.metrics' not in sys.modules\n"
        "x = np.load(sys.argv[1]); e = np.load(sys.argv[2])\n"
        "for path in sys.argv[3:]:\n"
        "    m = load_model(path)\n"
        "    np.testing.assert_allclose(m.predict(x, verbose=0), e, rtol=1e-6)\n"
        "    assert [mt.name for mt in m.metrics][-1] in ('compile_metrics', 'dice_coef')\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(tmp_path / "x.npy"),
            str(tmp_path / "expected.npy"),
            *paths,
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]


# --- missing custom objects --------------------------------------------------------------


def test_missing_custom_loss_is_explained(tmp_path, ext):
    model = _dense_model()
    model.compile(optimizer="adam", loss=focal_loss, metrics=["accuracy"])
    path = _save(model, tmp_path / f"focal.{ext}")
    # oracle: Keras itself fails (on .h5 with an unhelpful TypeError)
    with pytest.raises(Exception):  # noqa: B017 - whatever Keras raises, it does fail
        keras.saving.load_model(path)
    with pytest.raises(MissingCustomObjectsError) as info:
        load_model(path)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.missing == ["focal_loss"] and err.compile_only
    text = str(err)
    assert "custom_objects={'focal_loss': focal_loss}" in text
    assert "compile=False is enough" in text and str(path) in text
    # both suggested fixes work, and give the original predictions
    inference = load_model(path, compile=False)
    fixed = load_model(path, custom_objects={"focal_loss": focal_loss})
    for m in (inference, fixed):
        np.testing.assert_allclose(m.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert fixed.loss is focal_loss


def test_closure_loss_is_listed_under_its_inner_name(tmp_path):
    model = _dense_model()
    model.compile(optimizer="adam", loss=focal_loss_factory(3.0))
    path = _save(model, tmp_path / "closure.keras")
    assert required_custom_objects(path) == ["focal_loss_fixed"]
    with pytest.raises(MissingCustomObjectsError, match="focal_loss_fixed"):
        load_model(path)
    load_model(path, custom_objects={"focal_loss_fixed": focal_loss_factory(3.0)})


def test_missing_custom_layer_is_not_compile_only(tmp_path, ext):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Doubler(), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=focal_loss)
    path = _save(model, tmp_path / f"layer.{ext}")
    info = saved_model_info(path)
    assert info.custom_objects == ["Doubler", "focal_loss"]
    assert info.compile_only == ["focal_loss"]
    with pytest.raises(MissingCustomObjectsError) as caught:
        load_model(path)
    assert caught.value.missing == ["Doubler", "focal_loss"]
    assert not caught.value.compile_only
    assert "compile=False does not help" in str(caught.value)
    with pytest.raises(MissingCustomObjectsError) as caught:
        load_model(path, compile=False)
    assert caught.value.missing == ["Doubler"]  # the loss no longer matters
    x = np.ones((2, 3), "float32")
    m = load_model(path, compile=False, custom_objects={"Doubler": Doubler})
    np.testing.assert_allclose(m.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_registered_but_not_imported_name(tmp_path, monkeypatch):
    @keras.saving.register_keras_serializable(package="elsewhere")
    class Shift(keras.layers.Layer):
        def call(self, x):
            return x + 1.0

    path = _save(keras.Sequential([keras.Input((2,)), Shift()]), tmp_path / "reg.keras")
    # now forget the registration, as in a process that never imported the module
    monkeypatch.delitem(keras.saving.get_custom_objects(), "elsewhere>Shift")
    assert required_custom_objects(path) == ["elsewhere>Shift"]
    with pytest.raises(MissingCustomObjectsError, match="importing the module") as info:
        load_model(path)
    assert info.value.missing == ["elsewhere>Shift"]
    assert load_model(path, custom_objects={"elsewhere>Shift": Shift}).predict(
        np.zeros((1, 2)), verbose=0
    ).tolist() == [[1.0, 1.0]]


# --- Lambda layers and safe_mode --------------------------------------------------------------


def _lambda_model():
    keras.utils.set_random_seed(0)
    inp = keras.Input((8, 8, 1))
    out = keras.layers.Lambda(lambda image: tf.image.resize(image, (H, W)), output_shape=(H, W, 1))(
        inp
    )
    out = keras.layers.Dense(1)(keras.layers.Flatten()(out))
    return keras.Model(inp, out)


def test_lambda_refused_in_safe_mode_with_explanation(tmp_path, ext):
    model = _lambda_model()
    path = _save(model, tmp_path / f"lam.{ext}")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.saving.load_model(path)  # oracle: Keras refuses too
    for kwargs in ({}, {"custom_objects": {"tf": tf, "H": H, "W": W}}, {"compile": False}):
        with pytest.raises(UnsafeLambdaError) as info:
            load_model(path, **kwargs)
        text = str(info.value)
        assert "arbitrary code" in text and "safe_mode=False" in text
        assert "never turns safe_mode off" in text
        assert info.value.layers == ["lambda"] or info.value.layers[0].startswith("lambda")
    assert saved_model_info(path).lambda_layers == info.value.layers


def test_lambda_with_safe_mode_false_gets_custom_objects_as_globals(tmp_path, ext):
    from keras.src.utils import python_utils

    model = _lambda_model()
    path = _save(model, tmp_path / f"lam.{ext}")
    expected = model.predict(X, verbose=0)
    objects = {"tf": tf, "H": H, "W": W}
    # oracle: plain Keras ignores custom_objects for the lambda's globals
    plain = keras.saving.load_model(path, custom_objects=objects, safe_mode=False)
    with pytest.raises(Exception, match="name 'tf' is not defined"):
        plain.predict(X, verbose=0)
    original = python_utils.func_load
    ours = load_model(path, custom_objects=objects, safe_mode=False)
    assert python_utils.func_load is original  # the patch is scoped
    assert "tf" not in vars(python_utils)  # Keras' module globals untouched
    np.testing.assert_allclose(ours.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_lambda_patch_restored_after_failure(tmp_path):
    from keras.src.utils import python_utils

    model = _lambda_model()
    path = _save(model, tmp_path / "lam.keras")
    original = python_utils.func_load

    def exploding(code, defaults=None, closure=None, globs=None):
        raise KeyError("boom")

    python_utils.func_load = exploding
    try:
        with pytest.raises(KeyError):
            load_model(path, custom_objects={"tf": tf, "H": H, "W": W}, safe_mode=False)
        assert python_utils.func_load is exploding
    finally:
        python_utils.func_load = original


def test_lambda_hook_moved_gives_clear_error(tmp_path, monkeypatch):
    from keras.src.utils import python_utils

    path = _save(_lambda_model(), tmp_path / "lam.keras")
    monkeypatch.setattr(python_utils, "func_load", lambda code, defaults=None, closure=None: None)
    with pytest.raises(RuntimeError, match="has changed.*load_weights"):
        load_model(path, custom_objects={"tf": tf}, safe_mode=False)


# --- the legacy .h5 'mse' bug ------------------------------------------------------------------


def test_h5_mse_alias_bug_is_translated_and_reported(tmp_path):
    model = _dense_model()
    model.compile(optimizer="adam", loss="mse")
    path = _save(model, tmp_path / "mse.h5")
    before = _digest(path)
    with pytest.raises(ValueError, match="KerasSaveable"):
        keras.saving.load_model(
            path
        )  # oracle: Keras 3 itself (legacy_h5_format.py cannot rebuild the string loss)
    info = saved_model_info(path)
    assert info.h5_loss_aliases == ["mse"]
    assert info.translations == ["loss_short_alias"]  # named, listed, not silent
    loaded = load_model(path)
    y = np.zeros((3, 2), "float32")
    # oracle: the original model's own evaluate() and predictions
    assert loaded.evaluate(X, y, verbose=0) == pytest.approx(model.evaluate(X, y, verbose=0))
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert _digest(path) == before  # translated in memory; the file is unchanged


# --- bad input -----------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.keras"):
        load_model(tmp_path / "nothing.keras")
    with pytest.raises(FileNotFoundError, match="nothing.h5"):
        required_custom_objects(tmp_path / "nothing.h5")


@pytest.mark.parametrize("fn", [load_model, required_custom_objects])
def test_not_a_model_files(tmp_path, fn):
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"hello, I am not a model")
    with pytest.raises(ValueError, match=r"garbage.keras.*starts with b'hello, I'"):
        fn(garbage)

    other_zip = tmp_path / "other.keras"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(ValueError, match=r"no config.json.*readme.txt"):
        fn(other_zip)

    good = _save(_dense_model(), tmp_path / "good.keras")
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValueError, match="damaged or truncated"):
        fn(truncated)

    weights = tmp_path / "w.weights.h5"
    _dense_model().save_weights(weights)
    weights_as_h5 = tmp_path / "w.h5"
    weights_as_h5.write_bytes(weights.read_bytes())
    with pytest.raises(ValueError, match="weights only"):
        fn(weights_as_h5)

    with pytest.raises(ValueError, match="is a folder"):
        fn(tmp_path)


def test_savedmodel_folder_hint(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"")
    with pytest.raises(ValueError, match="TFSMLayer"):
        load_model(tmp_path)


def test_wrong_extension_is_explained_and_file_untouched(tmp_path):
    path = _save(_dense_model(), tmp_path / "m.keras")
    renamed = tmp_path / "m.zip"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(ValueError, match="ends in '.zip'.*never renames"):
        load_model(renamed)
    assert renamed.exists() and not (tmp_path / "m.zip.keras").exists()
    assert required_custom_objects(renamed) == []  # reading the config does not care


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"path": 3}, "path must be a file path"),
        ({"custom_objects": [("tf", tf)]}, "custom_objects must be a dict"),
        ({"custom_objects": {1: tf}}, "keys must be strings"),
        ({"compile": "yes"}, "compile must be True or False"),
        ({"safe_mode": None}, "safe_mode must be True or False"),
    ],
)
def test_wrong_types(tmp_path, kwargs, match):
    kwargs.setdefault("path", _save(_dense_model(), tmp_path / "m.keras"))
    with pytest.raises(TypeError, match=match):
        load_model(**kwargs)


# --- required_custom_objects never runs or decodes anything -----------------------------------


def test_required_custom_objects_reads_json_only(tmp_path, monkeypatch):
    model = _lambda_model()
    model.compile(optimizer="adam", loss=focal_loss)
    path = _save(model, tmp_path / "lam.keras")
    # make the lambda's bytecode undecodable: only a reader that decodes it would notice
    doctored = tmp_path / "doctored.keras"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(doctored, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "config.json":
                cfg = json.loads(data)
                cfg["config"]["layers"][1]["config"]["function"]["config"]["code"] = "!!not code!!"
                data = json.dumps(cfg).encode()
            dst.writestr(item, data)
    import marshal

    from keras.src.saving import serialization_lib

    def forbidden(*args, **kwargs):
        raise AssertionError("required_custom_objects deserialized something")

    monkeypatch.setattr(marshal, "loads", forbidden)
    monkeypatch.setattr(serialization_lib, "deserialize_keras_object", forbidden)
    monkeypatch.setattr(keras.saving, "load_model", forbidden)
    for p in (path, doctored):
        info = saved_model_info(p)
        assert info.custom_objects == ["focal_loss"]
        assert len(info.lambda_layers) == 1
        assert info.format == "keras" and info.keras_version == keras.__version__


def test_required_custom_objects_agrees_between_formats(tmp_path):
    from kerasnotes.metrics import dice_coef

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((3,)), Doubler(), keras.layers.Dense(1, activation="relu")]
    )
    model.compile(optimizer="adam", loss=focal_loss, metrics=[dice_coef, "accuracy", "mae"])
    a = required_custom_objects(_save(model, tmp_path / "m.keras"))
    model2 = keras.Sequential(
        [keras.Input((3,)), Doubler(), keras.layers.Dense(1, activation="relu")]
    )
    model2.compile(optimizer="adam", loss=focal_loss, metrics=[dice_coef, "accuracy", "mae"])
    b = required_custom_objects(_save(model2, tmp_path / "m.h5"))
    assert sorted(a) == sorted(b) == sorted(["Doubler", "focal_loss", "kerasnotes>dice_coef"])


def test_custom_activation_function_is_found(tmp_path):
    def my_act(x):
        return keras.ops.relu(x) * 0.5

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=my_act)])
    path = _save(model, tmp_path / "act.keras")
    assert required_custom_objects(path) == ["my_act"]
    with pytest.raises(MissingCustomObjectsError, match="my_act"):
        load_model(path)
    load_model(path, custom_objects={"my_act": my_act})


def test_public_api():
    import kerasnotes

    assert kerasnotes.load_model is load_model
    assert kerasnotes.required_custom_objects is required_custom_objects
    assert set(saving.__all__) <= set(dir(saving))


def test_keras2_style_h5_config_is_read(tmp_path):
    """A hand-written Keras-2-layout .h5 (class_name only, no module): the legacy branch."""
    import h5py

    model_config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3]}},
                {"class_name": "Dense", "config": {"units": 2, "activation": "relu"}},
                {"class_name": "AttentionBlock", "config": {"units": 2}},
                {"class_name": "Dense", "config": {"units": 1, "activation": "swishy"}},
            ],
        },
    }
    training_config = {
        "loss": "focal_loss",
        "metrics": ["acc", "dice_coef"],
        "optimizer_config": {"class_name": "Adam", "config": {}},
    }
    path = tmp_path / "keras2.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(training_config)
        f.attrs["keras_version"] = "2.2.4"
    info = saved_model_info(path)
    assert info.format == "h5" and info.keras_version == "2.2.4"
    assert info.custom_objects == ["AttentionBlock", "swishy", "focal_loss", "dice_coef"]
    assert info.compile_only == ["focal_loss", "dice_coef"]
    with pytest.raises(MissingCustomObjectsError) as caught:
        load_model(path)
    assert caught.value.missing == ["AttentionBlock", "swishy", "focal_loss", "dice_coef"]
    # the notes' dice_coef is offered, never substituted silently
    assert "'dice_coef': kerasnotes.metrics.dice_coef" in str(caught.value)
