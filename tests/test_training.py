"""Seeding and the progress record."""

import numpy as np
import pytest

import dlbook as dl


def fit_once(seed):
    import keras

    dl.training.set_seed(seed)
    X, y = dl.data.load_banknote()
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.15), loss="binary_crossentropy")
    progress = dl.training.Progress(every=0)
    history = model.fit(X, y, epochs=3, batch_size=128, verbose=0, callbacks=[progress])
    return history.history["loss"], progress


def test_seed_repeats_the_run_exactly():
    a, progress = fit_once(7)
    b, _ = fit_once(7)
    c, _ = fit_once(8)
    assert a == b
    assert a != c
    assert progress.text.startswith("trained epoch 3/3 · loss ")


def test_bad_arguments():
    with pytest.raises(ValueError, match="seed must be >= 0"):
        dl.training.set_seed(-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        dl.training.set_seed(1.5)
    with pytest.raises(ValueError, match="every must be >= 0"):
        dl.training.Progress(every=-1)
    assert np.isfinite(dl.training.Progress(every=2).every)


def test_snapshots_keep_weights_of_chosen_epochs():
    import keras

    dl.training.set_seed(0)
    X, y = dl.data.load_banknote()
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.15), loss="binary_crossentropy")
    snaps = dl.training.Snapshots([0, 1, 3])
    model.fit(X, y, epochs=3, batch_size=128, verbose=0, callbacks=[snaps])
    assert sorted(snaps.weights) == [0, 1, 3]
    assert snaps.model is None          # weights kept, the model let go
    np.testing.assert_array_equal(snaps.weights[3][0], model.get_weights()[0])
    assert not np.array_equal(snaps.weights[0][0], snaps.weights[3][0])
    with pytest.raises(ValueError, match="at least one"):
        dl.training.Snapshots([])


def test_error_curve_records_the_error_against_steps():
    import keras

    dl.training.set_seed(0)
    (x, y), _ = dl.data.load_mnist()
    X = x[:1280].reshape(-1, 784).astype("float32") / 255
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(0.5),
                  steps_per_execution=5)
    # 530 images: two full forward chunks of 250 and a partial one
    curve = dl.training.ErrorCurve(X[:530], y[:530], every=5)
    model.fit(X, y[:1280], epochs=2, batch_size=128, verbose=0, callbacks=[curve])
    assert curve.steps == list(range(0, 21, 5))
    assert len(curve.errors) == len(curve.steps)
    assert curve.errors[0] > 0.6 and curve.errors[-1] < 0.3
    # the last error is the model's error now
    now = np.mean(model.predict(X[:530], verbose=0).argmax(axis=1) != y[:530])
    assert curve.errors[-1] == pytest.approx(now)
    first = curve.steps_to(0.3)
    assert first is not None and curve.errors[curve.steps.index(first)] <= 0.3
    assert all(e > 0.3 for s, e in zip(curve.steps, curve.errors) if s < first)
    assert curve.steps_to(0.0) is None
    # an epoch of 10 steps measured every 4 steps: the last step is measured too
    curve = dl.training.ErrorCurve(X[:500], y[:500], every=4)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(0.5))
    model.fit(X, y[:1280], epochs=1, batch_size=128, verbose=0, callbacks=[curve])
    assert curve.steps == [0, 4, 8, 10]  # a new compile starts a new optimizer
    assert curve.model is None           # the curve does not keep the model alive
    # measured in batches of 64 (9 forward passes): the same errors
    batched = dl.training.ErrorCurve(X[:530], y[:530], every=5, batch_size=64)
    batched.set_model(model)
    batched.on_train_begin()
    whole = dl.training.ErrorCurve(X[:530], y[:530], every=5)
    whole.set_model(model)
    whole.on_train_begin()
    assert batched.errors == pytest.approx(whole.errors, abs=1e-12)
    assert whole.errors[0] == pytest.approx(
        np.mean(model.predict(X[:530], verbose=0).argmax(axis=1) != y[:530]))


def test_error_curve_rejects_bad_arguments():
    X = np.zeros((4, 3), dtype="float32")
    with pytest.raises(ValueError, match="integer class labels of shape \\(4,\\)"):
        dl.training.ErrorCurve(X, np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="integer class labels"):
        dl.training.ErrorCurve(X, np.zeros(4))
    with pytest.raises(ValueError, match="at least one example"):
        dl.training.ErrorCurve(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="every must be >= 1"):
        dl.training.ErrorCurve(X, np.zeros(4, dtype=int), every=0)
    with pytest.raises(ValueError, match="batch_size"):
        dl.training.ErrorCurve(X, np.zeros(4, dtype=int), batch_size=0)
    with pytest.raises(ValueError, match="error must be <= 1"):
        dl.training.ErrorCurve(X, np.zeros(4, dtype=int)).steps_to(2)


def _small_nets():
    """A tiny CNN and a tiny fcNN on MNIST-shaped input, seeded."""
    import keras

    dl.training.set_seed(1)
    cnn = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                            keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    dl.training.set_seed(2)
    fcnn = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(20, activation="sigmoid"),
                             keras.layers.Dense(10, activation="softmax")])
    return {"cnn": cnn, "fcnn": fcnn}


def test_side_by_side_trains_each_network_as_alone():
    """Against TensorFlow itself: each network of the joined model ends with the weights
    it gets when trained alone on the same batches (Adam, 2 epochs)."""
    import keras

    (x, y), _ = dl.data.load_mnist()
    X, y = x[:1000, ..., None] / np.float32(255), y[:1000]
    nets = _small_nets()
    start = {name: net.get_weights() for name, net in nets.items()}
    joined = dl.training.side_by_side(nets)
    joined.compile(loss={n: "sparse_categorical_crossentropy" for n in nets},
                   optimizer=keras.optimizers.Adam(), metrics={n: ["accuracy"] for n in nets},
                   steps_per_execution=4)
    curve = dl.training.ErrorCurve(X[:200].reshape(200, 784), y[:200], every=4, model=nets["fcnn"])
    progress = dl.training.Progress(every=0, keys=["loss"])
    dl.training.set_seed(5)
    log = joined.fit(X, {n: y for n in nets}, epochs=2, batch_size=128, verbose=0,
                     callbacks=[curve, progress]).history
    assert progress.text.count(" · ") == 2 and "acc" not in progress.text   # epoch · loss · time
    assert curve.steps[0] == 0 and curve.steps[-1] == 16 and curve.errors[-1] < curve.errors[0]
    for name, net in _small_nets().items():
        net.set_weights(start[name])
        net.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(),
                    metrics=["accuracy"], steps_per_execution=4)
        dl.training.set_seed(5)
        alone = net.fit(X if name == "cnn" else X.reshape(-1, 784), y, epochs=2, batch_size=128,
                        verbose=0).history
        for a, b in zip(net.get_weights(), nets[name].get_weights()):
            np.testing.assert_allclose(a, b, atol=1e-6)
        own = dl.training.history_of(log, name)
        assert set(own) == {"loss", "accuracy"}
        np.testing.assert_allclose(own["accuracy"], alone["accuracy"], atol=1e-6)
    # the curve measured the fcNN on its own: its last point is the trained fcNN's error
    wrong = np.argmax(nets["fcnn"](X[:200].reshape(200, 784)), axis=1) != y[:200]
    assert curve.errors[-1] == pytest.approx(wrong.mean())


def test_side_by_side_and_history_of_reject_bad_input():
    import keras

    nets = _small_nets()
    with pytest.raises(TypeError, match="non-empty dict"):
        dl.training.side_by_side([nets["cnn"]])
    with pytest.raises(TypeError, match="non-empty dict"):
        dl.training.side_by_side({})
    with pytest.raises(TypeError, match=r"networks\['a'\] must be a keras.Model, got int"):
        dl.training.side_by_side({"a": 3})
    with pytest.raises(ValueError, match="different keras.Model object"):
        dl.training.side_by_side({"a": nets["cnn"], "b": nets["cnn"]})
    small = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="same number of input values"):
        dl.training.side_by_side({"a": nets["fcnn"], "b": small})
    with pytest.raises(TypeError, match="keys must be a sequence of str"):
        dl.training.Progress(keys="loss")
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        dl.training.ErrorCurve(np.zeros((4, 3)), np.zeros(4, dtype=int), model="cnn")
    with pytest.raises(ValueError, match="no values of a network named 'c'"):
        dl.training.history_of({"loss": [1.0], "a_loss": [1.0]}, "c")
    with pytest.raises(TypeError, match="history must be the dict"):
        dl.training.history_of([1.0], "a")
    assert dl.training.history_of({"a_loss": [1], "val_a_loss": [2], "ab_loss": [3]}, "a") == {
        "loss": [1], "val_loss": [2]}


def epochs_of(data, n):
    """The labels of each batch, for n passes over a tf.data pipeline."""
    return [[b[1].numpy().tolist() for b in data] for _ in range(n)]


def test_batches_show_every_example_once_per_epoch_in_a_new_order():
    X = np.arange(300, dtype="float32").reshape(150, 2)
    y = np.arange(150)
    data = dl.training.batches(X, y, batch_size=64, seed=3)
    epochs = epochs_of(data, 3)
    for batches in epochs:
        assert [len(b) for b in batches] == [64, 64, 22]   # as fit(X, y, batch_size=64)
        assert sorted(sum(batches, [])) == list(range(150))
    orders = [sum(batches, []) for batches in epochs]
    assert len({tuple(o) for o in orders}) == 3          # reshuffled every epoch
    # the shuffle buffer is larger than a batch: one of the last batch's examples
    # reaches the first batch in every epoch (a buffer of 65 or fewer cannot
    # do that; with a full buffer an epoch fails with probability about 1e-6)
    assert all(set(b[0]) & set(range(128, 150)) for b in epochs)
    assert orders == [sum(b, []) for b in epochs_of(dl.training.batches(X, y, 64, seed=3), 3)]
    assert orders != [sum(b, []) for b in epochs_of(dl.training.batches(X, y, 64, seed=4), 3)]
    pairs = next(iter(data))                             # examples stay with their labels
    np.testing.assert_array_equal(pairs[0].numpy()[:, 0], 2 * pairs[1].numpy())
    kept = epochs_of(dl.training.batches(X, y, 64, shuffle=False), 2)
    assert [sum(b, []) for b in kept] == [list(range(150))] * 2


def test_batches_train_as_keras_does_from_arrays():
    # Without shuffling, Keras's own batches and these are the same, so the
    # weights after training must be the same too.
    import keras

    X, y = dl.data.load_banknote()
    X = X[:300, :2].astype("float32")
    y = y[:300]
    weights = []
    for data in ["arrays", "batches"]:
        dl.training.set_seed(5)
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="binary_crossentropy")
        if data == "arrays":
            model.fit(X, y, batch_size=64, epochs=3, shuffle=False, verbose=0)
        else:
            model.fit(dl.training.batches(X, y, 64, shuffle=False), epochs=3, verbose=0)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_batches_reject_bad_input():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(TypeError, match="X must be a numpy array, got list"):
        dl.training.batches([[0, 0]], y)
    with pytest.raises(ValueError, match="y must be a numeric array"):
        dl.training.batches(X, np.array(list("abcdefghij")))
    with pytest.raises(ValueError, match="same number .* got 10 and 9"):
        dl.training.batches(X, y[:9])
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        dl.training.batches(X, y, batch_size=0)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        dl.training.batches(X, y, shuffle=1)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        dl.training.batches(X, y, seed=-1)
    with pytest.raises(ValueError, match=r"X must be a numeric array with a first axis, got dtype float64 and shape \(\)"):
        dl.training.batches(np.array(1.0), y)
    with pytest.raises(ValueError, match=r"same number \(> 0\) of examples, got 0 and 0"):
        dl.training.batches(X[:0], y[:0])


def test_batches_follow_the_seed_shift(monkeypatch):
    # Under shift 1, seed 3 after set_seed(0) is seed 10,003 after set_seed(10,000).
    X = np.arange(100, dtype="float32")[:, None]
    y = np.arange(100)

    def order(set_seed, seed):
        dl.training.set_seed(set_seed)
        return sum(epochs_of(dl.training.batches(X, y, 32, seed=seed), 1)[0], [])

    monkeypatch.setenv("DLBOOK_SEED_SHIFT", "1")
    shifted = order(0, 3)
    monkeypatch.delenv("DLBOOK_SEED_SHIFT")
    assert shifted == order(10_000, 10_003)
    assert shifted != order(0, 3)


def test_fit_on_batches_prints_no_shuffle_warning():
    # fit's default shuffle=True makes Keras warn for every tf.data input; a
    # page that trains on batches() must not show that warning.
    import subprocess
    import sys

    code = ("import numpy as np, dlbook as dl, keras\n"
            "X, y = np.zeros((20, 2), 'float32'), np.zeros(20)\n"
            "m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
            "m.compile(loss='mse', optimizer='sgd')\n"
            "m.fit(dl.training.batches(X, y, 8), epochs=2, verbose=0)\n"
            "import warnings; warnings.warn('a UserWarning still shows')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "a UserWarning still shows" in out.stderr
    assert "shuffle" not in out.stderr
