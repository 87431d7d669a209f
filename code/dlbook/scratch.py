"""From-scratch numpy versions of what the frameworks compute, for teaching.

Each function here is tested against TensorFlow on the same inputs
(tests/test_scratch.py); :func:`fast_ica`, which TensorFlow does not have, is
tested on mixtures whose sources are known.
"""

import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import check_choice, check_int, check_real
from .seeds import seed as shifted_seed

__all__ = ["softmax", "cross_entropy", "conv2d", "max_pool2d", "output_size", "fast_ica"]


def _array(name, x, ndims=None):
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array, got {type(x).__name__}") from None
    if ndims is not None and a.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimensions, got shape {a.shape}")
    return a


def softmax(z, axis=-1):
    """Softmax along ``axis``, numerically stable.

    Subtracting the maximum before exponentiating changes nothing
    mathematically (it cancels in the ratio) but keeps ``exp`` from
    overflowing for large logits.

    Parameters
    ----------
    z : array_like
        Logits.
    axis : int, default -1

    Returns
    -------
    ndarray of float64, same shape as ``z``; sums to 1 along ``axis``.
    """
    z = _array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension, got a scalar")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis {axis} is out of range for z of shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite (no nan or inf)")
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(p, y, reduction="mean", eps=0.0):
    """Categorical cross-entropy D(p, y) = -sum_k y_k log p_k.

    Parameters
    ----------
    p : array_like, shape (n, K)
        Predicted probabilities; each row non-negative and summing to 1.
    y : array_like, shape (n,) of int or (n, K)
        The true classes as integers in ``0..K-1``, or as one-hot (or any
        probability) rows. Integer labels give the same value as their
        one-hot encoding.
    reduction : {"mean", "none"}, default "mean"
        The mean over the rows, or one loss per row.
    eps : float, default 0.0
        Clip ``p`` to ``[eps, 1 - eps]`` first, as Keras does with 1e-7;
        with 0 a zero probability for the true class gives ``inf``.

    Returns
    -------
    float or ndarray of shape (n,)
    """
    p = _array("p", p, ndims=(2,))
    check_choice("reduction", reduction, ("mean", "none"))
    eps = check_real("eps", eps, 0.0, 0.5)
    n, k = p.shape
    if n == 0 or k < 2:
        raise ValueError(f"p must have shape (n, K) with n >= 1 and K >= 2, got {p.shape}")
    bad_rows = ~np.isfinite(p).all(axis=1) | (p < 0).any(axis=1) | ~np.isclose(p.sum(axis=1), 1.0, atol=1e-6)
    if bad_rows.any():
        bad = int(np.flatnonzero(bad_rows)[0])
        raise ValueError(f"each row of p must be a probability vector (>= 0, sum 1); row {bad} is {p[bad]}")
    y_raw = np.asarray(y)
    if y_raw.ndim == 1:
        if y_raw.shape[0] != n:
            raise ValueError(f"y has {y_raw.shape[0]} labels but p has {n} rows")
        if not (np.issubdtype(y_raw.dtype, np.integer) or
                (np.issubdtype(y_raw.dtype, np.floating) and np.all(y_raw == np.round(y_raw)))):
            raise ValueError(f"integer labels must be whole numbers, got dtype {y_raw.dtype}")
        labels = y_raw.astype(np.int64)
        if labels.min() < 0 or labels.max() >= k:
            raise ValueError(f"labels must lie in 0..{k - 1} for {k} classes, got values from "
                             f"{labels.min()} to {labels.max()}")
        target = np.eye(k)[labels]
    elif y_raw.ndim == 2:
        target = _array("y", y_raw)
        if target.shape != p.shape:
            raise ValueError(f"one-hot y must have the shape of p {p.shape}, got {target.shape}")
        if np.any(target < 0) or not np.allclose(target.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError("each row of one-hot y must be >= 0 and sum to 1")
    else:
        raise ValueError(f"y must be integer labels (n,) or one-hot rows (n, K), got shape {y_raw.shape}")
    if eps:
        p = np.clip(p, eps, 1 - eps)
    # 0 * log(0) counts as 0: classes with target 0 do not contribute, so take
    # the log only where the target is positive (log 1 = 0 elsewhere).
    with np.errstate(divide="ignore"):
        logp = np.log(np.where(target > 0, p, 1.0))
    losses = -np.sum(target * logp, axis=1)
    return float(losses.mean()) if reduction == "mean" else losses


def output_size(n, k, stride=1, padding="valid"):
    """Output length of a convolution or pooling along one axis (TensorFlow's rule).

    ``"valid"``: floor((n - k) / stride) + 1; ``"same"``: ceil(n / stride).
    """
    n, k = check_int("n", n, 1), check_int("k", k, 1)
    stride = check_int("stride", stride, 1)
    check_choice("padding", padding, ("valid", "same"))
    if padding == "same":
        return -(-n // stride)
    if k > n:
        raise ValueError(f"kernel size {k} is larger than the input size {n} under padding='valid'")
    return (n - k) // stride + 1


def _same_pads(n, k, stride):
    # TensorFlow pads the total needed, with the extra pixel (if odd) after.
    total = max((output_size(n, k, stride, "same") - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


def _pad_and_window(x, kh, kw, stride, padding, fill):
    """Windows of x (H, W, C) as (H', W', C, kh, kw), stride applied."""
    h, w = x.shape[:2]
    if padding == "same":
        (t, b), (l, r) = _same_pads(h, kh, stride), _same_pads(w, kw, stride)
        x = np.pad(x, ((t, b), (l, r), (0, 0)), constant_values=fill)
    else:
        for size, k, axis in ((h, kh, "height"), (w, kw, "width")):
            if k > size:
                raise ValueError(f"kernel {axis} {k} is larger than the input {axis} {size} "
                                 f"(input shape {x.shape}) under padding='valid'")
    win = sliding_window_view(x, (kh, kw), axis=(0, 1))
    return win[::stride, ::stride]


def conv2d(x, kernel, bias=0.0, stride=1, padding="valid"):
    """2-D convolution as deep-learning frameworks compute it (cross-correlation).

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C_in)
    kernel : array_like, shape (kh, kw) or (kh, kw, C_in, C_out)
        The Keras layout. A 2-D kernel goes with a 2-D image.
    bias : float or array_like of shape (C_out,), default 0.0
    stride : int, default 1
    padding : {"valid", "same"}, default "valid"
        ``"same"`` zero-pads as TensorFlow does (extra pixel at the end),
        also for even kernels and strides above 1.

    Returns
    -------
    ndarray of float64, shape (H', W') for a 2-D image, else (H', W', C_out)
    """
    x = _array("x", x, ndims=(2, 3))
    kernel = _array("kernel", kernel, ndims=(2, 4))
    stride = check_int("stride", stride, 1)
    check_choice("padding", padding, ("valid", "same"))
    flat = x.ndim == 2
    if flat != (kernel.ndim == 2):
        raise ValueError(f"a 2-D image needs a 2-D kernel and an (H, W, C) image a (kh, kw, C_in, C_out) "
                         f"kernel; got image {x.shape} and kernel {kernel.shape}")
    if flat:
        x, kernel = x[:, :, None], kernel[:, :, None, None]
    if kernel.shape[2] != x.shape[2]:
        raise ValueError(f"kernel has {kernel.shape[2]} input channels but the image has {x.shape[2]} "
                         f"(image {x.shape}, kernel {kernel.shape})")
    if 0 in kernel.shape[:2]:
        raise ValueError(f"kernel must be at least 1x1, got {kernel.shape}")
    bias = np.asarray(bias, dtype=np.float64)
    if bias.ndim > 1 or (bias.ndim == 1 and bias.shape[0] != kernel.shape[3]):
        raise ValueError(f"bias must be a number or have shape ({kernel.shape[3]},), got {bias.shape}")
    win = _pad_and_window(x, kernel.shape[0], kernel.shape[1], stride, padding, 0.0)
    out = np.einsum("hwcij,ijco->hwo", win, kernel) + bias
    return out[:, :, 0] if flat else out


def max_pool2d(x, size=2, stride=None, padding="valid"):
    """Max pooling over ``size`` x ``size`` windows, per channel.

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C)
    size : int, default 2
    stride : int, optional
        Defaults to ``size`` (non-overlapping windows), as in Keras.
    padding : {"valid", "same"}, default "valid"

    Returns
    -------
    ndarray of float64, shape (H', W') or (H', W', C)
    """
    x = _array("x", x, ndims=(2, 3))
    size = check_int("size", size, 1)
    stride = size if stride is None else check_int("stride", stride, 1)
    check_choice("padding", padding, ("valid", "same"))
    flat = x.ndim == 2
    if flat:
        x = x[:, :, None]
    # Padding with -inf lets padded pixels never win the maximum.
    win = _pad_and_window(x, size, size, stride, padding, -np.inf)
    out = win.max(axis=(3, 4))
    return out[:, :, 0] if flat else out


def fast_ica(X, n_components, seed=0, max_iter=300, tol=1e-4):
    """Independent component analysis with the FastICA fixed-point iteration.

    The data are centred and whitened with PCA (keeping ``n_components``
    directions), then an orthogonal unmixing matrix is found whose outputs
    are as far from Gaussian as possible (contrast ``log cosh``, all
    components at once with symmetric decorrelation; Hyvärinen 1999).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    n_components : int
        At most ``n_features``.
    seed : int, default 0
        Seed of the random initial unmixing matrix. ``DLBOOK_SEED_SHIFT`` is
        added to it (see ``dlbook.seeds``).
    max_iter : int, default 300
    tol : float, default 1e-4
        Stop when no row of the unmixing matrix turns by more than this
        (1 - |cos| of the angle between successive iterates).

    Returns
    -------
    filters : ndarray, shape (n_components, n_features)
        Rows ``w`` such that ``(X - mean) @ w`` are the independent components
        (each with unit variance).
    basis : ndarray, shape (n_features, n_components)
        The mixing matrix: ``X - mean`` is approximately ``components @ basis.T``.

    Warns
    -----
    RuntimeWarning
        If the iteration has not converged after ``max_iter`` steps.
    """
    X = _array("X", X, ndims=(2,))
    n, d = X.shape
    n_components = check_int("n_components", n_components, 1, d)
    seed = shifted_seed(seed)
    max_iter = check_int("max_iter", max_iter, 1)
    tol = check_real("tol", tol, 0)
    if n <= d:
        raise ValueError(f"X needs more samples than features, got shape {X.shape}")
    X = X - X.mean(axis=0)
    ev, vecs = np.linalg.eigh(np.cov(X, rowvar=False))
    ev, vecs = ev[::-1][:n_components], vecs[:, ::-1][:, :n_components]
    if ev[-1] <= 1e-12 * ev[0]:
        raise ValueError(f"X has fewer than n_components={n_components} directions with variance; "
                         "lower n_components")
    white = (vecs / np.sqrt(ev)).T                 # (c, d): whitened = X @ white.T
    Z = X @ white.T

    def decorrelate(W):                            # W <- (W W^T)^(-1/2) W
        s, u = np.linalg.eigh(W @ W.T)
        return (u / np.sqrt(s)) @ u.T @ W

    W = decorrelate(np.random.default_rng(seed).normal(size=(n_components, n_components)))
    for _ in range(max_iter):
        g = np.tanh(Z @ W.T)
        W_new = decorrelate(g.T @ Z / n - (1 - g**2).mean(axis=0)[:, None] * W)
        change = np.max(1 - np.abs(np.sum(W_new * W, axis=1)))
        W = W_new
        if change < tol:
            break
    else:
        warnings.warn(f"fast_ica did not converge in {max_iter} iterations (last change {change:.2g} > "
                      f"tol={tol}); raise max_iter", RuntimeWarning, stacklevel=2)
    filters = W @ white
    return filters, np.linalg.pinv(filters)
