"""Plot helpers. Each takes ``ax=None`` (a new figure if None) and returns the
axes; none calls ``plt.show()`` or changes rcParams."""

import numpy as np

from ._checks import check_int, check_real

__all__ = ["plot_history", "plot_decision_boundary", "show_image", "predict_proba"]

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
                           labels=("genuine", "forged"), xlabel="$x_1$", ylabel="$x_2$", title=None):
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
    ax.contourf(g1, g2, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35, vmin=0, vmax=1)
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
