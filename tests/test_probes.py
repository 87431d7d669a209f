"""dl.probes: stimuli, tuning curves, selectivity and top patches."""

import numpy as np
import pytest

import dlbook as dl

ANGLES = np.arange(0, 180, 5.0)
SOBEL_Y = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=float)   # horizontal edges


def test_bar_orientation_convention():
    assert np.allclose(dl.probes.bar(0, 8)[3:5], 1) and dl.probes.bar(0, 8).sum() == pytest.approx(16)  # rows 3, 4
    assert np.allclose(dl.probes.bar(90, 8)[:, 3:5], 1) and dl.probes.bar(90, 8).sum() == pytest.approx(16)  # columns 3, 4
    b = dl.probes.bar(45, 9, width=1)
    # 45 degrees runs from the lower left to the upper right as displayed
    assert b[8, 0] == pytest.approx(1) and b[0, 8] == pytest.approx(1) and b[0, 0] == 0 and b[8, 8] == 0
    assert b.min() >= 0 and b.max() <= 1


@pytest.mark.parametrize("kernel, expected", [
    (SOBEL_Y, 0), (SOBEL_Y.T, 90),
    (np.eye(5)[::-1], 45), (np.eye(5), 135),
])
def test_known_kernels_prefer_their_orientation(kernel, expected):
    osi, pref = dl.probes.orientation_selectivity(dl.probes.tuning_curves(kernel, angles=ANGLES)[:, 0], ANGLES)
    assert pref == expected
    assert osi > 1 / 3


def test_sobel_flat_top_peaks_in_the_middle():
    # the vertical-edge Sobel responds equally from 70 to 110 degrees; the
    # largest response alone would say 70, the mean direction says 90
    curve = dl.probes.tuning_curves(SOBEL_Y.T, angles=ANGLES)[:, 0]
    assert curve[ANGLES == 70] == pytest.approx(curve.max())
    assert dl.probes.orientation_selectivity(curve, ANGLES)[1] == 90


def test_osi_values():
    curves = np.array([[4.0, 1, 0, 2], [2.5, 1, 0, 2], [1.0, 1, 0, 2], [2.5, 1, 0, 2]])
    osi, pref = dl.probes.orientation_selectivity(curves, [0, 45, 90, 135])
    assert osi[0] == pytest.approx(0.6) and pref[0] == 0
    assert osi[1] == 0 and osi[2] == 0 and osi[3] == 0   # flat or silent filters


def test_tuning_curves_match_keras_conv2d():
    import keras

    rng = np.random.default_rng(0)
    k, b = rng.normal(size=(5, 5, 3, 4)), rng.normal(size=4)
    layer = keras.layers.Conv2D(4, 5, activation="relu")
    layer.build((None, 20, 20, 3))
    layer.set_weights([k.astype("float32"), b.astype("float32")])
    stim = np.stack([np.repeat(dl.probes.bar(a, 20)[..., None], 3, axis=2) for a in ANGLES])
    expected = np.asarray(layer(stim.astype("float32"))).max(axis=(1, 2))
    got = dl.probes.tuning_curves(k, b, ANGLES, size=20)
    assert np.allclose(got, expected, atol=1e-4)


def test_probe_errors():
    with pytest.raises(ValueError, match="even number of equally spaced"):
        dl.probes.orientation_selectivity(np.ones((3, 2)), [0, 60, 120])
    with pytest.raises(ValueError, match="one row per angle"):
        dl.probes.orientation_selectivity(np.ones((4, 2)), [0, 90])
    with pytest.raises(ValueError, match="non-negative"):
        dl.probes.orientation_selectivity(-np.ones((2, 1)), [0, 90])
    with pytest.raises(ValueError, match="Keras' layout"):
        dl.probes.tuning_curves(np.ones((3, 3, 1)))
    with pytest.raises(ValueError, match="one value per filter"):
        dl.probes.tuning_curves(np.ones((3, 3, 1, 2)), bias=[1.0])
    with pytest.raises(ValueError, match="twice the kernel size"):
        dl.probes.tuning_curves(np.ones((9, 9)), size=10)
    with pytest.raises(TypeError, match="angle must be a number"):
        dl.probes.bar("0")


def test_top_patches_cuts_the_field_of_the_strongest_unit():
    images = np.zeros((5, 10, 10))
    maps = np.zeros((5, 8, 8, 2))                  # a 3x3 valid convolution: start 1, jump 1
    maps[3, 2, 5, 0] = 9.0                         # image 3, unit (2, 5): input rows 2-4, cols 5-7
    maps[1, 0, 0, 0] = 4.0
    maps[:, :, :, 1] = np.arange(5)[:, None, None]   # channel 1: image 4 strongest
    images[3, 2:5, 5:8] = np.arange(9).reshape(3, 3)
    patches, values, which = dl.probes.top_patches(images, maps, 3, 1, 1, k=2)
    assert patches.shape == (2, 2, 3, 3)
    assert which[0].tolist() == [3, 1] and values[0].tolist() == [9.0, 4.0]
    assert np.array_equal(patches[0, 0], np.arange(9).reshape(3, 3))
    assert which[1].tolist() == [4, 3]


def test_top_patches_over_many_images_matches_a_direct_search():
    # more images than one reduction chunk, so chunk borders are crossed
    rng = np.random.default_rng(0)
    images = rng.random((600, 12, 12)).astype("float32")
    maps = rng.random((600, 10, 10, 3)).astype("float32")
    patches, values, which = dl.probes.top_patches(images, maps, 3, 1, 1, k=5)
    for c in range(3):
        best = maps[..., c].reshape(600, -1).max(axis=1)
        assert which[c].tolist() == np.argsort(-best, kind="stable")[:5].tolist()
        assert np.array_equal(values[c], best[which[c]])
        for j, i in enumerate(which[c]):
            u, v = divmod(int(maps[i, :, :, c].argmax()), 10)
            assert np.array_equal(patches[c, j], images[i, u:u + 3, v:v + 3])


def test_top_patches_from_a_function_equals_from_the_array():
    rng = np.random.default_rng(1)
    images = rng.random((70, 9, 9))
    maps = rng.random((70, 7, 7, 2))
    calls = []

    def lazy(i, j):
        calls.append((i, j))
        return maps[i:j]

    direct = dl.probes.top_patches(images, maps, 3, 1, 1, k=4)
    chunked = dl.probes.top_patches(images, lazy, 3, 1, 1, k=4, batch=32)
    assert calls == [(0, 32), (32, 64), (64, 70)]
    for a, b in zip(direct, chunked):
        assert np.array_equal(a, b)
    with pytest.raises(ValueError, match=r"maps\(0, 32\) must have shape \(32, h, w"):
        dl.probes.top_patches(images, lambda i, j: maps[i:j + 1], 3, 1, 1, batch=32)
    with pytest.raises(ValueError, match=r"maps\(32, 64\)"):
        dl.probes.top_patches(images, lambda i, j: maps[i:j, :, :, :i // 32 + 1], 3, 1, 1, batch=32)


def test_top_patches_pads_outside_the_image():
    images = np.ones((1, 4, 4))
    maps = np.zeros((1, 4, 4, 1))
    maps[0, 0, 0, 0] = 1.0                         # 'same' 3x3: field centred on pixel (0, 0)
    patches, _, _ = dl.probes.top_patches(images, maps, (3, 3), (1, 1), (0, 0), k=1)
    assert patches[0, 0].tolist() == [[0, 0, 0], [0, 1, 1], [0, 1, 1]]


def test_top_patches_errors():
    with pytest.raises(ValueError, match="maps must have shape"):
        dl.probes.top_patches(np.zeros((2, 5, 5)), np.zeros((3, 3, 3, 1)), 3, 1, 1)
    with pytest.raises(ValueError, match="pair"):
        dl.probes.top_patches(np.zeros((2, 5, 5)), np.zeros((2, 3, 3, 1)), (3, 3, 3), 1, 1)
    with pytest.raises(ValueError, match="k must be <= 2"):
        dl.probes.top_patches(np.zeros((2, 5, 5)), np.zeros((2, 3, 3, 1)), 3, 1, 1, k=5)
