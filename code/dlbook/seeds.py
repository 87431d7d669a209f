"""One switch for every random seed of the book.

Every function of ``dlbook`` that samples (``dl.training.set_seed``,
``dl.data.split``, ``dl.data.make_bars``, ``dl.data.pixel_permutation``, ...)
and every random generator a chapter makes (``dl.rng``) adds 10,000 times the
integer in the environment variable ``DLBOOK_SEED_SHIFT`` (default 0) to the
seed it is given. The book's seeds lie below 10,000, so the seeds of two shifts
never overlap (seeds 0 to 4 under shift 1 are 10,000 to 10,004, not 1 to 5).
Unset, the book is exactly the published one; set, every random choice of the
book changes at once, which is how ``make seeds`` checks that what the text says
does not rest on one run's luck.
"""

import os

import numpy as np

from ._checks import check_int

SHIFT_VARIABLE = "DLBOOK_SEED_SHIFT"
MAX_SHIFT = 10**5
STRIDE = 10_000      # the seeds of one shift: [STRIDE * shift, STRIDE * (shift + 1))


def seed_shift():
    """The seed shift in force: ``DLBOOK_SEED_SHIFT`` as an integer, 0 if unset.

    Raises
    ------
    ValueError
        If the variable is set but is not an integer in [0, 100,000].
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
    """The seed to use for ``value``: ``value + 10,000 * DLBOOK_SEED_SHIFT``.

    Parameters
    ----------
    value : int
        A non-negative integer, the seed the text shows; below 10,000 for
        the seeds of different shifts to stay apart.
    name : str, default "seed"
        The argument's name, for the error message.

    Returns
    -------
    int
    """
    return check_int(name, value, 0, 2**32 - 1 - STRIDE * MAX_SHIFT) + STRIDE * seed_shift()


def rng(value):
    """``numpy.random.default_rng`` seeded with ``seed(value)``.

    Parameters
    ----------
    value : int
        A non-negative integer (below 10,000, see :func:`seed`).

    Returns
    -------
    numpy.random.Generator
    """
    return np.random.default_rng(seed(value))
