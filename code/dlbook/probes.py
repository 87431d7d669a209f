"""Probes that look inside a trained network, as a physiologist would.

Hubel and Wiesel showed bars of light to a cat and recorded how strongly a
neuron fired at each orientation. :func:`bar` draws such a stimulus,
:func:`tuning_curves` measures how strongly each filter of a convolution layer
responds to it at every angle, and :func:`orientation_selectivity` condenses a
tuning curve into one number. :func:`top_patches` answers "which inputs
activate this feature map most?" with the image patches a unit sees.
"""

import numpy as np

from ._checks import check_int, check_real
from .scratch import conv2d

__all__ = ["bar", "tuning_curves", "orientation_selectivity", "top_patches"]


def bar(angle, size=28, width=2.0):
    """A bright bar through the centre of a dark square image.

    Parameters
    ----------
    angle : float
        Orientation in degrees, counter-clockwise from horizontal as the image
        is displayed (rows run downwards): 0 is a horizontal bar, 90 a
        vertical one, 45 runs from the lower left to the upper right.
    size : int, default 28
        Side length of the image in pixels.
    width : float, default 2.0
        Width of the bar in pixels; its edges are anti-aliased.

    Returns
    -------
    ndarray of float64, shape (size, size), values in [0, 1]
    """
    angle = check_real("angle", angle)
    size = check_int("size", size, 3)
    width = check_real("width", width, 0.5, size)
    rows, cols = np.mgrid[:size, :size] - (size - 1) / 2
    t = np.deg2rad(angle)
    # distance of each pixel centre from the line through the centre with
    # direction (cos t, -sin t) in (column, row) coordinates
    dist = np.abs(cols * np.sin(t) + rows * np.cos(t))
    return np.clip(width / 2 + 0.5 - dist, 0.0, 1.0)


def _kernels(kernels, bias):
    k = np.asarray(kernels, dtype=np.float64)
    if k.ndim == 2:
        k = k[:, :, None, None]
    if k.ndim != 4:
        raise ValueError(f"kernels must have shape (kh, kw) or (kh, kw, channels, filters) "
                         f"(Keras' layout), got shape {k.shape}")
    b = np.zeros(k.shape[3]) if bias is None else np.asarray(bias, dtype=np.float64).reshape(-1)
    if b.shape != (k.shape[3],):
        raise ValueError(f"bias must have one value per filter ({k.shape[3]}), got shape {b.shape}")
    return k, b


def tuning_curves(kernels, bias=None, angles=None, size=28, width=2.0):
    """Each filter's response to a bar at every angle.

    The response of a filter to a stimulus is the largest value of its output
    map after ReLU, ``max(0, max over positions of (w * x + b))``: the bar
    crosses the whole image, so every position along it and every offset
    across it is tried, and the strongest match counts (as for a cell that
    fires wherever in its field the bar lies).

    Parameters
    ----------
    kernels : array_like, shape (kh, kw) or (kh, kw, channels, filters)
        The weights of a convolution layer in Keras' layout; a bar is shown
        equally in every input channel.
    bias : array_like of shape (filters,), optional
        The layer's biases (default: none).
    angles : array_like of float, optional
        Bar orientations in degrees (default: 0, 5, ..., 175).
    size : int, default 28
        Side of the stimulus image; at least twice the kernel size.
    width : float, default 2.0
        Width of the bar in pixels.

    Returns
    -------
    ndarray of float64, shape (len(angles), filters)
    """
    k, b = _kernels(kernels, bias)
    angles = np.arange(0, 180, 5.0) if angles is None else np.asarray(angles, dtype=np.float64)
    if angles.ndim != 1 or len(angles) == 0:
        raise ValueError(f"angles must be a non-empty 1-D sequence of degrees, got shape {angles.shape}")
    size = check_int("size", size, 3)
    if size < 2 * max(k.shape[:2]):
        raise ValueError(f"size must be at least twice the kernel size {k.shape[:2]}, got {size}")
    out = np.empty((len(angles), k.shape[3]))
    for i, a in enumerate(angles):
        stim = np.repeat(bar(a, size, width)[:, :, None], k.shape[2], axis=2)
        out[i] = np.maximum(conv2d(stim, k, b), 0.0).max(axis=(0, 1))
    return out


def orientation_selectivity(curves, angles):
    """Orientation selectivity index and preferred angle of tuning curves.

    ``OSI = (R_pref - R_orth) / (R_pref + R_orth)``, where ``R_pref`` is the
    response at the preferred orientation and ``R_orth`` the response at the
    orientation 90 degrees away. It is 0 for a filter that responds equally
    to both and 1 for one that does not respond at all to the orthogonal bar;
    1/3 means the preferred bar gets twice the response of the orthogonal
    one. A filter that never responds gets 0.

    The preferred orientation is the mean direction of the curve (the angle
    of ``sum R(a) exp(2i a)``, halved, since orientations repeat after 180
    degrees), rounded to the nearest measured angle. Unlike the largest
    response it is not thrown off by a flat top: a Sobel kernel responds
    equally to several angles around its edge's orientation, and the mean
    picks the middle.

    Parameters
    ----------
    curves : array_like, shape (len(angles),) or (len(angles), filters)
        Non-negative responses, as :func:`tuning_curves` returns them.
    angles : array_like of float
        Equally spaced angles covering [0, 180) degrees, an even number of
        them, so that each angle's orthogonal one is also measured.

    Returns
    -------
    osi : ndarray of float64, shape (filters,) (or a float for one curve)
    preferred : ndarray of float64, the preferred angle in [0, 180)
    """
    r = np.asarray(curves, dtype=np.float64)
    single = r.ndim == 1
    r = r[:, None] if single else r
    a = np.asarray(angles, dtype=np.float64)
    if r.ndim != 2 or a.ndim != 1 or r.shape[0] != len(a):
        raise ValueError(f"curves must have one row per angle: got curves of shape {np.shape(curves)} "
                         f"and {a.size} angles")
    n = len(a)
    step = 180.0 / n if n else 0.0
    if n < 2 or n % 2 or not np.allclose(np.sort(a % 180), a[0] % 180 + step * np.arange(n)):
        raise ValueError(f"angles must be an even number of equally spaced angles covering [0, 180) "
                         f"degrees (e.g. 0, 5, ..., 175), got {a.tolist()}")
    if np.any(r < 0):
        raise ValueError("responses must be non-negative (after ReLU), got a negative value")
    order = np.argsort(a % 180)
    r, a = r[order], a[order] % 180
    mean_dir = np.angle(np.exp(2j * np.deg2rad(a)) @ r) / 2      # radians, per filter
    pref = np.round((np.rad2deg(mean_dir) % 180 - a[0]) / step).astype(int) % n
    cols = np.arange(r.shape[1])
    r_pref, r_orth = r[pref, cols], r[(pref + n // 2) % n, cols]
    total = r_pref + r_orth
    # the mean direction can miss the peak of an odd-shaped curve; an index
    # below 0 would then mean "prefers the orthogonal bar", so 0 it is
    osi = np.clip(np.divide(r_pref - r_orth, total, out=np.zeros_like(total), where=total > 0), 0, 1)
    return (float(osi[0]), float(a[pref[0]])) if single else (osi, a[pref])


def top_patches(images, maps, size, jump, start, k=9, batch=1000):
    """The input patches that activate each channel of a layer most.

    For every channel, the ``k`` images with the largest activation anywhere
    in that channel's map are taken (one patch per image, so that a single
    image cannot fill the list), and the input region the strongest unit sees,
    its receptive field, is cut out; pixels outside the image are 0.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, C)
    maps : array_like, shape (N, h, w, channels), or callable
        The layer's output for these images; or a function ``maps(i, j)``
        that returns it for ``images[i:j]``, called for ``batch`` images at a
        time, so that the maps of all images need not be in memory at once.
    size, jump, start : pair of numbers
        Receptive field size, jump and centre of the first unit, each as
        (rows, columns), as :func:`dlbook.receptive_field` reports them.
    k : int, default 9
    batch : int, default 1000
        Images per call of ``maps`` when it is a function.

    Returns
    -------
    patches : ndarray, shape (channels, k, size_rows, size_cols[, C])
    values : ndarray, shape (channels, k), the activations, largest first
    which : ndarray of int, shape (channels, k), the image indices
    """
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, C), got {images.shape}")
    n = images.shape[0]
    if callable(maps):
        batch = check_int("batch", batch, 1)
        chunks = ((i, maps(i, min(i + batch, n))) for i in range(0, n, batch))
    else:
        maps = np.asarray(maps)
        if maps.ndim != 4 or maps.shape[0] != n:
            raise ValueError(f"maps must have shape (N, h, w, channels) with N = {n} images, "
                             f"got {maps.shape}")
        # numpy's reductions over the middle axis copy their input: a few
        # hundred images at a time keep that copy small
        chunks = ((i, maps[i:i + 256]) for i in range(0, n, 256))
    (sr, sc), (jr, jc), (st_r, st_c) = (_pair(n_, v) for n_, v in
                                        (("size", size), ("jump", jump), ("start", start)))
    sr, sc = check_int("size[0]", int(sr), 1), check_int("size[1]", int(sc), 1)
    k = check_int("k", k, 1, n)
    best_pos = best_val = None
    for i, chunk in chunks:
        chunk = np.asarray(chunk)
        stop = min(i + (batch if callable(maps) else 256), n)
        if chunk.ndim != 4 or chunk.shape[0] != stop - i or (
                best_val is not None and chunk.shape[1:] != (h, w, ch)):
            raise ValueError(f"maps({i}, {stop}) must have shape ({stop - i}, h, w, channels), "
                             f"the same h, w, channels for every call; got {chunk.shape}")
        if best_val is None:
            _, h, w, ch = chunk.shape
            best_pos = np.empty((n, ch), dtype=np.intp)     # strongest unit per image, channel
            best_val = np.empty((n, ch), dtype=chunk.dtype)
        flat = chunk.reshape(len(chunk), h * w, ch)
        best_pos[i:stop] = flat.argmax(axis=1)
        best_val[i:stop] = flat.max(axis=1)
    which = np.argsort(-best_val, axis=0, kind="stable")[:k].T   # (channels, k)
    pad = max(sr, sc)
    padded = np.pad(images, [(0, 0), (pad, pad), (pad, pad)] + [(0, 0)] * (images.ndim - 3))
    patches = np.empty((ch, k, sr, sc) + images.shape[3:], dtype=images.dtype)
    values = np.empty((ch, k), dtype=best_val.dtype)
    for c in range(ch):
        for j, i in enumerate(which[c]):
            u, v = divmod(int(best_pos[i, c]), w)
            top = int(round(st_r + u * jr - (sr - 1) / 2)) + pad
            left = int(round(st_c + v * jc - (sc - 1) / 2)) + pad
            patches[c, j] = padded[i, top:top + sr, left:left + sc]
            values[c, j] = best_val[i, c]
    return patches, values, which


def _pair(name, v):
    if np.ndim(v) == 0:
        v = (v, v)
    if len(v) != 2:
        raise ValueError(f"{name} must be a number or a (rows, columns) pair, got {v!r}")
    return tuple(float(x) for x in v)
