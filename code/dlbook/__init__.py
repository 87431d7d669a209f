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
    Seeding, input batches built once, networks trained side by side, a
    compact progress record and error curves for Keras training.
``dl.seeds``
    The seed switch: ``DLBOOK_SEED_SHIFT`` shifts every seed of the book;
    ``dl.rng(seed)`` is numpy's generator with the shift applied.
``dl.receptive``
    Receptive fields of a chain of Keras layers; ``dl.receptive_field(model)``
    is its table, one row a layer.

Import ``dlbook`` before TensorFlow runs its first operation: it sets
TensorFlow's environment (without importing TensorFlow) so that its C++ log
lines stay out of the pages and oneDNN, on processors with AVX-512, uses only
its AVX2 kernels (its AVX-512 ones corrupt memory in convolution gradients).
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


# TensorFlow's oneDNN custom operations corrupt memory in a Conv2D +
# AveragePooling2D gradient on AVX-512 processors (crashes or wrong numbers in
# 20 runs of 20 on this project's AMD EPYC build machine; tests/test_binder.py
# holds the reproducer). Capped at oneDNN's AVX2 kernels, the ones every
# processor without AVX-512 runs, the same gradient was right in 20 runs of
# 20, and oneDNN trains the lecture CNN about 1.2 times and evaluates it about
# 1.6 times as fast as TensorFlow's own kernels on that machine (twice as fast
# on processors without AVX-512). So oneDNN is on everywhere, capped at AVX2
# where the processor has AVX-512. oneDNN reads ONEDNN_MAX_CPU_ISA when it
# creates its first kernel, so the cap works even after ``import tensorflow``,
# as long as TensorFlow has not yet run an operation. setdefault keeps a
# reader's own choice. ./start decides the same for Binder's kernels.
_AVX512 = _has_avx512()
_ONEDNN_CAP = "AVX2"


def _tensorflow_has_run():
    """Whether TensorFlow is imported and has run an operation (or may have)."""
    tf = _sys.modules.get("tensorflow")
    if tf is None:
        return False
    try:
        from tensorflow.python.eager import context
        return bool(context.context()._initialized)
    except Exception:   # a TensorFlow without that (private) attribute: assume the worst
        return True


# Too late for the cap if TensorFlow ran an operation before dlbook was
# imported, with oneDNN on, on a processor with AVX-512. Say so once.
if (_AVX512 and "ONEDNN_MAX_CPU_ISA" not in _os.environ
        and _os.environ.get("TF_ENABLE_ONEDNN_OPTS") != "0" and _tensorflow_has_run()):
    _warnings.warn(
        "TensorFlow ran operations before dlbook was imported, with its oneDNN custom "
        "operations using all of this processor's AVX-512 instructions. There they can "
        "corrupt memory in convolution gradients (crashes or wrong numbers). "
        "Restart the kernel and import dlbook before anything runs in TensorFlow, or set "
        f"the environment variable ONEDNN_MAX_CPU_ISA={_ONEDNN_CAP} (or TF_ENABLE_ONEDNN_OPTS=0) "
        "before importing TensorFlow.",
        RuntimeWarning, stacklevel=2)

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
if _AVX512:
    _os.environ.setdefault("ONEDNN_MAX_CPU_ISA", _ONEDNN_CAP)
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
