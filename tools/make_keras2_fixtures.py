"""Write the real Keras 2 model files that tests/test_keras2_files.py loads with Keras 3.

This script runs under *Keras 2* (the ``tf-keras`` package, ``import tf_keras``), never in
the project's own environment. Build that environment once, in /tmp::

    python3 -m venv /tmp/k2
    /tmp/k2/bin/pip install "tf-keras~=2.21.0" "tensorflow~=2.21.0"
    /tmp/k2/bin/python tools/make_keras2_fixtures.py tests/fixtures/keras2

(tf-keras' minor version must equal TensorFlow's.) For every model it writes the file(s)
Keras 2 saves, a ``<name>.ref.npz`` holding a fixed probe input ``x`` (and targets ``y``),
Keras 2's own ``predict(x)`` and, for compiled models, its ``evaluate(x, y)`` values; and one
``manifest.json`` saying what each file needs in Keras 3 (custom objects, arguments, the
translations kerasnotes applies). Models are tiny so the folder stays well under 2 MB.

The custom objects below (focal loss factory, dice_coef, the attention layer) are the
notes' kind of code written for Keras 2; the tests define the same formulas with keras.ops.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402
from tf_keras import backend as K  # noqa: E402
from tf_keras import layers  # noqa: E402

H, W = 4, 4  # the Lambda layer's globals, as in the notes


def focal_loss(gamma=2.0, alpha=0.25):
    """The notes' closure-style focal loss: saved under the inner function's name."""

    def focal_loss_fixed(y_true, y_pred):
        eps = K.epsilon()
        y_pred = K.clip(y_pred, eps, 1.0 - eps)
        pt = tf.where(tf.equal(y_true, 1.0), y_pred, 1.0 - y_pred)
        w = tf.where(tf.equal(y_true, 1.0), alpha, 1.0 - alpha)
        return K.mean(-w * K.pow(1.0 - pt, gamma) * K.log(pt))

    return focal_loss_fixed


def dice_coef(y_true, y_pred, smooth=1.0):
    y_true_f = K.flatten(y_true)
    y_pred_f = K.flatten(y_pred)
    intersection = K.sum(y_true_f * y_pred_f)
    return (2.0 * intersection + smooth) / (K.sum(y_true_f) + K.sum(y_pred_f) + smooth)


class Attention(layers.Layer):
    """Additive attention pooling over time: (batch, steps, features) -> (batch, features)."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(name="att_w", shape=(int(input_shape[-1]), self.units))
        self.v = self.add_weight(name="att_v", shape=(self.units, 1))
        super().build(input_shape)

    def call(self, x):
        score = tf.matmul(tf.tanh(tf.matmul(x, self.w)), self.v)  # (batch, steps, 1)
        weights = tf.nn.softmax(score, axis=1)
        return tf.reduce_sum(weights * x, axis=1)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def rng(seed):
    return np.random.default_rng(seed)


def image_data(seed, n=6, size=8, channels=1, classes=2):
    r = rng(seed)
    x = r.normal(size=(n, size, size, channels)).astype("float32")
    y = np.eye(classes, dtype="float32")[r.integers(0, classes, n)]
    return x, y


def text_data(seed, n=6, steps=5, vocab=20):
    r = rng(seed)
    return r.integers(1, vocab, size=(n, steps)).astype("int32"), r.integers(0, 2, (n, 1)).astype(
        "float32"
    )


def vector_data(seed, n=6, features=6, outputs=1):
    r = rng(seed)
    return r.normal(size=(n, features)).astype("float32"), r.normal(size=(n, outputs)).astype(
        "float32"
    )


class Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.manifest: dict[str, dict] = {}

    def record(self, name, model, x, y, entry, evaluate=True):
        pred = model.predict(x, verbose=0)
        arrays = {"x": x, "pred": np.asarray(pred)}
        if y is not None:
            arrays["y"] = y
        if evaluate and model.optimizer is not None and model.compiled_loss is not None:
            values = model.evaluate(x, y, verbose=0, return_dict=True)
            arrays["evaluate"] = np.array([values[k] for k in sorted(values)], "float64")
            entry["evaluate_names"] = sorted(values)
        np.savez(self.out / f"{entry['file'].replace('/', '')}.ref.npz", **arrays)
        entry.setdefault("custom_objects", [])
        entry.setdefault("translations", [])
        entry.setdefault("load_kwargs", {})
        self.manifest[name] = entry
        print(f"{name:24s} {entry['file']}")


def fit_briefly(model, x, y, epochs=1, **kwargs):
    model.fit(x, y, epochs=epochs, batch_size=3, verbose=0, **kwargs)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "tests/fixtures/keras2")
    out.mkdir(parents=True, exist_ok=True)
    tf_keras.utils.set_random_seed(0)
    w = Writer(out)

    # 1. .h5 compiled with loss='mse' and Adam (the row-8b bug, and 'Custom>Adam').
    x, y = vector_data(1)
    m = tf_keras.Sequential(
        [tf_keras.Input((6,)), layers.Dense(4, activation="relu"), layers.Dense(1)]
    )
    m.compile(optimizer="adam", loss="mse", metrics=["mae"])
    fit_briefly(m, x, y)
    m.save(out / "mse_adam.h5")
    w.record(
        "mse_adam",
        m,
        x,
        y,
        {
            "file": "mse_adam.h5",
            "what": "Sequential MLP, loss='mse', metrics=['mae'], Adam (saved as Custom>Adam)",
            "translations": ["optimizer_custom_prefix", "loss_short_alias", "metric_wrapper_fn"],
        },
    )

    # 2. a custom focal loss made by a factory (saved under 'focal_loss_fixed').
    x, y = vector_data(2, outputs=1)
    y = (y > 0).astype("float32")
    m = tf_keras.Sequential(
        [tf_keras.Input((6,)), layers.Dense(4, activation="tanh"), layers.Dense(1, "sigmoid")]
    )
    m.compile(optimizer="adam", loss=focal_loss(gamma=2.0, alpha=0.25), metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "focal_loss.h5")
    w.record(
        "focal_loss",
        m,
        x,
        y,
        {
            "file": "focal_loss.h5",
            "what": "binary classifier compiled with a closure-style focal loss",
            "custom_objects": ["focal_loss_fixed"],
            "compile_only": True,
            "translations": ["optimizer_custom_prefix", "metric_wrapper_fn"],
        },
    )

    # 3. a dice_coef metric, saved by ModelCheckpoint.
    x, y = image_data(3, classes=1)
    y = (rng(3).random((6, 8, 8, 1)) > 0.5).astype("float32")
    m = tf_keras.Sequential(
        [
            tf_keras.Input((8, 8, 1)),
            layers.Conv2D(2, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid"),
        ]
    )
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=[dice_coef])
    ckpt = tf_keras.callbacks.ModelCheckpoint(str(out / "dice_checkpoint.h5"))
    fit_briefly(m, x, y, callbacks=[ckpt])
    w.record(
        "dice_checkpoint",
        m,
        x,
        y,
        {
            "file": "dice_checkpoint.h5",
            "what": "small segmentation net, metrics=[dice_coef], written by ModelCheckpoint",
            "custom_objects": ["dice_coef"],
            "compile_only": True,
            "translations": ["optimizer_custom_prefix", "metric_wrapper_fn"],
        },
    )

    # 4. a custom attention layer.
    x, y = text_data(4)
    m = tf_keras.Sequential(
        [
            tf_keras.Input((5,), dtype="int32"),
            layers.Embedding(20, 4),
            Attention(3, name="attention"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    m.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "attention_layer.h5")
    w.record(
        "attention_layer",
        m,
        x,
        y,
        {
            "file": "attention_layer.h5",
            "what": "Embedding + a custom Attention layer (a Layer subclass with get_config)",
            "custom_objects": ["Attention"],
            "compile_only": False,
            "translations": ["optimizer_custom_prefix", "metric_wrapper_fn"],
        },
    )

    # 5. a Lambda that resizes with tf.image and the globals H, W (the notes' case), in .h5
    #    (function stored as a list: the old format) and in tf_keras' .keras (the new format).
    x, y = image_data(5)
    for ext in ("h5", "keras"):
        inp = tf_keras.Input((8, 8, 1))
        h = layers.Lambda(lambda image: tf.image.resize(image, (H, W)), name="resize")(inp)
        h = layers.Flatten()(h)
        m = tf_keras.Model(inp, layers.Dense(2, activation="softmax")(h))
        m.compile(optimizer="adam", loss="categorical_crossentropy")
        fit_briefly(m, x, y)
        m.save(out / f"lambda_resize.{ext}")
        w.record(
            f"lambda_resize_{ext}",
            m,
            x,
            y,
            {
                "file": f"lambda_resize.{ext}",
                "what": "Lambda(lambda image: tf.image.resize(image, (H, W))) using globals",
                "lambda_layers": ["resize"],
                "load_kwargs": {"safe_mode": False, "custom_objects": ["tf", "H", "W"]},
                "translations": ["optimizer_custom_prefix"]
                if ext == "h5"
                else ["tf_keras_module_names", "compile_config_nones", "lambda_list_function"],
            },
        )

    # 6. concatenate + BatchNormalization + Dropout (two branches; LeakyReLU's alpha).
    x, y = image_data(6, classes=3)
    inp = tf_keras.Input((8, 8, 1))
    a = layers.Conv2D(2, 3, padding="same")(inp)
    a = layers.LeakyReLU(alpha=0.2)(a)
    b = layers.Conv2D(2, 1, activation="relu")(inp)
    h = layers.concatenate([a, b])
    h = layers.BatchNormalization()(h)
    h = layers.Dropout(0.5)(h)
    h = layers.GlobalAveragePooling2D()(h)
    m = tf_keras.Model(inp, layers.Dense(3, activation="softmax")(h))
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y, epochs=2)
    m.save(out / "concat_bn_dropout.h5")
    w.record(
        "concat_bn_dropout",
        m,
        x,
        y,
        {
            "file": "concat_bn_dropout.h5",
            "what": "two Conv2D branches, concatenate, BatchNormalization, Dropout, LeakyReLU",
            "translations": ["optimizer_custom_prefix", "metric_wrapper_fn"],
        },
    )

    # 7. a legacy SGD with decay (lr=, decay=, momentum, nesterov).
    x, y = vector_data(7, outputs=3)
    y = np.eye(3, dtype="float32")[np.argmax(y, 1)]
    m = tf_keras.Sequential(
        [tf_keras.Input((6,)), layers.Dense(5, activation="relu"), layers.Dense(3, "softmax")]
    )
    sgd = tf_keras.optimizers.legacy.SGD(
        learning_rate=0.01, decay=1e-6, momentum=0.9, nesterov=True
    )
    m.compile(optimizer=sgd, loss="categorical_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "sgd_decay.h5")
    w.record(
        "sgd_decay",
        m,
        x,
        y,
        {
            "file": "sgd_decay.h5",
            "what": "legacy SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)",
            "translations": ["legacy_optimizer_decay", "metric_wrapper_fn"],
        },
    )

    # 8. LSTM / GRU text models (Keras 2's hard_sigmoid; GRU without reset_after).
    x, y = text_data(8)
    m = tf_keras.Sequential(
        [
            tf_keras.Input((5,), dtype="int32"),
            layers.Embedding(20, 4, input_length=5),
            layers.LSTM(3, recurrent_activation="hard_sigmoid"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "lstm_text.h5")
    w.record(
        "lstm_text",
        m,
        x,
        y,
        {
            "file": "lstm_text.h5",
            "what": "Embedding(input_length=5) + LSTM(recurrent_activation='hard_sigmoid')",
            "translations": [
                "optimizer_custom_prefix",
                "metric_wrapper_fn",
                "rnn_time_major",
                "keras2_hard_sigmoid",
            ],
        },
    )
    x, y = text_data(9)
    m = tf_keras.Sequential(
        [
            tf_keras.Input((5,), dtype="int32"),
            layers.Embedding(20, 4),
            layers.GRU(3, return_sequences=True, reset_after=False),
            layers.Bidirectional(layers.GRU(2, recurrent_activation="hard_sigmoid")),
            layers.Dense(1, activation="hard_sigmoid"),
        ]
    )
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "gru_text.h5")
    w.record(
        "gru_text",
        m,
        x,
        y,
        {
            "file": "gru_text.h5",
            "what": "GRU(reset_after=False) + Bidirectional(GRU(hard_sigmoid)) + Dense(hard_sigmoid)",
            "translations": [
                "optimizer_custom_prefix",
                "metric_wrapper_fn",
                "rnn_time_major",
                "keras2_hard_sigmoid",
            ],
        },
    )

    # 9. include_optimizer=False.
    x, y = vector_data(10)
    m = tf_keras.Sequential([tf_keras.Input((6,)), layers.Dense(3, "relu"), layers.Dense(1)])
    m.compile(optimizer="adam", loss="mean_squared_error")
    fit_briefly(m, x, y)
    m.save(out / "no_optimizer.h5", include_optimizer=False)
    w.record(
        "no_optimizer",
        m,
        x,
        y,
        {
            "file": "no_optimizer.h5",
            "what": "save(..., include_optimizer=False): a model config, no training config",
        },
        evaluate=False,
    )

    # 10. weights only (save_weights to a legacy .h5).
    x, _ = vector_data(11)
    m = tf_keras.Sequential(
        [tf_keras.Input((6,)), layers.Dense(3, "relu", name="d1"), layers.Dense(2, name="d2")]
    )
    m.save_weights(out / "weights_only.h5")
    w.record(
        "weights_only",
        m,
        x,
        None,
        {
            "file": "weights_only.h5",
            "what": "model.save_weights('w.h5'): Sequential Input(6) Dense(3, relu, d1) Dense(2, d2)",
            "weights_only": True,
        },
        evaluate=False,
    )

    # 11. Conv2DTranspose (groups=1 in its config).
    x, y = image_data(12, size=4)
    y = rng(12).normal(size=(6, 8, 8, 1)).astype("float32")
    m = tf_keras.Sequential(
        [
            tf_keras.Input((4, 4, 1)),
            layers.Conv2DTranspose(2, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(1, 1),
        ]
    )
    m.compile(optimizer="adam", loss="mean_squared_error")
    fit_briefly(m, x, y)
    m.save(out / "conv2d_transpose.h5")
    w.record(
        "conv2d_transpose",
        m,
        x,
        y,
        {
            "file": "conv2d_transpose.h5",
            "what": "Conv2DTranspose(strides=2) + Conv2D",
            "translations": ["optimizer_custom_prefix", "conv_transpose_groups"],
        },
    )

    # 12. a checkpoint named like 'weights.02-2.25.hdf5'.
    x, y = vector_data(13, outputs=2)
    y = np.eye(2, dtype="float32")[np.argmax(y, 1)]
    m = tf_keras.Sequential([tf_keras.Input((6,)), layers.Dense(2, activation="softmax")])
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ckpt_dir = out / "_ckpt"
    ckpt_dir.mkdir(exist_ok=True)
    ckpt = tf_keras.callbacks.ModelCheckpoint(
        str(ckpt_dir / "weights.{epoch:02d}-{val_loss:.2f}.hdf5")
    )
    fit_briefly(m, x, y, epochs=2, validation_data=(x, y), callbacks=[ckpt])
    last = sorted(ckpt_dir.glob("weights.02-*.hdf5"))[0]
    shutil.move(str(last), out / last.name)
    shutil.rmtree(ckpt_dir)
    w.record(
        "checkpoint_hdf5",
        m,
        x,
        y,
        {
            "file": last.name,
            "what": "ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5'), epoch 2",
            "translations": ["optimizer_custom_prefix", "metric_wrapper_fn"],
        },
    )

    # 13. a nested functional sub-model, called twice (shared encoder: node indices 0 and 1).
    x, y = vector_data(14, features=4)
    enc_in = tf_keras.Input((4,))
    encoder = tf_keras.Model(enc_in, layers.Dense(3, activation="tanh")(enc_in), name="encoder")
    a_in = tf_keras.Input((4,), name="a")
    b_in = tf_keras.Input((4,), name="b")
    h = layers.concatenate([encoder(a_in), encoder(b_in)])
    m = tf_keras.Model([a_in, b_in], layers.Dense(1)(h))
    m.compile(optimizer="adam", loss="mean_squared_error")
    xb = rng(15).normal(size=x.shape).astype("float32")
    fit_briefly(m, [x, xb], y)
    m.save(out / "nested_submodel.h5")
    pred = m.predict([x, xb], verbose=0)
    ev = m.evaluate([x, xb], y, verbose=0, return_dict=True)
    np.savez(
        out / "nested_submodel.h5.ref.npz",
        x=x,
        x2=xb,
        y=y,
        pred=pred,
        evaluate=np.array([ev[k] for k in sorted(ev)], "float64"),
    )
    w.manifest["nested_submodel"] = {
        "file": "nested_submodel.h5",
        "what": "a functional encoder model shared by two inputs inside a functional model",
        "two_inputs": True,
        "evaluate_names": sorted(ev),
        "custom_objects": [],
        "translations": ["optimizer_custom_prefix", "nested_node_indices"],
        "load_kwargs": {},
    }
    print(f"{'nested_submodel':24s} nested_submodel.h5")

    # 14. a TF SavedModel folder (model.save(dir) in Keras 2).
    x, y = vector_data(16, features=3)
    m = tf_keras.Sequential([tf_keras.Input((3,)), layers.Dense(2, "relu"), layers.Dense(1)])
    m.compile(optimizer="adam", loss="mean_squared_error")
    fit_briefly(m, x, y)
    shutil.rmtree(out / "savedmodel", ignore_errors=True)
    m.save(out / "savedmodel", save_format="tf")
    w.record(
        "savedmodel",
        m,
        x,
        y,
        {
            "file": "savedmodel",
            "what": "model.save('folder') in Keras 2: a TensorFlow SavedModel",
            "savedmodel": True,
            "endpoint": "serving_default",
        },
        evaluate=False,
    )

    # 15. tf_keras' own .keras zip (Keras 2.13+ native format).
    x, y = vector_data(17, outputs=2)
    y = np.eye(2, dtype="float32")[np.argmax(y, 1)]
    m = tf_keras.Sequential(
        [
            tf_keras.Input((6,)),
            layers.Dense(4, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(2, activation="softmax"),
        ]
    )
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    fit_briefly(m, x, y)
    m.save(out / "tf_keras_format.keras")
    w.record(
        "tf_keras_format",
        m,
        x,
        y,
        {
            "file": "tf_keras_format.keras",
            "what": "tf_keras' own .keras zip (Sequential, Dropout, Adam)",
            "translations": ["compile_config_nones"],
        },
    )

    meta = {
        "written_by": {
            "tf_keras": tf_keras.__version__,
            "tensorflow": tf.__version__,
            "numpy": np.__version__,
        },
        "script": "tools/make_keras2_fixtures.py",
        "files": w.manifest,
    }
    (out / "manifest.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{len(w.manifest)} entries, {total / 1024:.0f} KiB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
