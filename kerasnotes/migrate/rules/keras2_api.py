"""Generated: the Keras 2 public API compared with Keras 3 (data only; do not edit).

Source: the ``keras/`` sources of the Keras 2.2.4, 2.3.1 sdists on PyPI, read with
``ast`` (never imported), compared with the installed Keras 3.15.1 by
``python -m kerasnotes.migrate.build_tables``. Each entry cites the Keras 2 file
and definition it came from; ``tests/test_migrate_tables.py`` re-checks every entry
against the installed Keras.

Example:
    >>> DEFAULT_CHANGES[('keras.optimizers.Adadelta', 'learning_rate')].keras2
    1.0
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CHANGES", "KERAS3_VERSION", "REMOVED_NAMES", "DefaultChange", "RemovedName"]

KERAS3_VERSION = "3.15.1"


@dataclass(frozen=True)
class DefaultChange:
    """A default that differs: Keras 2 value, Keras 3 value, where it was read."""

    keras2: object
    keras3: object
    position: int  # where a positional argument gives it in Keras 2 (-1: keyword only)
    versions: str
    source: str
    later: tuple[tuple[str, object], ...] = ()  # (release, its value) if not keras2

    def keras2_in(self, release: str) -> object:
        """The Keras 2 default in ``release`` (one of ``versions``)."""
        return dict(self.later).get(release, self.keras2)


@dataclass(frozen=True)
class RemovedName:
    """A Keras 2 public name missing from Keras 3 (and its Keras 3 spelling, if any)."""

    versions: str
    source: str
    replacement: str = ""


D = DefaultChange
R = RemovedName
DEFAULT_CHANGES: dict[tuple[str, str], DefaultChange] = {
    ("keras.layers.ConvLSTM2D", "recurrent_activation"): D(
        "hard_sigmoid",
        "sigmoid",
        7,
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/convolutional_recurrent.py, ConvLSTM2D.__init__(recurrent_activation='hard_sigmoid')",
    ),
    ("keras.layers.GRU", "recurrent_activation"): D(
        "hard_sigmoid",
        "sigmoid",
        2,
        "2.2.4",
        "Keras 2.2.4 keras/layers/recurrent.py, GRU.__init__(recurrent_activation='hard_sigmoid')",
    ),
    ("keras.layers.GRU", "reset_after"): D(
        False,
        True,
        22,
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/recurrent.py, GRU.__init__(reset_after=False)",
    ),
    ("keras.layers.GRUCell", "recurrent_activation"): D(
        "hard_sigmoid",
        "sigmoid",
        2,
        "2.2.4",
        "Keras 2.2.4 keras/layers/recurrent.py, GRUCell.__init__(recurrent_activation='hard_sigmoid')",
    ),
    ("keras.layers.GRUCell", "reset_after"): D(
        False,
        True,
        16,
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/recurrent.py, GRUCell.__init__(reset_after=False)",
    ),
    ("keras.layers.LSTM", "recurrent_activation"): D(
        "hard_sigmoid",
        "sigmoid",
        2,
        "2.2.4",
        "Keras 2.2.4 keras/layers/recurrent.py, LSTM.__init__(recurrent_activation='hard_sigmoid')",
    ),
    ("keras.layers.LSTMCell", "recurrent_activation"): D(
        "hard_sigmoid",
        "sigmoid",
        2,
        "2.2.4",
        "Keras 2.2.4 keras/layers/recurrent.py, LSTMCell.__init__(recurrent_activation='hard_sigmoid')",
    ),
    ("keras.losses.KLDivergence", "name"): D(
        "kullback_leibler_divergence",
        "kl_divergence",
        1,
        "2.3.1",
        "Keras 2.3.1 keras/losses.py, KLDivergence.__init__(name='kullback_leibler_divergence')",
    ),
    ("keras.losses.LogCosh", "name"): D(
        "logcosh",
        "log_cosh",
        1,
        "2.3.1",
        "Keras 2.3.1 keras/losses.py, LogCosh.__init__(name='logcosh')",
    ),
    ("keras.metrics.KLDivergence", "name"): D(
        "kullback_leibler_divergence",
        "kl_divergence",
        0,
        "2.3.1",
        "Keras 2.3.1 keras/metrics.py, KLDivergence.__init__(name='kullback_leibler_divergence')",
    ),
    ("keras.optimizers.Adadelta", "learning_rate"): D(
        1.0, 0.001, 0, "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adadelta.__init__(lr=1.0)"
    ),
    ("keras.optimizers.Adagrad", "learning_rate"): D(
        0.01, 0.001, 0, "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adagrad.__init__(lr=0.01)"
    ),
    ("keras.optimizers.Adamax", "learning_rate"): D(
        0.002, 0.001, 0, "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adamax.__init__(lr=0.002)"
    ),
    ("keras.optimizers.Nadam", "learning_rate"): D(
        0.002, 0.001, 0, "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Nadam.__init__(lr=0.002)"
    ),
    ("keras.regularizers.l1_l2", "l1"): D(
        0.01, 0.0, 0, "2.2.4 2.3.1", "Keras 2.2.4 keras/regularizers.py, l1_l2.__init__(l1=0.01)"
    ),
    ("keras.regularizers.l1_l2", "l2"): D(
        0.01, 0.0, 1, "2.2.4 2.3.1", "Keras 2.2.4 keras/regularizers.py, l1_l2.__init__(l2=0.01)"
    ),
    ("keras.utils.Progbar", "width"): D(
        30,
        20,
        1,
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/utils/generic_utils.py, Progbar.__init__(width=30)",
    ),
    ("keras.utils.model_to_dot", "dpi"): D(
        96, 200, 5, "2.3.1", "Keras 2.3.1 keras/utils/vis_utils.py, model_to_dot.__init__(dpi=96)"
    ),
    ("keras.utils.plot_model", "dpi"): D(
        96, 200, 6, "2.3.1", "Keras 2.3.1 keras/utils/vis_utils.py, plot_model.__init__(dpi=96)"
    ),
    ("keras.utils.plot_model", "show_layer_names"): D(
        True,
        False,
        3,
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/utils/vis_utils.py, plot_model.__init__(show_layer_names=True)",
    ),
}
REMOVED_NAMES: dict[str, RemovedName] = {
    "keras.callbacks.BaseLogger": R("2.2.4 2.3.1", "Keras 2.2.4 keras/callbacks.py, BaseLogger"),
    "keras.constraints.maxnorm": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/constraints.py, MaxNorm", "keras.constraints.MaxNorm"
    ),
    "keras.constraints.nonneg": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/constraints.py, NonNeg", "keras.constraints.NonNeg"
    ),
    "keras.constraints.unitnorm": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/constraints.py, UnitNorm", "keras.constraints.UnitNorm"
    ),
    "keras.initializers.normal": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/initializers.py, RandomNormal",
        "keras.initializers.RandomNormal",
    ),
    "keras.initializers.one": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/initializers.py, Ones", "keras.initializers.Ones"
    ),
    "keras.initializers.uniform": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/initializers.py, RandomUniform",
        "keras.initializers.RandomUniform",
    ),
    "keras.initializers.zero": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/initializers.py, Zeros", "keras.initializers.Zeros"
    ),
    "keras.layers.AtrousConv1D": R(
        "2.2.4",
        "Keras 2.2.4 keras/legacy/layers.py, AtrousConvolution1D",
        "keras.layers.Conv1D(dilation_rate=...)",
    ),
    "keras.layers.AtrousConv2D": R(
        "2.2.4",
        "Keras 2.2.4 keras/legacy/layers.py, AtrousConvolution2D",
        "keras.layers.Conv2D(dilation_rate=...)",
    ),
    "keras.layers.AtrousConvolution1D": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/legacy/layers.py, AtrousConvolution1D",
        "keras.layers.Conv1D(dilation_rate=...)",
    ),
    "keras.layers.AtrousConvolution2D": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/legacy/layers.py, AtrousConvolution2D",
        "keras.layers.Conv2D(dilation_rate=...)",
    ),
    "keras.layers.ConvLSTM2DCell": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/layers/convolutional_recurrent.py, ConvLSTM2DCell"
    ),
    "keras.layers.ConvRNN2D": R(
        "2.2.4", "Keras 2.2.4 keras/layers/convolutional_recurrent.py, ConvRNN2D"
    ),
    "keras.layers.ConvRecurrent2D": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/legacy/layers.py, ConvRecurrent2D"
    ),
    "keras.layers.CuDNNGRU": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/cudnn_recurrent.py, CuDNNGRU",
        "keras.layers.GRU (uses cuDNN when it can; reset_after=True)",
    ),
    "keras.layers.CuDNNLSTM": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/cudnn_recurrent.py, CuDNNLSTM",
        "keras.layers.LSTM (uses cuDNN when it can)",
    ),
    "keras.layers.Deconv2D": R(
        "2.2.4",
        "Keras 2.2.4 keras/layers/convolutional.py, Conv2DTranspose",
        "keras.layers.Conv2DTranspose",
    ),
    "keras.layers.Deconv3D": R(
        "2.2.4",
        "Keras 2.2.4 keras/layers/convolutional.py, Conv3DTranspose",
        "keras.layers.Conv3DTranspose",
    ),
    "keras.layers.Deconvolution2D": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/convolutional.py, Conv2DTranspose",
        "keras.layers.Conv2DTranspose",
    ),
    "keras.layers.Deconvolution3D": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/convolutional.py, Conv3DTranspose",
        "keras.layers.Conv3DTranspose",
    ),
    "keras.layers.Highway": R("2.2.4 2.3.1", "Keras 2.2.4 keras/legacy/layers.py, Highway"),
    "keras.layers.LocallyConnected1D": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/layers/local.py, LocallyConnected1D"
    ),
    "keras.layers.LocallyConnected2D": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/layers/local.py, LocallyConnected2D"
    ),
    "keras.layers.MaxoutDense": R("2.2.4 2.3.1", "Keras 2.2.4 keras/legacy/layers.py, MaxoutDense"),
    "keras.layers.Recurrent": R("2.2.4 2.3.1", "Keras 2.2.4 keras/legacy/layers.py, Recurrent"),
    "keras.layers.ThresholdedReLU": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/layers/advanced_activations.py, ThresholdedReLU",
        "keras.layers.ReLU(threshold=...)",
    ),
    "keras.losses.KLD": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, kullback_leibler_divergence",
        "keras.losses.kl_divergence",
    ),
    "keras.losses.LossFunctionWrapper": R(
        "2.3.1", "Keras 2.3.1 keras/losses.py, LossFunctionWrapper"
    ),
    "keras.losses.MAE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_error",
        "keras.losses.mean_absolute_error",
    ),
    "keras.losses.MAPE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_percentage_error",
        "keras.losses.mean_absolute_percentage_error",
    ),
    "keras.losses.MSE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_error",
        "keras.losses.mean_squared_error",
    ),
    "keras.losses.MSLE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_logarithmic_error",
        "keras.losses.mean_squared_logarithmic_error",
    ),
    "keras.losses.cosine": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, cosine_proximity",
        "keras.losses.cosine_similarity (its sign is flipped)",
    ),
    "keras.losses.cosine_proximity": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, cosine_proximity",
        "keras.losses.cosine_similarity (its sign is flipped)",
    ),
    "keras.losses.huber_loss": R("2.3.1", "Keras 2.3.1 keras/losses.py, huber_loss"),
    "keras.losses.is_categorical_crossentropy": R(
        "2.3.1", "Keras 2.3.1 keras/losses.py, is_categorical_crossentropy"
    ),
    "keras.losses.kld": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, kullback_leibler_divergence",
        "keras.losses.kl_divergence",
    ),
    "keras.losses.kullback_leibler_divergence": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, kullback_leibler_divergence",
        "keras.losses.kl_divergence",
    ),
    "keras.losses.logcosh": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/losses.py, logcosh", "keras.losses.log_cosh"
    ),
    "keras.losses.mae": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_error",
        "keras.losses.mean_absolute_error",
    ),
    "keras.losses.mape": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_percentage_error",
        "keras.losses.mean_absolute_percentage_error",
    ),
    "keras.losses.mse": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_error",
        "keras.losses.mean_squared_error",
    ),
    "keras.losses.msle": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_logarithmic_error",
        "keras.losses.mean_squared_logarithmic_error",
    ),
    "keras.metrics.MAE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_error",
        "keras.metrics.mean_absolute_error",
    ),
    "keras.metrics.MAPE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_percentage_error",
        "keras.metrics.mean_absolute_percentage_error",
    ),
    "keras.metrics.MSE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_error",
        "keras.metrics.mean_squared_error",
    ),
    "keras.metrics.MSLE": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_logarithmic_error",
        "keras.metrics.mean_squared_logarithmic_error",
    ),
    "keras.metrics.Reduce": R("2.3.1", "Keras 2.3.1 keras/metrics.py, Reduce"),
    "keras.metrics.SensitivitySpecificityBase": R(
        "2.3.1", "Keras 2.3.1 keras/metrics.py, SensitivitySpecificityBase"
    ),
    "keras.metrics.accuracy": R("2.3.1", "Keras 2.3.1 keras/metrics.py, accuracy"),
    "keras.metrics.clone_metric": R("2.3.1", "Keras 2.3.1 keras/metrics.py, clone_metric"),
    "keras.metrics.clone_metrics": R("2.3.1", "Keras 2.3.1 keras/metrics.py, clone_metrics"),
    "keras.metrics.cosine": R("2.2.4 2.3.1", "Keras 2.2.4 keras/losses.py, cosine_proximity"),
    "keras.metrics.cosine_proximity": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, cosine_proximity",
        "keras.metrics.CosineSimilarity",
    ),
    "keras.metrics.cosine_similarity": R("2.3.1", "Keras 2.3.1 keras/metrics.py, cosine_proximity"),
    "keras.metrics.kullback_leibler_divergence": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, kullback_leibler_divergence",
        "keras.losses.kl_divergence",
    ),
    "keras.metrics.logcosh": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/losses.py, logcosh", "keras.losses.log_cosh"
    ),
    "keras.metrics.mae": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_error",
        "keras.metrics.mean_absolute_error",
    ),
    "keras.metrics.mape": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_absolute_percentage_error",
        "keras.metrics.mean_absolute_percentage_error",
    ),
    "keras.metrics.mse": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_error",
        "keras.metrics.mean_squared_error",
    ),
    "keras.metrics.msle": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/losses.py, mean_squared_logarithmic_error",
        "keras.metrics.mean_squared_logarithmic_error",
    ),
    "keras.models.Input": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/engine/input_layer.py, Input", "keras.Input"
    ),
    "keras.models.InputLayer": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/engine/input_layer.py, InputLayer",
        "keras.layers.InputLayer",
    ),
    "keras.models.model_from_config": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/engine/saving.py, model_from_config",
        "keras.models.model_from_json / keras.saving.deserialize_keras_object",
    ),
    "keras.models.model_from_yaml": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/engine/saving.py, model_from_yaml"
    ),
    "keras.optimizers.TFOptimizer": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, TFOptimizer"
    ),
    "keras.optimizers.adadelta": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adadelta", "keras.optimizers.Adadelta"
    ),
    "keras.optimizers.adagrad": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adagrad", "keras.optimizers.Adagrad"
    ),
    "keras.optimizers.adam": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adam", "keras.optimizers.Adam"
    ),
    "keras.optimizers.adamax": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Adamax", "keras.optimizers.Adamax"
    ),
    "keras.optimizers.clip_norm": R("2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, clip_norm"),
    "keras.optimizers.nadam": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, Nadam", "keras.optimizers.Nadam"
    ),
    "keras.optimizers.rmsprop": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, RMSprop", "keras.optimizers.RMSprop"
    ),
    "keras.optimizers.sgd": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/optimizers.py, SGD", "keras.optimizers.SGD"
    ),
    "keras.preprocessing.image.DataFrameIterator": R(
        "2.3.1", "Keras 2.3.1 keras/preprocessing/image.py, DataFrameIterator"
    ),
    "keras.preprocessing.image.DirectoryIterator": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/preprocessing/image.py, DirectoryIterator"
    ),
    "keras.preprocessing.image.ImageDataGenerator": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/preprocessing/image.py, ImageDataGenerator"
    ),
    "keras.preprocessing.image.Iterator": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/preprocessing/image.py, Iterator"
    ),
    "keras.preprocessing.image.NumpyArrayIterator": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/preprocessing/image.py, NumpyArrayIterator"
    ),
    "keras.preprocessing.sequence.TimeseriesGenerator": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/preprocessing/sequence.py, TimeseriesGenerator"
    ),
    "keras.utils.GeneratorEnqueuer": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/utils/data_utils.py, GeneratorEnqueuer"
    ),
    "keras.utils.H5Dict": R("2.3.1", "Keras 2.3.1 keras/utils/io_utils.py, H5Dict"),
    "keras.utils.HDF5Matrix": R(
        "2.2.4 2.3.1",
        "Keras 2.2.4 keras/utils/io_utils.py, HDF5Matrix",
        "numpy arrays or tf.data (read the file with h5py)",
    ),
    "keras.utils.OrderedEnqueuer": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/utils/data_utils.py, OrderedEnqueuer"
    ),
    "keras.utils.convert_all_kernels_in_model": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/utils/layer_utils.py, convert_all_kernels_in_model"
    ),
    "keras.utils.h5dict": R("2.2.4", "Keras 2.2.4 keras/utils/io_utils.py, H5Dict"),
    "keras.utils.multi_gpu_model": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/utils/multi_gpu_utils.py, multi_gpu_model"
    ),
    "keras.utils.print_summary": R(
        "2.2.4 2.3.1", "Keras 2.2.4 keras/utils/layer_utils.py, print_summary", "model.summary()"
    ),
}
