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
    np.testing.assert_array_equal(snaps.weights[3][0], model.get_weights()[0])
    assert not np.array_equal(snaps.weights[0][0], snaps.weights[3][0])
    with pytest.raises(ValueError, match="at least one"):
        dl.training.Snapshots([])
