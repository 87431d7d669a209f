"""Plot helpers. Each takes ``ax=None`` (a new figure if None) and returns the
axes; none calls ``plt.show()`` or changes rcParams."""

import numpy as np

from ._checks import check_int, check_real

__all__ = ["plot_history", "plot_decision_boundary", "show_image", "predict_proba",
           "plot_conv_step", "plot_conv_geometry", "confusion_matrix", "plot_confusion_matrix",
           "show_misclassified", "feature_map_mosaic", "show_feature_maps"]

#: Colours of the two banknote classes, kept the same across the book.
CLASS_COLORS = ("#1f77b4", "#d62728")


def _axes(ax, figsize=(5, 3.5)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_history(history, ax=None, metric="loss", title=None):
    """Learning curves: ``metric`` on the training data and, if recorded, on validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict of str -> list of float
    ax : matplotlib.axes.Axes, optional
    metric : str, default "loss"
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"history must be a Keras History or a dict, got {type(history).__name__}")
    if metric not in logs:
        raise ValueError(f"history has no {metric!r}; it records {sorted(logs)}")
    ax = _axes(ax)
    epochs = np.arange(1, len(logs[metric]) + 1)
    ax.plot(epochs, logs[metric], label=f"training {metric}", color="C0")
    if f"val_{metric}" in logs:
        ax.plot(epochs, logs[f"val_{metric}"], label=f"validation {metric}", color="C1")
    ax.set(xlabel="epoch", ylabel=metric, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def predict_proba(model, X):
    """Probability of class 1 for each row of ``X``, in one batched call.

    ``model`` is a Keras model or a callable; its output may be (n,), (n, 1)
    (a sigmoid) or (n, 2) (a softmax, column 1 is taken).
    """
    X = np.asarray(X, dtype=np.float32)
    if hasattr(model, "predict"):
        out = model.predict(X, batch_size=len(X), verbose=0)
    elif callable(model):
        out = model(X)
    else:
        raise TypeError(f"model must be a Keras model or a callable, got {type(model).__name__}")
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[1] == 2:
        return out[:, 1]
    if out.ndim == 2 and out.shape[1] == 1:
        return out[:, 0]
    if out.ndim == 1:
        return out
    raise ValueError(f"model output must have shape (n,), (n, 1) or (n, 2), got {out.shape}")


def plot_decision_boundary(model, X, y, ax=None, resolution=200, margin=0.5,
                           labels=("genuine", "forged"), xlabel="$x_1$", ylabel="$x_2$", title=None,
                           colorbar=True):
    """The model's probability of class 1 over the plane, its 0.5 contour, and the data.

    The whole grid is predicted in one batched call (the lecture's helper
    called ``predict`` once per grid point).

    Parameters
    ----------
    model : keras.Model or callable
        See :func:`predict_proba`.
    X : array_like, shape (n, 2)
    y : array_like, shape (n,) of 0/1
    ax : matplotlib.axes.Axes, optional
    resolution : int, default 200
        Grid points along each axis.
    margin : float, default 0.5
        Added around the data's range.
    colorbar : bool, default True
        Add a colour bar for the probability shading.

    Returns
    -------
    matplotlib.axes.Axes
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    resolution = check_int("resolution", resolution, 2, 2000)
    margin = check_real("margin", margin, 0)
    ax = _axes(ax)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    p = predict_proba(model, np.c_[g1.ravel(), g2.ravel()]).reshape(g1.shape)
    shading = ax.contourf(g1, g2, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35, vmin=0, vmax=1)
    if colorbar:
        ax.figure.colorbar(shading, ax=ax, fraction=0.046, pad=0.03, ticks=[0, 0.5, 1],
                           label=f"P({labels[1]})")
    ax.contour(g1, g2, p, levels=[0.5], colors="k", linewidths=1.5)
    for cls, (name, color) in enumerate(zip(labels, CLASS_COLORS)):
        m = y == cls
        ax.scatter(X[m, 0], X[m, 1], s=6, color=color, label=name, alpha=0.7, linewidths=0)
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="lower left", fontsize="small", markerscale=2)
    return ax


def show_image(img, ax=None, title=None, cmap="gray", vmin=None, vmax=None, colorbar=False, grid=False):
    """Show a 2-D array (or an RGB image) without ticks.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, 3)
    grid : bool, default False
        Draw pixel borders, for small arrays such as kernels.

    Returns
    -------
    matplotlib.axes.Axes
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (3, 4)):
        raise ValueError(f"img must have shape (H, W) or (H, W, 3), got {img.shape}")
    ax = _axes(ax, figsize=(3, 3))
    im = ax.imshow(img, cmap=cmap if img.ndim == 2 else None, vmin=vmin, vmax=vmax, interpolation="nearest")
    if grid:
        h, w = img.shape[:2]
        ax.set_xticks(np.arange(-0.5, w, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, h, 1), minor=True)
        ax.grid(which="minor", color="0.5", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


def _numbers(ax, a, fmt="{:g}", color="k"):
    for (i, j), v in np.ndenumerate(a):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9, color=color)


def plot_conv_step(image, kernel, row, col, axes=None):
    """One step of a convolution: the window on the image, the kernel, the
    products, the map so far.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (k, k)
    row, col : int
        Position of the window's top-left corner (0-based); the map is filled
        in reading order up to this position.
    axes : sequence of 4 (or 3) matplotlib.axes.Axes, optional
        Image, kernel, products, map; with 3 axes the kernel is left out.
        Default: a new figure with 4.

    Returns
    -------
    list of matplotlib.axes.Axes
        The axes used, in the order above.
    """
    from matplotlib.patches import Rectangle

    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"image and kernel must be 2-D, got {image.shape} and {kernel.shape}")
    kh, kw = kernel.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(f"kernel {kernel.shape} does not fit into image {image.shape}")
    row, col = check_int("row", row, 0, out_h - 1), check_int("col", col, 0, out_w - 1)
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 4, figsize=(11, 3.2))
    axes = list(np.ravel(axes))
    if len(axes) not in (3, 4):
        raise ValueError(f"axes must be 4 axes (image, kernel, products, map) or 3 (no kernel), "
                         f"got {len(axes)}")
    ax_img, ax_prod, ax_map = axes[0], axes[-2], axes[-1]
    from .scratch import conv2d

    products = image[row:row + kh, col:col + kw] * kernel
    full = conv2d(image, kernel)
    done = np.arange(out_h * out_w).reshape(out_h, out_w) <= row * out_w + col
    show_image(image, ax=ax_img, cmap="Blues", vmin=0, vmax=image.max() * 1.6, grid=True, title="image")
    _numbers(ax_img, image)
    ax_img.add_patch(Rectangle((col - 0.5, row - 0.5), kw, kh, fill=False, ec="C3", lw=3))
    if len(axes) == 4:
        top = max(np.abs(kernel).max(), 1) * 1.6
        show_image(kernel, ax=axes[1], cmap="Purples", vmin=0, vmax=top, grid=True, title="kernel")
        _numbers(axes[1], kernel)
    show_image(products, ax=ax_prod, cmap="Oranges", vmin=0, vmax=max(products.max(), 1) * 1.6, grid=True,
               title="window × kernel")
    _numbers(ax_prod, products)
    shown = np.where(done, full, np.nan)
    show_image(shown, ax=ax_map, cmap="Greens", vmin=0, vmax=np.nanmax(full) * 1.6, grid=True,
               title=f"map: sum = {products.sum():g}")
    for (i, j), v in np.ndenumerate(full):
        if done[i, j]:
            ax_map.text(j, i, f"{v:g}", ha="center", va="center", fontsize=11,
                        fontweight="bold" if (i, j) == (row, col) else "normal")
    ax_map.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, ec="C3", lw=3))
    return axes


def plot_conv_geometry(n, k, stride=1, padding="valid", ax=None):
    """Draw an n x n input, its zero padding, one k x k kernel window and the output size.

    Parameters
    ----------
    n : int
        Input size (n x n).
    k : int
        Kernel size (k x k).
    stride : int, default 1
    padding : {"valid", "same"}, default "valid"
        As TensorFlow pads (the extra pixel, if any, goes after).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.patches import Rectangle

    from .scratch import _same_pads, output_size

    out = output_size(n, k, stride, padding)
    before, after = _same_pads(n, k, stride) if padding == "same" else (0, 0)
    ax = _axes(ax, figsize=(6, 3.5))
    total = n + before + after
    for i in range(total):
        for j in range(total):
            real = before <= i < before + n and before <= j < before + n
            ax.add_patch(Rectangle((j, -i), 1, -1, fc="#9ecae1" if real else "#f0f0f0", ec="0.4", lw=0.6,
                                   hatch=None if real else "//"))
    ax.add_patch(Rectangle((0, 0), k, -k, fill=False, ec="C3", lw=2.5))
    if out > 1:
        ax.add_patch(Rectangle((stride, 0), k, -k, fill=False, ec="C3", lw=1.5, ls="--"))
    x0 = total + 1.5
    for i in range(out):
        for j in range(out):
            ax.add_patch(Rectangle((x0 + j, -i), 1, -1, fc="#a1d99b", ec="0.4", lw=0.6))
    ax.text(total / 2, 0.6, f"input {n}×{n}" + (f", padded to {total}×{total}" if total != n else ""),
            ha="center", fontsize=9)
    ax.text(x0 + out / 2, 0.6, f"output {out}×{out}", ha="center", fontsize=9)
    ax.set(xlim=(-0.5, x0 + max(out, 3) + 0.5), ylim=(-max(total, out) - 0.5, 1.5), aspect="equal")
    ax.axis("off")
    ax.set_title(f"n = {n}, k = {k}, stride {stride}, padding '{padding}'", fontsize=10)
    return ax


def _labels(name, values):
    values = np.asarray(values)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels, got shape {values.shape}")
    if not np.issubdtype(values.dtype, np.integer):
        if not np.issubdtype(values.dtype, np.floating) or np.any(values != np.round(values)):
            raise TypeError(f"{name} must hold integer class labels, got dtype {values.dtype}")
        values = values.astype(np.int64)
    if values.min() < 0:
        raise ValueError(f"{name} must hold class labels >= 0, got {values.min()}")
    return values.astype(np.int64)


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n,)
        True and predicted class labels (0, 1, ...).
    n_classes : int, optional
        Number of classes (default: one more than the largest label).

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)
        Entry ``[i, j]`` counts the examples of true class ``i`` predicted as
        ``j``; the diagonal holds the correct predictions.
    """
    y_true, y_pred = _labels("y_true", y_true), _labels("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}")
    largest = int(max(y_true.max(), y_pred.max()))
    if n_classes is None:
        n_classes = largest + 1
    n_classes = check_int("n_classes", n_classes, largest + 1)
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes**2).reshape(n_classes, n_classes)


def plot_confusion_matrix(y_true, y_pred, ax=None, n_classes=None, title=None):
    """The confusion matrix as a table of counts, coloured on a log scale.

    A log scale keeps the few confusions visible beside the large diagonal.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n,)
    ax : matplotlib.axes.Axes, optional
    n_classes : int, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.colors import LogNorm

    cm = confusion_matrix(y_true, y_pred, n_classes)
    k = len(cm)
    ax = _axes(ax, figsize=(4.6, 4.2))
    top = max(int(cm.max()), 2)
    norm = LogNorm(vmin=1, vmax=top)
    im = ax.imshow(np.ma.masked_equal(cm, 0), cmap="Blues", norm=norm, interpolation="nearest")
    for (i, j), v in np.ndenumerate(cm):
        if v:
            dark = norm(v) > 0.6
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7 if v >= 1000 else 8,
                    color="white" if dark else "black", fontweight="bold" if i == j else "normal")
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted class", ylabel="true class",
           xlim=(-0.5, k - 0.5), ylim=(k - 0.5, -0.5))
    ax.set_title(title if title is not None else
                 f"{int(np.trace(cm))} of {int(cm.sum())} right (empty cells: 0)", fontsize=10)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="count (log scale)")
    return ax


def show_misclassified(images, y_true, y_pred, n=10, axes=None, ncols=10):
    """The first ``n`` misclassified images, each titled "true → predicted".

    Parameters
    ----------
    images : array_like, shape (m, H, W), (m, H, W, 1) or (m, H*W) with H = W
    y_true, y_pred : array_like of int, shape (m,)
    n : int, default 10
        Most images to show (fewer if fewer are wrong).
    axes : sequence of matplotlib.axes.Axes, optional
        At least ``n`` axes; spare ones are switched off.
    ncols : int, default 10
        Columns of the new figure when ``axes`` is None.

    Returns
    -------
    list of matplotlib.axes.Axes
        The axes, in the order of the images.
    """
    images = np.asarray(images)
    y_true, y_pred = _labels("y_true", y_true), _labels("y_pred", y_pred)
    if images.ndim == 4 and images.shape[3] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"flat images must have a square number of pixels, got {images.shape[1]}")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (m, H, W), (m, H, W, 1) or (m, H*W), got {np.shape(images)}")
    if not len(images) == len(y_true) == len(y_pred):
        raise ValueError(f"images, y_true and y_pred must have the same length, "
                         f"got {len(images)}, {len(y_true)} and {len(y_pred)}")
    n = check_int("n", n, 1)
    ncols = check_int("ncols", ncols, 1)
    if axes is None:
        import matplotlib.pyplot as plt

        nrows = -(-n // ncols)
        _, grid = plt.subplots(nrows, min(n, ncols), figsize=(1.1 * min(n, ncols), 1.35 * nrows), squeeze=False)
        axes = list(grid.ravel())
    axes = list(np.ravel(axes))
    if len(axes) < n:
        raise ValueError(f"axes must hold at least n={n} axes, got {len(axes)}")
    wrong = np.flatnonzero(y_true != y_pred)[:n]
    for ax, i in zip(axes, wrong):
        # white digits on black, as in every other MNIST figure of the book
        show_image(images[i], ax=ax, cmap="gray")
        ax.set_title(f"{y_true[i]} → {y_pred[i]}", fontsize=9)
    for ax in axes[len(wrong):]:
        ax.axis("off")
    return axes


def feature_map_mosaic(maps, ncols=8, gap=1):
    """Tile the channels of a feature map into one 2-D array, channel 0 top left.

    Parameters
    ----------
    maps : array_like, shape (H, W, C)
        One example's feature maps, channels last (as Keras gives them).
    ncols : int, default 8
        Maps per row of the mosaic.
    gap : int, default 1
        Pixels of NaN between the maps (drawn as background).

    Returns
    -------
    ndarray of float64, shape (rows * (H + gap) - gap, ncols * (W + gap) - gap)
        Map ``c`` sits at row ``c // ncols``, column ``c % ncols``; unused
        places and the gaps are NaN.
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3 or 0 in maps.shape:
        raise ValueError(f"maps must have shape (H, W, C) with channels last, got {maps.shape}; "
                         "for a batch, pass one example, e.g. maps[0]")
    ncols = check_int("ncols", ncols, 1)
    gap = check_int("gap", gap, 0)
    h, w, c = maps.shape
    ncols = min(ncols, c)
    nrows = -(-c // ncols)
    out = np.full((nrows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan)
    for k in range(c):
        r, q = divmod(k, ncols)
        out[r * (h + gap):r * (h + gap) + h, q * (w + gap):q * (w + gap) + w] = maps[:, :, k]
    return out


def show_feature_maps(maps, ax=None, ncols=8, vmax=None, title=None, colorbar=True, cmap="viridis",
                      labels=False):
    """All channels of one example's feature map, tiled, on one shared colour scale.

    One scale for all maps, so that a bright map is a strong response
    wherever it appears; 0 (what a ReLU gives for "no match") is the bottom
    of the scale.

    Parameters
    ----------
    maps : array_like, shape (H, W, C)
    ax : matplotlib.axes.Axes, optional
    ncols : int, default 8
    vmax : float, optional
        Top of the colour scale (default: the largest value in ``maps``).
        Give the same ``vmax`` to maps that are to be compared.
    title : str, optional
    colorbar : bool, default True
    cmap : str, default "viridis"
    labels : bool, default False
        Write each map's channel index (from 0, as in ``maps[..., c]``) in its
        top-left corner.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(labels, (bool, np.bool_)):
        raise TypeError(f"labels must be True or False, got {type(labels).__name__}")
    mosaic = feature_map_mosaic(maps, ncols=ncols)
    values = np.asarray(maps, dtype=np.float64)
    vmin = min(0.0, float(values.min()))
    if vmax is None:
        vmax = float(values.max())
    vmax = check_real("vmax", vmax)
    if vmax <= vmin:
        vmax = vmin + 1.0  # an all-zero map: any scale shows it as dark
    ax = _axes(ax, figsize=(5, 3))
    im = ax.imshow(mosaic, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title, fontsize=9)
    if labels:
        import matplotlib.patheffects as pe

        h, w, c = values.shape
        per_row = min(check_int("ncols", ncols, 1), c)
        for k in range(c):
            r, q = divmod(k, per_row)
            # white with a dark outline: legible on dark and on bright maps
            ax.text(q * (w + 1) + 0.3, r * (h + 1) + 0.3, str(k), ha="left", va="top", fontsize=7,
                    color="white", path_effects=[pe.withStroke(linewidth=1.5, foreground="black")])
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    return ax
