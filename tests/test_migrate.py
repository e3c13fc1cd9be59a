"""Tests of ``kerasnotes migrate``: every rule, its claims about Keras 3, and the CLI.

Oracles: each rule's legacy example must be flagged and its modern example must
not; each rule's claims ("this old call raises", "this modern call runs") are run
against the installed Keras / TensorFlow; the notes' own snippets must give the
rule ids listed here by hand; the course's notebooks and scripts must be clean.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from kerasnotes.migrate import main, render_rules_doc, scan_file, scan_path, scan_source
from kerasnotes.migrate import rules as R
from kerasnotes.migrate.rules import backend as B
from kerasnotes.migrate.rules import tensorflow1 as T

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT.parent / "shared" / "notes"
LESSONS = {
    "00_setup", "01_quickstart", "02_core_concepts", "03_sequential_models", "04_functional_api",
    "05_pretrained_and_transfer", "06_gpus_and_distribution", "07_inspecting_models",
    "10_concatenate_axes", "11_fit_vs_fit_generator", "12_generators_and_pydataset",
    "13_batchnorm_placement", "14_upsampling_and_conv2dtranspose", "15_optimizers_and_lr_schedules",
    "16_predict_vs_predict_classes", "17_losses_optimizers_metrics", "20_saving_and_loading",
    "21_load_model_pitfalls", "22_image_data_generator", "23_callbacks", "24_pitfalls_faq",
    "25_sequences_and_text", "26_gradients_and_autodiff", "30_migrating_old_code",
}  # fmt: skip


def ids(source: str, **kwargs) -> list[str]:
    return [f.rule for f in scan_source(source, **kwargs)]


# --------------------------------------------------------------------------- rule table


def test_rule_table_is_well_formed():
    assert len(R.RULES_BY_ID) == len(R.RULES), "duplicate rule ids"
    for rule in R.RULES:
        assert rule.id[:2] == "KN" and rule.id[2:].isdigit() and len(rule.id) == 5, rule.id
        assert rule.severity in R.SEVERITIES, rule.id
        assert rule.lesson in LESSONS, (rule.id, rule.lesson)
        assert (rule.severity == "deprecated") == rule.id.startswith("KN9"), rule.id
        assert "{old}" in rule.template, rule.id
        assert rule.fix is None or rule.fix.safety in ("safe", "unsafe"), rule.id
        # a rule reaches the scanner through names, nodes, or (KN0xx) the readers
        assert rule.paths or (rule.nodes and rule.detect) or rule.id.startswith("KN0"), rule.id


def test_registry_refuses_duplicate_ids_and_unknown_severities():
    from dataclasses import replace

    from kerasnotes.migrate.rules import Registry

    one = R.RULES_BY_ID["KN401"]
    with pytest.raises(ValueError, match="'KN401' is defined twice"):
        Registry.build((one, one), {})
    with pytest.raises(ValueError, match="severity 'fatal' is not one of"):
        Registry.build((replace(one, severity="fatal"),), {})


CODE_RULES = [rule for rule in R.RULES if rule.bad]


@pytest.mark.parametrize("rule", CODE_RULES, ids=lambda r: r.id)
def test_rule_flags_its_legacy_example(rule):
    found = scan_source(rule.bad)
    assert rule.id in [f.rule for f in found], f"{rule.id} missed its own example {rule.bad!r}"
    hit = next(f for f in found if f.rule == rule.id)
    assert hit.lesson == rule.lesson and hit.severity == rule.severity
    assert hit.message and hit.replacement


@pytest.mark.parametrize("rule", CODE_RULES, ids=lambda r: r.id)
def test_rule_is_silent_on_the_modern_example(rule):
    assert scan_source(rule.good) == [], f"{rule.id}: the modern example is not clean"


# --------------------------------------------------------------------------- claims vs Keras


def _resolve(dotted: str):
    """Import/getattr a dotted path (``tf.`` = tensorflow); raise if any part is missing."""
    if dotted.startswith("tf."):
        dotted = "tensorflow." + dotted[3:]
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], 1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            obj = importlib.import_module(".".join(parts[: i + 1]))
    return obj


CLAIMS = [(rule.id, claim) for rule in R.RULES for claim in rule.checks]


@pytest.mark.slow
@pytest.mark.parametrize(
    "rule_id,claim", CLAIMS, ids=[f"{c[0]}-{c[1].kind}-{i}" for i, c in enumerate(CLAIMS)]
)
def test_rule_claims_hold_on_installed_keras(rule_id, claim, tmp_path, monkeypatch):
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    monkeypatch.chdir(tmp_path)  # claims that save files write here
    env = {"keras": keras, "tf": tf, "np": pytest.importorskip("numpy")}
    kind, what = claim.kind, claim.expr
    if kind == "missing":
        with pytest.raises((AttributeError, ImportError)):
            _resolve(what)
    elif kind == "exists":
        _resolve(what)
    elif kind == "raises":
        # the specific error and message: a claim that `input=` is refused must not pass
        # because some other argument raised
        assert claim.error and claim.match, f"{rule_id}: a raises claim names its error"
        expected = getattr(__import__("builtins"), claim.error)
        with pytest.raises(expected, match=claim.match):
            eval(what, env)
    elif kind == "runs":
        eval(what, env)
    elif kind == "true":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert eval(what, env), what
    elif kind == "warns":
        with pytest.warns(UserWarning, match=claim.match or ""):
            eval(what, env)
    elif kind == "check":
        module, _, name = what.rpartition(".")
        assert getattr(importlib.import_module(module), name)(), what
    else:
        pytest.fail(f"unknown claim kind {kind!r} in {rule_id}")


@pytest.mark.slow
def test_backend_name_lists_match_installed_keras():
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    public = {n for n in dir(keras.backend) if not n.startswith("_")}
    assert public == set(B.KERAS3_BACKEND)
    shim = {n for n in dir(tf.keras.backend) if not n.startswith("_")}
    assert shim == set(B.TF_KERAS_BACKEND_SHIM)
    for name in B.SPECIAL:
        assert not hasattr(keras.backend, name), name


@pytest.mark.slow
def test_tf1_names_are_really_gone_and_replacements_exist():
    tf = pytest.importorskip("tensorflow")
    for old in T.TF1_NAMES:
        if old.startswith("tf.compat.v1."):
            continue  # still present (they fail later, see the rule's claims)
        with pytest.raises((AttributeError, ImportError)):
            _resolve(old)
    for new in ("tf.io.gfile.GFile", "tf.image.resize", "tf.sparse.concat", "tf.math.log",
                "tf.random.truncated_normal", "tf.linalg.inv", "tf.sparse.to_dense", "tf.print",
                "tf.summary.create_file_writer", "tf.train.Checkpoint"):  # fmt: skip
        _resolve(new)
    assert tf.executing_eagerly()


# --------------------------------------------------------------------------- what is not a finding


@pytest.mark.parametrize(
    "source",
    [
        "lr = 0.01\ndecay = 1e-6\nprint(lr, decay)\n",
        "def train(lr=0.1, decay=0.0, nb_epoch=3):\n    return lr\ntrain(lr=0.2, nb_epoch=4)\n",
        "options = {'fit_generator': 1, 'acc': 2}\nprint(options['acc'])\n",
        "catalog = {'acc': 1}\nprint(catalog['acc'], blog.get('val_acc'))\n",
        "s = 'model.fit_generator(gen)'  # model.predict_classes(x)\n",
        "class Trainer:\n    def fit_generator(self):\n        return 1\n",
        "import kerasnotes\nlabels = kerasnotes.predict_classes(model, x)\n",
        "from torch.optim import SGD\nopt = SGD(params, lr=0.1)\n",
        "import torch\nopt = torch.optim.Adam(params, lr=1e-3)\n",
        "from keras.layers import Embedding\ne = Embedding(input_dim=100, output_dim=8)\n",
        "from Convolution1 import Convolution2D\ny = Convolution2D(x, k, 3, border_mode='same')\n",
        "import keras\nh = model.fit(x, y, epochs=2)\nprint(h.history['accuracy'], h.history['val_accuracy'])\n",
        "model.compile('adam', 'mse', metrics=['acc'])\nh = model.fit(x, y)\nprint(h.history['acc'])\n",
        "from PIL import Image\nImage.open('a.jpg').save('b.png')\n",
        "model.save('m.keras')\nmodel.save_weights(f'{d}/m.weights.h5')\n",
        "model.load_weights('old_keras2.h5', by_name=True)\n",
        "import tensorflow as tf\nsess = tf.compat.v1.Session()\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\n",
        "import keras\nK = keras.backend\nprint(K.image_data_format(), K.epsilon())\n",
        "import keras\nx = keras.ops.mean(keras.ops.concatenate([a, b], axis=-1))\n",
        "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), (2, 2))\n",
        "import tensorflow as tf\nwith tf.GradientTape() as tape:\n    y = f(x)\n",
    ],
    ids=lambda s: s.splitlines()[0][:40],
)
def test_not_a_finding(source):
    assert scan_source(source) == []


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    "source,expected",
    [
        ("import keras.backend as K\nK.gradients(l, x)\n", ["KN301"]),
        ("from keras import backend as K\nK.mean(x)\n", ["KN305"]),
        ("from tensorflow.keras import backend as K\nK.mean(x)\n", ["KN902"]),
        ("from tensorflow.keras import backend as K\nK.function([a], [b])\n", ["KN302"]),
        ("import tensorflow as tf\ntf.keras.backend.get_session()\n", ["KN304"]),
        ("from keras.optimizers import SGD as S\nS(lr=1)\n", ["KN401"]),
        ("import tensorflow as tf\ntf.keras.optimizers.Adam(lr=1)\n", ["KN401"]),
        ("from tensorflow import keras\nkeras.optimizers.RMSprop(decay=0.1)\n", ["KN402"]),
        ("import tensorflow.keras.optimizers as O\nO.Adam(lr=2)\n", ["KN401"]),
        ("import tensorflow as T\nT.Session()\n", ["KN701"]),
        (
            "from tensorflow.keras.models import Model\nModel(input=a, output=b)\n",
            ["KN408", "KN408"],
        ),
        ("from keras.layers.core import Dense\nDense(3, init='uniform')\n", ["KN101", "KN405"]),
        ("from keras.utils import np_utils\nnp_utils.to_categorical(y)\n", ["KN102"]),
        (
            "import keras\nkeras.layers.normalization.BatchNormalization(mode=0)\n",
            ["KN101", "KN409"],
        ),
        ("from keras.models import model_from_yaml\nm = model_from_yaml(s)\n", ["KN201"]),
        (
            "from keras.layers import merge\nx = merge([a, b], mode='concat')\n",
            ["KN203", "KN203"],
        ),  # the import, and the call (each breaks)
        ("x = merge([a, b], mode='sum')\n", ["KN203"]),
        ("import keras\nclass G(keras.utils.Sequence):\n    pass\n", ["KN904"]),
    ],
)
def test_aliases_are_resolved(source, expected):
    assert ids(source) == expected


@pytest.mark.parametrize(
    "source,expected",
    [
        ("model.evaluate(gen, steps=3, workers=2)\n", ["KN412"]),
        ("model.predict(gen, use_multiprocessing=True)\n", ["KN412"]),
        ("import keras\nes = keras.callbacks.EarlyStopping(monitor='val_acc')\n", ["KN601"]),
        (
            "import keras\ncp = keras.callbacks.ModelCheckpoint('b.keras', monitor='val_acc', mode='max')\n",
            ["KN602"],  # an explicit mode: Keras 3 only warns, the callback never acts
        ),
        ("import pandas as pd\ndf = pd.DataFrame(history.history)\ndf['val_acc'].plot()\n", []),
        ("import pandas as pd\npd.DataFrame(h.history)['val_acc'].plot()\n", ["KN601"]),
        (
            "class C:\n    def on_epoch_end(self, epoch, logs=None):\n        print(logs.get('acc'))\n",
            ["KN601"],
        ),
        ("import keras\ncb = keras.callbacks.ModelCheckpoint('m.hdf5')\n", ["KN505"]),
        (
            "import keras\ncb = keras.callbacks.ModelCheckpoint(filepath='best.keras', save_weights_only=True)\n",
            ["KN505"],
        ),
        ("import keras\ncb = keras.callbacks.ModelCheckpoint('ep{epoch:02d}.keras')\n", []),
        ("model.save('m.h5', save_format='h5')\n", ["KN903", "KN503"]),
        ("model.save_weights(os.path.join(out, 'w.hdf5'))\n", ["KN501"]),
        ("model.save_weights(out / 'w.weights.h5')\n", []),
        ("model.load_weights('w.keras', by_name=True)\n", ["KN502"]),
        ("model.load_weights(path, by_name=False)\n", []),
        ("import tensorflow as tf\ny = tf.compat.v1.layers.dense(x, 3)\n", ["KN704"]),
        ("import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n", ["KN706"]),
        ("import tensorflow as tf\nnet = tf.contrib.slim.fully_connected(x, 3)\n", ["KN707"]),
        ("import tensorflow as tf\nopt = tf.train.GradientDescentOptimizer(0.1)\n", ["KN709"]),
        ("import tensorflow as tf\nFLAGS = tf.flags.FLAGS\n", ["KN710"]),
        ("import tensorflow as tf\ntf.set_random_seed(1)\n", ["KN708"]),
        (
            "from keras.layers import LSTM\nr = LSTM(output_dim=32, inner_init='orthogonal')\n",
            ["KN802", "KN404", "KN413"],  # Keras 1 code: its LSTM also had hard_sigmoid
        ),
        ("import keras\nopt = keras.optimizers.legacy.Adam(lr=1e-3)\n", ["KN107", "KN401"]),
        (
            "from keras.utils import to_categorical\ny = to_categorical(y, 3, dtype='int32')\n",
            ["KN415"],
        ),
        ("rate = K.get_value(model.optimizer.lr)\n", ["KN305", "KN204"]),
        ("from keras.wrappers.scikit_learn import KerasRegressor\n", ["KN104"]),
        ("from keras.engine.topology import Layer\nclass L(Layer):\n    pass\n", ["KN106"]),
        ("import keras\nx = keras.layers.merge.concatenate([a, b])\n", ["KN101"]),
        ("import keras\nm = keras.models.model_from_yaml(text)\n", ["KN201"]),
        ("from tensorflow.keras.preprocessing.text import Tokenizer\n", ["KN907"]),
        ("from keras.preprocessing.text import Tokenizer\n", ["KN108"]),
        ("import keras\nx = keras.backend.tensorflow_backend._get_available_gpus()\n", ["KN304"]),
    ],
)
def test_rule_variants(source, expected):
    assert ids(source) == expected


def test_finding_positions_and_fields():
    src = "import keras\n\nopt = keras.optimizers.SGD(lr=0.01,\n                           decay=1e-6)\n"
    lr, decay = scan_source(src, filename="train.py")
    assert (lr.line, lr.col, lr.rule) == (3, 28, "KN401")
    assert (decay.line, decay.col, decay.rule) == (4, 28, "KN402")
    assert lr.replacement == "learning_rate=" and lr.lesson == "15_optimizers_and_lr_schedules"
    assert decay.severity == "silent"
    assert lr.format().startswith("train.py:3:28: KN401 `lr=` on an optimizer")


def test_scan_source_rejects_bytes():
    with pytest.raises(TypeError, match="received bytes"):
        scan_source(b"import keras")


# --------------------------------------------------------------------------- demos and pragmas

DEMO = """\
from kerasnotes.course.lesson import expect_error, expect_warning
import keras
with expect_error(ValueError, match="lr"):
    keras.optimizers.SGD(lr=0.01)
with expect_warning(UserWarning):
    keras.optimizers.SGD(learning_rate=0.1, decay=0.1)
opt = keras.optimizers.SGD(lr=0.5)
"""


def test_demo_blocks_are_skipped_by_default():
    found = scan_source(DEMO)
    assert [(f.line, f.rule) for f in found] == [(7, "KN401")]


def test_demo_blocks_are_reported_with_include_demos():
    found = scan_source(DEMO, include_demos=True)
    assert [(f.line, f.rule) for f in found] == [(4, "KN401"), (6, "KN402"), (7, "KN401")]


def test_demo_via_module_attribute_and_cli_flag(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text(
        "import kerasnotes.course.lesson as L\nwith L.expect_error(AttributeError):\n    model.fit_generator(g)\n"
    )
    assert main([str(path)]) == 0
    assert main([str(path), "--include-demos"]) == 1


@pytest.mark.parametrize(
    "line,expected",
    [
        ("sgd = SGD(lr=0.01, decay=1e-6)  # kerasnotes: ignore\n", []),
        ("sgd = SGD(lr=0.01, decay=1e-6)  # kerasnotes: ignore[KN401]\n", ["KN402"]),
        ("sgd = SGD(lr=0.01, decay=1e-6)  # kerasnotes: ignore[KN401, KN402]\n", []),
        ("sgd = SGD(lr=0.01, decay=1e-6)  # kerasnotes: ignore[KN999]\n", ["KN401", "KN402"]),
        ("sgd = SGD(lr=0.01, decay=1e-6)  # ignore\n", ["KN401", "KN402"]),
        ("sgd = SGD(  # kerasnotes: ignore[KN402]\n    lr=0.01,\n    decay=1e-6,\n)\n", ["KN401"]),
    ],
)
def test_pragmas(line, expected):
    assert ids("from keras.optimizers import SGD\n" + line) == expected


# --------------------------------------------------------------------------- fallbacks and files

PY2 = """\
import keras.backend as K
print "training"
model.fit_generator(gen,
                    steps_per_epoch=10, nb_epoch=2)
def f(x):
    return K.gradients(x, w)
"""


def test_python2_file_is_scanned_line_by_line(tmp_path):
    path = tmp_path / "old.py"
    path.write_text(PY2)
    report = scan_file(path)
    assert report.notes and "could not parse (Python 2 syntax?) at line 2" in report.notes[0]
    assert [(f.line, f.rule) for f in report.findings] == [(3, "KN211"), (4, "KN403"), (6, "KN301")]
    assert [(f.line, f.rule) for f in scan_source(PY2)] == [
        (3, "KN211"),
        (4, "KN403"),
        (6, "KN301"),
    ]


def test_statements_run_together_on_one_line():
    src = "predict_test = model.predict_classes(X_test).astype('int') inverted = enc(x) print(x)\n"
    assert ids(src) == ["KN214"]


def test_binary_and_non_utf8_files_are_skipped(tmp_path, capsys):
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02import keras")
    (tmp_path / "latin.py").write_bytes("x = 'caf\xe9'\nmodel.fit_generator(g)\n".encode("latin-1"))
    (tmp_path / "declared.py").write_bytes(
        "# -*- coding: latin-1 -*-\nx = 'caf\xe9'\nmodel.fit_generator(g)\n".encode("latin-1")
    )
    reports = {Path(r.path).name: r for r in scan_path(tmp_path)}
    assert reports["blob.py"].skipped == "cannot read: binary file (NUL bytes)"
    assert reports["latin.py"].skipped.startswith("cannot read: not UTF-8 text at byte")
    # a file it could not read is a finding (KN001), never a silent skip
    assert [f.rule for f in reports["blob.py"].findings] == ["KN001"]
    assert [f.rule for f in reports["declared.py"].findings] == ["KN211"]
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "blob.py:1:1: KN001 cannot read: binary file" in out
    assert "latin.py:1:1: KN001 cannot read: not UTF-8" in out


def _notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True)}
                | ({"outputs": [], "execution_count": None} if kind == "code" else {})
                for kind, src in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_notebook_cells_magics_and_locations(tmp_path, capsys):
    path = tmp_path / "nb.ipynb"
    path.write_text(
        _notebook(
            [
                ("markdown", "# Title\nmodel.fit_generator(g)"),
                ("code", "%matplotlib inline\n!pip install keras\nimport keras.backend as K"),
                ("code", "%%bash\necho model.fit_generator"),
                ("code", "import sys\nif 'google.colab' in sys.modules:\n    %pip install kerasnotes\nx = !ls\nK.gradients(a, b)"),
                ("code", "%%time\nmodel.predict_classes(x)"),
            ]
        )
    )  # fmt: skip
    report = scan_file(path)
    assert report.notes == [] and report.skipped is None
    assert [(f.cell, f.line, f.rule) for f in report.findings] == [(4, 5, "KN301"), (5, 2, "KN214")]
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:cell 4:line 5:col 1: KN301" in out


def test_invalid_notebook_is_skipped_not_crashed(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    report = scan_file(path)
    assert report.skipped.startswith("not a valid notebook: bad JSON")
    assert [f.rule for f in report.findings] == ["KN001"]


def test_folder_scan_skips_venv_and_non_python(tmp_path):
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("model.fit_generator(g)\n")
    (tmp_path / "notes.txt").write_text("model.fit_generator(g)\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("model.fit_generator(g)\n")
    reports = scan_path(tmp_path)
    assert [Path(r.path).relative_to(tmp_path).as_posix() for r in reports] == ["pkg/a.py"]
    # a text file named explicitly is scanned (line by line)
    assert [f.rule for f in scan_file(tmp_path / "notes.txt").findings] == ["KN211"]


# --------------------------------------------------------------------------- CLI


def test_cli_exit_codes_and_output(tmp_path, capsys):
    clean = tmp_path / "clean.py"
    clean.write_text("import keras\nopt = keras.optimizers.SGD(learning_rate=0.1)\n")
    dirty = tmp_path / "dirty.py"
    dirty.write_text("import keras\nopt = keras.optimizers.SGD(lr=0.1, decay=0.01)\n")
    assert main([str(clean)]) == 0
    assert "No legacy Keras/TF idioms found in 1 file." in capsys.readouterr().out
    assert main([str(dirty), str(clean)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{dirty}:2:28: KN401 `lr=` on an optimizer raises ValueError in Keras 3 (Argument(s) not "
        "recognized); write `learning_rate=` [lesson: 15_optimizers_and_lr_schedules]"
    )
    assert out[-1] == "Found 2 legacy idioms (1 error, 1 silent) in 1 of 2 files."
    assert main([str(dirty), "--select", "KN402"]) == 1
    assert main([str(dirty), "--ignore", "KN401,KN402"]) == 0
    assert main([str(dirty), "--ignore", "KN4"]) == 0
    capsys.readouterr()
    assert main([str(tmp_path / "missing.py")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main([str(dirty), "--select", "KN9999"]) == 2
    assert "unknown rule id" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--format", "xml", str(dirty)]) == 2


def test_cli_json(tmp_path, capsys):
    dirty = tmp_path / "dirty.py"
    dirty.write_text("import keras\nopt = keras.optimizers.SGD(lr=0.1)\n")
    assert main(["--format", "json", str(dirty)]) == 1
    payload = json.loads(capsys.readouterr().out)
    (finding,) = payload["findings"]
    assert finding["rule"] == "KN401" and finding["line"] == 2 and finding["col"] == 28
    assert finding["replacement"] == "learning_rate=" and finding["path"] == str(dirty)
    assert payload["summary"]["findings"] == 1 and payload["summary"]["error"] == 1


def test_cli_module_entry_point(tmp_path):
    dirty = tmp_path / "dirty.py"
    dirty.write_text("model.predict_classes(x)\n")
    proc = subprocess.run(
        [sys.executable, "-m", "kerasnotes.migrate", str(dirty)], capture_output=True, text=True
    )
    assert proc.returncode == 1 and "KN214" in proc.stdout


def test_import_does_not_load_tensorflow_or_keras():
    code = (
        "import sys, kerasnotes.migrate as m; m.scan_source('import keras'); "
        "print([n for n in sys.modules if n.split('.')[0] in ('tensorflow', 'keras', 'matplotlib')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- docs


def test_rules_doc_is_in_sync():
    doc = ROOT / "docs" / "migrate-rules.md"
    assert doc.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/migrate-rules.md is out of date; regenerate it with: "
        "python -m kerasnotes.migrate --write-rules-doc docs/migrate-rules.md"
    )
    for rule in R.RULES:
        assert f"| {rule.id} |" in doc.read_text(encoding="utf-8")


def test_write_rules_doc(tmp_path):
    target = tmp_path / "rules.md"
    assert main(["--write-rules-doc", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_rules_doc()


# --------------------------------------------------------------------------- the course itself


def test_course_notebooks_and_scripts_are_clean():
    files = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "scripts").glob("*.py"))
    if not files:
        pytest.skip("no notebooks or scripts yet")
    reports = scan_path(*files)
    problems = [f.format() for r in reports for f in r.findings]
    problems += [f"{r.path}: {r.skipped}" for r in reports if r.skipped]
    assert problems == [], "the course must practise what it teaches:\n" + "\n".join(problems)


# (file, line) -> the rule ids the checker must report on that line of the notes.
NOTES_EXPECTED = {
    ("fit-vs-fit_generator.txt", 86): {"KN211"},
    ("fit-vs-fit_generator.txt", 103): {"KN904"},
    ("fit-vs-fit_generator.txt", 175): {"KN211", "KN412"},
    ("keras-intro-part1.txt", 99): {"KN401"},
    ("keras-intro-part1.txt", 178): {"KN305"},
    ("keras-intro-part1.txt", 245): {"KN401", "KN402"},
    ("keras-intro-part1.txt", 503): {"KN906"},
    ("keras-intro-part1.txt", 628): {"KN216"},
    ("keras-intro-part1.txt", 801): {"KN201"},
    ("keras-intro-part1.txt", 810): {"KN201"},
    ("keras-intro-part1.txt", 814): {"KN501"},
    ("keras-intro-part1.txt", 837): {"KN502"},
    ("keras-intro-part1.txt", 847): {"KN408"},
    ("keras-intro-part1.txt", 856): {"KN302"},
    ("keras-learning.txt", 50): {"KN101"},
    ("keras-learning.txt", 144): {"KN404", "KN905"},
    ("keras-learning.txt", 187): {"KN102"},
    ("keras-learning.txt", 210): {"KN401", "KN402"},
    ("keras-learning.txt", 261): {"KN408"},
    ("keras-learning.txt", 289): {"KN202"},
    ("keras-learning.txt", 290): {"KN401"},
    ("keras-learning.txt", 296): {"KN501"},
    ("keras-learning.txt", 330): {"KN103"},
    ("keras-learning.txt", 337): set(),  # the notes' own fix: from keras.utils import plot_model
    ("keras-learning.txt", 370): {"KN108"},
    ("keras-learning.txt", 400): {"KN705"},
    ("keras-learning.txt", 415): {"KN305"},
    ("keras-learning.txt", 435): {"KN305"},
    ("keras-learning.txt", 440): {"KN701"},
    ("keras-learning.txt", 441): {"KN701"},
    ("keras-learning.txt", 612): {"KN211", "KN412"},
    ("keras-learning.txt", 669): {"KN211"},
    ("keras-learning.txt", 763): {"KN101"},
    ("keras-learning.txt", 769): {"KN405", "KN905"},
    ("keras-learning.txt", 797): {"KN406", "KN414"},
    ("keras-learning.txt", 1081): {"KN704"},
    ("keras-learning.txt", 1155): {"KN702"},
    ("keras-learning.txt", 1160): {"KN703"},
    ("keras-learning.txt", 1184): {"KN703"},
    ("keras-learning.txt", 1216): {"KN305"},
    ("keras-learning.txt", 1294): {"KN214"},
    ("keras-learning.txt", 1588): {"KN411"},
    ("keras-learning.txt", 1722): {"KN505", "KN601"},
    ("keras-learning.txt", 1813): {"KN403"},
    ("keras-learning.txt", 1852): {"KN401", "KN402"},
    ("keras-learning.txt", 1869): {"KN410"},
    ("keras-learning.txt", 1899): {"KN101", "KN409", "KN413"},
    ("keras-tf-pytorch-misc.txt", 4): {"KN901"},
    ("keras-tf-pytorch-misc.txt", 65): {"KN301"},
    ("keras-tf-pytorch-misc.txt", 67): {"KN302"},
    ("keras-tf-pytorch-misc.txt", 99): {"KN706"},
    ("keras-tf-pytorch-misc.txt", 107): set(),  # tf.GradientTape: already modern
    ("keras-learning-markdown-draft.md", 75): {"KN404", "KN905"},
    ("keras-learning-markdown-draft.md", 145): {"KN401", "KN402"},
    ("keras-learning-markdown-draft.md", 338): {"KN701"},
}


@pytest.fixture(scope="module")
def notes_findings():
    if not NOTES.is_dir():
        pytest.skip(f"the notes folder {NOTES} is not here")
    files = sorted(p for p in NOTES.iterdir() if p.suffix in (".txt", ".md"))
    start = time.perf_counter()
    reports = [scan_file(p) for p in files]
    seconds = time.perf_counter() - start
    # the yardstick: one attempt to parse every line of the notes, as any line scanner must
    start = time.perf_counter()
    for p in files:
        for line in p.read_text(encoding="utf-8").splitlines():
            try:
                ast.parse(line.strip())
            except (SyntaxError, ValueError):
                pass
    seconds /= max(time.perf_counter() - start, 1e-6)  # a ratio, not seconds: load-independent
    by_line: dict[tuple[str, int], set[str]] = {}
    for report in reports:
        for f in report.findings:
            by_line.setdefault((Path(report.path).name, f.line), set()).add(f.rule)
    return by_line, seconds, len(files)


@pytest.mark.parametrize("where", sorted(NOTES_EXPECTED), ids=lambda w: f"{w[0]}:{w[1]}")
def test_notes_snippets_give_the_expected_rules(notes_findings, where):
    by_line, _, _ = notes_findings
    assert by_line.get(where, set()) == NOTES_EXPECTED[where]


def test_notes_are_scanned_in_a_few_line_parses(notes_findings):
    by_line, ratio, count = notes_findings
    assert count == 5
    assert ratio < 25, f"scanning the notes took {ratio:.1f} times a parse of each line"
    found = set().union(*by_line.values())
    # the idioms the issue lists that the notes contain, all found
    assert {"KN101", "KN102", "KN103", "KN201", "KN202", "KN211", "KN214", "KN301", "KN302",
            "KN305", "KN401", "KN402", "KN403", "KN404", "KN405", "KN406", "KN408", "KN409",
            "KN410", "KN411", "KN412", "KN501", "KN502", "KN601", "KN701", "KN702", "KN703",
            "KN704", "KN705", "KN706", "KN901"} <= found  # fmt: skip


def test_ten_thousand_line_project_in_a_few_seconds(tmp_path):
    module = "\n".join(rule.bad + rule.good for rule in R.RULES)
    module += "\n" + "\n".join(
        f"def f{i}(x, lr=0.1):\n    return x * lr + {i}\n" for i in range(200)
    )
    lines_per_file = module.count("\n") + 1
    files = -(-10_000 // lines_per_file)
    for i in range(files):
        (tmp_path / f"m{i}.py").write_text(module)
    start = time.perf_counter()
    reports = scan_path(tmp_path)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    for path in tmp_path.iterdir():
        compile(path.read_text(), str(path), "exec")  # the yardstick: byte-compiling the files
    ratio = seconds / max(time.perf_counter() - start, 1e-6)
    assert len(reports) == files and files * lines_per_file >= 10_000
    per_file = {f.rule for f in reports[0].findings}
    assert per_file == {rule.id for rule in R.RULES if rule.bad}
    assert ratio < 30, f"{files * lines_per_file} lines took {ratio:.1f} times byte-compiling"


def test_a_folder_with_nothing_scannable_says_so(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("model.fit_generator(gen, steps_per_epoch=10)\n")
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path}: note: no .py or .ipynb files in this folder" in out
    # named explicitly, the same text file is scanned
    assert main([str(tmp_path / "notes.txt")]) == 1
    assert "KN211" in capsys.readouterr().out
