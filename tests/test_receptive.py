"""Receptive fields: the recurrences against hand-worked numbers and against gradients."""

import numpy as np
import pytest

import dlbook as dl  # before Keras: it sets TensorFlow's environment

keras = pytest.importorskip("keras")
L = keras.layers


def lecture_cnn(pool=L.MaxPooling2D, activation="relu", **weights):
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation=activation, name="conv1", **weights), pool(2, name="pool1"),
        L.Conv2D(64, 3, activation=activation, name="conv2", **weights), pool(2, name="pool2"),
        L.Flatten(name="flatten"), L.Dense(40, activation=activation, name="fc", **weights),
        L.Dense(10, activation="softmax", name="out", **weights)])


def positive(seed):
    """Positive weights and no bias: with positive inputs no sum can cancel, so a
    gradient is nonzero exactly on the pixels that reach a unit."""
    return dict(use_bias=False, kernel_initializer=keras.initializers.RandomUniform(0.1, 1.0, seed=seed))


def reaching(model, picks, shape):
    """Which input pixels reach each pick, as boolean (rows, cols) masks.

    A pick is (layer, unit): unit (i, j) of that layer's output, or all its units
    when unit is None. Each pick has an example of its own in one batch (the
    examples do not mix), so one gradient gives them all.
    """
    import tensorflow as tf

    x = tf.constant(np.random.default_rng(0).uniform(0.5, 1.5, (len(picks), *shape)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outs = model(x)
        total = 0.0
        for b, (layer, unit) in enumerate(picks):
            out = outs[layer][b]
            total += tf.reduce_sum(out if unit is None else out[unit[0], unit[1]])
    return np.abs(tape.gradient(total, x).numpy()).sum(axis=-1) > 0


def box(mask):
    """(size, centre) of the bounding box of a mask, per axis (rows, cols)."""
    rows, cols = np.nonzero(mask)
    return ((int(np.ptp(rows)) + 1, int(np.ptp(cols)) + 1),
            ((rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2))


def test_lecture_cnn_by_hand():
    rows = dl.receptive_field(lecture_cnn())
    got = {r.name: (r.size[0], r.jump[0], r.start[0], r.units[0], r.covers_input) for r in rows}
    assert [r.name for r in rows][1:] == ["conv1", "pool1", "conv2", "pool2", "flatten", "fc", "out"]
    assert got["conv1"] == (3, 1, 1.0, 26, True)
    assert got["pool1"] == (4, 2, 1.5, 13, True)
    assert got["conv2"] == (8, 2, 3.5, 11, True)
    # pool2's last unit is centred on 4.5 + 4·4 = 20.5 and reaches rows 16 to 25:
    # rows 26 and 27 (conv2's 11th unit, dropped by the pool's floor) reach nothing.
    assert got["pool2"] == (10, 4, 4.5, 5, False)
    for name in ["flatten", "fc", "out"]:
        assert got[name] == (26, 0, 12.5, 1, False)
    assert all(r.size[0] == r.size[1] and r.start[0] == r.start[1] for r in rows)
    assert rows[0].name.startswith("input_layer")  # Keras numbers it: input_layer_3
    assert rows[0][1:] == ("InputLayer", (1, 1), (1, 1), (0.0, 0.0), (28, 28), True)
    table = repr(rows).splitlines()
    assert table[0].split() == ["layer", "kind", "size", "jump", "start", "units", "covers", "input"]
    assert table[5].split() == ["pool2", "MaxPooling2D", "10×10", "4×4", "4.5,", "4.5", "5×5", "no"]
    assert repr(rows[2]) == ("ReceptiveField(pool1: MaxPooling2D, size 4×4, jump 2×2, start (1.5, 1.5), "
                             "units 13×13, covers input: yes)")


def test_lecture_cnn_by_gradients():
    # Max pooling passes the gradient to one input of each window only, and a
    # ReLU may zero it: average pooling, no activation and positive weights
    # have the same fields with a gradient that is nonzero all over them.
    model = lecture_cnn(pool=L.AveragePooling2D, activation=None, **positive(1))
    rows = dl.receptive_field(model)
    outputs = keras.Model(model.inputs, [layer.output for layer in model.layers])
    masks = reaching(outputs, [(i, (2, 2)) for i in range(4)] + [(3, None), (4, None)], (28, 28, 1))
    assert [box(m)[0] for m in masks[:4]] == [(3, 3), (4, 4), (8, 8), (10, 10)]
    assert [r.size for r in rows[1:5]] == [(3, 3), (4, 4), (8, 8), (10, 10)]
    # the pixels that reach pool2 (and so the output): rows and columns 0 to 25
    assert masks[4].sum() == masks[5].sum() == 26**2
    assert masks[4][:26, :26].all() and not rows[4].covers_input and rows[3].covers_input


def test_vgg16():
    rows = dl.receptive_field(keras.applications.VGG16(weights=None))
    by_name = {r.name: r for r in rows}
    assert by_name["block5_pool"][2:5] == ((212, 212), (32, 32), (15.5, 15.5))
    assert [r.size[0] for r in rows if "pool" in r.name] == [6, 16, 44, 100, 212]
    assert [r.size[0] for r in rows if "conv" in r.name] == [
        3, 5, 10, 14, 24, 32, 40, 60, 76, 92, 132, 164, 196]
    assert by_name["predictions"][2:6] == ((224, 224), (0, 0), (111.5, 111.5), (1, 1))
    assert all(r.covers_input for r in rows)


def test_same_padding_puts_the_odd_pixel_after():
    # TensorFlow's 'same': total padding max((out - 1)·s + k - n, 0), the
    # smaller half before. 7 rows, k 3, s 2: 4 units, 1 row padded before.
    # 8 columns: 4 units, 1 column padded, after.
    model = keras.Sequential([keras.Input((7, 8, 1)), L.Conv2D(1, 3, strides=2, padding="same")])
    assert dl.receptive_field(model)[1][2:6] == ((3, 3), (2, 2), (0.0, 1.0), (4, 4))


def random_chain(rng):
    """A random chain of layers with positive weights, and its input shape."""
    def pair(low, high):
        return tuple(int(v) for v in rng.integers(low, high + 1, size=2))

    layers = []
    for _ in range(rng.integers(2, 6)):
        kind = rng.choice(["conv", "conv", "pool", "pool", "pixel"])
        padding = str(rng.choice(["valid", "same"]))
        if kind == "conv":
            # Keras refuses strides > 1 together with dilation > 1.
            dilated = rng.random() < 0.3
            layers.append(L.Conv2D(2, pair(1, 5), strides=(1, 1) if dilated else pair(1, 2),
                                   dilation_rate=pair(1, 2) if dilated else (1, 1),
                                   padding=padding, **positive(int(rng.integers(1000)))))
        elif kind == "pool":  # average, not max: see test_lecture_cnn_by_gradients
            layers.append(L.AveragePooling2D(pair(2, 3), strides=pair(1, 3), padding=padding))
        else:
            # a ReLU passes positive sums unchanged; Dense acts on each pixel
            pixelwise = [lambda: L.Activation("linear"), L.ReLU,
                         lambda: L.Dense(2, **positive(int(rng.integers(1000))))]
            layers.append(pixelwise[rng.integers(3)]())
    whole = L.Flatten() if rng.random() < 0.5 else L.GlobalAveragePooling2D()
    return layers + [whole], (*pair(36, 64), 2)


def unit_away_from_border(row, n):
    """Along one axis, a unit whose field and its next neighbour's lie inside
    the input (no padding in them), or None."""
    half = (row[0] - 1) / 2
    ok = [i for i in range(row[3] - 1) if row[2] + i * row[1] - half >= 0
          and row[2] + (i + 1) * row[1] + half <= n - 1]
    return ok[len(ok) // 2] if ok else None


def test_random_chains_against_gradients():
    rng = np.random.default_rng(2024)
    checked = 0
    while checked < 20:
        layers, shape = random_chain(rng)
        x = inp = keras.Input(shape)
        try:
            outs = [x := layer(x) for layer in layers]
        except ValueError:  # 'valid' windows that shrank the input to nothing
            continue
        rows = dl.receptive_field(keras.Model(inp, x))[1:]
        units = [[unit_away_from_border([getattr(r, f)[a] for f in ("size", "jump", "start", "units")],
                                        shape[a]) for a in (0, 1)] for r in rows[:-1]]
        if any(None in u for u in units):
            continue  # fields too large for the input: draw another chain
        checked += 1
        picks = [(l, None) for l in range(len(rows))]
        for l, (i, j) in enumerate(units):
            picks += [(l, (i, j)), (l, (i + 1, j)), (l, (i, j + 1))]
        masks = reaching(keras.Model(inp, outs), picks, shape)
        for l, row in enumerate(rows):
            assert row.units == tuple(outs[l].shape[1:3] if l < len(rows) - 1 else (1, 1))
            assert row.covers_input == masks[l].all(), row
        # Flatten or global pooling: the extent of all that reaches the chain
        assert box(masks[len(rows) - 1]) == (rows[-1].size, rows[-1].start)
        for l, (i, j) in enumerate(units):
            row, (here, down, right) = rows[l], masks[len(rows) + 3 * l:][:3]
            centre = (row.start[0] + i * row.jump[0], row.start[1] + j * row.jump[1])
            assert box(here) == (row.size, centre), row
            assert np.array_equal(np.roll(here, row.jump[0], axis=0), down), row
            assert np.array_equal(np.roll(here, row.jump[1], axis=1), right), row


def test_bad_models():
    with pytest.raises(TypeError, match="must be a Keras model, got str"):
        dl.receptive_field("model")
    with pytest.raises(TypeError, match="got Conv2D"):
        dl.receptive_field(L.Conv2D(1, 3))
    with pytest.raises(ValueError, match="start it with keras.Input"):
        dl.receptive_field(keras.Sequential([L.Conv2D(1, 3)]))
    for odd in [L.UpSampling2D(name="odd"), L.Conv2DTranspose(1, 3, name="odd"),
                keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(1, 3)], name="odd")]:
        model = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(1, 1), odd])
        with pytest.raises(ValueError, match=r"layer 'odd' \(\w+\) is not supported: .*supports Conv2D"):
            dl.receptive_field(model)
    with pytest.raises(ValueError, match=r"4-D \(batch, rows, cols, channels\).*got shape \(None, 20, 1\)"):
        dl.receptive_field(keras.Sequential([keras.Input((20, 1)), L.Conv1D(1, 3, padding="causal")]))
    with pytest.raises(ValueError, match="fixed rows and cols"):
        dl.receptive_field(keras.Sequential([keras.Input((None, None, 1)), L.Conv2D(1, 3)]))
    model = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(1, 3, name="c")])
    model.layers[0].padding = "causal"  # Keras 3 builds no such Conv2D, but may one day
    with pytest.raises(ValueError, match="'c' \\(Conv2D\\) must have padding 'valid' or 'same', got 'caus"):
        dl.receptive_field(model)
    model = keras.Sequential([keras.Input((1, 8, 8)), L.Conv2D(1, 3, data_format="channels_first", name="c")])
    with pytest.raises(ValueError, match="'c' \\(Conv2D\\) must be channels_last"):
        dl.receptive_field(model)


def test_branching_model():
    x = keras.Input((10, 10, 1))
    y = L.Conv2D(2, 3, name="trunk")(x)
    a, b = L.Conv2D(2, 1, name="a")(y), L.Conv2D(2, 1, name="b")(y)
    with pytest.raises(ValueError, match="'b' \\(Conv2D\\) does not take just the output of 'a'"):
        dl.receptive_field(keras.Model(x, L.Add(name="add")([a, b])))
    with pytest.raises(ValueError, match="'add' \\(Add\\) is not supported"):
        dl.receptive_field(keras.Model(x, L.Add(name="add")([y, y])))
    with pytest.raises(ValueError, match="one input and one output"):
        dl.receptive_field(keras.Model(x, [a, b]))
