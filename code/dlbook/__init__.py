"""Shared plumbing for "Deep Learning, week 2: from fully connected networks to CNNs".

The book's cells keep the teaching code (the Keras models, the formulas);
this package holds what every chapter needs around it, organised by kind:

``dl.data``
    The bundled, checksummed data sets (MNIST, banknote authentication).
``dl.scratch``
    From-scratch numpy versions of softmax, cross-entropy, convolution and
    pooling, tested against TensorFlow, and FastICA.
``dl.probes``
    Stimuli and measurements that look inside a network: bars, tuning curves,
    orientation selectivity, the input patches that activate a channel most.
``dl.plots``
    Plot helpers (learning curves, decision boundaries, images, confusion
    matrices).
``dl.widgets``
    Widgets that keep working in the static site (precomputed frames).
``dl.quiz``
    Check-yourself questions (multiple choice, numeric) that answer in the
    page with no kernel: in the static site, Colab and JupyterLab.
``dl.training``
    Seeding, a compact progress record and error curves for Keras training.
``dl.seeds``
    The seed switch: ``DLBOOK_SEED_SHIFT`` shifts every seed of the book;
    ``dl.rng(seed)`` is numpy's generator with the shift applied.
``dl.receptive``
    Receptive fields of a chain of Keras layers; ``dl.receptive_field(model)``
    is its table, one row a layer.

Import ``dlbook`` before TensorFlow: it sets TensorFlow's environment (without
importing TensorFlow) so that its C++ log lines stay out of the pages and
oneDNN's custom operations, which are unsafe on processors with AVX-512, stay
off there.
"""

import importlib as _importlib
import os as _os
import sys as _sys
import warnings as _warnings


def _has_avx512(cpuinfo="/proc/cpuinfo"):
    """Whether the processor has AVX-512 (Linux; False where it cannot tell)."""
    try:
        with open(cpuinfo) as f:
            return any(line.startswith("flags") and "avx512f" in line.split() for line in f)
    except OSError:
        return False


# TensorFlow's oneDNN custom operations corrupted memory in a Conv2D +
# AveragePooling2D gradient on this project's AVX-512 build machine (crashes
# or wrong numbers; tests/test_binder.py holds the reproducer). Elsewhere they
# are correct and train the lecture CNN about 1.6 times as fast (TensorFlow
# turns them on by itself only on some Intel processors), so they are on
# except on AVX-512 processors. TensorFlow reads the variable when it is first
# imported; setdefault keeps a reader's own choice. ./start decides the same.
_ONEDNN_UNSAFE = _has_avx512()

# Too late if a reader imported TensorFlow before dlbook with oneDNN on, on a
# processor where that is unsafe. Say so once.
if (_ONEDNN_UNSAFE and "tensorflow" in _sys.modules
        and _os.environ.get("TF_ENABLE_ONEDNN_OPTS") != "0"):
    _warnings.warn(
        "TensorFlow was imported before dlbook, with its oneDNN custom operations on. "
        "On processors with AVX-512, such as this one, they can corrupt memory in "
        "convolution gradients (crashes or wrong numbers). "
        "Restart the kernel and import dlbook first, or set the environment variable "
        "TF_ENABLE_ONEDNN_OPTS=0 before importing TensorFlow.",
        RuntimeWarning, stacklevel=2)

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0" if _ONEDNN_UNSAFE else "1")
if _os.environ["TF_ENABLE_ONEDNN_OPTS"] != "0":
    from . import _quiet_tf

    _quiet_tf.install()

from . import data, plots, probes, quiz, scratch, seeds, widgets  # noqa: E402  (after the environment is set)

from .seeds import rng  # noqa: E402

__version__ = "0.1.0"
__all__ = ["data", "plots", "probes", "quiz", "rng", "scratch", "seeds", "widgets", "training", "receptive", "receptive_field"]

# ``training`` and ``receptive`` need Keras, so they are imported on first use:
# chapters and tests that never use them do not pay for importing TensorFlow.
_LAZY = {"training", "receptive"}
# Functions of those modules that stand at the top level too: name -> module.
_LAZY_NAMES = {"receptive_field": "receptive"}


def __getattr__(name):
    if name in _LAZY:
        module = _importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _LAZY_NAMES:
        value = getattr(__getattr__(_LAZY_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlbook' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY | set(_LAZY_NAMES))
