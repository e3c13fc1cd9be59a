"""KN4xx: arguments that Keras 3 renamed or removed.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("import keras\\nm = keras.Model(input=a, output=b)\\n")]
    ['KN408', 'KN408']
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kerasnotes.migrate.context import OPTIMIZERS, Context, kw, unparse
from kerasnotes.migrate.cst_helpers import (
    code_of,
    dotted_name,
    find_keyword,
    keyword_arg,
    with_args,
)
from kerasnotes.migrate.model import Claim, Detector, Finding, Fix, Fixer, Rule

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = [
    "FIT_LIKE",
    "KERAS1_LAYER_KWARGS",
    "RULES",
    "layer_call",
    "layer_keyword",
    "method_call",
    "optimizer_call",
]

#: Model methods that take ``epochs`` and the data-loading options.
FIT_LIKE = frozenset(
    {"fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator"}
)
#: Keras 2's lower-case optimizer aliases (``keras.optimizers.rmsprop``), gone in Keras 3.
LOWERCASE_OPTIMIZERS = frozenset("sgd rmsprop adagrad adadelta adam adamax nadam".split())
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


def optimizer_call(context: Context, call: ast.Call) -> str | None:
    """The optimizer class name a call builds (``SGD``, ``rmsprop``), else None."""
    path = context.call_path(call)
    if not path or not path.startswith("keras.optimizers."):
        return None
    name = path.rsplit(".", 1)[-1]
    legacy = path.startswith("keras.optimizers.legacy.")
    return name if name in OPTIMIZERS or name in LOWERCASE_OPTIMIZERS or legacy else None


def layer_call(context: Context, call: ast.Call) -> str | None:
    """The layer class name a call builds (``Dense``), else None."""
    path = context.call_path(call)
    if not path or not path.startswith("keras.layers."):
        return None
    name = path.rsplit(".", 1)[-1]
    return name if name[:1].isupper() else None


def method_call(context: Context, call: ast.Call) -> str | None:
    """The method name of ``obj.method(...)`` on some object (not a module), else None."""
    func = call.func
    if isinstance(func, ast.Attribute) and not context.is_module(func.value):
        return func.attr
    return None


def layer_keyword(
    names: dict[str, str], *, only: frozenset[str] | None = None, skip: frozenset[str] = frozenset()
) -> Detector:
    """A detector for keyword ``k`` of ``names`` (value: replacement, "" = the rule's) on a layer.

    Args:
        names: Keyword -> replacement.
        only: Only these layer classes.
        skip: Never these layer classes.
    """

    def detect(context: Context, node: ast.Call, rule: Rule) -> None:
        layer = layer_call(context, node)
        if layer is None or layer in skip or (only is not None and layer not in only):
            return
        for keyword in node.keywords:
            if keyword.arg in names:
                shown = f"{layer}({keyword.arg}=...)" if only else f"{keyword.arg}="
                context.report(keyword, rule, shown, names[keyword.arg] or None)

    return detect


def _optimizer_keyword(name: str) -> Detector:
    def detect(context: Context, node: ast.Call, rule: Rule) -> None:
        keyword = kw(node, name)
        if keyword is not None and optimizer_call(context, node):
            context.report(keyword, rule, f"{name}=")

    return detect


def _fit_keyword(names: frozenset[str]) -> Detector:
    def detect(context: Context, node: ast.Call, rule: Rule) -> None:
        method = method_call(context, node)
        if method not in FIT_LIKE:
            return
        for keyword in node.keywords:
            if keyword.arg in names:
                shown = "nb_epoch=" if keyword.arg == "nb_epoch" else f"{method}({keyword.arg}=...)"
                context.report(keyword, rule, shown)

    return detect


def _call_keyword(paths: frozenset[str], names: tuple[str, ...], shown: str = "{}=") -> Detector:
    def detect(context: Context, node: ast.Call, rule: Rule) -> None:
        if context.call_path(node) not in paths:
            return
        for keyword in node.keywords:
            if keyword.arg in names:
                context.report(keyword, rule, shown.format(keyword.arg))

    return detect


def _model_input(context: Context, node: ast.Call, rule: Rule) -> None:
    if context.call_path(node) in ("keras.Model", "keras.models.Model"):
        for keyword in node.keywords:
            if keyword.arg in ("input", "output"):
                context.report(keyword, rule, f"{keyword.arg}=", f"{keyword.arg}s=")


def _conv2d_rows_cols(context: Context, node: ast.Call, rule: Rule) -> None:
    if layer_call(context, node) in ("Conv2D", "Convolution2D") and len(node.args) >= 3:
        if not any(isinstance(a, (ast.Tuple, ast.List, ast.Starred)) for a in node.args[1:3]):
            context.report(node, rule, unparse(node.func) + "(filters, rows, cols)")


def _to_categorical_dtype(context: Context, node: ast.Call, rule: Rule) -> None:
    keyword = kw(node, "dtype")
    if keyword is not None and context.call_path(node) == "keras.utils.to_categorical":
        context.report(keyword, rule, "to_categorical(..., dtype=...)")


# --------------------------------------------------------------------------- fixes


def _rename_keyword(renames: Mapping[str, str], values: Mapping[str, str] | None = None) -> Fixer:
    """A fix renaming the finding's ``old=`` argument to ``renames[old]=``.

    ``values`` also renames a string value (Keras 1's ``init='uniform'``).
    """

    def fix(finding: Finding, node: libcst.CSTNode) -> libcst.Arg | None:
        import libcst as cst

        if not isinstance(node, cst.Arg) or node.keyword is None:
            return None
        old = node.keyword.value
        if old not in renames:
            return None
        value = node.value
        if isinstance(value, cst.SimpleString) and values:
            text = value.evaluated_value
            if isinstance(text, str) and text in values:
                quote = value.value[len(value.prefix)]
                value = cst.SimpleString(f"{value.prefix}{quote}{values[text]}{quote}")
        return node.with_changes(keyword=cst.Name(renames[old]), value=value)

    return fix


KN401 = Rule(
    id="KN401",
    title="optimizer lr=",
    severity="error",
    template="`{old}` on an optimizer raises ValueError in Keras 3 (Argument(s) not recognized); write `{new}`",
    replacement="learning_rate=",
    lesson="15_optimizers_and_lr_schedules",
    bad="from keras.optimizers import SGD\nsgd = SGD(lr=0.01, momentum=0.9)\n",
    good="from keras.optimizers import SGD\nsgd = SGD(learning_rate=0.01, momentum=0.9)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.optimizers.SGD(lr=0.01)",
            error="ValueError",
            match="Argument\\(s\\) not recognized: \\{'lr'",
        ),
        Claim(
            kind="raises",
            expr="keras.optimizers.Adam(lr=1e-5)",
            error="ValueError",
            match="Argument\\(s\\) not recognized: \\{'lr'",
        ),
        Claim(kind="runs", expr="keras.optimizers.SGD(learning_rate=0.01)"),
    ),
    fix=Fix(
        safety="safe",
        title="rename lr= to learning_rate=",
        apply=_rename_keyword({"lr": "learning_rate"}),
    ),
    nodes=(ast.Call,),
    detect=_optimizer_keyword("lr"),
)


def _keras2_rate(optimizer: str) -> str | None:
    """The Keras 2 default learning rate of ``optimizer`` (a class or lowercase alias)."""
    import inspect

    import keras

    from kerasnotes.migrate.rules.silent import OPTIMIZER_RATES

    names = {n.lower(): n for n in dir(keras.optimizers)}
    name = names.get(optimizer.lower())
    if name is None:
        return None
    if name in OPTIMIZER_RATES:  # changed since Keras 2: the Keras 2 value
        return repr(OPTIMIZER_RATES[name][0])
    default = inspect.signature(getattr(keras.optimizers, name)).parameters.get("learning_rate")
    if default is None or not isinstance(default.default, (int, float)):
        return None
    return repr(default.default)  # unchanged since Keras 2 (else it would be in the table)


def _decay_schedule(finding: Finding, node: libcst.CSTNode) -> libcst.Call | None:
    """KN402: ``SGD(lr, decay=d)`` -> ``SGD(learning_rate=InverseTimeDecay(lr, 1, d))``.

    Keras 2 used ``lr / (1 + decay * iterations)`` at each step; ``InverseTimeDecay``
    with ``decay_steps=1`` (not staircase) computes the same. ``decay=0`` is dropped.
    """
    import libcst as cst

    if not isinstance(node, cst.Call):
        return None
    decay = find_keyword(node, "decay")
    name = dotted_name(node.func)
    if decay is None or name is None:
        return None
    others = [a for a in node.args if a is not decay]
    if isinstance(decay.value, (cst.Integer, cst.Float)) and float(decay.value.value) == 0:
        return with_args(node, others)
    rate = find_keyword(node, "learning_rate", "lr")
    if rate is None and others and others[0].keyword is None and others[0].star == "":
        rate = others[0]
    if rate is not None and rate.star:
        return None
    rate_code = code_of(rate.value) if rate is not None else _keras2_rate(name.rsplit(".", 1)[-1])
    if rate_code is None:
        return None
    schedule = cst.parse_expression(
        f"keras.optimizers.schedules.InverseTimeDecay({rate_code}, decay_steps=1, "
        f"decay_rate={code_of(decay.value)})"
    )
    if rate is None:
        return with_args(node, [*others, keyword_arg("learning_rate", schedule)])
    keyword = cst.Name("learning_rate") if rate.keyword is not None else None
    new_rate = rate.with_changes(value=schedule, keyword=keyword)
    return with_args(node, [new_rate if a is rate else a for a in others])


KN402 = Rule(
    id="KN402",
    title="optimizer decay=",
    severity="silent",
    template="`{old}` on an optimizer is ignored by Keras 3 (only a UserWarning); the rate no longer "
    "decays. Use `{new}`",
    replacement="learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)",
    lesson="15_optimizers_and_lr_schedules",
    bad="from keras.optimizers import SGD\nsgd = SGD(learning_rate=0.01, decay=1e-6)\n",
    good="import keras\nsched = keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6)\n"
    "sgd = keras.optimizers.SGD(learning_rate=sched)\n",
    checks=(
        Claim(kind="warns", expr="keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)"),
        Claim(kind="runs", expr="keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6)"),
    ),
    # unsafe: a schedule replaces the float rate (optimizer.learning_rate is no longer settable)
    fix=Fix(
        safety="unsafe",
        title="move the rate into an InverseTimeDecay schedule (Keras 2's lr / (1 + decay * step))",
        apply_to_call=_decay_schedule,
    ),
    nodes=(ast.Call,),
    detect=_optimizer_keyword("decay"),
)


KN403 = Rule(
    id="KN403",
    title="nb_epoch=",
    severity="error",
    template="`{old}` is Keras 1; fit() raises TypeError (unexpected keyword argument). Write `{new}`",
    replacement="epochs=",
    lesson="03_sequential_models",
    bad="model.fit(x, y, nb_epoch=5)\n",
    good="model.fit(x, y, epochs=5)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).fit(nb_epoch=1)",
            error="TypeError",
            match="unexpected keyword argument 'nb_epoch'",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="rename nb_epoch= to epochs=",
        apply=_rename_keyword({"nb_epoch": "epochs"}),
    ),
    nodes=(ast.Call,),
    detect=_fit_keyword(frozenset({"nb_epoch"})),
)


KN404 = Rule(
    id="KN404",
    title="output_dim= on a layer",
    severity="error",
    template="`{old}` is Keras 1 (Dense/LSTM raise TypeError: missing 'units'); write `{new}`",
    replacement="units=",
    lesson="03_sequential_models",
    bad="from keras.layers import Dense\nlayer = Dense(output_dim=1, input_dim=1)\n",
    good="from keras.layers import Dense\nlayer = Dense(units=1)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.Dense(1, output_dim=1)",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Dense: \\{'output_dim'",
        ),
        Claim(kind="runs", expr="keras.layers.Embedding(input_dim=10, output_dim=4)"),
    ),
    fix=Fix(
        safety="safe",
        title="rename output_dim= to units=",
        apply=_rename_keyword({"output_dim": "units"}),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({"output_dim": ""}, skip=frozenset({"Embedding"})),
)


KN405 = Rule(
    id="KN405",
    title="init= on a layer",
    severity="error",
    template="`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
    replacement="kernel_initializer=",
    lesson="03_sequential_models",
    bad="from keras.layers import Dense\nlayer = Dense(64, init='uniform')\n",
    good="from keras.layers import Dense\nlayer = Dense(64, kernel_initializer='random_uniform')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.Dense(64, init='uniform')",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Dense: \\{'init'",
        ),
        Claim(kind="runs", expr="keras.layers.Dense(64, kernel_initializer='random_uniform')"),
    ),
    fix=Fix(
        safety="safe",
        title="rename init= to kernel_initializer= (and uniform/normal to random_uniform/random_normal)",
        apply=_rename_keyword(
            {"init": "kernel_initializer"}, {"uniform": "random_uniform", "normal": "random_normal"}
        ),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({"init": ""}),
)


KN406 = Rule(
    id="KN406",
    title="border_mode=",
    severity="error",
    template="`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
    replacement="padding=",
    lesson="14_upsampling_and_conv2dtranspose",
    bad="from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), border_mode='same')\n",
    good="from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), padding='same')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.Conv2D(64, (3, 3), border_mode='same')",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Conv2D: \\{'border_mode'",
        ),
        Claim(kind="runs", expr="keras.layers.Conv2D(64, (3, 3), padding='same')"),
    ),
    fix=Fix(
        safety="safe",
        title="rename border_mode= to padding=",
        apply=_rename_keyword({"border_mode": "padding"}),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({"border_mode": ""}),
)


KN407 = Rule(
    id="KN407",
    title="dim_ordering=",
    severity="error",
    template="`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); write `{new}`",
    replacement="data_format='channels_last' or 'channels_first'",
    lesson="02_core_concepts",
    bad="from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), dim_ordering='th')\n",
    good="from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), data_format='channels_first')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.Conv2D(8, 3, dim_ordering='th')",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Conv2D: \\{'dim_ordering'",
        ),
        Claim(kind="runs", expr="keras.layers.Conv2D(8, 3, data_format='channels_first')"),
    ),
    fix=Fix(
        safety="safe",
        title="rename dim_ordering= to data_format= (and th/tf to channels_first/channels_last)",
        apply=_rename_keyword(
            {"dim_ordering": "data_format"}, {"th": "channels_first", "tf": "channels_last"}
        ),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({"dim_ordering": ""}),
)


KN408 = Rule(
    id="KN408",
    title="Model(input=, output=)",
    severity="error",
    template="`{old}` on Model raises ValueError (Unrecognized keyword arguments); write `{new}`",
    replacement="keras.Model(inputs=..., outputs=...)",
    lesson="04_functional_api",
    bad="from keras.models import Model\nm = Model(input=inp, output=out)\n",
    good="from keras.models import Model\nm = Model(inputs=inp, outputs=out)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Model(input=(i := keras.Input((2,))), outputs=keras.layers.Dense(1)(i))",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Model: \\{'input'",
        ),
        Claim(kind="exists", expr="keras.Model"),
    ),
    fix=Fix(
        safety="safe",
        title="rename input=/output= to inputs=/outputs=",
        apply=_rename_keyword({"input": "inputs", "output": "outputs"}),
    ),
    nodes=(ast.Call,),
    detect=_model_input,
)


KN409 = Rule(
    id="KN409",
    title="BatchNormalization(mode=)",
    severity="error",
    template="`{old}` is Keras 1 (ValueError: Unrecognized keyword arguments); {new}",
    replacement="remove it: Keras 3 always normalises per feature along `axis`",
    lesson="13_batchnorm_placement",
    bad="from keras.layers import BatchNormalization\nbn = BatchNormalization(mode=0, axis=1)\n",
    good="from keras.layers import BatchNormalization\nbn = BatchNormalization(axis=1)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.BatchNormalization(mode=0)",
            error="ValueError",
            match="Unrecognized keyword arguments passed to BatchNormalization: \\{'mode'",
        ),
        Claim(kind="runs", expr="keras.layers.BatchNormalization(axis=1)"),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({"mode": ""}, only=frozenset({"BatchNormalization"})),
)


KN410 = Rule(
    id="KN410",
    title="ReduceLROnPlateau(epsilon=)",
    severity="silent",
    template="`{old}` on ReduceLROnPlateau is swallowed without a warning and has no effect; write `{new}`",
    replacement="min_delta=",
    lesson="23_callbacks",
    bad="from keras.callbacks import ReduceLROnPlateau\nr = ReduceLROnPlateau(monitor='val_loss', epsilon=0.01)\n",
    good="from keras.callbacks import ReduceLROnPlateau\nr = ReduceLROnPlateau(monitor='val_loss', min_delta=0.01)\n",
    checks=(
        Claim(
            kind="true", expr="keras.callbacks.ReduceLROnPlateau(epsilon=0.01).min_delta == 1e-4"
        ),
        Claim(
            kind="true", expr="keras.callbacks.ReduceLROnPlateau(min_delta=0.01).min_delta == 0.01"
        ),
    ),
    fix=Fix(
        safety="safe",
        title="rename epsilon= to min_delta=",
        apply=_rename_keyword({"epsilon": "min_delta"}),
    ),
    nodes=(ast.Call,),
    detect=_call_keyword(frozenset({"keras.callbacks.ReduceLROnPlateau"}), ("epsilon",)),
)


KN411 = Rule(
    id="KN411",
    title="ModelCheckpoint(period=)",
    severity="error",
    template="`{old}` on ModelCheckpoint raises TypeError in Keras 3; {new}",
    replacement="remove it (save_freq='epoch' is the default, or an integer number of batches)",
    lesson="23_callbacks",
    bad="from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('best.keras', period=1)\n",
    good="from keras.callbacks import ModelCheckpoint\ncb = ModelCheckpoint('best.keras', save_freq='epoch')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.callbacks.ModelCheckpoint('best.keras', period=1)",
            error="TypeError",
            match="unexpected keyword argument 'period'",
        ),
        Claim(kind="runs", expr="keras.callbacks.ModelCheckpoint('best.keras', save_freq='epoch')"),
    ),
    nodes=(ast.Call,),
    detect=_call_keyword(frozenset({"keras.callbacks.ModelCheckpoint"}), ("period",)),
)


_FIT_LOADING = ("workers", "use_multiprocessing", "max_queue_size")


def _drop_loading_keyword(finding: Finding, node: libcst.CSTNode) -> libcst.RemovalSentinel | None:
    """KN412: drop ``workers=`` and friends (Keras 3 takes them on a ``PyDataset``)."""
    import libcst as cst

    if isinstance(node, cst.Arg) and node.keyword is not None:
        if node.keyword.value in _FIT_LOADING:
            return cst.RemovalSentinel.REMOVE
    return None


KN412 = Rule(
    id="KN412",
    title="workers/use_multiprocessing/max_queue_size on fit",
    severity="error",
    template="`{old}` was removed from fit/evaluate/predict (TypeError or ValueError); pass it to `{new}`",
    replacement="a keras.utils.PyDataset subclass: super().__init__(workers=..., use_multiprocessing=..., "
    "max_queue_size=...)",
    lesson="12_generators_and_pydataset",
    bad="model.fit(seq, epochs=2, workers=4, use_multiprocessing=True)\n",
    good="model.fit(seq, epochs=2)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).fit(workers=2)",
            error="TypeError",
            match="unexpected keyword argument 'workers'",
        ),
        Claim(
            kind="runs",
            expr="keras.utils.PyDataset(workers=2, use_multiprocessing=False, max_queue_size=10)",
        ),
    ),
    fix=Fix(
        safety="safe",
        title="drop workers=, use_multiprocessing=, max_queue_size=",
        apply=_drop_loading_keyword,
    ),
    nodes=(ast.Call,),
    detect=_fit_keyword(frozenset({"workers", "use_multiprocessing", "max_queue_size"})),
)


KN413 = Rule(
    id="KN413",
    title="other Keras 1 layer argument",
    severity="error",
    template="`{old}` is a Keras 1 argument name (ValueError: Unrecognized keyword arguments); write `{new}`",
    replacement="the Keras 2+ name",
    lesson="03_sequential_models",
    bad="from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), subsample=(2, 2), W_regularizer=None)\n",
    good="from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), strides=(2, 2), kernel_regularizer=None)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.Conv2D(8, 3, subsample=(2, 2))",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Conv2D: \\{'subsample'",
        ),
        Claim(
            kind="raises",
            expr="keras.layers.Dense(3, W_regularizer=None)",
            error="ValueError",
            match="Unrecognized keyword arguments passed to Dense: \\{'W_regularizer'",
        ),
        Claim(
            kind="runs", expr="keras.layers.Conv2D(8, 3, strides=(2, 2), kernel_regularizer=None)"
        ),
    ),
    fix=Fix(
        safety="safe",
        title="rename to the Keras 2+ argument (nb_row/nb_col: by hand)",
        apply=_rename_keyword(
            {
                old: new
                for old, new in KERAS1_LAYER_KWARGS.items()
                if old not in ("nb_row", "nb_col")
            }
        ),
    ),
    nodes=(ast.Call,),
    detect=layer_keyword({old: f"{new}=" for old, new in KERAS1_LAYER_KWARGS.items()}),
)


KN414 = Rule(
    id="KN414",
    title="Keras 1 Convolution2D(filters, rows, cols)",
    severity="silent",
    template="`{old}`: the third positional argument of Conv2D is now `strides`, not the kernel's "
    "column count, so this runs with the wrong strides and kernel; write `{new}`",
    replacement="Conv2D(filters, (rows, cols), ...)",
    lesson="14_upsampling_and_conv2dtranspose",
    bad="from keras.layers import Convolution2D\nc = Convolution2D(64, 3, 3, padding='same')\n",
    good="from keras.layers import Conv2D\nc = Conv2D(64, (3, 3), padding='same')\n",
    checks=(Claim(kind="true", expr="keras.layers.Conv2D(64, 3, 3).strides == (3, 3)"),),
    nodes=(ast.Call,),
    detect=_conv2d_rows_cols,
)


KN415 = Rule(
    id="KN415",
    title="to_categorical(dtype=)",
    severity="error",
    template="`{old}`: to_categorical lost its dtype argument (TypeError) and returns float64; use `{new}`",
    replacement="keras.utils.to_categorical(y, n).astype('float32')",
    lesson="01_quickstart",
    bad="from keras.utils import to_categorical\ny = to_categorical(labels, 10, dtype='float32')\n",
    good="from keras.utils import to_categorical\ny = to_categorical(labels, 10).astype('float32')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.utils.to_categorical([1, 2], 3, dtype='float32')",
            error="TypeError",
            match="unexpected keyword argument 'dtype'",
        ),
        Claim(kind="true", expr="keras.utils.to_categorical([1, 2], 3).dtype == 'float64'"),
    ),
    nodes=(ast.Call,),
    detect=_to_categorical_dtype,
)


KN416 = Rule(
    id="KN416",
    title="batch_size= / batch_input_shape= on a layer",
    severity="error",
    template="`{old}` on a layer was removed (ValueError: unrecognized keyword arguments); use `{new}`",
    replacement="keras.Input(shape=..., batch_size=...) as the model's input",
    lesson="25_sequences_and_text",
    bad="from keras.layers import LSTM\nlayer = LSTM(20, input_shape=(1, 1), batch_size=1, stateful=True)\n",
    good="import keras\ninputs = keras.Input(shape=(1, 1), batch_size=1)\n"
    "layer = keras.layers.LSTM(20, stateful=True)\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.layers.LSTM(2, batch_size=1)",
            error="ValueError",
            match="Unrecognized keyword arguments",
        ),
        Claim(
            kind="raises",
            expr="keras.layers.Dense(2, batch_input_shape=(1, 3))",
            error="ValueError",
            match="Unrecognized keyword arguments",
        ),
        Claim(kind="runs", expr="keras.Input(shape=(1, 1), batch_size=1)"),
    ),  # fmt: skip
    nodes=(ast.Call,),
    detect=layer_keyword({"batch_size": "", "batch_input_shape": ""}),
)


KN417 = Rule(
    id="KN417",
    title="removed TensorBoard arguments",
    severity="error",
    template="`{old}`: Keras 3's TensorBoard has no such argument (TypeError); {new}",
    replacement="remove it (histograms come from histogram_freq=, embeddings from embeddings_freq=)",
    lesson="23_callbacks",
    bad="from keras.callbacks import TensorBoard\ntb = TensorBoard(log_dir='logs', batch_size=32, write_grads=True)\n",
    good="from keras.callbacks import TensorBoard\ntb = TensorBoard(log_dir='logs')\n",
    checks=(
        Claim(
            kind="raises",
            expr="keras.callbacks.TensorBoard(batch_size=32)",
            error="TypeError",
            match="unexpected keyword argument 'batch_size'",
        ),
        Claim(
            kind="raises",
            expr="keras.callbacks.TensorBoard(write_grads=True)",
            error="TypeError",
            match="unexpected keyword argument 'write_grads'",
        ),
        Claim(
            kind="raises",
            expr="keras.callbacks.TensorBoard(embeddings_layer_names=['a'])",
            error="TypeError",
            match="unexpected keyword argument 'embeddings_layer_names'",
        ),
    ),  # fmt: skip
    nodes=(ast.Call,),
    detect=_call_keyword(
        frozenset({"keras.callbacks.TensorBoard"}),
        ("batch_size", "write_grads", "embeddings_layer_names", "embeddings_data"),
        "TensorBoard({}=...)",
    ),
)


RULES = (
    KN401,
    KN402,
    KN403,
    KN404,
    KN405,
    KN406,
    KN407,
    KN408,
    KN409,
    KN410,
    KN411,
    KN412,
    KN413,
    KN414,
    KN415,
    KN416,
    KN417,
)
