"""The data sets the book uses, shipped inside the package and checksummed.

Nothing here touches the network: the files lie next to this module, and each
is checked against its sha256 before it is read.
"""

import csv
import hashlib
from pathlib import Path

import numpy as np

from .._checks import check_int
from ..seeds import seed as shifted_seed

__all__ = ["load_mnist", "load_banknote", "split", "make_bars", "load_grace_hopper",
           "random_patches", "pixel_permutation", "shuffle_pixels", "BANKNOTE_FEATURES", "DataFileError"]

#: Folder that holds the data files (tests point it elsewhere).
DATA_DIR = Path(__file__).resolve().parent

_SHA256 = {
    "mnist.npz": "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64",
    "banknote_authentication.csv": "a4e6eb57f00dc0c5696badf6553001e8871644b5b98ab1b2869054af1d255125",
}

#: Feature columns of the banknote data, in file order.
BANKNOTE_FEATURES = ("variance", "skewness", "curtosis", "entropy")

# Files already verified in this process, keyed by (path, size, mtime), so a
# chapter that loads MNIST five times hashes 11 MB once.
_verified = set()


class DataFileError(ValueError):
    """A bundled data file is corrupt (its checksum does not match)."""


def _verified_path(name):
    path = Path(DATA_DIR) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"dlbook data file {name!r} is missing: expected it at {path}. "
            "Reinstall dlbook from the repository (pip install -e code)."
        )
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _verified:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != _SHA256[name]:
            raise DataFileError(
                f"dlbook data file {name!r} at {path} is corrupt: its sha256 is "
                f"{digest}, expected {_SHA256[name]}. Restore it from the repository."
            )
        _verified.add(key)
    return path


def load_mnist():
    """Load the MNIST digits, as ``keras.datasets.mnist.load_data()`` does.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : tuple of tuples of ndarray
        ``x_train`` (60000, 28, 28) uint8, ``y_train`` (60000,) uint8,
        ``x_test`` (10000, 28, 28) uint8, ``y_test`` (10000,) uint8.

    Raises
    ------
    FileNotFoundError
        If the bundled file is missing.
    DataFileError
        If the bundled file does not match its checksum.
    """
    with np.load(_verified_path("mnist.npz"), allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def load_banknote(features=("skewness", "entropy")):
    """Load the UCI banknote authentication data (1372 notes).

    Parameters
    ----------
    features : str or sequence of str, default ("skewness", "entropy")
        Columns to return, in this order; any of :data:`BANKNOTE_FEATURES`.
        The default gives the lecture's x1 (skewness) and x2 (entropy).

    Returns
    -------
    X : ndarray of float64, shape (1372, len(features))
    y : ndarray of int64, shape (1372,)
        0 = genuine (762 notes), 1 = forged (610 notes).

    Raises
    ------
    ValueError
        If a feature name is unknown or none is given.
    """
    if isinstance(features, str):
        features = (features,)
    try:
        features = tuple(features)
    except TypeError:
        raise TypeError(
            f"features must be a feature name or a sequence of them, got {type(features).__name__}"
        ) from None
    if not features:
        raise ValueError(f"features must name at least one of {list(BANKNOTE_FEATURES)}")
    unknown = [f for f in features if f not in BANKNOTE_FEATURES]
    if unknown:
        raise ValueError(
            f"unknown banknote feature(s) {unknown}; valid features are {list(BANKNOTE_FEATURES)}"
        )
    with open(_verified_path("banknote_authentication.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    X = body[:, [header.index(f) for f in features]]
    y = body[:, header.index("class")].astype(np.int64)
    return X, y


def split(*arrays, fractions=(0.8, 0.2), seed=0):
    """Shuffle rows once and cut them into parts (e.g. train, validation, test).

    Parameters
    ----------
    *arrays : array_like
        Arrays with the same number of rows, split alike (e.g. ``X, y``).
    fractions : sequence of float, default (0.8, 0.2)
        Share of the rows in each part; positive, summing to 1.
    seed : int, default 0
        Seed of the shuffle. ``DLBOOK_SEED_SHIFT`` is
        added to it (see ``dlbook.seeds``).

    Returns
    -------
    list of tuple
        One tuple per part, holding that part of each array:
        ``[(X_train, y_train), (X_test, y_test)]``.
    """
    if not arrays:
        raise ValueError("split needs at least one array")
    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"arrays must have the same number of rows, got {[len(a) for a in arrays]}")
    fractions = np.asarray(fractions, dtype=np.float64)
    if fractions.ndim != 1 or len(fractions) < 2 or np.any(fractions <= 0) or not np.isclose(fractions.sum(), 1):
        raise ValueError(f"fractions must be two or more positive numbers summing to 1, got {fractions.tolist()}")
    seed = shifted_seed(seed)
    order = np.random.default_rng(seed).permutation(n)
    cuts = np.round(np.cumsum(fractions)[:-1] * n).astype(int)
    return [tuple(a[idx] for a in arrays) for idx in np.split(order, cuts)]


def make_bars(n, size=50, n_bars=10, length=(5, 15), seed=0):
    """Images of random bars, for the "art lover" CNN.

    Each image holds ``n_bars`` bars of one pixel width, all vertical (class
    1, the art the art lover likes) or all horizontal (class 0), at random
    positions and of random lengths, on a black background. The classes
    alternate, so any ``n`` gives balanced classes.

    Parameters
    ----------
    n : int
        Number of images.
    size : int, default 50
        Images are ``size`` x ``size`` pixels.
    n_bars : int, default 10
    length : (int, int), default (5, 15)
        Smallest and largest bar length in pixels (inclusive).
    seed : int, default 0

    Returns
    -------
    X : ndarray of float32, shape (n, size, size, 1), values 0 or 1
    y : ndarray of int64, shape (n,); 1 = vertical bars, 0 = horizontal
    """
    n = check_int("n", n, 1)
    size = check_int("size", size, 2)
    n_bars = check_int("n_bars", n_bars, 1)
    lo, hi = (check_int("length", v, 1, size) for v in length)
    if lo > hi:
        raise ValueError(f"length must be (smallest, largest), got {length}")
    seed = shifted_seed(seed)
    rng = np.random.default_rng(seed)
    X = np.zeros((n, size, size), dtype=np.float32)
    y = np.arange(n, dtype=np.int64) % 2
    lengths = rng.integers(lo, hi + 1, size=(n, n_bars))
    across = rng.integers(0, size, size=(n, n_bars))       # which row or column
    along = rng.integers(0, size - lengths + 1)            # where the bar starts
    for i in range(n):
        for a, s, l in zip(across[i], along[i], lengths[i]):
            if y[i] == 1:
                X[i, s:s + l, a] = 1.0   # vertical: a column
            else:
                X[i, a, s:s + l] = 1.0   # horizontal: a row
    return X[..., None], y


def load_grace_hopper(block=4, gray=False):
    """The photograph of Grace Hopper that matplotlib ships, as floats in [0, 1].

    Parameters
    ----------
    block : int, default 4
        Shrink by averaging ``block`` x ``block`` pixel blocks (the original
        is 600 x 512); 1 keeps the full size.
    gray : bool, default False
        Return the mean of the three colour channels, shape (H, W).

    Returns
    -------
    ndarray of float64, shape (H, W, 3), or (H, W) if ``gray``
    """
    import matplotlib.cbook as cbook
    import matplotlib.image as mpimg

    block = check_int("block", block, 1, 100)
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        img = mpimg.imread(f, format="jpg").astype(np.float64) / 255.0
    h, w = (img.shape[0] // block) * block, (img.shape[1] // block) * block
    img = img[:h, :w].reshape(h // block, block, w // block, block, 3).mean(axis=(1, 3))
    return img.mean(axis=2) if gray else img


def random_patches(image, size, n, seed=0):
    """Square patches cut from random positions of an image.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    size : int
        Side length of a patch, at most the image's height and width.
    n : int
        Number of patches.
    seed : int, default 0

    Returns
    -------
    ndarray, shape (n, size, size) or (n, size, size, C)
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got {image.shape}")
    size = check_int("size", size, 1, min(image.shape[:2]))
    n = check_int("n", n, 1)
    seed = shifted_seed(seed)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, image.shape[0] - size + 1, n)
    cols = rng.integers(0, image.shape[1] - size + 1, n)
    offsets = np.arange(size)
    return image[(rows[:, None] + offsets)[:, :, None], (cols[:, None] + offsets)[:, None, :]]


def pixel_permutation(n_pixels, seed=42):
    """The permutation of pixel positions that :func:`shuffle_pixels` applies.

    Parameters
    ----------
    n_pixels : int
        Number of pixels per image (784 for MNIST).
    seed : int, default 42
        Seed of the permutation (the course's notebooks use 42). ``DLBOOK_SEED_SHIFT`` is
        added to it (see ``dlbook.seeds``).

    Returns
    -------
    ndarray of int64, shape (n_pixels,)
        ``perm``: pixel ``j`` of a shuffled image is pixel ``perm[j]`` of the
        original; ``np.argsort(perm)`` undoes it.
    """
    n_pixels = check_int("n_pixels", n_pixels, 1)
    seed = shifted_seed(seed)
    return np.random.default_rng(seed).permutation(n_pixels)


def shuffle_pixels(images, seed=42):
    """Move the pixels of every image to new places, the same places for all images.

    Parameters
    ----------
    images : ndarray, shape (n, 28, 28), (n, 28, 28, 1) or (n, 784)
        A batch of images; any square size works (``(n, h, h)``,
        ``(n, h, h, 1)`` or ``(n, h * h)``).
    seed : int, default 42
        Seed of the permutation, see :func:`pixel_permutation`. ``DLBOOK_SEED_SHIFT`` is
        added to it (see ``dlbook.seeds``).

    Returns
    -------
    ndarray
        Same shape and dtype as ``images``; pixel ``j`` of every image (in
        reading order) is pixel ``pixel_permutation(h * h, seed)[j]`` of the
        original.
    """
    if not isinstance(images, np.ndarray):
        raise TypeError(f"images must be a numpy array, got {type(images).__name__}")
    shape = images.shape
    square = (len(shape) == 3 and shape[1] == shape[2]) or (
        len(shape) == 4 and shape[1] == shape[2] and shape[3] == 1)
    flat = len(shape) == 2 and shape[1] > 0 and round(shape[1] ** 0.5) ** 2 == shape[1]
    if not (square or flat):
        hint = "; for a single image, pass images[None]" if len(shape) == 2 else ""
        raise ValueError("images must have shape (n, h, h), (n, h, h, 1) or (n, h*h), "
                         f"e.g. (n, 28, 28) or (n, 784); got {shape}{hint}")
    if shape[0] == 0:
        raise ValueError(f"images is empty (shape {shape}); give at least one image")
    n_pixels = int(np.prod(shape[1:]))
    perm = pixel_permutation(n_pixels, seed)
    return images.reshape(shape[0], n_pixels)[:, perm].reshape(shape)
