"""Look inside a model: intermediate activations and filter visualisation.

The notes built both with ``K.function`` and ``K.gradients``, which Keras 3 no
longer has (and ``tf.gradients`` refuses to run in eager mode). The modern forms:

- :func:`activation_model`: a ``keras.Model`` from the model's input to the
  outputs of chosen layers (``model.predict`` then gives the feature maps);
- :func:`visualize_filter`: gradient ascent on the input image with
  ``tf.GradientTape`` to find what makes one filter fire (TensorFlow backend).

Importing this module does not import Keras or TensorFlow.

Example:
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, name="c")])
    >>> activation_model(model, "c").predict(np.zeros((1, 8, 8, 1)), verbose=0).shape
    (1, 6, 6, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from kerasnotes._validation import check_int, check_real

__all__ = ["DeadFilterError", "activation_model", "deprocess_image", "visualize_filter"]


class DeadFilterError(ValueError):
    """The chosen filter gives zero activation and zero gradient: there is nothing to ascend."""


def _check_model(model: Any, where: str) -> Any:
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"{where}: model must be a keras.Model; received {type(model).__name__}")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError) as exc:
        inputs = None
        reason = str(exc)
    else:
        reason = "it has no inputs"
    if not inputs:
        raise ValueError(
            f"{where}: the model has no defined input yet ({reason}). Start a Sequential with "
            "keras.Input(shape), or call the model on data once, before inspecting it."
        )
    return keras


def _model_input(model: Any) -> Any:
    # ``model.input`` fails on a Sequential that was never called; ``inputs`` works.
    inputs = model.inputs
    return inputs[0] if len(inputs) == 1 else inputs


def _get_layer(model: Any, name: Any, where: str) -> Any:
    if not isinstance(name, str):
        raise TypeError(f"{where}: layer names must be strings; received {name!r}")
    names = [layer.name for layer in model.layers]
    if name not in names:
        raise ValueError(f"{where}: the model has no layer named {name!r}; its layers are {names}")
    return model.get_layer(name)


def activation_model(model: Any, layer_names: str | Sequence[str] | None = None) -> Any:
    """Build a model that returns the outputs of some layers of ``model``.

    This replaces the notes' ``K.function([model.input], [layer.output])``.

    Args:
        model: A functional or ``Sequential`` Keras model with a defined input.
        layer_names: One layer name (the new model has one output), a list of
            names (a list of outputs, in that order), or ``None`` for every layer
            except input layers.

    Returns:
        A ``keras.Model`` sharing ``model``'s weights, from ``model.input`` to the
        chosen outputs.

    Raises:
        TypeError: ``model`` is not a Keras model, or a name is not a string.
        ValueError: An unknown layer name (the message lists the model's layers),
            an empty list, or a model without a defined input.

    Example:
        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="a"),
        ...                           keras.layers.Dense(2, name="b")])
        >>> outs = activation_model(model).predict(np.ones((5, 4)), verbose=0)
        >>> [o.shape for o in outs]
        [(5, 3), (5, 2)]
    """
    keras = _check_model(model, "activation_model")
    if layer_names is None:
        layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
        outputs: Any = [layer.output for layer in layers]
    elif isinstance(layer_names, str):
        outputs = _get_layer(model, layer_names, "activation_model").output
    else:
        if not isinstance(layer_names, Sequence) or not layer_names:
            raise ValueError(
                "activation_model: layer_names must be a layer name, a non-empty list of "
                f"names, or None; received {layer_names!r}"
            )
        outputs = [_get_layer(model, n, "activation_model").output for n in layer_names]
    return keras.Model(inputs=_model_input(model), outputs=outputs)


def deprocess_image(x: Any) -> np.ndarray:
    """Turn a float image into displayable uint8, as the notes' ``produce_img`` did.

    Centre on 0, scale to std 0.1, shift to 0.5, clip to [0, 1], times 255.

    Args:
        x: An array-like image of any float range.

    Returns:
        A uint8 array of the same shape.

    Example:
        >>> deprocess_image(np.array([[-1.0, 0.0, 1.0]]))
        array([[ 96, 127, 158]], dtype=uint8)
    """
    x = np.array(x, dtype=np.float64)
    x = x - x.mean()
    x = x / (x.std() + 1e-5)
    x = np.clip(x * 0.1 + 0.5, 0.0, 1.0)
    return np.asarray(x * 255, dtype=np.uint8)


def visualize_filter(
    model: Any,
    layer_name: str,
    filter_index: int,
    size: tuple[int, int] = (64, 64),
    steps: int = 20,
    step_size: float = 1.0,
    seed: int = 0,
    *,
    return_history: bool = False,
) -> Any:
    """Find an input image that makes one convolution filter fire, by gradient ascent.

    The notes' recipe in eager TensorFlow: start from a grey noise image
    (``128 + 20 * uniform``), and for ``steps`` steps add ``step_size`` times the
    RMS-normalised gradient of the filter's mean activation with respect to the
    image, computed with ``tf.GradientTape``. The result goes through
    :func:`deprocess_image`.

    Args:
        model: A Keras model with channels-last image input ``(H, W, C)``.
        layer_name: A layer whose output is 4-D ``(batch, h, w, filters)``.
        filter_index: Which filter (channel) of that layer, ``0 <= i < filters``.
        size: ``(height, width)`` of the image; must equal the model's input size
            when the model fixes it.
        steps: Number of ascent steps (>= 1).
        step_size: Multiplier of the normalised gradient (> 0).
        seed: Seed of the starting noise.
        return_history: Also return the filter's mean activation before each step.

    Returns:
        A uint8 image ``(H, W, C)``; with ``return_history=True``, the tuple
        ``(image, activations)`` where ``activations`` lists the mean activation
        before each step (``steps`` floats, fewer if the gradient vanished midway).

    Raises:
        RuntimeError: The Keras backend is not TensorFlow (``tf.GradientTape`` is needed).
        TypeError: ``model`` is not a Keras model, or ``steps``/``step_size`` is not a number.
        ValueError: Unknown layer (lists the layers), a layer whose output is not
            4-D, ``size`` that does not match the model, bad ``steps``/``step_size``.
        IndexError: ``filter_index`` outside ``0..filters-1``.
        DeadFilterError: (a ``ValueError``) the filter's activation and gradient
            are exactly zero for the starting image, e.g. a dead ReLU filter with
            random weights: try another filter or a trained model.

    Example:
        >>> import keras
        >>> keras.utils.set_random_seed(0)
        >>> model = keras.Sequential([keras.Input((16, 16, 3)),
        ...                           keras.layers.Conv2D(4, 3, activation="relu", name="conv")])
        >>> img, acts = visualize_filter(model, "conv", 1, size=(16, 16), steps=5,
        ...                              return_history=True)
        >>> img.shape, img.dtype, acts[-1] > acts[0]
        ((16, 16, 3), dtype('uint8'), True)
    """
    keras = _check_model(model, "visualize_filter")
    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "visualize_filter uses tf.GradientTape and needs the TensorFlow backend; the "
            f"current Keras backend is {keras.backend.backend()!r}. Set KERAS_BACKEND=tensorflow "
            "before importing keras."
        )
    import tensorflow as tf

    layer = _get_layer(model, layer_name, "visualize_filter")
    out_shape = tuple(layer.output.shape)
    if len(out_shape) != 4:
        raise ValueError(
            f"visualize_filter: layer {layer_name!r} outputs shape {out_shape}; a 4-D "
            "(batch, height, width, filters) output of a convolution layer is needed."
        )
    if getattr(layer, "data_format", "channels_last") == "channels_first":
        raise ValueError(
            f"visualize_filter: layer {layer_name!r} is channels_first; only channels_last "
            "models are supported."
        )
    n_filters = out_shape[-1]
    filter_index = check_int("filter_index", filter_index, where="visualize_filter")
    if not 0 <= filter_index < n_filters:
        raise IndexError(
            f"visualize_filter: filter_index must be an int in 0..{n_filters - 1} (layer "
            f"{layer_name!r} has {n_filters} filters); received {filter_index!r}"
        )
    model_input = _model_input(model)
    if isinstance(model_input, list):
        raise ValueError(
            f"visualize_filter: the model has {len(model_input)} inputs; one image input is needed."
        )
    in_shape = tuple(model_input.shape)
    if len(in_shape) != 4:
        raise ValueError(
            f"visualize_filter: the model input has shape {in_shape}; an image input "
            "(batch, height, width, channels) is needed."
        )
    if (
        not isinstance(size, (tuple, list))
        or len(size) != 2
        or not all(isinstance(s, (int, np.integer)) and s > 0 for s in size)
    ):
        raise ValueError(f"visualize_filter: size must be (height, width) ints; received {size!r}")
    for axis, (want, fixed) in enumerate(zip(size, in_shape[1:3], strict=True)):
        if fixed is not None and fixed != want:
            raise ValueError(
                f"visualize_filter: the model takes {in_shape[1]}x{in_shape[2]} images but "
                f"size={tuple(size)} (axis {axis}); pass size=({in_shape[1]}, {in_shape[2]})."
            )
    steps = check_int("steps", steps, minimum=1, where="visualize_filter")
    step_size = check_real("step_size", step_size, positive=True, where="visualize_filter")
    channels = in_shape[3] if in_shape[3] is not None else 3

    extractor = keras.Model(inputs=model_input, outputs=layer.output)
    rng = np.random.default_rng(seed)
    start = rng.random((1, int(size[0]), int(size[1]), channels)) * 20 + 128.0
    image = tf.Variable(start.astype("float32"))
    history: list[float] = []
    for step in range(steps):
        with tf.GradientTape() as tape:
            activation = tf.reduce_mean(extractor(image)[..., filter_index])
        grads = tape.gradient(activation, image)
        value = float(activation)
        history.append(value)
        grad_rms = float(tf.sqrt(tf.reduce_mean(tf.square(grads)))) if grads is not None else 0.0
        if not np.isfinite(value) or not np.isfinite(grad_rms):
            raise ValueError(
                f"visualize_filter: the activation became {value} (gradient RMS {grad_rms}) at "
                f"step {step}; lower step_size."
            )
        if grad_rms == 0.0:
            if step == 0:
                raise DeadFilterError(
                    f"visualize_filter: filter {filter_index} of layer {layer_name!r} has "
                    f"activation {value} and a zero gradient for the starting image (a 'dead' "
                    "filter, common for ReLU filters with random or untrained weights): there is "
                    "nothing to ascend. Try another filter_index or a trained model."
                )
            break  # converged into a flat region; keep the image reached so far
        image.assign_add(grads / (grad_rms + 1e-5) * float(step_size))
    result = deprocess_image(image.numpy()[0])
    return (result, history) if return_history else result
