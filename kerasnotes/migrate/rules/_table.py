"""The rules of ``kerasnotes migrate``: what each Keras 1/2 or TF 1.x idiom became.

This module is data only (no TensorFlow, no Keras): a :class:`Rule` per idiom,
with a stable id, and the look-up tables the scanner in :mod:`kerasnotes.migrate`
uses to recognise it. ``docs/migrate-rules.md`` is generated from :data:`RULES`.

Each rule also carries ``checks``: small claims about Keras 3 / TF 2 ("this call
raises", "this modern call runs") that ``tests/test_migrate.py`` runs against
the installed library, so a rule cannot keep claiming something that stopped
being true.

Id ranges: KN1xx old module paths, KN2xx removed functions and methods, KN3xx
``keras.backend``, KN4xx renamed or removed arguments, KN5xx file names and
saving, KN6xx metric names, KN7xx TensorFlow 1.x, KN9xx deprecated but still
working (lower severity).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "RULES", "RULES_BY_ID", "SEVERITIES"]

#: ``error``: raises on Keras 3 / TF 2; ``silent``: runs but does something other
#: than the old code did; ``deprecated``: still works, but is legacy.
SEVERITIES = ("error", "silent", "deprecated")


@dataclass(frozen=True)
class Rule:
    """One legacy idiom and its modern replacement.

    Attributes:
        id: Stable id (``KN101``); never reused for another idiom.
        title: A few words naming the idiom.
        severity: One of :data:`SEVERITIES`.
        template: The finding's message; ``{old}`` and ``{new}`` are filled in
            with what was matched and its replacement.
        replacement: The modern spelling used when a match has no specific one.
        lesson: The course notebook that teaches it (file stem).
        bad: A short legacy snippet the rule must flag (its positive test).
        good: The same code written for Keras 3; the rule must stay silent on it.
        checks: Claims about the installed library, checked by the tests:
            ``("raises", expr)``, ``("runs", expr)``, ``("warns", expr)``,
            ``("true", expr)``, ``("missing", dotted)``, ``("exists", dotted)``.
    """

    id: str
    title: str
    severity: str
    template: str
    replacement: str
    lesson: str
    bad: str
    good: str
    checks: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- rules

_R = Rule
RULES: tuple[Rule, ...] = (
    # ---- KN1xx: module paths that no longer exist
    _R(
        "KN101",
        "old keras.layers submodule",
        "error",
        "`{old}` no longer exists in Keras 3 (ModuleNotFoundError); every layer lives in `{new}`",
        "keras.layers",
        "02_core_concepts",
        "from keras.layers.core import Dense\n",
        "from keras.layers import Dense\n",
        (
            ("missing", "keras.layers.core"),
            ("missing", "keras.layers.normalization"),
            ("missing", "keras.layers.convolutional"),
            ("missing", "keras.layers.recurrent"),
            ("missing", "keras.layers.embeddings"),
            ("missing", "keras.layers.pooling"),
            ("missing", "keras.layers.merge"),
            ("missing", "keras.layers.advanced_activations"),
            ("exists", "keras.layers.Dense"),
            ("exists", "keras.layers.BatchNormalization"),
            ("exists", "keras.layers.Conv2DTranspose"),
        ),
    ),
    _R(
        "KN102",
        "keras.utils.np_utils",
        "error",
        "`{old}` was removed (ImportError); its functions are in `{new}`, e.g. keras.utils.to_categorical",
        "keras.utils",
        "01_quickstart",
        "from keras.utils import np_utils\ny = np_utils.to_categorical(labels, 10)\n",
        "import keras\ny = keras.utils.to_categorical(labels, 10)\n",
        (("missing", "keras.utils.np_utils"), ("exists", "keras.utils.to_categorical")),
    ),
    _R(
        "KN103",
        "keras.utils.vis_utils",
        "error",
        "`{old}` was removed (ModuleNotFoundError); plot_model and model_to_dot are in `{new}`",
        "keras.utils",
        "07_inspecting_models",
        "from keras.utils.vis_utils import plot_model\n",
        "from keras.utils import plot_model\n",
        (
            ("missing", "keras.utils.vis_utils"),
            ("exists", "keras.utils.plot_model"),
            ("exists", "keras.utils.model_to_dot"),
        ),
    ),
    _R(
        "KN104",
        "keras.wrappers.scikit_learn",
        "error",
        "`{old}` (KerasClassifier/KerasRegressor) was removed; Keras 3 has `{new}`",
        "keras.wrappers.SKLearnClassifier / SKLearnRegressor",
        "24_pitfalls_faq",
        "from keras.wrappers.scikit_learn import KerasClassifier\n",
        "from keras.wrappers import SKLearnClassifier\n",
        (
            ("missing", "keras.wrappers.scikit_learn"),
            ("exists", "keras.wrappers.SKLearnClassifier"),
            ("exists", "keras.wrappers.SKLearnRegressor"),
        ),
    ),
    _R(
        "KN105",
        "keras.utils.training_utils",
        "error",
        "`{old}` was removed together with multi_gpu_model; use `{new}`",
        "tf.distribute.MirroredStrategy() and build/compile inside strategy.scope()",
        "06_gpus_and_distribution",
        "from keras.utils.training_utils import multi_gpu_model\n",
        "import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n",
        (
            ("missing", "keras.utils.training_utils"),
            ("exists", "tf.distribute.MirroredStrategy"),
        ),
    ),
    _R(
        "KN106",
        "private Keras 2 module",
        "error",
        "`{old}` was a Keras 2 internal module and is gone in Keras 3; use `{new}`",
        "the public namespaces (keras.layers, keras.utils, keras.losses, ...)",
        "02_core_concepts",
        "from keras.engine.topology import Layer\n",
        "from keras.layers import Layer\n",
        (
            ("missing", "keras.engine"),
            ("missing", "keras.utils.generic_utils"),
            ("missing", "keras.utils.data_utils"),
            ("missing", "keras.objectives"),
            ("missing", "keras.layers.experimental"),
            ("exists", "keras.layers.Layer"),
            ("exists", "keras.utils.get_file"),
        ),
    ),
    _R(
        "KN107",
        "keras.optimizers.legacy",
        "error",
        "`{old}` is not supported in Keras 3 (ImportError); use `{new}`",
        "keras.optimizers (SGD, Adam, ...) with learning_rate=",
        "15_optimizers_and_lr_schedules",
        "from keras.optimizers.legacy import SGD\n",
        "from keras.optimizers import SGD\n",
        (
            ("raises", "keras.optimizers.legacy.SGD(learning_rate=0.1)"),
            ("runs", "keras.optimizers.SGD(learning_rate=0.1)"),
        ),
    ),
    _R(
        "KN108",
        "keras.preprocessing legacy class",
        "error",
        "`{old}` is not in Keras 3's keras.preprocessing (ImportError); use `{new}`",
        "keras.utils.image_dataset_from_directory plus preprocessing layers",
        "22_image_data_generator",
        "from keras.preprocessing.image import ImageDataGenerator\n",
        "import keras\nds = keras.utils.image_dataset_from_directory('data', image_size=(150, 150))\n",
        (
            ("missing", "keras.preprocessing.image.ImageDataGenerator"),
            ("missing", "keras.preprocessing.text"),
            ("exists", "keras.utils.image_dataset_from_directory"),
            ("exists", "keras.layers.TextVectorization"),
        ),
    ),
    # ---- KN2xx: removed functions and methods
    _R(
        "KN201",
        "YAML model config",
        "error",
        "`{old}` was removed (security risk of YAML loading); use `{new}`",
        "model.to_json() / keras.models.model_from_json()",
        "20_saving_and_loading",
        "yaml_string = model.to_yaml()\n",
        "json_string = model.to_json()\n",
        (
            ("missing", "keras.models.model_from_yaml"),
            ("missing", "keras.Model.to_yaml"),
            ("exists", "keras.Model.to_json"),
            ("exists", "keras.models.model_from_json"),
        ),
    ),
    _R(
        "KN202",
        "multi_gpu_model",
        "error",
        "`{old}` was removed (also from tf_keras); use `{new}`",
        "tf.distribute.MirroredStrategy() and build/compile inside strategy.scope()",
        "06_gpus_and_distribution",
        "import keras\nparallel = keras.utils.multi_gpu_model(model, gpus=2)\n",
        "import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n",
        (("missing", "keras.utils.multi_gpu_model"),),
    ),
    _R(
        "KN203",
        "Keras 1 merge / Merge",
        "error",
        "Keras 1's `{old}` was removed; use `{new}`",
        "keras.layers.concatenate / add / multiply (or the Concatenate, Add, ... layers)",
        "10_concatenate_axes",
        "from keras.layers import merge\nx = merge([a, b], mode='concat')\n",
        "from keras.layers import concatenate\nx = concatenate([a, b])\n",
        (
            ("missing", "keras.layers.merge"),
            ("missing", "keras.layers.Merge"),
            ("exists", "keras.layers.concatenate"),
        ),
    ),
    _R(
        "KN204",
        "optimizer.lr attribute",
        "error",
        "`{old}`: Keras 3 optimizers have no `lr` attribute (AttributeError); use `{new}`",
        "optimizer.learning_rate (assign to it, or read float(optimizer.learning_rate))",
        "15_optimizers_and_lr_schedules",
        "rate = model.optimizer.lr\n",
        "rate = model.optimizer.learning_rate\n",
        (
            ("raises", "keras.optimizers.Adam().lr"),
            ("runs", "float(keras.optimizers.Adam().learning_rate)"),
        ),
    ),
    _R(
        "KN211",
        "fit_generator",
        "error",
        "`{old}` was removed (AttributeError); `{new}` takes generators and PyDatasets directly",
        "model.fit(generator, steps_per_epoch=..., epochs=...)",
        "11_fit_vs_fit_generator",
        "model.fit_generator(gen, steps_per_epoch=10, epochs=2)\n",
        "model.fit(gen, steps_per_epoch=10, epochs=2)\n",
        (("missing", "keras.Model.fit_generator"), ("exists", "keras.Model.fit")),
    ),
    _R(
        "KN212",
        "evaluate_generator",
        "error",
        "`{old}` was removed (AttributeError); use `{new}`",
        "model.evaluate(generator, steps=...)",
        "11_fit_vs_fit_generator",
        "model.evaluate_generator(gen, steps=5)\n",
        "model.evaluate(gen, steps=5)\n",
        (("missing", "keras.Model.evaluate_generator"),),
    ),
    _R(
        "KN213",
        "predict_generator",
        "error",
        "`{old}` was removed (AttributeError); use `{new}` (the generator must yield tuples `(x,)`)",
        "model.predict(generator, steps=...)",
        "11_fit_vs_fit_generator",
        "probs = model.predict_generator(gen, steps=5)\n",
        "probs = model.predict(gen, steps=5)\n",
        (("missing", "keras.Model.predict_generator"),),
    ),
    _R(
        "KN214",
        "predict_classes",
        "error",
        "`{old}` was removed (AttributeError); use `{new}`",
        "np.argmax(model.predict(x), axis=-1) for softmax, (model.predict(x) > 0.5).astype('int32') "
        "for sigmoid, or kerasnotes.predict_classes(model, x)",
        "16_predict_vs_predict_classes",
        "labels = model.predict_classes(x_test)\n",
        "import numpy as np\nlabels = np.argmax(model.predict(x_test), axis=-1)\n",
        (("missing", "keras.Sequential.predict_classes"),),
    ),
    _R(
        "KN215",
        "predict_proba",
        "error",
        "`{old}` was removed (AttributeError); `{new}` returns the probabilities",
        "model.predict(x)",
        "16_predict_vs_predict_classes",
        "probs = model.predict_proba(x_test)\n",
        "probs = model.predict(x_test)\n",
        (("missing", "keras.Sequential.predict_proba"),),
    ),
    _R(
        "KN216",
        "layer node accessors",
        "error",
        "`{old}` was removed from layers (AttributeError); use `{new}`",
        "layer.output / layer.input (and .shape)",
        "07_inspecting_models",
        "out = model.layers[1].get_output_at(0)\n",
        "out = model.layers[1].output\n",
        (("missing", "keras.layers.Dense.get_output_at"), ("exists", "keras.layers.Dense.output")),
    ),
    # ---- KN3xx: keras.backend
    _R(
        "KN301",
        "K.gradients",
        "error",
        "`{old}` is gone from keras.backend, and symbolic gradients do not run in eager mode; "
        "use `{new}`",
        "tf.GradientTape (tape.gradient(loss, variables))",
        "26_gradients_and_autodiff",
        "from keras import backend as K\ngrads = K.gradients(loss, model.input)[0]\n",
        "import tensorflow as tf\nwith tf.GradientTape() as tape:\n    loss = f(x)\ngrads = tape.gradient(loss, x)\n",
        (("missing", "keras.backend.gradients"), ("exists", "tf.GradientTape")),
    ),
    _R(
        "KN302",
        "K.function",
        "error",
        "`{old}` is gone (also from tf.keras.backend); use `{new}`",
        "keras.Model(inputs, layer.output) and call or predict it",
        "07_inspecting_models",
        "from keras import backend as K\nf = K.function([model.input], [model.layers[3].output])\n",
        "import keras\nf = keras.Model(model.input, model.layers[3].output)\n",
        (("missing", "keras.backend.function"), ("missing", "tf.keras.backend.function")),
    ),
    _R(
        "KN303",
        "image_dim_ordering",
        "error",
        "`{old}` is Keras 1 ('th'/'tf' ordering) and is gone; use `{new}`",
        "keras.config.image_data_format() / keras.config.set_image_data_format('channels_last')",
        "02_core_concepts",
        "from keras import backend as K\nK.set_image_dim_ordering('th')\n",
        "import keras\nkeras.config.set_image_data_format('channels_first')\n",
        (
            ("missing", "keras.backend.set_image_dim_ordering"),
            ("missing", "tf.keras.backend.image_dim_ordering"),
            ("exists", "keras.config.set_image_data_format"),
        ),
    ),
    _R(
        "KN304",
        "sessions and graph-mode backend",
        "error",
        "`{old}` belonged to TF1 graph mode and is gone; Keras 3 has no session: {new}",
        "run eagerly, use keras.Input for inputs and the `training=` argument for the learning phase",
        "26_gradients_and_autodiff",
        "from keras import backend as K\nK.set_session(sess)\n",
        "import keras\nkeras.utils.clear_session()\n",
        (
            ("missing", "keras.backend.set_session"),
            ("missing", "tf.keras.backend.get_session"),
            ("missing", "tf.keras.backend.placeholder"),
            ("missing", "tf.keras.backend.learning_phase"),
        ),
    ),
    _R(
        "KN305",
        "keras.backend math op",
        "error",
        "`{old}` is gone from Keras 3's keras.backend (AttributeError); use `{new}`",
        "keras.ops",
        "10_concatenate_axes",
        "import keras.backend as K\nd = K.concatenate([t1, t2], axis=-1)\n",
        "import keras\nd = keras.ops.concatenate([t1, t2], axis=-1)\n",
        (
            ("missing", "keras.backend.concatenate"),
            ("missing", "keras.backend.mean"),
            ("missing", "keras.backend.variable"),
            ("exists", "keras.ops.concatenate"),
            ("exists", "keras.Variable"),
        ),
    ),
    # ---- KN4xx: arguments
    _R(
        "KN401",
        "optimizer lr=",
        "error",
        "`{old}` on an optimizer raises ValueError in Keras 3 (Argument(s) not recognized); write `{new}`",
        "learning_rate=",
        "15_optimizers_and_lr_schedules",
        "from keras.optimizers import SGD\nsgd = SGD(lr=0.01, momentum=0.9)\n",
        "from keras.optimizers import SGD\nsgd = SGD(learning_rate=0.01, momentum=0.9)\n",
        (
            ("raises", "keras.optimizers.SGD(lr=0.01)"),
            ("raises", "keras.optimizers.Adam(lr=1e-5)"),
            ("runs", "keras.optimizers.SGD(learning_rate=0.01)"),
        ),
    ),
    _R(
        "KN402",
        "optimizer decay=",
        "silent",
        "`{old}` on an optimizer is ignored by Keras 3 (only a UserWarning); the rate no longer "
        "decays. Use `{new}`",
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)",
        "15_optimizers_and_lr_schedules",
        "from keras.optimizers import SGD\nsgd = SGD(learning_rate=0.01, decay=1e-6)\n",
        "import keras\nsched = keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6)\n"
        "sgd = keras.optimizers.SGD(learning_rate=sched)\n",
        (
            ("warns", "keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)"),
            ("runs", "keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6)"),
        ),
    ),
    _R(
        "KN403",
        "nb_epoch=",
        "error",
        "`{old}` is Keras 1; fit() raises TypeError (unexpected keyword argument). Write `{new}`",
        "epochs=",
        "03_sequential_models",
        "model.fit(x, y, nb_epoch=5)\n",
        "model.fit(x, y, epochs=5)\n",
        (
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).fit(nb_epoch=1)",
            ),
        ),
    ),
    _R(
        "KN404",
        "output_dim= on a layer",
        "error",
        "`{old}` is Keras 1 (Dense/LSTM raise TypeError: missing 'units'); write `{new}`",
        "units=",
        "03_sequential_models",
        "from keras.layers import Dense\nlayer = Dense(output_dim=1, input_dim=1)\n",
        "from keras.layers import Dense\nlayer = Dense(units=1)\n",
        (
            ("raises", "keras.layers.Dense(output_dim=1)"),
            ("runs", "keras.layers.Embedding(input_dim=10, output_dim=4)"),
        ),
    ),
    _R(
        "KN405",
        "init= on a layer",
        "error",
        "`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
        "kernel_initializer=",
        "03_sequential_models",
        "from keras.layers import Dense\nlayer = Dense(64, init='uniform')\n",
        "from keras.layers import Dense\nlayer = Dense(64, kernel_initializer='random_uniform')\n",
        (
            ("raises", "keras.layers.Dense(64, init='uniform')"),
            ("runs", "keras.layers.Dense(64, kernel_initializer='random_uniform')"),
        ),
    ),
    _R(
        "KN406",
        "border_mode=",
        "error",
        "`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
        "padding=",
        "14_upsampling_and_conv2dtranspose",
        "from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), border_mode='same')\n",
        "from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), padding='same')\n",
        (
            ("raises", "keras.layers.Conv2D(64, (3, 3), border_mode='same')"),
            ("runs", "keras.layers.Conv2D(64, (3, 3), padding='same')"),
        ),
    ),
    _R(
        "KN407",
        "dim_ordering=",
        "error",
        "`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
        "data_format='channels_last' or 'channels_first'",
        "02_core_concepts",
        "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), dim_ordering='th')\n",
        "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), data_format='channels_first')\n",
        (
            ("raises", "keras.layers.Conv2D(8, 3, dim_ordering='th')"),
            ("runs", "keras.layers.Conv2D(8, 3, data_format='channels_first')"),
        ),
    ),
    _R(
        "KN408",
        "Model(input=, output=)",
        "error",
        "`{old}` on Model raises ValueError (Unrecognized keyword arguments); write `{new}`",
        "keras.Model(inputs=..., outputs=...)",
        "04_functional_api",
        "from keras.models import Model\nm = Model(input=inp, output=out)\n",
        "from keras.models import Model\nm = Model(inputs=inp, outputs=out)\n",
        (
            ("raises", "keras.Model(input=keras.Input((2,)), output=None)"),
            ("exists", "keras.Model"),
        ),
    ),
    _R(
        "KN409",
        "BatchNormalization(mode=)",
        "error",
        "`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); {new}",
        "remove it: Keras 3 always normalises per feature along `axis`",
        "13_batchnorm_placement",
        "from keras.layers import BatchNormalization\nbn = BatchNormalization(mode=0, axis=1)\n",
        "from keras.layers import BatchNormalization\nbn = BatchNormalization(axis=1)\n",
        (
            ("raises", "keras.layers.BatchNormalization(mode=0)"),
            ("runs", "keras.layers.BatchNormalization(axis=1)"),
        ),
    ),
    _R(
        "KN410",
        "ReduceLROnPlateau(epsilon=)",
        "silent",
        "`{old}` on ReduceLROnPlateau is swallowed without a warning and has no effect; write `{new}`",
        "min_delta=",
        "23_callbacks",
        "from keras.callbacks import ReduceLROnPlateau\nr = ReduceLROnPlateau(monitor='val_loss', epsilon=0.01)\n",
        "from keras.callbacks import ReduceLROnPlateau\nr = ReduceLROnPlateau(monitor='val_loss', min_delta=0.01)\n",
        (
            ("true", "keras.callbacks.ReduceLROnPlateau(epsilon=0.01).min_delta == 1e-4"),
            ("true", "keras.callbacks.ReduceLROnPlateau(min_delta=0.01).min_delta == 0.01"),
        ),
    ),
    _R(
        "KN411",
        "ModelCheckpoint(period=)",
        "error",
        "`{old}` on ModelCheckpoint raises TypeError in Keras 3; {new}",
        "remove it (save_freq='epoch' is the default, or an integer number of batches)",
        "23_callbacks",
        "from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('best.keras', period=1)\n",
        "from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('best.keras', save_freq='epoch')\n",
        (
            ("raises", "keras.callbacks.ModelCheckpoint('best.keras', period=1)"),
            ("runs", "keras.callbacks.ModelCheckpoint('best.keras', save_freq='epoch')"),
        ),
    ),
    _R(
        "KN412",
        "workers/use_multiprocessing/max_queue_size on fit",
        "error",
        "`{old}` was removed from fit/evaluate/predict (TypeError or ValueError); pass it to `{new}`",
        "a keras.utils.PyDataset subclass: super().__init__(workers=..., use_multiprocessing=..., "
        "max_queue_size=...)",
        "12_generators_and_pydataset",
        "model.fit(seq, epochs=2, workers=4, use_multiprocessing=True)\n",
        "model.fit(seq, epochs=2)\n",
        (
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).fit(workers=2)",
            ),
            (
                "runs",
                "keras.utils.PyDataset(workers=2, use_multiprocessing=False, max_queue_size=10)",
            ),
        ),
    ),
    _R(
        "KN413",
        "other Keras 1 layer argument",
        "error",
        "`{old}` is a Keras 1 argument name (ValueError: Unrecognized keyword arguments); write `{new}`",
        "the Keras 2+ name",
        "03_sequential_models",
        "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), subsample=(2, 2), W_regularizer=None)\n",
        "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), strides=(2, 2), kernel_regularizer=None)\n",
        (
            ("raises", "keras.layers.Conv2D(8, 3, subsample=(2, 2))"),
            ("raises", "keras.layers.Dense(3, W_regularizer=None)"),
            ("runs", "keras.layers.Conv2D(8, 3, strides=(2, 2), kernel_regularizer=None)"),
        ),
    ),
    _R(
        "KN414",
        "Keras 1 Convolution2D(filters, rows, cols)",
        "silent",
        "`{old}`: the third positional argument of Conv2D is now `strides`, not the kernel's "
        "column count, so this runs with the wrong strides and kernel; write `{new}`",
        "Conv2D(filters, (rows, cols), ...)",
        "14_upsampling_and_conv2dtranspose",
        "from keras.layers import Convolution2D\nc = Convolution2D(64, 3, 3, padding='same')\n",
        "from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), padding='same')\n",
        (("true", "keras.layers.Conv2D(64, 3, 3).strides == (3, 3)"),),
    ),
    _R(
        "KN415",
        "to_categorical(dtype=)",
        "error",
        "`{old}`: to_categorical lost its dtype argument (TypeError) and returns float64; use `{new}`",
        "keras.utils.to_categorical(y, n).astype('float32')",
        "01_quickstart",
        "from keras.utils import to_categorical\ny = to_categorical(labels, 10, dtype='float32')\n",
        "from keras.utils import to_categorical\ny = to_categorical(labels, 10).astype('float32')\n",
        (
            ("raises", "keras.utils.to_categorical([1, 2], 3, dtype='float32')"),
            ("true", "keras.utils.to_categorical([1, 2], 3).dtype == 'float64'"),
        ),
    ),
    # ---- KN5xx: file names and saving
    _R(
        "KN501",
        "save_weights file name",
        "error",
        "`{old}`: Keras 3 save_weights raises ValueError unless the name ends in `.weights.h5`; "
        "write `{new}`",
        "model.save_weights('name.weights.h5')",
        "20_saving_and_loading",
        "model.save_weights('my_model_weights.h5')\n",
        "model.save_weights('my_model.weights.h5')\n",
        (
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save_weights('w.h5')",
            ),
        ),
    ),
    _R(
        "KN502",
        "load_weights(by_name=True)",
        "error",
        "`{old}`: by_name only works for legacy `.h5`/`.hdf5` files in Keras 3 (ValueError for "
        "`.weights.h5` and `.keras`); {new}",
        "load a legacy .h5 by name, or drop by_name (a .weights.h5 file is matched by structure; "
        "skip_mismatch=True skips layers whose shapes differ)",
        "21_load_model_pitfalls",
        "model.load_weights('my_model.weights.h5', by_name=True)\n",
        "model.load_weights('my_model.weights.h5')\n",
        (
            (
                "raises",
                "(m := keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])).save_weights('w.weights.h5') "
                "or m.load_weights('w.weights.h5', by_name=True)",
            ),
        ),
    ),
    _R(
        "KN503",
        "save_format=",
        "error",
        "`{old}` is gone in Keras 3: save_weights raises TypeError, save raises ValueError unless "
        "the path ends in .keras/.h5 (then it is only logged as deprecated); {new}",
        "the file extension chooses the format (.keras, .h5, .weights.h5); model.export(dir) "
        "writes a SavedModel",
        "20_saving_and_loading",
        "model.save('model.h5', save_format='h5')\n",
        "model.save('model.keras')\n",
        (
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save_weights('w.weights.h5', save_format='h5')",
            ),
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('folder', save_format='tf')",
            ),
            (
                "runs",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.keras', save_format='keras')",
            ),
        ),
    ),
    _R(
        "KN504",
        "save to a SavedModel folder",
        "error",
        "`{old}`: Keras 3 model.save needs a `.keras` (or legacy `.h5`) file name, SavedModel "
        "folders are gone (ValueError); use `{new}`",
        "model.save('name.keras'), or model.export('dir') for serving",
        "20_saving_and_loading",
        "model.save('my_model')\n",
        "model.save('my_model.keras')\n",
        (
            (
                "raises",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('folder')",
            ),
            ("exists", "keras.Model.export"),
        ),
    ),
    _R(
        "KN505",
        "ModelCheckpoint file name",
        "error",
        "`{old}`: Keras 3 ModelCheckpoint needs `.weights.h5` with save_weights_only=True and "
        "`.keras` (or `.h5`) otherwise (ValueError); write `{new}`",
        "'best.weights.h5' or 'best.keras'",
        "23_callbacks",
        "from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('w.h5', save_weights_only=True)\n",
        "from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('w.weights.h5', save_weights_only=True)\n",
        (
            ("raises", "keras.callbacks.ModelCheckpoint('w.h5', save_weights_only=True)"),
            ("raises", "keras.callbacks.ModelCheckpoint('m.hdf5')"),
            ("runs", "keras.callbacks.ModelCheckpoint('w.weights.h5', save_weights_only=True)"),
        ),
    ),
    # ---- KN6xx: metric names
    _R(
        "KN601",
        "'acc' / 'val_acc' metric names",
        "error",
        "`{old}`: with metrics=['accuracy'] Keras 3 logs `accuracy`/`val_accuracy`, so "
        "history[...] raises KeyError and a callback monitoring it raises ValueError at fit start "
        "(mode='auto') or only warns that the metric is not available; use `{new}`",
        "'accuracy' / 'val_accuracy'",
        "17_losses_optimizers_metrics",
        "import matplotlib.pyplot as plt\nplt.plot(history.history['acc'])\n",
        "import matplotlib.pyplot as plt\nplt.plot(history.history['accuracy'])\n",
        (
            (
                "true",
                "(m := keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')]))"
                ".compile('sgd', 'binary_crossentropy', metrics=['accuracy']) or sorted(m.fit("
                "np.zeros((4, 1)), np.zeros((4, 1)), verbose=0).history) == ['accuracy', 'loss']",
            ),
        ),
    ),
    # ---- KN7xx: TensorFlow 1.x
    _R(
        "KN701",
        "TF1 sessions, graphs and placeholders",
        "error",
        "`{old}` does not exist in TensorFlow 2 (AttributeError); {new}",
        "run eagerly (tf.function for speed), tf.Variable for state",
        "26_gradients_and_autodiff",
        "import tensorflow as tf\nwith tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n",
        "import tensorflow as tf\nv = tf.Variable(1.0)\nprint(v.numpy())\n",
        (
            ("missing", "tf.Session"),
            ("missing", "tf.global_variables_initializer"),
            ("missing", "tf.placeholder"),
            ("exists", "tf.function"),
        ),
    ),
    _R(
        "KN702",
        "tf.gfile",
        "error",
        "`{old}` moved in TensorFlow 2; use `{new}`",
        "tf.io.gfile",
        "24_pitfalls_faq",
        "import tensorflow as tf\ndata = tf.gfile.FastGFile('11.jpg', 'rb').read()\n",
        "import tensorflow as tf\ndata = tf.io.gfile.GFile('11.jpg', 'rb').read()\n",
        (("missing", "tf.gfile"), ("exists", "tf.io.gfile.GFile")),
    ),
    _R(
        "KN703",
        "tf.image.resize_images",
        "error",
        "`{old}` was renamed in TensorFlow 2; use `{new}`",
        "tf.image.resize (or keras.layers.Resizing inside a model)",
        "21_load_model_pitfalls",
        "import tensorflow as tf\ny = tf.image.resize_images(x, (64, 64))\n",
        "import tensorflow as tf\ny = tf.image.resize(x, (64, 64))\n",
        (
            ("missing", "tf.image.resize_images"),
            ("exists", "tf.image.resize"),
            ("exists", "keras.layers.Resizing"),
        ),
    ),
    _R(
        "KN704",
        "tf.layers",
        "error",
        "`{old}` is gone (tf.layers does not exist; tf.compat.v1.layers raises 'not available with "
        "Keras 3'); use `{new}`",
        "keras.layers (e.g. keras.layers.Conv2DTranspose)",
        "14_upsampling_and_conv2dtranspose",
        "import tensorflow as tf\ny = tf.layers.conv2d_transpose(x, 1, 3, strides=2, padding='same')\n",
        "import keras\ny = keras.layers.Conv2DTranspose(1, 3, strides=2, padding='same')(x)\n",
        (
            ("missing", "tf.layers"),
            ("raises", "tf.compat.v1.layers.dense"),
            ("exists", "keras.layers.Conv2DTranspose"),
        ),
    ),
    _R(
        "KN705",
        "tf.sparse_concat",
        "error",
        "`{old}` was renamed in TensorFlow 2; use `{new}`",
        "tf.sparse.concat",
        "10_concatenate_axes",
        "import tensorflow as tf\nz = tf.sparse_concat(axis, tensors)\n",
        "import tensorflow as tf\nz = tf.sparse.concat(axis, tensors)\n",
        (("missing", "tf.sparse_concat"), ("exists", "tf.sparse.concat")),
    ),
    _R(
        "KN706",
        "disabling eager execution",
        "error",
        "`{old}` switches TensorFlow back to graph mode, which Keras 3 does not support (fit raises "
        "RuntimeError); {new}",
        "remove it and use tf.GradientTape / tf.function",
        "26_gradients_and_autodiff",
        "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n",
        "import tensorflow as tf\nassert tf.executing_eagerly()\n",
        (("exists", "tf.compat.v1.disable_eager_execution"), ("exists", "tf.executing_eagerly")),
    ),
    _R(
        "KN707",
        "tf.contrib",
        "error",
        "`{old}`: tf.contrib was removed in TensorFlow 2; {new}",
        "use the core API, keras, or the successor package (e.g. tensorflow-addons' successors)",
        "24_pitfalls_faq",
        "import tensorflow as tf\nx = tf.contrib.layers.flatten(y)\n",
        "import keras\nx = keras.layers.Flatten()(y)\n",
        (("missing", "tf.contrib"),),
    ),
    _R(
        "KN708",
        "renamed TF1 op",
        "error",
        "`{old}` was removed in TensorFlow 2; use `{new}`",
        "its tf.math / tf.random / tf.linalg name",
        "26_gradients_and_autodiff",
        "import tensorflow as tf\ny = tf.log(tf.to_float(x))\n",
        "import tensorflow as tf\ny = tf.math.log(tf.cast(x, tf.float32))\n",
        (
            ("missing", "tf.log"),
            ("missing", "tf.to_float"),
            ("missing", "tf.random_normal"),
            ("exists", "tf.math.log"),
            ("exists", "tf.random.normal"),
            ("exists", "tf.random.set_seed"),
        ),
    ),
    _R(
        "KN709",
        "tf.train optimizers",
        "error",
        "`{old}` was removed in TensorFlow 2; use `{new}`",
        "keras.optimizers",
        "15_optimizers_and_lr_schedules",
        "import tensorflow as tf\nopt = tf.train.AdamOptimizer(1e-3)\n",
        "import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n",
        (("missing", "tf.train.AdamOptimizer"), ("missing", "tf.train.Saver")),
    ),
    _R(
        "KN710",
        "tf.app / tf.flags / tf.logging / tf.estimator",
        "error",
        "`{old}` was removed from TensorFlow 2; use `{new}`",
        "absl (app, flags, logging), Python's logging, or keras for estimators",
        "24_pitfalls_faq",
        "import tensorflow as tf\ntf.logging.set_verbosity(tf.logging.ERROR)\n",
        "import logging\nlogging.getLogger('tensorflow').setLevel(logging.ERROR)\n",
        (("missing", "tf.logging"), ("missing", "tf.flags"), ("missing", "tf.estimator")),
    ),
    # ---- KN9xx: deprecated, still works
    _R(
        "KN901",
        "tf.keras ImageDataGenerator",
        "deprecated",
        "`{old}` still works through tf.keras's legacy copy (not in standalone keras 3); prefer `{new}`",
        "keras.utils.image_dataset_from_directory + Rescaling/RandomRotation/... layers",
        "22_image_data_generator",
        "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n",
        "import keras\naugment = keras.layers.RandomRotation(0.1)\n",
        (
            ("exists", "tf.keras.preprocessing.image.ImageDataGenerator"),
            ("missing", "keras.preprocessing.image.ImageDataGenerator"),
        ),
    ),
    _R(
        "KN902",
        "tf.keras.backend legacy op",
        "deprecated",
        "`{old}` still exists in tf.keras.backend's legacy shim (TensorFlow backend only); use `{new}`",
        "keras.ops",
        "10_concatenate_axes",
        "import tensorflow as tf\nd = tf.keras.backend.concatenate([t1, t2], axis=-1)\n",
        "import keras\nd = keras.ops.concatenate([t1, t2], axis=-1)\n",
        (("exists", "tf.keras.backend.concatenate"), ("missing", "keras.backend.concatenate")),
    ),
    _R(
        "KN903",
        "saving to legacy HDF5",
        "deprecated",
        "`{old}` writes the legacy HDF5 format (Keras logs a warning; `.h5` saves also drop the "
        "optimizer); prefer `{new}`",
        "model.save('name.keras')",
        "20_saving_and_loading",
        "model.save('my_model.h5')\n",
        "model.save('my_model.keras')\n",
        (
            ("runs", "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.h5')"),
            (
                "runs",
                "keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('m.keras')",
            ),
        ),
    ),
    _R(
        "KN904",
        "keras.utils.Sequence",
        "deprecated",
        "`{old}` is now an alias of `{new}`; subclass it and call super().__init__(**kwargs)",
        "keras.utils.PyDataset",
        "12_generators_and_pydataset",
        "import keras\nclass Gen(keras.utils.Sequence):\n    pass\n",
        "import keras\nclass Gen(keras.utils.PyDataset):\n    pass\n",
        (("true", "keras.utils.Sequence is keras.utils.PyDataset"),),
    ),
    _R(
        "KN905",
        "input_shape= / input_dim= on a layer",
        "deprecated",
        "`{old}` on a layer still works but Keras 3 warns (UserWarning); start the model with `{new}`",
        "keras.Input(shape=...)",
        "03_sequential_models",
        "from keras.layers import Dense\nlayer = Dense(32, input_shape=(784,))\n",
        "import keras\nmodel = keras.Sequential([keras.Input((784,)), keras.layers.Dense(32)])\n",
        (
            ("warns", "keras.layers.Dense(32, input_shape=(784,))"),
            ("warns", "keras.layers.Dense(32, input_dim=784)"),
        ),
    ),
    _R(
        "KN906",
        "Embedding(input_length=)",
        "deprecated",
        "`{old}` is deprecated and ignored by Keras 3 (UserWarning); {new}",
        "remove it (give the length to keras.Input(shape=(length,)))",
        "25_sequences_and_text",
        "from keras.layers import Embedding\ne = Embedding(10000, 256, input_length=100)\n",
        "from keras.layers import Embedding\ne = Embedding(10000, 256)\n",
        (("warns", "keras.layers.Embedding(10, 4, input_length=5)"),),
    ),
    _R(
        "KN907",
        "tf.keras legacy text/sequence preprocessing",
        "deprecated",
        "`{old}` only exists in tf.keras's legacy preprocessing copy (not in standalone keras 3); "
        "use `{new}`",
        "keras.layers.TextVectorization / keras.utils.timeseries_dataset_from_array",
        "25_sequences_and_text",
        "from tensorflow.keras.preprocessing.text import Tokenizer\n",
        "import keras\nvectorize = keras.layers.TextVectorization(max_tokens=1000)\n",
        (
            ("exists", "tf.keras.preprocessing.text.Tokenizer"),
            ("missing", "keras.preprocessing.text"),
            ("exists", "keras.layers.TextVectorization"),
            ("exists", "keras.utils.timeseries_dataset_from_array"),
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# --------------------------------------------------------------------------- tables
# Paths are canonical: `tensorflow.keras.X` and `tf.keras.X` become `keras.X`,
# `tensorflow.X` becomes `tf.X`.

#: Old module (matched with everything below it) -> (rule id, the module that replaced it).
OLD_MODULES: dict[str, tuple[str, str]] = {
    **{
        f"keras.layers.{name}": ("KN101", "keras.layers")
        for name in (
            "core",
            "convolutional",
            "normalization",
            "recurrent",
            "embeddings",
            "pooling",
            "merge",
            "advanced_activations",
            "noise",
            "local",
            "wrappers",
            "cudnn_recurrent",
            "convolutional_recurrent",
            "normalization_v2",
            "recurrent_v2",
            "dense_attention",
        )
    },
    "keras.utils.np_utils": ("KN102", "keras.utils"),
    "keras.utils.vis_utils": ("KN103", "keras.utils"),
    "keras.wrappers.scikit_learn": ("KN104", "keras.wrappers"),
    "keras.utils.training_utils": ("KN105", "keras.utils"),
    "keras.engine": ("KN106", "keras.layers"),
    "keras.utils.generic_utils": ("KN106", "keras.utils"),
    "keras.utils.data_utils": ("KN106", "keras.utils"),
    "keras.utils.io_utils": ("KN106", "keras.utils"),
    "keras.utils.layer_utils": ("KN106", "keras.utils"),
    "keras.utils.conv_utils": ("KN106", "keras.utils"),
    "keras.layers.experimental.preprocessing": ("KN106", "keras.layers"),
    "keras.layers.experimental": ("KN106", "keras.layers"),
    "keras.objectives": ("KN106", "keras.losses"),
    "keras.optimizers.legacy": ("KN107", "keras.optimizers"),
}
#: `keras.layers.merge` is both an old module and (Keras 1) a function: KN101 covers the
#: import path `keras.layers.merge.X`; a bare `merge(...)` is KN203.

#: Old classes of keras.preprocessing: (rule under standalone keras, rule under tf.keras).
PREPROCESSING: dict[str, tuple[str, str]] = {
    "keras.preprocessing.image.ImageDataGenerator": ("KN108", "KN901"),
    "keras.preprocessing.image.DirectoryIterator": ("KN108", "KN901"),
    "keras.preprocessing.image.NumpyArrayIterator": ("KN108", "KN901"),
    "keras.preprocessing.sequence.TimeseriesGenerator": ("KN108", "KN907"),
    "keras.preprocessing.text": ("KN108", "KN907"),
}

#: Exact attribute paths -> (rule id, replacement).
OLD_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "keras.models.model_from_yaml": ("KN201", "keras.models.model_from_json"),
    "keras.saving.model_from_yaml": ("KN201", "keras.models.model_from_json"),
    "keras.utils.multi_gpu_model": ("KN202", "tf.distribute.MirroredStrategy"),
    "keras.utils.training_utils.multi_gpu_model": ("KN202", "tf.distribute.MirroredStrategy"),
    "keras.layers.merge": ("KN203", "keras.layers.concatenate / add / multiply ..."),
    "keras.layers.Merge": ("KN203", "keras.layers.Concatenate / Add / Multiply ..."),
    "keras.utils.Sequence": ("KN904", "keras.utils.PyDataset"),
}

#: The 14 public names of Keras 3.15's keras.backend (checked by the tests).
KERAS3_BACKEND = frozenset(
    "backend clear_session epsilon floatx get_uid image_data_format is_float_dtype "
    "is_int_dtype is_keras_tensor result_type set_epsilon set_floatx set_image_data_format "
    "standardize_dtype".split()
)
#: Names that tf.keras.backend still provides as a legacy shim (TF 2.21; checked by the tests).
TF_KERAS_BACKEND_SHIM = frozenset(
    "abs all any arange argmax argmin backend batch_dot batch_flatten batch_get_value "
    "batch_normalization batch_set_value bias_add binary_crossentropy binary_focal_crossentropy "
    "cast cast_to_floatx categorical_crossentropy categorical_focal_crossentropy clear_session "
    "clip concatenate constant conv1d conv2d conv2d_transpose conv3d cos count_params "
    "ctc_batch_cost ctc_decode ctc_label_dense_to_sparse cumprod cumsum depthwise_conv2d dot "
    "dropout dtype elu epsilon equal eval exp expand_dims eye flatten floatx foldl foldr gather "
    "get_uid get_value gradients greater greater_equal hard_sigmoid image_data_format in_top_k "
    "int_shape is_float_dtype is_int_dtype is_keras_tensor is_sparse l2_normalize less "
    "less_equal log map_fn max maximum mean min minimum moving_average_update name_scope ndim "
    "not_equal one_hot ones ones_like permute_dimensions pool2d pool3d pow prod random_bernoulli "
    "random_normal random_normal_variable random_uniform random_uniform_variable relu repeat "
    "repeat_elements reshape resize_images resize_volumes result_type reverse rnn round "
    "separable_conv2d set_epsilon set_floatx set_image_data_format set_value shape sigmoid sign "
    "sin softmax softplus softsign sparse_categorical_crossentropy spatial_2d_padding "
    "spatial_3d_padding sqrt square squeeze stack standardize_dtype std stop_gradient sum switch "
    "tanh temporal_padding tile to_dense transpose truncated_normal update update_add update_sub "
    "var variable zeros zeros_like".split()
)
#: keras.backend names with a specific rule -> (rule id, replacement).
BACKEND_SPECIAL: dict[str, tuple[str, str]] = {
    "gradients": ("KN301", "tf.GradientTape"),
    "function": ("KN302", "keras.Model(inputs, outputs)"),
    "image_dim_ordering": ("KN303", "keras.config.image_data_format()"),
    "set_image_dim_ordering": ("KN303", "keras.config.set_image_data_format(...)"),
    "set_session": ("KN304", "nothing: there is no session to set"),
    "get_session": ("KN304", "nothing: there is no session; call the model eagerly"),
    "placeholder": ("KN304", "keras.Input(shape=...)"),
    "learning_phase": ("KN304", "the training= argument of a layer's call"),
    "set_learning_phase": ("KN304", "the training= argument of a layer's call"),
    "tensorflow_backend": ("KN304", "keras.ops and tf.* directly"),
}
#: keras.backend name -> its keras.* replacement when it is not keras.ops.<same name>.
BACKEND_REPLACEMENTS: dict[str, str] = {
    "variable": "keras.Variable",
    "eval": "keras.ops.convert_to_numpy",
    "get_value": "keras.ops.convert_to_numpy (or variable.numpy())",
    "set_value": "variable.assign(value)",
    "batch_get_value": "[keras.ops.convert_to_numpy(v) for v in variables]",
    "batch_set_value": "variable.assign(value) for each pair",
    "int_shape": "tuple(x.shape)",
    "resize_images": "keras.ops.image.resize(..., interpolation='nearest') or keras.layers.UpSampling2D",
    "switch": "keras.ops.where",
    "pow": "keras.ops.power",
    "std": "keras.ops.std",
    "var": "keras.ops.var",
    "dot": "keras.ops.dot",
    "batch_flatten": "keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))",
    "permute_dimensions": "keras.ops.transpose",
    "repeat_elements": "keras.ops.repeat",
    "random_normal": "keras.random.normal",
    "random_uniform": "keras.random.uniform",
    "truncated_normal": "keras.random.truncated_normal",
    "count_params": "layer.count_params()",
    "l2_normalize": "keras.utils.normalize or keras.ops.normalize",
    "set_epsilon": "keras.config.set_epsilon",
    "set_floatx": "keras.config.set_floatx",
}

#: TensorFlow 1 attributes (canonical `tf.` paths) -> (rule id, replacement).
TF1_ATTRIBUTES: dict[str, tuple[str, str]] = {
    **{
        f"tf.{name}": ("KN701", repl)
        for name, repl in {
            "Session": "eager execution (call the function, read .numpy())",
            "InteractiveSession": "eager execution",
            "global_variables_initializer": "nothing: tf.Variable is initialised when created",
            "local_variables_initializer": "nothing: variables are initialised when created",
            "initialize_all_variables": "nothing: variables are initialised when created",
            "placeholder": "a function argument, or keras.Input(shape=...)",
            "placeholder_with_default": "a function argument with a default",
            "reset_default_graph": "keras.utils.clear_session()",
            "get_default_graph": "tf.function (there is no default graph to fetch)",
            "ConfigProto": "tf.config (e.g. tf.config.experimental.set_memory_growth)",
            "GPUOptions": "tf.config.experimental.set_memory_growth",
            "get_variable": "tf.Variable",
            "variable_scope": "tf.name_scope or keras layers",
            "global_variables": "model.variables",
            "trainable_variables": "model.trainable_variables",
            "assign": "variable.assign(value)",
            "Print": "tf.print",
            "train.Saver": "tf.train.Checkpoint or model.save_weights('x.weights.h5')",
            "summary.FileWriter": "tf.summary.create_file_writer",
        }.items()
    },
    "tf.gfile": ("KN702", "tf.io.gfile"),
    "tf.gfile.FastGFile": ("KN702", "tf.io.gfile.GFile"),
    "tf.gfile.GFile": ("KN702", "tf.io.gfile.GFile"),
    "tf.gfile.Open": ("KN702", "tf.io.gfile.GFile"),
    "tf.gfile.Exists": ("KN702", "tf.io.gfile.exists"),
    "tf.gfile.MakeDirs": ("KN702", "tf.io.gfile.makedirs"),
    "tf.gfile.Glob": ("KN702", "tf.io.gfile.glob"),
    "tf.image.resize_images": ("KN703", "tf.image.resize"),
    "tf.image.resize_bilinear": ("KN703", "tf.image.resize(..., method='bilinear')"),
    "tf.image.resize_nearest_neighbor": ("KN703", "tf.image.resize(..., method='nearest')"),
    "tf.layers": ("KN704", "keras.layers"),
    "tf.compat.v1.layers": ("KN704", "keras.layers"),
    "tf.sparse_concat": ("KN705", "tf.sparse.concat"),
    "tf.compat.v1.disable_eager_execution": ("KN706", "eager execution (the default)"),
    "tf.compat.v1.disable_v2_behavior": ("KN706", "eager execution (the default)"),
    "tf.disable_eager_execution": ("KN706", "eager execution (the default)"),
    "tf.contrib": ("KN707", "the core API or keras"),
    **{
        f"tf.{old}": ("KN708", new)
        for old, new in {
            "log": "tf.math.log",
            "to_float": "tf.cast(x, tf.float32)",
            "to_int32": "tf.cast(x, tf.int32)",
            "to_int64": "tf.cast(x, tf.int64)",
            "random_normal": "tf.random.normal",
            "random_uniform": "tf.random.uniform",
            "truncated_normal": "tf.random.truncated_normal",
            "set_random_seed": "tf.random.set_seed",
            "squared_difference": "tf.math.squared_difference",
            "div": "tf.math.divide",
            "arg_max": "tf.math.argmax",
            "arg_min": "tf.math.argmin",
            "matrix_inverse": "tf.linalg.inv",
            "sparse_tensor_to_dense": "tf.sparse.to_dense",
            "enable_eager_execution": "nothing: eager is the default",
        }.items()
    },
    **{
        f"tf.train.{name}": ("KN709", f"keras.optimizers.{new}")
        for name, new in {
            "GradientDescentOptimizer": "SGD",
            "MomentumOptimizer": "SGD(momentum=...)",
            "AdamOptimizer": "Adam",
            "AdagradOptimizer": "Adagrad",
            "AdadeltaOptimizer": "Adadelta",
            "RMSPropOptimizer": "RMSprop",
            "FtrlOptimizer": "Ftrl",
        }.items()
    },
    "tf.app": ("KN710", "absl.app"),
    "tf.flags": ("KN710", "absl.flags"),
    "tf.logging": ("KN710", "absl.logging or logging"),
    "tf.estimator": ("KN710", "keras models"),
}

#: Keras optimizer class names (keras.optimizers.<name>).
OPTIMIZERS = frozenset(
    "SGD RMSprop Adam Adagrad Adadelta Adamax Nadam Ftrl AdamW Lion Lamb Muon Adafactor Loss".split()
) - {"Loss"}

#: Layer class names a snippet may use without importing them (only when the name is
#: neither imported nor defined in the file).
KNOWN_LAYERS = frozenset(
    "Dense Activation Dropout Flatten Reshape Permute RepeatVector Lambda Masking Embedding "
    "Conv1D Conv2D Conv3D Convolution1D Convolution2D Convolution3D Conv2DTranspose "
    "Conv3DTranspose Deconvolution2D SeparableConv2D DepthwiseConv2D AtrousConvolution2D "
    "MaxPooling1D MaxPooling2D MaxPooling3D MaxPool1D MaxPool2D AveragePooling1D "
    "AveragePooling2D GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D "
    "GlobalMaxPooling2D UpSampling1D UpSampling2D ZeroPadding2D Cropping2D LSTM GRU SimpleRNN "
    "ConvLSTM2D BatchNormalization LayerNormalization TimeDistributed Bidirectional "
    "LeakyReLU PReLU ELU GaussianNoise GaussianDropout SpatialDropout2D Input".split()
)
#: Keyword renames of Keras 1 layer arguments (KN413); init/output_dim/border_mode/
#: dim_ordering have their own rules.
KERAS1_LAYER_KWARGS: dict[str, str] = {
    "subsample": "strides",
    "subsample_length": "strides",
    "nb_filter": "filters",
    "nb_row": "kernel_size",
    "nb_col": "kernel_size",
    "filter_length": "kernel_size",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "consume_less": "implementation",
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
    "atrous_rate": "dilation_rate",
    "pool_length": "pool_size",
    "stride": "strides",
}
#: Bare names a snippet may call without importing them -> canonical path.
BARE_DEFAULTS: dict[str, str] = {
    **{name: f"keras.optimizers.{name}" for name in OPTIMIZERS},
    **{name: f"keras.layers.{name}" for name in KNOWN_LAYERS},
    "Model": "keras.Model",
    "Sequential": "keras.Sequential",
    "ModelCheckpoint": "keras.callbacks.ModelCheckpoint",
    "ReduceLROnPlateau": "keras.callbacks.ReduceLROnPlateau",
    "EarlyStopping": "keras.callbacks.EarlyStopping",
    "to_categorical": "keras.utils.to_categorical",
    "ImageDataGenerator": "keras.preprocessing.image.ImageDataGenerator",
    "tf": "tensorflow",
    "K": "keras.backend",
    "keras": "keras",
}
