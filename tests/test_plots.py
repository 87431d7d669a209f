"""Plot helpers: they draw into the given axes, return them, and check input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlbook as dl  # noqa: E402


class CountingModel:
    """A Keras-like model that records its predict calls."""

    def __init__(self):
        self.calls = []

    def predict(self, X, batch_size=None, verbose=0):
        self.calls.append(len(X))
        p = 1 / (1 + np.exp(-(X[:, 0] - X[:, 1])))
        return np.c_[1 - p, p]  # a 2-unit softmax output


def test_decision_boundary_predicts_the_grid_in_one_call():
    X, y = dl.data.load_banknote()
    model = CountingModel()
    fig, ax = plt.subplots()
    assert dl.plots.plot_decision_boundary(model, X, y, ax=ax, resolution=50) is ax
    assert model.calls == [2500]
    assert len(ax.collections) >= 3  # filled contours, the 0.5 line, the points
    plt.close(fig)


def test_predict_proba_shapes():
    X = np.zeros((4, 2))
    assert dl.plots.predict_proba(lambda X: np.full((len(X), 1), 0.3), X).shape == (4,)
    with pytest.raises(ValueError, match=r"\(n,\), \(n, 1\) or \(n, 2\)"):
        dl.plots.predict_proba(lambda X: np.zeros((len(X), 3)), X)
    with pytest.raises(TypeError, match="Keras model or a callable"):
        dl.plots.predict_proba(42, X)


def test_decision_boundary_checks_shapes():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(5, 3\)"):
        dl.plots.plot_decision_boundary(CountingModel(), np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match=r"y must have shape \(5,\), got \(4,\)"):
        dl.plots.plot_decision_boundary(CountingModel(), np.zeros((5, 2)), np.zeros(4))


def test_plot_history_draws_training_and_validation():
    fig, ax = plt.subplots()
    out = dl.plots.plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]}, ax=ax)
    assert out is ax and len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.1, 0.7, 0.6])
    with pytest.raises(ValueError, match=r"no 'accuracy'; it records \['loss', 'val_loss'\]"):
        dl.plots.plot_history({"loss": [1.0], "val_loss": [1.0]}, metric="accuracy")
    with pytest.raises(TypeError, match="History or a dict"):
        dl.plots.plot_history([1, 2])
    plt.close(fig)


def test_show_image():
    fig, ax = plt.subplots()
    assert dl.plots.show_image(np.eye(3), ax=ax, grid=True, title="k") is ax
    assert ax.get_title() == "k"
    with pytest.raises(ValueError, match=r"\(H, W\) or \(H, W, 3\)"):
        dl.plots.show_image(np.zeros((2, 2, 2)))
    plt.close(fig)


def test_plot_conv_step_shows_the_sum_of_the_window():
    image = np.arange(25).reshape(5, 5) % 4
    kernel = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
    fig, axes = plt.subplots(1, 3)
    out = dl.plots.plot_conv_step(image, kernel, 1, 2, axes=axes)
    expected = (image[1:4, 2:5] * kernel).sum()
    assert out[2].get_title() == f"map: sum = {expected:g}"
    # the map shows the values up to this position: 3 + 3 = 6 of 9
    assert len(out[2].texts) == 6
    plt.close(fig)
    # with four axes the kernel gets a panel of its own, its numbers written in
    fig, axes = plt.subplots(1, 4)
    out = dl.plots.plot_conv_step(image, kernel, 1, 2, axes=axes)
    assert out[1].get_title() == "kernel"
    assert [t.get_text() for t in out[1].texts] == [f"{v:g}" for v in kernel.ravel()]
    assert out[3].get_title() == f"map: sum = {expected:g}"
    with pytest.raises(ValueError, match="4 axes .* or 3 .*got 2"):
        dl.plots.plot_conv_step(image, kernel, 1, 2, axes=axes[:2])
    with pytest.raises(ValueError, match="col must be <= 2"):
        dl.plots.plot_conv_step(image, kernel, 0, 3, axes=axes)
    with pytest.raises(ValueError, match="does not fit"):
        dl.plots.plot_conv_step(image[:2], kernel, 0, 0, axes=axes)
    plt.close(fig)


@pytest.mark.parametrize("n,k,s,padding", [(5, 3, 1, "valid"), (5, 4, 2, "same"), (7, 2, 3, "same")])
def test_plot_conv_geometry_states_the_output_size(n, k, s, padding):
    fig, ax = plt.subplots()
    dl.plots.plot_conv_geometry(n, k, s, padding, ax=ax)
    out = dl.scratch.output_size(n, k, s, padding)
    assert f"output {out}×{out}" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_confusion_matrix_matches_a_count_by_hand():
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 0, 2]
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    cm = dl.plots.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(cm, expected)
    assert cm.tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 3]]
    assert dl.plots.confusion_matrix(y_true, y_pred, n_classes=5).shape == (5, 5)
    # float labels that are whole numbers are accepted (Keras predictions cast to float)
    np.testing.assert_array_equal(dl.plots.confusion_matrix(np.array(y_true, float), y_pred), expected)


def test_confusion_matrix_agrees_with_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    ours = dl.plots.confusion_matrix(y_true, y_pred, n_classes=10)
    theirs = tf.math.confusion_matrix(y_true, y_pred, num_classes=10).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_confusion_matrix_rejects_bad_labels():
    with pytest.raises(ValueError, match="same length, got 3 and 2"):
        dl.plots.confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(TypeError, match="integer class labels, got dtype float64"):
        dl.plots.confusion_matrix([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match=">= 0, got -1"):
        dl.plots.confusion_matrix([0, -1], [0, 1])
    with pytest.raises(ValueError, match="n_classes must be >= 3"):
        dl.plots.confusion_matrix([0, 2], [0, 1], n_classes=2)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        dl.plots.confusion_matrix([[0, 1]], [[0, 1]])


def test_plot_confusion_matrix_draws_the_counts():
    fig, ax = plt.subplots()
    assert dl.plots.plot_confusion_matrix([0, 0, 1, 2], [0, 1, 1, 2], ax=ax) is ax
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "1"]  # zeros are left empty
    assert "3 of 4 right" in ax.get_title()
    plt.close(fig)


def test_show_misclassified_titles_true_and_predicted():
    images = np.random.default_rng(0).random((6, 784))
    y_true = np.array([0, 1, 2, 3, 4, 5])
    y_pred = np.array([0, 7, 2, 8, 4, 5])
    axes = dl.plots.show_misclassified(images, y_true, y_pred, n=4, ncols=4)
    assert [ax.get_title() for ax in axes[:2]] == ["1 → 7", "3 → 8"]
    assert not axes[2].axison and not axes[3].axison  # spare axes switched off
    assert axes[0].images[0].get_cmap().name == "gray"  # white on black, as everywhere
    plt.close("all")
    with pytest.raises(ValueError, match="same length"):
        dl.plots.show_misclassified(images, y_true[:5], y_pred)
    with pytest.raises(ValueError, match="square number of pixels, got 10"):
        dl.plots.show_misclassified(np.zeros((6, 10)), y_true, y_pred)
    fig, few = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="at least n=3 axes, got 2"):
        dl.plots.show_misclassified(images, y_true, y_pred, n=3, axes=few)
    plt.close("all")


def test_feature_map_mosaic_places_each_channel():
    maps = np.arange(2 * 3 * 5, dtype=float).reshape(2, 3, 5)  # H=2, W=3, C=5
    m = dl.plots.feature_map_mosaic(maps, ncols=2, gap=1)
    assert m.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(m[0:2, 0:3], maps[:, :, 0])
    np.testing.assert_array_equal(m[0:2, 4:7], maps[:, :, 1])
    np.testing.assert_array_equal(m[3:5, 0:3], maps[:, :, 2])
    np.testing.assert_array_equal(m[6:8, 0:3], maps[:, :, 4])
    assert np.isnan(m[2]).all() and np.isnan(m[:, 3]).all()   # the gaps
    assert np.isnan(m[6:8, 4:7]).all()                        # no sixth channel
    assert dl.plots.feature_map_mosaic(maps, ncols=8).shape == (2, 5 * 4 - 1)  # at most C columns
    with pytest.raises(ValueError, match=r"\(H, W, C\).*got \(1, 2, 3, 4\).*maps\[0\]"):
        dl.plots.feature_map_mosaic(np.zeros((1, 2, 3, 4)))
    with pytest.raises(ValueError, match="ncols must be >= 1"):
        dl.plots.feature_map_mosaic(maps, ncols=0)


def test_show_feature_maps_uses_one_scale():
    fig, ax = plt.subplots()
    maps = np.random.default_rng(0).random((4, 4, 6))
    assert dl.plots.show_feature_maps(maps, ax=ax, vmax=2.0, title="t") is ax
    im = ax.images[0]
    assert im.get_clim() == (0.0, 2.0)
    assert ax.get_title() == "t"
    dl.plots.show_feature_maps(np.zeros((3, 3, 2)), ax=ax, colorbar=False)  # all zero: no error
    plt.close(fig)
    # labels: each map's channel index in its top-left corner (map 5 of 6 with 4 per row:
    # second row, second column)
    fig, ax = plt.subplots()
    dl.plots.show_feature_maps(maps, ax=ax, ncols=4, colorbar=False, labels=True)
    assert [t.get_text() for t in ax.texts] == [str(k) for k in range(6)]
    assert ax.texts[5].get_position() == pytest.approx((1 * 5 + 0.3, 1 * 5 + 0.3))
    with pytest.raises(TypeError, match="labels must be True or False"):
        dl.plots.show_feature_maps(maps, ax=ax, labels="yes")
    plt.close(fig)
