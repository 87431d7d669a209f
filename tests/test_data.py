"""The bundled data: shapes, dtypes, label counts, checksums, errors."""

import shutil

import numpy as np
import pytest

import dlbook as dl

MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_mnist_matches_keras_layout():
    (x_train, y_train), (x_test, y_test) = dl.data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == MNIST_TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    pixels = x_train / 255.0
    assert pixels.mean() == pytest.approx(0.1307, abs=1e-4)
    assert pixels.std() == pytest.approx(0.3081, abs=1e-4)


def test_banknote_default_is_lecture_features():
    X, y = dl.data.load_banknote()
    assert X.shape == (1372, 2) and X.dtype == np.float64
    assert y.shape == (1372,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [762, 610]
    assert X.mean(axis=0) == pytest.approx([1.9224, -1.1917], abs=1e-4)


def test_banknote_feature_order_and_single_name():
    X, _ = dl.data.load_banknote(dl.data.BANKNOTE_FEATURES)
    assert X.mean(axis=0) == pytest.approx([0.4337, 1.9224, 1.3976, -1.1917], abs=1e-4)
    X1, _ = dl.data.load_banknote("entropy")
    assert X1.shape == (1372, 1)
    np.testing.assert_array_equal(X1[:, 0], X[:, 3])


def test_banknote_unknown_feature_lists_valid_ones():
    with pytest.raises(ValueError, match="unknown banknote feature.*'colour'.*valid features are.*skewness"):
        dl.data.load_banknote(("skewness", "colour"))
    with pytest.raises(ValueError, match="at least one"):
        dl.data.load_banknote(())
    with pytest.raises(TypeError, match="features must be"):
        dl.data.load_banknote(3)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    for name in ("mnist.npz", "banknote_authentication.csv"):
        shutil.copy(dl.data.DATA_DIR / name, tmp_path / name)
    monkeypatch.setattr(dl.data, "DATA_DIR", tmp_path)
    monkeypatch.setattr(dl.data, "_verified", set())
    return tmp_path


def test_missing_file_is_named(data_copy):
    (data_copy / "mnist.npz").unlink()
    with pytest.raises(FileNotFoundError, match="'mnist.npz' is missing"):
        dl.data.load_mnist()


def test_corrupt_file_is_named(data_copy):
    path = data_copy / "banknote_authentication.csv"
    text = path.read_text().replace("3.6216", "3.6217", 1)  # one digit of one note
    path.write_text(text)
    with pytest.raises(dl.data.DataFileError, match="'banknote_authentication.csv'.*corrupt"):
        dl.data.load_banknote()
    with pytest.raises(ValueError):  # DataFileError is a ValueError
        dl.data.load_banknote()


def test_truncated_mnist_is_caught_before_reading(data_copy):
    path = data_copy / "mnist.npz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(dl.data.DataFileError, match="mnist.npz"):
        dl.data.load_mnist()


def test_split_is_seeded_and_complete():
    X, y = dl.data.load_banknote()
    (a_train, b_train), (a_test, b_test) = dl.data.split(X, y, fractions=(0.8, 0.2), seed=1)
    assert len(a_train) == 1098 and len(a_test) == 274
    rows = {tuple(r) for r in np.vstack([a_train, a_test])}
    assert rows == {tuple(r) for r in X}
    again = dl.data.split(X, y, fractions=(0.8, 0.2), seed=1)
    np.testing.assert_array_equal(again[1][0], a_test)
    other = dl.data.split(X, y, fractions=(0.8, 0.2), seed=2)
    assert not np.array_equal(other[1][0], a_test)
    assert [len(p[0]) for p in dl.data.split(X, fractions=(0.6, 0.2, 0.2))] == [823, 275, 274]


def test_split_errors():
    with pytest.raises(ValueError, match="same number of rows"):
        dl.data.split(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="summing to 1"):
        dl.data.split(np.zeros(3), fractions=(0.5, 0.4))
    with pytest.raises(ValueError, match="seed"):
        dl.data.split(np.zeros(3), seed=-1)


def test_make_bars_orientation_and_balance():
    X, y = dl.data.make_bars(40, seed=5)
    assert X.shape == (40, 50, 50, 1) and X.dtype == np.float32
    assert y.tolist() == [0, 1] * 20
    assert set(np.unique(X)) <= {0.0, 1.0}
    for img, label in zip(X[..., 0], y):
        # ink continues down a column for vertical bars, along a row for horizontal ones
        down = np.sum(img[1:, :] * img[:-1, :])
        across = np.sum(img[:, 1:] * img[:, :-1])
        assert (down > across) == (label == 1)
    again, _ = dl.data.make_bars(40, seed=5)
    np.testing.assert_array_equal(again, X)
    assert not np.array_equal(dl.data.make_bars(40, seed=6)[0], X)


def test_make_bars_errors():
    with pytest.raises(ValueError, match="n must be >= 1"):
        dl.data.make_bars(0)
    with pytest.raises(ValueError, match=r"length must be \(smallest, largest\)"):
        dl.data.make_bars(2, length=(9, 3))
    with pytest.raises(ValueError, match="length must be <= 10"):
        dl.data.make_bars(2, size=10, length=(5, 15))


def test_grace_hopper():
    rgb = dl.data.load_grace_hopper()
    assert rgb.shape == (150, 128, 3) and 0 <= rgb.min() and rgb.max() <= 1
    gray = dl.data.load_grace_hopper(block=3, gray=True)
    assert gray.shape == (200, 170)
    with pytest.raises(ValueError, match="block must be >= 1"):
        dl.data.load_grace_hopper(block=0)


def test_pixel_permutation_is_a_seeded_permutation():
    perm = dl.data.pixel_permutation(784)
    assert perm.shape == (784,) and np.issubdtype(perm.dtype, np.integer)
    assert sorted(perm.tolist()) == list(range(784))
    np.testing.assert_array_equal(perm, dl.data.pixel_permutation(784, seed=42))
    assert not np.array_equal(perm, dl.data.pixel_permutation(784, seed=43))
    assert not np.array_equal(perm, np.arange(784))


@pytest.mark.parametrize("shape", [(5, 28, 28), (5, 28, 28, 1), (5, 784), (3, 4, 4)])
def test_shuffle_pixels_keeps_shape_and_dtype(shape):
    rng = np.random.default_rng(0)
    for dtype in (np.uint8, np.float32):
        images = (rng.random(shape) * 255).astype(dtype)
        out = dl.data.shuffle_pixels(images)
        assert out.shape == images.shape and out.dtype == images.dtype
        # only moved: the same values in every image
        flat_in, flat_out = images.reshape(len(images), -1), out.reshape(len(out), -1)
        np.testing.assert_array_equal(np.sort(flat_in, axis=1), np.sort(flat_out, axis=1))


def test_shuffle_pixels_moves_every_image_alike_and_is_invertible():
    (x, _), _ = dl.data.load_mnist()
    images = x[:50]
    out = dl.data.shuffle_pixels(images, seed=7)
    perm = dl.data.pixel_permutation(784, seed=7)
    np.testing.assert_array_equal(out.reshape(50, 784), images.reshape(50, 784)[:, perm])
    # the same result image by image: one permutation for all
    np.testing.assert_array_equal(out[13], dl.data.shuffle_pixels(images[13:14], seed=7)[0])
    back = out.reshape(50, 784)[:, np.argsort(perm)].reshape(50, 28, 28)
    np.testing.assert_array_equal(back, images)
    # the 4-D and flat layouts give the same shuffle as the 3-D one
    np.testing.assert_array_equal(dl.data.shuffle_pixels(images[..., None], seed=7)[..., 0], out)
    np.testing.assert_array_equal(dl.data.shuffle_pixels(images.reshape(50, 784), seed=7), out.reshape(50, 784))
    assert not np.array_equal(out, images)


def test_shuffle_pixels_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(n, h, h\), \(n, h, h, 1\) or \(n, h\*h\).*got \(28, 28\)"):
        dl.data.shuffle_pixels(np.zeros((28, 28)))
    with pytest.raises(ValueError, match="got \\(2, 28, 27\\)"):
        dl.data.shuffle_pixels(np.zeros((2, 28, 27)))
    with pytest.raises(ValueError, match="got \\(2, 28, 28, 3\\)"):
        dl.data.shuffle_pixels(np.zeros((2, 28, 28, 3)))
    with pytest.raises(ValueError, match="empty"):
        dl.data.shuffle_pixels(np.zeros((0, 784)))
    with pytest.raises(TypeError, match="numpy array, got list"):
        dl.data.shuffle_pixels([[0.0] * 784])
    with pytest.raises(TypeError, match="seed must be an integer, got float"):
        dl.data.shuffle_pixels(np.zeros((1, 784)), seed=1.5)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        dl.data.pixel_permutation(784, seed=-1)
    with pytest.raises(ValueError, match="n_pixels must be >= 1"):
        dl.data.pixel_permutation(0)


def test_random_patches():
    img = np.arange(6 * 7 * 2).reshape(6, 7, 2)
    p = dl.data.random_patches(img, 3, 50, seed=4)
    assert p.shape == (50, 3, 3, 2)
    # every patch is a contiguous window of the image
    for patch in p[:10]:
        r, c = np.argwhere(img[..., 0] == patch[0, 0, 0])[0]
        assert np.array_equal(patch, img[r:r + 3, c:c + 3])
    assert np.array_equal(p, dl.data.random_patches(img, 3, 50, seed=4))
    with pytest.raises(ValueError, match="size must be <= 6"):
        dl.data.random_patches(img, 7, 1)
    with pytest.raises(ValueError, match="shape"):
        dl.data.random_patches(np.zeros(5), 1, 1)
