"""Bookkeeping around Keras training: seeds and a compact progress record.

The models themselves are written out in the chapters; this module only holds
what makes their runs repeatable and their output tidy.
"""

import time
import warnings

import keras
import numpy as np
from IPython.display import display

from ._checks import check_int, check_real
from .seeds import seed as shifted_seed

# fit() warns that its shuffle=True (the default) is ignored for any tf.data
# input; the pipelines of batches() shuffle themselves, so the warning would
# only confuse a reader. Only that message from Keras is silenced; it is then
# hidden for a reader's own tf.data inputs too, where it would tell them that
# fit does not shuffle a tf.data input.
warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed, but will be ignored since the data `x` "
                        r"was provided as a tf\.data\.Dataset", category=UserWarning, module=r"keras\.")

__all__ = ["set_seed", "batches", "Progress", "Snapshots", "ErrorCurve", "side_by_side", "history_of"]


def set_seed(seed):
    """Seed Python, numpy and TensorFlow, and make TensorFlow's ops deterministic.

    Parameters
    ----------
    seed : int
        A non-negative integer, below 10,000 for the seeds of different
        shifts to stay apart; :func:`dlbook.seeds.seed` adds 10,000 times
        ``DLBOOK_SEED_SHIFT`` to it.
    """
    seed = shifted_seed(seed)
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    # Without this, parallel reductions on the CPU may sum in varying order and
    # a rebuild would print slightly different numbers.
    tf.config.experimental.enable_op_determinism()


def batches(X, y, batch_size=128, shuffle=True, seed=0):
    """Examples and labels as a ``tf.data`` pipeline of batches, for ``fit``.

    ``model.fit(batches(X, y, 128), epochs=n)`` trains like
    ``model.fit(X, y, batch_size=128, epochs=n)``, though not in the same
    random orders: each epoch shows every example once, in a new random
    order, in batches of ``batch_size`` (the last one smaller). Keras
    restarts its input pipeline at every epoch, and its pipeline for numpy
    arrays is elaborate; with a few small batches per epoch the restarts cost
    more than the training itself. This pipeline is a plain shuffle-and-batch,
    quick to restart.

    Parameters
    ----------
    X : numpy.ndarray
        The examples, one per row (first axis).
    y : numpy.ndarray
        One label (or one-hot row) per example.
    batch_size : int, default 128
        Examples per batch, at least 1.
    shuffle : bool, default True
        A new random order every epoch; False keeps the order (for
        ``validation_data``).
    seed : int, default 0
        Seed of the shuffling, a non-negative integer below 10,000;
        :func:`dlbook.seeds.seed` adds 10,000 times ``DLBOOK_SEED_SHIFT`` to
        it. TensorFlow combines it with its global seed, so the same ``seed``
        after the same :func:`set_seed` (or none) gives the same orders in
        every run.

    Returns
    -------
    tf.data.Dataset
        Of ``(X_batch, y_batch)`` pairs.

    Raises
    ------
    TypeError
        If ``X`` or ``y`` is not a numpy array, ``shuffle`` not a bool, or
        ``batch_size`` or ``seed`` not an integer.
    ValueError
        If ``X`` or ``y`` is 0-d or not numeric, if they hold different
        numbers of examples or none, or if ``batch_size`` or ``seed`` is out
        of range.
    """
    for name, value in (("X", X), ("y", y)):
        if not isinstance(value, np.ndarray):
            raise TypeError(f"{name} must be a numpy array, got {type(value).__name__}")
        if value.ndim == 0 or not (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
            raise ValueError(f"{name} must be a numeric array with a first axis, got dtype "
                             f"{value.dtype} and shape {value.shape}")
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must hold the same number (> 0) of examples, got {len(X)} and {len(y)}")
    batch_size = check_int("batch_size", batch_size, 1)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    seed = shifted_seed(seed)
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((X, y))
    if shuffle:
        data = data.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size).prefetch(1)


class Progress(keras.callbacks.Callback):
    """One line of training progress that updates in place.

    A live reader (Binder, Jupyter) sees the line change while the model
    trains; the built page keeps only its last state, a compact record of the
    run, instead of hundreds of Keras progress bars. Use it with
    ``model.fit(..., verbose=0, callbacks=[dl.training.Progress()])``.

    Parameters
    ----------
    every : float, default 0.5
        Least number of seconds between two updates of the line.
    keys : sequence of str, optional
        The logged values to show (for example ``["loss", "val_loss"]`` for
        a :func:`side_by_side` model, which logs every network's values);
        all by default.
    """

    def __init__(self, every=0.5, keys=None):
        super().__init__()
        self.every = check_real("every", every, 0)
        if keys is not None and (isinstance(keys, str) or not all(isinstance(k, str) for k in keys)):
            raise TypeError(f"keys must be a sequence of str or None, got {keys!r}")
        self.keys = None if keys is None else list(keys)
        self.text = ""

    def on_train_begin(self, logs=None):
        self._start = self._last = time.perf_counter()
        self._epochs = self.params.get("epochs")
        self._handle = display(_Line("training…"), display_id=True)

    def on_epoch_end(self, epoch, logs=None):
        self._epoch = epoch + 1
        self._logs = dict(logs or {})
        now = time.perf_counter()
        if now - self._last >= self.every:
            self._last = now
            self._show(done=False)

    def on_train_end(self, logs=None):
        if hasattr(self, "_epoch"):
            self._show(done=True)

    def _show(self, done):
        parts = [f"epoch {self._epoch}/{self._epochs}"]
        # Short names keep the line within a page's code width.
        parts += [f"{k.replace('accuracy', 'acc')} {v:.4f}" for k, v in self._logs.items()
                  if isinstance(v, (int, float)) and (self.keys is None or k in self.keys)]
        took = time.perf_counter() - self._start
        parts.append(f"{took:.1f} s" if done else f"{took:.0f} s so far")
        self.text = ("trained " if done else "training ") + " · ".join(parts)
        if self._handle is not None:
            self._handle.update(_Line(self.text))


class _Line:
    """Plain text with no repr quotes, for display()."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class Snapshots(keras.callbacks.Callback):
    """Keep a copy of the model's weights after chosen epochs.

    Used to draw how a model changes while it trains (frames widgets).

    Parameters
    ----------
    epochs : sequence of int
        Epochs (counting from 1) after which to copy the weights; 0 means
        the weights before training.

    Attributes
    ----------
    weights : dict of int -> list of ndarray
        ``model.set_weights(snapshots.weights[e])`` restores epoch ``e``.
    """

    def __init__(self, epochs):
        super().__init__()
        self.epochs = sorted({check_int("epoch", e, 0) for e in epochs})
        if not self.epochs:
            raise ValueError("epochs must name at least one epoch")
        self.weights = {}

    def on_train_begin(self, logs=None):
        if 0 in self.epochs:
            self.weights[0] = [w.copy() for w in self.model.get_weights()]

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.epochs:
            self.weights[epoch + 1] = [w.copy() for w in self.model.get_weights()]

    def on_train_end(self, logs=None):
        self.set_model(None)     # keep the weights, not the model (see ErrorCurve)


class ErrorCurve(keras.callbacks.Callback):
    """Record the error rate on fixed data as training goes on, against steps.

    The model's error on ``X, y`` is measured before the first step and then
    after every ``every`` optimizer steps. Compile the model with
    ``steps_per_execution=every`` (Keras calls batch callbacks once per
    execution) and the curve costs little more than the training itself.

    Parameters
    ----------
    X : ndarray, shape (n, ...)
        Inputs to measure on (for example a fixed part of the training data).
    y : ndarray of int, shape (n,)
        Their class labels; the model's prediction is the arg-max of its output.
    every : int, default 25
        Steps between two measurements.
    batch_size : int, optional
        Examples per forward pass of a measurement; all at once by default.
        A CNN's feature maps for 1,000 images take hundreds of MiB, so a
        smaller batch keeps a kernel's peak memory down.
    model : keras.Model, optional
        The network to measure, if not the one being trained: one of the
        networks joined by :func:`side_by_side`, which then gets a curve of
        its own (``X`` in that network's input shape).

    Attributes
    ----------
    steps : list of int
        Optimizer steps done at each measurement (0 first, the last step of
        training last).
    errors : list of float
        Fraction of ``X`` the model gets wrong, at each of ``steps``.
    """

    def __init__(self, X, y, every=25, batch_size=None, model=None):
        super().__init__()
        if model is not None and not isinstance(model, keras.Model):
            raise TypeError(f"model must be a keras.Model or None, got {type(model).__name__}")
        self.measured = model
        X, y = np.asarray(X), np.asarray(y)
        if X.ndim < 2 or len(X) == 0:
            raise ValueError(f"X must hold at least one example, shape (n, ...), got shape {X.shape}")
        if y.shape != (len(X),) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must be integer class labels of shape ({len(X)},), got {y.dtype} {y.shape}")
        self.X, self.y = X, y
        self.every = check_int("every", every, 1)
        self.batch_size = len(X) if batch_size is None else check_int("batch_size", batch_size, 1)
        self.steps, self.errors = [], []

    def _record(self, step):
        b = self.batch_size
        net = self.model if self.measured is None else self.measured
        wrong = sum(int(np.sum(np.asarray(net(self.X[i:i + b], training=False))
                               .argmax(axis=-1) != self.y[i:i + b]))
                    for i in range(0, len(self.X), b))
        self.steps.append(step)
        self.errors.append(wrong / len(self.X))

    def on_train_begin(self, logs=None):
        if not self.steps:
            self._record(int(self.model.optimizer.iterations))

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.model.optimizer.iterations)
        if step - self.steps[-1] >= self.every:
            self._record(step)

    def on_train_end(self, logs=None):
        # An epoch need not end on a multiple of ``every``: measure the final
        # weights too, so that the curve ends where training ended.
        step = int(self.model.optimizer.iterations)
        if step > self.steps[-1]:
            self._record(step)
        # The curve outlives the fit; holding on to the model would keep it
        # and its traced functions alive (tens of MiB) after the reader is
        # done with it.
        self.set_model(None)

    def steps_to(self, error):
        """First recorded step at which the error is at most ``error``, or None."""
        error = check_real("error", error, 0, 1)
        for step, err in zip(self.steps, self.errors):
            if err <= error:
                return step
        return None


def side_by_side(networks):
    """Join networks into one Keras model that trains them all at once.

    The joined model feeds the same input to every network (reshaped to each
    one's input shape) and returns their outputs as a dict by name. Compiled
    with one loss per output, it minimises the sum of the losses; each
    network's weights get the gradient of its own loss only, and SGD and Adam
    update every weight from its own gradients, so each network trains as it
    would alone on the same batches, with its own initial weights. One call
    per batch instead of one per network saves most of the per-step overhead
    of small networks and all but one tracing of the training step.

    Parameters
    ----------
    networks : dict of str -> keras.Model
        Built networks with one input each, all with the same number of input
        values; their names become the output names.

    Returns
    -------
    keras.Model
        Train it with ``fit(X, {name: y for name in networks})``; the
        networks themselves stay usable on their own.
    """
    if not isinstance(networks, dict) or not networks:
        raise TypeError(f"networks must be a non-empty dict of name -> keras.Model, got {networks!r:.80}")
    sizes = {}
    for name, net in networks.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"network names must be non-empty strings, got {name!r}")
        if not isinstance(net, keras.Model):
            raise TypeError(f"networks[{name!r}] must be a keras.Model, got {type(net).__name__}")
        if len(net.inputs) != 1:
            raise ValueError(f"networks[{name!r}] must have one input, got {len(net.inputs)}")
        shape = tuple(net.inputs[0].shape[1:])
        if any(d is None for d in shape):
            raise ValueError(f"networks[{name!r}] needs a fixed input shape, got {shape}")
        sizes[name] = shape
    if len({id(net) for net in networks.values()}) < len(networks):
        raise ValueError("each network must be a different keras.Model object")
    counts = {name: int(np.prod(shape)) for name, shape in sizes.items()}
    if len(set(counts.values())) > 1:
        raise ValueError(f"all networks must take the same number of input values, got {counts}")
    first = next(iter(sizes.values()))
    inputs = keras.Input(shape=first)
    outputs = {}
    for name, net in networks.items():
        x = inputs if sizes[name] == first else keras.layers.Reshape(sizes[name])(inputs)
        outputs[name] = keras.layers.Identity(name=name)(net(x))
    return keras.Model(inputs, outputs)


def history_of(history, name):
    """One network's own history out of a :func:`side_by_side` model's.

    Parameters
    ----------
    history : dict of str -> list
        ``fit(...).history`` of the joined model.
    name : str
        The network's name in the dict given to :func:`side_by_side`.

    Returns
    -------
    dict of str -> list
        The network's values under the keys a model trained alone logs
        (``loss``, ``val_loss``, ``accuracy``, ...).
    """
    if not isinstance(history, dict):
        raise TypeError(f"history must be the dict fit(...).history, got {type(history).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    own = {}
    for key, values in history.items():
        for prefix in ("val_", ""):
            if key.startswith(f"{prefix}{name}_"):
                own[prefix + key[len(prefix) + len(name) + 1:]] = list(values)
                break
    if not own:
        raise ValueError(f"no values of a network named {name!r} in the history; its keys are {sorted(history)}")
    return own
