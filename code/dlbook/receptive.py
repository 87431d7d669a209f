"""Receptive fields of a chain of Keras layers: which input pixels each unit sees."""

from typing import NamedTuple

import keras
import numpy as np

__all__ = ["receptive_field", "ReceptiveField", "ReceptiveFields"]

_L = keras.layers
# Layers that change neither the grid nor what a unit sees. Dense on a 4-D
# tensor acts on each pixel's channels (a 1x1 convolution); on a flat one it
# comes after Flatten or global pooling, whose one unit already sees it all.
# BatchNormalization as at inference (in training its batch statistics mix pixels).
_SAME_GRID = (_L.Activation, _L.ReLU, _L.LeakyReLU, _L.ELU, _L.PReLU,
              _L.BatchNormalization, _L.Dropout, _L.SpatialDropout2D, _L.GaussianNoise,
              _L.Rescaling, _L.Dense)
_WINDOWS = (_L.Conv2D, _L.MaxPooling2D, _L.AveragePooling2D)
_WHOLE = (_L.Flatten, _L.GlobalMaxPooling2D, _L.GlobalAveragePooling2D)
_SUPPORTED = ", ".join(c.__name__ for c in _WINDOWS + _WHOLE + _SAME_GRID)


class ReceptiveField(NamedTuple):
    """One layer's receptive field; every pair is (rows, cols), in input pixels.

    Attributes
    ----------
    name, kind : str
        The layer's name and class name.
    size : (int, int)
        Height and width of the field of one unit (a bounding box: with
        dilation it has holes; it may hang over the border into padding).
    jump : (int, int)
        Distance between the fields of neighbouring units; (0, 0) once the
        layer has a single unit that sees all (Flatten, global pooling, Dense).
    start : (float, float)
        Input coordinate of the centre of the first unit's field (pixel
        ``i`` is at ``i``); ends in .5 for even sizes, negative with padding.
    units : (int, int)
        The layer's grid of units.
    covers_input : bool
        Whether every input pixel reaches some unit of the layer (counting
        the pixels each unit really reads, holes left out).
    """

    name: str
    kind: str
    size: tuple
    jump: tuple
    start: tuple
    units: tuple
    covers_input: bool

    def cells(self):
        """The row as strings, in the order of ``ReceptiveFields.header``."""
        return (self.name, self.kind, _pair(self.size), _pair(self.jump),
                f"{self.start[0]:g}, {self.start[1]:g}", _pair(self.units),
                "yes" if self.covers_input else "no")

    def __repr__(self):
        name, kind, size, jump, start, units, covers = self.cells()
        return (f"ReceptiveField({name}: {kind}, size {size}, jump {jump}, start ({start}), "
                f"units {units}, covers input: {covers})")


class ReceptiveFields(list):
    """A list of ``ReceptiveField`` rows that prints as a table."""

    header = ("layer", "kind", "size", "jump", "start", "units", "covers input")

    def __repr__(self):
        lines = [self.header] + [row.cells() for row in self]
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.header))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip()
                         for line in lines)


def _pair(v):
    return f"{v[0]:g}×{v[1]:g}"


class _Axis(NamedTuple):
    """What a layer's units see along one axis (rows or cols)."""

    size: int
    jump: int
    start: float
    units: int
    reach: np.ndarray  # reach[u, x]: input pixel x reaches unit u (bool)


def _window(axis, k, s, d, padding):
    """The axis after a window of ``k`` taps ``d`` apart, moved by ``s``."""
    k_eff = (k - 1) * d + 1
    n = axis.units
    if padding == "valid":
        units, before = (n - k_eff) // s + 1, 0
    else:  # "same", as TensorFlow pads: the odd pixel goes after
        units = -(-n // s)
        before = max((units - 1) * s + k_eff - n, 0) // 2
    # reads[u, p]: unit u reads unit p of the layer below (padding reads nothing)
    taps = np.arange(units)[:, None] * s - before + np.arange(k) * d
    reads = (taps[:, :, None] == np.arange(n)).any(axis=1)
    return _Axis(axis.size + (k - 1) * d * axis.jump, axis.jump * s,
                 axis.start + ((k_eff - 1) / 2 - before) * axis.jump, units,
                 (reads.astype(int) @ axis.reach.astype(int)) > 0)


def _whole(axis):
    """The axis after a layer whose one unit sees all that reached the layer below."""
    seen = axis.reach.any(axis=0)
    lo, hi = np.flatnonzero(seen)[[0, -1]]
    return _Axis(int(hi - lo + 1), 0, (lo + hi) / 2, 1, seen[None])


def _row(name, kind, axes):
    rows, cols = axes
    return ReceptiveField(name, kind, (rows.size, cols.size), (rows.jump, cols.jump),
                          (float(rows.start), float(cols.start)), (rows.units, cols.units),
                          bool(rows.reach.any(axis=0).all() and cols.reach.any(axis=0).all()))


def receptive_field(model):
    """The receptive field of every layer of a chain of Keras layers.

    Follows the layers in order, per axis, with ``k_eff = (k - 1)·d + 1`` for
    a window of size ``k``, stride ``s`` and dilation ``d`` (1 for pooling)::

        size_l  = size_{l-1} + (k - 1)·d·jump_{l-1}
        jump_l  = jump_{l-1}·s
        start_l = start_{l-1} + ((k_eff - 1)/2 - pad_before)·jump_{l-1}

    starting from size 1, jump 1, start 0 at the input. Padding as in
    TensorFlow: 'valid' has ``pad_before = 0`` and ``floor((n - k_eff)/s) + 1``
    units from ``n``; 'same' has ``ceil(n/s)`` units and ``pad_before =
    max((units - 1)·s + k_eff - n, 0) // 2``. Flatten and global pooling leave
    one unit that sees every pixel that reached the layer before: its size is
    their extent, its start their centre, its jump 0. (Each number Flatten
    puts out is one unit of the layer before; its row is what the layer after
    it, a Dense one, sees.)

    Parameters
    ----------
    model : keras.Model
        Sequential or functional, one 4-D input (batch, rows, cols, channels),
        layers in a single chain (each one takes the output of the one before).
        Supported: Conv2D, MaxPooling2D, AveragePooling2D ('valid' or 'same'),
        Flatten, global pooling, and layers that act on each pixel (activations,
        BatchNormalization, Dropout, Dense, ...).

    Returns
    -------
    ReceptiveFields
        A list of ``ReceptiveField`` rows, the input first, then one a layer;
        it prints as a table (``pandas.DataFrame(rows)`` makes a data frame).

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((28, 28, 1)),
    ...                           keras.layers.Conv2D(8, 3), keras.layers.MaxPooling2D(2)])
    >>> dl.receptive_field(model)[-1]
    ReceptiveField(max_pooling2d: MaxPooling2D, size 4×4, jump 2×2, start (1.5, 1.5), units 13×13, covers input: yes)
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):  # Sequential without an input shape, subclassed models
        inputs = outputs = None
    if not inputs or len(inputs) != 1 or len(outputs) != 1:
        raise ValueError("model must have one input and one output (start it with keras.Input)")
    x = inputs[0]
    if len(x.shape) != 4 or None in x.shape[1:3]:
        raise ValueError("model input must be 4-D (batch, rows, cols, channels) with fixed rows "
                         f"and cols, got shape {tuple(x.shape)}")
    axes = [_Axis(1, 1, 0.0, n, np.eye(n, dtype=bool)) for n in x.shape[1:3]]
    # Sequential's model.layers leaves its InputLayer out; the input tensor knows it.
    history = getattr(x, "_keras_history", None)
    result = ReceptiveFields([_row(history.operation.name if history else "input", "InputLayer", axes)])
    before = x
    for layer in model.layers:
        if isinstance(layer, _L.InputLayer):
            continue  # a functional model lists its InputLayer: the first row already
        kind = type(layer).__name__
        if not isinstance(layer, _WINDOWS + _WHOLE + _SAME_GRID) or isinstance(layer, keras.Model):
            raise ValueError(f"layer {layer.name!r} ({kind}) is not supported: receptive_field "
                             f"supports {_SUPPORTED}")
        if layer.input is not before:
            raise ValueError(f"layer {layer.name!r} ({kind}) does not take just the output of "
                             f"{result[-1].name!r} before it: receptive_field needs a single chain")
        # Flatten's data_format only orders its output; it sees the same pixels.
        fmt = None if isinstance(layer, _L.Flatten) else getattr(layer, "data_format", None)
        if fmt not in (None, "channels_last"):
            raise ValueError(f"layer {layer.name!r} ({kind}) must be channels_last, "
                             f"got {fmt!r}")
        if isinstance(layer, _WINDOWS):
            if layer.padding not in ("valid", "same"):
                raise ValueError(f"layer {layer.name!r} ({kind}) must have padding 'valid' or "
                                 f"'same', got {layer.padding!r}")
            conv = isinstance(layer, _L.Conv2D)
            size = layer.kernel_size if conv else layer.pool_size
            dilation = layer.dilation_rate if conv else (1, 1)
            axes = [_window(a, k, s, d, layer.padding)
                    for a, k, s, d in zip(axes, size, layer.strides, dilation)]
        elif isinstance(layer, _WHOLE):
            axes = [_whole(a) for a in axes]
        result.append(_row(layer.name, kind, axes))
        before = layer.output
    if before is not outputs[0]:
        raise ValueError(f"the model's output is not the output of its last layer "
                         f"{result[-1].name!r}: receptive_field needs a single chain")
    return result
