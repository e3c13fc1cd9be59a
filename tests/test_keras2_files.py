"""kerasnotes.saving on real Keras 2 files (tests/fixtures/keras2/, written by tf_keras 2.21).

Oracles: Keras 2's own predictions and evaluate() values stored beside each file,
the manifest of what each file needs, plain ``keras.saving.load_model`` (which fails on
most of them), and NumPy for the formulas the translation rules keep.
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

import keras2_files as K2  # noqa: E402

from kerasnotes import _keras2_translate  # noqa: E402
from kerasnotes.saving import (  # noqa: E402
    Keras2TranslationWarning,
    MissingCustomObjectsError,
    UnsafeLambdaError,
    load_model,
    required_custom_objects,
    saved_model_info,
)

MODEL_FILES = [
    n for n, e in K2.FILES.items() if not e.get("weights_only") and not e.get("savedmodel")
]
COMPILED = [n for n in MODEL_FILES if "evaluate_names" in K2.FILES[n]]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(name, **extra):
    kwargs = {**K2.load_kwargs_for(name), **extra}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Keras2TranslationWarning)
        return load_model(K2.FIXTURES / K2.FILES[name]["file"], **kwargs)


def test_the_fixtures_are_keras2_and_small():
    assert K2.MANIFEST["written_by"]["tf_keras"].startswith("2.")
    total = sum(p.stat().st_size for p in K2.FIXTURES.rglob("*") if p.is_file())
    assert total < 2_000_000
    assert len(K2.FILES) == 17


@pytest.mark.parametrize("name", MODEL_FILES)
def test_loads_and_predicts_like_keras2(name):
    path = K2.FIXTURES / K2.FILES[name]["file"]
    before = _digest(path)
    model = _load(name)
    ref = K2.reference(name)
    np.testing.assert_allclose(
        model.predict(K2.probe_input(ref), verbose=0), ref["pred"], atol=1e-5, rtol=1e-5
    )
    assert _digest(path) == before  # translated in memory only


@pytest.mark.parametrize("name", COMPILED)
def test_evaluate_gives_keras2_values(name):
    model = _load(name)
    assert K2.evaluate_matches(model, name, K2.reference(name))


@pytest.mark.parametrize("name", MODEL_FILES)
def test_info_names_exactly_what_the_file_needs(name):
    entry = K2.FILES[name]
    info = saved_model_info(K2.FIXTURES / entry["file"])
    assert info.custom_objects == entry["custom_objects"]
    assert required_custom_objects(K2.FIXTURES / entry["file"]) == entry["custom_objects"]
    assert info.lambda_layers == entry.get("lambda_layers", [])
    assert info.translations == entry["translations"]
    assert not any(n.startswith("Custom>") for n in info.custom_objects)
    assert info.keras_version.startswith("2.")


@pytest.mark.parametrize("name", MODEL_FILES)
def test_bare_load_succeeds_faithfully_or_names_the_fix(name):
    """load_model(path) with no arguments: a faithful model, or an error that says what to pass."""
    entry = K2.FILES[name]
    path = K2.FIXTURES / entry["file"]
    needs = entry["custom_objects"] or entry.get("lambda_layers")
    if not needs:
        ref = K2.reference(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Keras2TranslationWarning)
            model = load_model(path)
        np.testing.assert_allclose(
            model.predict(K2.probe_input(ref), verbose=0), ref["pred"], atol=1e-5
        )
        return
    if entry.get("lambda_layers"):
        with pytest.raises(UnsafeLambdaError) as info:
            load_model(path)
        assert "safe_mode=False" in str(info.value) and info.value.layers == entry["lambda_layers"]
        return
    with pytest.raises(MissingCustomObjectsError) as info:
        load_model(path)
    assert info.value.missing == entry["custom_objects"]
    assert info.value.compile_only is entry["compile_only"]
    for missing in entry["custom_objects"]:
        assert f"{missing!r}:" in str(info.value)  # the custom_objects={...} to pass
    if entry["compile_only"]:
        assert "compile=False" in str(info.value)
        model = _load(name, custom_objects={}, compile=False)  # the named fix works
        ref = K2.reference(name)
        np.testing.assert_allclose(model.predict(ref["x"], verbose=0), ref["pred"], atol=1e-5)


def test_dice_metric_hint_names_kerasnotes_own_dice():
    with pytest.raises(MissingCustomObjectsError, match=r"kerasnotes\.metrics\.dice_coef"):
        load_model(K2.FIXTURES / "dice_checkpoint.h5")


def test_plain_keras3_fails_where_the_translations_are_needed():
    """The oracle that the rules are needed: plain Keras 3, given the same arguments."""
    for name in ("lstm_text", "gru_text", "conv2d_transpose", "nested_submodel", "mse_adam"):
        with pytest.raises(Exception):  # noqa: B017 - whatever Keras raises, it fails
            keras.saving.load_model(
                K2.FIXTURES / K2.FILES[name]["file"], custom_objects=K2.custom_objects_for(name)
            )
    # plain Keras "loads" this one, but evaluate() fails: the metric fn stays a string
    plain = keras.saving.load_model(K2.FIXTURES / "concat_bn_dropout.h5")
    ref = K2.reference("concat_bn_dropout")
    with pytest.raises(TypeError, match="not callable"):
        plain.evaluate(ref["x"], ref["y"], verbose=0)


# --- the rules that change numbers -------------------------------------------------------------


def test_keras2_hard_sigmoid_is_keras2s_formula():
    x = np.linspace(-4, 4, 81).astype("float32")
    ours = np.asarray(_keras2_translate.keras2_hard_sigmoid(x))
    np.testing.assert_allclose(ours, np.clip(0.2 * x + 0.5, 0, 1), atol=1e-7)
    keras3 = np.asarray(keras.activations.hard_sigmoid(x))
    assert np.max(np.abs(keras3 - ours)) > 0.05  # the formula really changed in Keras 3


@pytest.mark.parametrize("name", ["lstm_text", "gru_text"])
def test_hard_sigmoid_rule_is_needed_and_announced(name, monkeypatch):
    path = K2.FIXTURES / K2.FILES[name]["file"]
    ref = K2.reference(name)
    with pytest.warns(Keras2TranslationWarning, match="keras2_hard_sigmoid"):
        model = load_model(path)
    np.testing.assert_allclose(model.predict(ref["x"], verbose=0), ref["pred"], atol=1e-5)
    rules = tuple(r for r in _keras2_translate.RULES if r.name != "keras2_hard_sigmoid")
    monkeypatch.setattr(_keras2_translate, "RULES", rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras3_formula = load_model(path)
    drift = np.max(np.abs(keras3_formula.predict(ref["x"], verbose=0) - ref["pred"]))
    assert drift > 1e-4  # without the rule the model silently predicts something else


def test_legacy_decay_becomes_the_same_schedule():
    with pytest.warns(Keras2TranslationWarning, match="legacy_optimizer_decay"):
        model = load_model(K2.FIXTURES / "sgd_decay.h5")
    schedule = keras.optimizers.schedules.deserialize(model.optimizer.get_config()["learning_rate"])
    assert isinstance(schedule, keras.optimizers.schedules.InverseTimeDecay)
    steps = np.array([0, 1, 1000, 10**6])
    expected = 0.01 / (1 + 1e-6 * steps)  # Keras 2's legacy decay: lr / (1 + decay * t)
    ours = [float(schedule(int(t))) for t in steps]
    np.testing.assert_allclose(ours, expected, rtol=1e-6)
    assert model.optimizer.get_config()["momentum"] == pytest.approx(0.9)
    assert model.optimizer.get_config()["nesterov"] is True


# --- weights only, SavedModel --------------------------------------------------------------------


def test_weights_only_file_says_build_then_load_weights_and_that_works():
    path = K2.FIXTURES / "weights_only.h5"
    for fn in (load_model, saved_model_info):
        with pytest.raises(ValueError, match=r"weights only.*load_weights"):
            fn(path)
    model = K2.weights_only_model()
    model.load_weights(path)
    ref = K2.reference("weights_only")
    np.testing.assert_allclose(model.predict(ref["x"], verbose=0), ref["pred"], atol=1e-6)


def test_savedmodel_hint_names_the_endpoint_that_exists_and_it_works():
    path = K2.FIXTURES / "savedmodel"
    with pytest.raises(ValueError) as info:
        load_model(path)
    text = str(info.value)
    assert "call_endpoint='serving_default'" in text and "'serve'" not in text
    layer = keras.layers.TFSMLayer(str(path), call_endpoint="serving_default")  # the hint
    ref = K2.reference("savedmodel")
    out = layer(ref["x"])
    out = next(iter(out.values())) if isinstance(out, dict) else out
    np.testing.assert_allclose(np.asarray(out), ref["pred"], atol=1e-6)
    with pytest.raises(ValueError):
        keras.layers.TFSMLayer(str(path), call_endpoint="serve")  # Keras 3's default hint fails


# --- security: a Keras 2 Lambda never runs unless the caller says so -----------------------------


@pytest.mark.parametrize("name", ["lambda_resize_h5", "lambda_resize_keras"])
def test_lambda_is_refused_before_keras_reads_it(name, monkeypatch):
    from keras.src.utils import python_utils

    calls = []
    monkeypatch.setattr(python_utils, "func_load", lambda *a, **k: calls.append(a))
    path = K2.FIXTURES / K2.FILES[name]["file"]
    for kwargs in ({}, {"compile": False}, {"custom_objects": {"tf": tf, "H": 4, "W": 4}}):
        with pytest.raises(UnsafeLambdaError):
            load_model(path, **kwargs)
    saved_model_info(path)
    required_custom_objects(path)
    assert calls == []  # the bytecode was never even decoded


def test_translated_keras_lambda_is_still_refused_by_keras_itself():
    """Defence in depth: the lambda_list_function rule hands Keras 3 the form its own
    safe_mode check recognises, so even bypassing kerasnotes' check, Keras refuses."""
    from kerasnotes import saving

    path = K2.FIXTURES / "lambda_resize.keras"
    info, translated = saving._inspect(path, "test")
    assert "lambda_list_function" in info.translations
    with pytest.raises(ValueError, match="safe_mode"):
        saving._load_translated(path, "keras", translated, {}, True, True)
