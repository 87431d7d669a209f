"""dlbook.scratch against TensorFlow on the same inputs, and its errors."""

import itertools

import numpy as np
import pytest

import dlbook as dl

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

rng = np.random.default_rng(0)


# --- softmax -------------------------------------------------------------

@pytest.mark.parametrize("shape,axis", [((7,), -1), ((5, 10), -1), ((5, 10), 0), ((2, 3, 4), 1)])
def test_softmax_matches_tensorflow(shape, axis):
    z = rng.normal(scale=5, size=shape)
    np.testing.assert_allclose(dl.scratch.softmax(z, axis=axis), tf.nn.softmax(z, axis=axis).numpy(),
                               rtol=1e-12, atol=1e-15)


def test_softmax_extreme_logits_stay_finite():
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert np.isnan(naive).any()
    p = dl.scratch.softmax(z)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p, tf.nn.softmax(z).numpy(), rtol=1e-12)
    np.testing.assert_allclose(p[0], dl.scratch.softmax([0.0, 1.0, 2.0]))


def test_softmax_errors():
    with pytest.raises(ValueError, match="scalar"):
        dl.scratch.softmax(3.0)
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        dl.scratch.softmax(np.zeros((2, 2)), axis=2)
    with pytest.raises(ValueError, match="finite"):
        dl.scratch.softmax([1.0, np.nan])
    with pytest.raises(TypeError, match="numeric"):
        dl.scratch.softmax(["a", "b"])


# --- cross-entropy -------------------------------------------------------

@pytest.mark.parametrize("n,k", [(1, 2), (8, 3), (64, 10)])
def test_cross_entropy_matches_keras_for_onehot_and_integer_labels(n, k):
    p = dl.scratch.softmax(rng.normal(scale=3, size=(n, k)))
    labels = rng.integers(0, k, size=n)
    onehot = np.eye(k)[labels]
    ours_int = dl.scratch.cross_entropy(p, labels, reduction="none")
    ours_hot = dl.scratch.cross_entropy(p, onehot, reduction="none")
    np.testing.assert_allclose(ours_int, ours_hot, rtol=1e-12)
    cce = keras.losses.categorical_crossentropy(onehot, p).numpy()
    scce = keras.losses.sparse_categorical_crossentropy(labels, p).numpy()
    np.testing.assert_allclose(ours_hot, cce, rtol=1e-6)
    np.testing.assert_allclose(ours_int, scce, rtol=1e-6)
    assert dl.scratch.cross_entropy(p, labels) == pytest.approx(ours_int.mean())


def test_cross_entropy_extreme_probabilities_match_keras_with_its_clipping():
    p = dl.scratch.softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    labels = np.array([2, 0])
    ours = dl.scratch.cross_entropy(p, labels, reduction="none", eps=1e-7)
    np.testing.assert_allclose(ours, keras.losses.sparse_categorical_crossentropy(labels, p).numpy(), rtol=1e-5)
    assert np.isinf(dl.scratch.cross_entropy(p, labels, reduction="none")[0])  # unclipped: -log 0
    assert dl.scratch.cross_entropy(np.array([[0.0, 1.0]]), [1]) == 0.0  # perfect prediction


def test_cross_entropy_errors():
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    with pytest.raises(ValueError, match="row 1 is"):
        dl.scratch.cross_entropy(np.array([[0.2, 0.8], [0.6, 0.6]]), [0, 1])
    with pytest.raises(ValueError, match="row 0 is"):
        dl.scratch.cross_entropy(np.array([[-0.2, 1.2]]), [0])
    with pytest.raises(ValueError, match=r"labels must lie in 0..1 for 2 classes"):
        dl.scratch.cross_entropy(p, [0, 2])
    with pytest.raises(ValueError, match="y has 3 labels but p has 2 rows"):
        dl.scratch.cross_entropy(p, [0, 1, 1])
    with pytest.raises(ValueError, match=r"one-hot y must have the shape of p \(2, 2\)"):
        dl.scratch.cross_entropy(p, np.eye(3)[:2])
    with pytest.raises(ValueError, match="whole numbers"):
        dl.scratch.cross_entropy(p, [0.5, 1.0])
    with pytest.raises(ValueError, match="must have 2 dimensions"):
        dl.scratch.cross_entropy([0.5, 0.5], [0])
    with pytest.raises(ValueError, match="reduction"):
        dl.scratch.cross_entropy(p, [0, 1], reduction="sum")


# --- conv2d --------------------------------------------------------------

def tf_conv(x, kernel, stride, padding):
    return tf.nn.conv2d(x[None], kernel, strides=stride, padding=padding.upper()).numpy()[0]


GRID = list(itertools.product([(5, 5), (7, 6), (8, 9)], [(1, 1), (2, 2), (3, 3), (2, 3), (4, 4), (5, 5)],
                              [1, 2, 3], ["valid", "same"]))


@pytest.mark.parametrize("hw,khw,stride,padding", GRID)
def test_conv2d_matches_tensorflow_multichannel(hw, khw, stride, padding):
    if padding == "valid" and (khw[0] > hw[0] or khw[1] > hw[1]):
        pytest.skip("kernel larger than image")
    x = rng.normal(size=(*hw, 3))
    kernel = rng.normal(size=(*khw, 3, 2))
    bias = rng.normal(size=2)
    ours = dl.scratch.conv2d(x, kernel, bias=bias, stride=stride, padding=padding)
    np.testing.assert_allclose(ours, tf_conv(x, kernel, stride, padding) + bias, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("k,stride,padding", list(itertools.product([2, 3, 4], [1, 2], ["valid", "same"])))
def test_conv2d_matches_tensorflow_single_channel(k, stride, padding):
    x = rng.integers(0, 5, size=(7, 8)).astype(float)
    kernel = rng.integers(-2, 3, size=(k, k)).astype(float)
    ours = dl.scratch.conv2d(x, kernel, bias=0.5, stride=stride, padding=padding)
    ref = tf_conv(x[:, :, None], kernel[:, :, None, None], stride, padding)[:, :, 0] + 0.5
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_conv2d_lecture_exercise():
    image = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]])
    kernel = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
    expected = np.array([[12, 12, 17], [10, 17, 19], [9, 6, 14]])
    np.testing.assert_array_equal(dl.scratch.conv2d(image, kernel), expected)
    # the patch in rows 2-4, columns 1-3 (counting from 1) lands at map row 2, column 1
    assert (image[1:4, 0:3] * kernel).sum() == expected[1, 0] == 10


def test_conv2d_is_cross_correlation_not_flipped():
    x = np.zeros((5, 5))
    x[2, 2] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    # an impulse returns the kernel rotated by 180 degrees under cross-correlation
    np.testing.assert_array_equal(dl.scratch.conv2d(x, kernel, padding="same")[1:4, 1:4], kernel[::-1, ::-1])


def test_conv2d_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"kernel height 6 is larger than the input height 5 .*\(5, 5, 1\)"):
        dl.scratch.conv2d(np.zeros((5, 5)), np.zeros((6, 2)))
    with pytest.raises(ValueError, match=r"kernel has 2 input channels but the image has 3"):
        dl.scratch.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match=r"2-D image needs a 2-D kernel.*\(5, 5\).*\(3, 3, 1, 1\)"):
        dl.scratch.conv2d(np.zeros((5, 5)), np.zeros((3, 3, 1, 1)))
    with pytest.raises(ValueError, match=r"x must have 2 or 3 dimensions, got shape \(5,\)"):
        dl.scratch.conv2d(np.zeros(5), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        dl.scratch.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), stride=0)
    with pytest.raises(ValueError, match="padding must be one of"):
        dl.scratch.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), padding="full")
    with pytest.raises(ValueError, match=r"bias must be a number or have shape \(4,\)"):
        dl.scratch.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 3, 4)), bias=np.zeros(3))


@pytest.mark.parametrize("n,k,s", list(itertools.product([5, 8, 28], [1, 2, 3, 5], [1, 2, 3])))
def test_output_size_matches_conv_shapes(n, k, s):
    for padding in ("valid", "same"):
        out = dl.scratch.conv2d(np.zeros((n, n)), np.zeros((k, k)), stride=s, padding=padding)
        assert out.shape == (dl.scratch.output_size(n, k, s, padding),) * 2


# --- max pooling ---------------------------------------------------------

@pytest.mark.parametrize("hw,size,stride,padding", list(itertools.product(
    [(4, 4), (5, 7), (8, 8)], [1, 2, 3], [None, 1, 2], ["valid", "same"])))
def test_max_pool_matches_tensorflow(hw, size, stride, padding):
    x = rng.normal(size=(*hw, 3)).astype(np.float32)  # TensorFlow pools in float32
    ours = dl.scratch.max_pool2d(x, size=size, stride=stride, padding=padding)
    ref = tf.nn.max_pool2d(x[None], ksize=size, strides=stride or size, padding=padding.upper()).numpy()[0]
    np.testing.assert_array_equal(ours, ref)
    np.testing.assert_array_equal(dl.scratch.max_pool2d(x[:, :, 0], size, stride, padding), ref[:, :, 0])


def test_max_pool_errors():
    with pytest.raises(ValueError, match="larger than the input height"):
        dl.scratch.max_pool2d(np.zeros((2, 5)), size=3)
    with pytest.raises(ValueError, match="size must be >= 1"):
        dl.scratch.max_pool2d(np.zeros((4, 4)), size=0)
    with pytest.raises(TypeError, match="stride must be an integer"):
        dl.scratch.max_pool2d(np.zeros((4, 4)), stride=1.5)
    with pytest.raises(ValueError, match="dimensions"):
        dl.scratch.max_pool2d(np.zeros((1, 4, 4, 1)))


def test_fast_ica_recovers_known_sources():
    # TensorFlow has no ICA: check against sources we mixed ourselves
    rng = np.random.default_rng(1)
    n = 20000
    sources = np.stack([rng.laplace(size=n), rng.uniform(-1, 1, n), np.sign(rng.normal(size=n))], axis=1)
    mixing = rng.normal(size=(3, 3))
    X = sources @ mixing.T + 5.0
    filters, basis = dl.scratch.fast_ica(X, n_components=3, seed=0)
    recovered = (X - X.mean(axis=0)) @ filters.T
    corr = np.abs(np.corrcoef(recovered.T, sources.T)[:3, 3:])
    # each recovered component matches exactly one source (up to sign and order)
    assert np.allclose(np.sort(corr.max(axis=1)), 1, atol=0.01)
    assert sorted(corr.argmax(axis=1)) == [0, 1, 2]
    assert np.allclose(recovered.std(axis=0), 1, atol=0.01)
    assert np.allclose(recovered @ basis.T, X - X.mean(axis=0), atol=1e-8)


def test_fast_ica_errors_and_warning():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_components must be <= 2"):
        dl.scratch.fast_ica(rng.normal(size=(50, 2)), n_components=3)
    with pytest.raises(ValueError, match="more samples than features"):
        dl.scratch.fast_ica(rng.normal(size=(3, 4)), n_components=2)
    with pytest.raises(ValueError, match="fewer than n_components"):
        dl.scratch.fast_ica(np.ones((50, 3)) * np.arange(50)[:, None], n_components=2)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        dl.scratch.fast_ica(rng.laplace(size=(500, 4)), n_components=4, max_iter=1)
