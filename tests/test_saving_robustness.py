"""kerasnotes.saving on malformed, oversized and hostile files (issue 16, "saving").

Every such file must give a ValueError that names the part that is wrong (config,
metadata, model_config, training_config), never an AttributeError, a RecursionError
or gigabytes of memory. Oracles: the documented error types, tracemalloc for memory,
and Hypothesis for arbitrary zips and JSON.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest

keras = pytest.importorskip("keras")
h5py = pytest.importorskip("h5py")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kerasnotes import _model_files  # noqa: E402
from kerasnotes.saving import load_model, required_custom_objects, saved_model_info  # noqa: E402

READERS = [saved_model_info, required_custom_objects, load_model]


def _zip(path, members: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _h5(path, **attrs):
    with h5py.File(path, "w") as f:
        f.create_group("model_weights")
        for key, value in attrs.items():
            f.attrs[key] = value
    return path


GOOD_CONFIG = json.dumps(
    {
        "class_name": "Sequential",
        "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"units": 1}}]},
    }
)


def test_caps_are_the_documented_ones():
    assert _model_files.MAX_JSON_BYTES == 64 * 2**20
    assert _model_files.MAX_JSON_DEPTH == 256
    assert "64 MiB" in saved_model_info.__doc__


def test_config_that_inflates_past_the_cap_is_refused_without_inflating(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("config.json", "w") as f:
        chunk = b" " * 2**20
        for _ in range(80):  # 80 MiB of spaces: compresses to about 80 KB
            f.write(chunk)
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        for reader in READERS:
            with pytest.raises(ValueError, match=r"config\.json.*64 MiB cap"):
                reader(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20  # never inflated (it would be 80 MiB)


def test_metadata_and_h5_attributes_are_capped_too(tmp_path, monkeypatch):
    monkeypatch.setattr(_model_files, "MAX_JSON_BYTES", 200)
    from kerasnotes import _legacy_h5

    monkeypatch.setattr(_legacy_h5, "MAX_JSON_BYTES", 200)
    meta = json.dumps({"keras_version": "3", "pad": "x" * 500})
    path = _zip(tmp_path / "m.keras", {"config.json": "{}", "metadata.json": meta})
    with pytest.raises(ValueError, match=r"metadata\.json.*cap"):
        saved_model_info(path)
    path = _h5(tmp_path / "m.h5", model_config=GOOD_CONFIG + " " * 500)
    with pytest.raises(ValueError, match=r"model_config.*cap"):
        saved_model_info(path)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deep_json_is_a_value_error_not_a_recursion_error(tmp_path, depth):
    deep = "[" * depth + "]" * depth
    nested = {"class_name": "Sequential", "config": {"layers": json.loads("[" * 10 + "]" * 10)}}
    cases = {
        "keras": _zip(tmp_path / "deep.keras", {"config.json": deep}),
        "h5-model": _h5(tmp_path / "deep.h5", model_config=deep),
        "h5-training": _h5(
            tmp_path / "deep2.h5", model_config=json.dumps(nested), training_config=deep
        ),
    }
    for path in cases.values():
        for reader in READERS:
            with pytest.raises(ValueError, match="nested too deeply"):
                reader(path)


@pytest.mark.parametrize(
    ("members", "match"),
    [
        ({"config.json": "[1, 2]"}, r"config\.json that is a JSON list"),
        ({"config.json": '"text"'}, r"config\.json that is a JSON str"),
        ({"config.json": "{nope"}, r"config\.json is not valid JSON"),
        ({"config.json": b"\xff\xfe"}, r"config\.json is not UTF-8"),
        (
            {"config.json": GOOD_CONFIG, "metadata.json": "[1]"},
            r"metadata\.json that is a JSON list",
        ),
        (
            {"config.json": GOOD_CONFIG, "metadata.json": "{bad"},
            r"metadata\.json is not valid JSON",
        ),
        (
            {"config.json": GOOD_CONFIG, "metadata.json": '{"keras_version": 3}'},
            r"metadata\.json whose keras_version is 3",
        ),
        ({"config.json/": "", "other": "x"}, r"no config\.json"),
    ],
)
def test_malformed_keras_zip_parts_are_named(tmp_path, members, match):
    path = _zip(tmp_path / "bad.keras", members)
    for reader in READERS:
        with pytest.raises(ValueError, match=match):
            reader(path)


@pytest.mark.parametrize(
    ("attrs", "match"),
    [
        ({"model_config": "[1]"}, r"model_config that is a JSON list"),
        ({"model_config": "{oops"}, r"model_config is not valid JSON"),
        ({"model_config": '{"config": {}}'}, r"model_config without a class_name"),
        ({"model_config": GOOD_CONFIG, "training_config": "[1, 2]"}, r"training_config that is"),
        ({"model_config": GOOD_CONFIG, "training_config": '"mse"'}, r"training_config that is"),
        ({"model_config": 7}, r"model_config is a int"),
    ],
)
def test_malformed_h5_parts_are_named(tmp_path, attrs, match):
    path = _h5(tmp_path / "bad.h5", **attrs)
    for reader in READERS:
        with pytest.raises(ValueError, match=match):
            reader(path)


# --- property tests ----------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "class_name",
                    "config",
                    "module",
                    "registered_name",
                    "layers",
                    "function",
                    "function_type",
                    "inbound_nodes",
                    "input_layers",
                    "optimizer",
                    "loss",
                    "metrics",
                    "activation",
                    "compile_config",
                    "training_config",
                    "name",
                    "fn",
                ]
            )
            | st.text(max_size=6),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)
CLASS_NAMES = st.sampled_from(
    ["Sequential", "Functional", "Lambda", "LSTM", "Dense", "Custom>Adam", "MeanMetricWrapper"]
)
LAYERISH = st.fixed_dictionaries({"class_name": CLASS_NAMES, "config": JSON})
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _only_documented(path) -> None:
    """Given an existing file path, the only documented failure is a ValueError."""
    for reader in (saved_model_info, required_custom_objects):
        try:
            reader(path)
        except ValueError as exc:
            assert str(path) in str(exc)  # the message names the file


@PROPERTY
@given(config=JSON | LAYERISH, metadata=st.none() | JSON)
def test_arbitrary_json_in_a_keras_zip(tmp_path, config, metadata):
    members = {"config.json": json.dumps(config)}
    if metadata is not None:
        members["metadata.json"] = json.dumps(metadata)
    _only_documented(_zip(tmp_path / "p.keras", members))


@PROPERTY
@given(model=JSON | LAYERISH, training=st.none() | JSON)
def test_arbitrary_json_in_an_h5(tmp_path, model, training):
    attrs = {"model_config": json.dumps(model)}
    if training is not None:
        attrs["training_config"] = json.dumps(training)
    _only_documented(_h5(tmp_path / "p.h5", **attrs))


@PROPERTY
@given(
    members=st.dictionaries(
        st.sampled_from(["config.json", "metadata.json", "model.weights.h5", "x/"])
        | st.text(min_size=1, max_size=8),
        st.binary(max_size=64),
        max_size=4,
    ),
    garbage=st.binary(max_size=32),
    cut=st.integers(min_value=0, max_value=400),
)
def test_arbitrary_zips_and_bytes(tmp_path, members, garbage, cut):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    data = buffer.getvalue()
    for i, blob in enumerate((data, data[:cut], garbage, b"PK" + garbage)):
        path = tmp_path / f"z{i}.keras"
        path.write_bytes(blob)
        _only_documented(path)
