"""One switch for every random seed of the book.

Every function of ``dlbook`` that samples (``dl.training.set_seed``,
``dl.data.split``, ``dl.data.make_bars``, ``dl.data.pixel_permutation``, ...)
and every random generator a chapter makes (``dl.rng``) adds the integer in the
environment variable ``DLBOOK_SEED_SHIFT`` (default 0) to the seed it is given.
Unset, the book is exactly the published one; set, every random choice of the
book changes at once, which is how ``make seeds`` checks that what the text says
does not rest on one run's luck.
"""

import os

import numpy as np

from ._checks import check_int

SHIFT_VARIABLE = "DLBOOK_SEED_SHIFT"
MAX_SHIFT = 10**6


def seed_shift():
    """The seed shift in force: ``DLBOOK_SEED_SHIFT`` as an integer, 0 if unset.

    Raises
    ------
    ValueError
        If the variable is set but is not an integer in [0, 1,000,000].
    """
    text = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not text:
        return 0
    try:
        shift = int(text)
    except ValueError:
        raise ValueError(f"{SHIFT_VARIABLE} must be an integer, got {text!r}") from None
    if not 0 <= shift <= MAX_SHIFT:
        raise ValueError(f"{SHIFT_VARIABLE} must lie in [0, {MAX_SHIFT:,}], got {shift}")
    return shift


def seed(value, name="seed"):
    """The seed to use for ``value``: ``value + DLBOOK_SEED_SHIFT``.

    Parameters
    ----------
    value : int
        A non-negative integer, the seed the text shows.
    name : str, default "seed"
        The argument's name, for the error message.

    Returns
    -------
    int
    """
    return check_int(name, value, 0, 2**32 - 1 - MAX_SHIFT) + seed_shift()


def rng(value):
    """``numpy.random.default_rng`` seeded with ``seed(value)``.

    Parameters
    ----------
    value : int
        A non-negative integer.

    Returns
    -------
    numpy.random.Generator
    """
    return np.random.default_rng(seed(value))
