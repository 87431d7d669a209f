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
