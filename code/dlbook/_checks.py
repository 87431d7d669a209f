"""Argument checks shared by the public functions; each raises an error that
says what was expected and what came in."""

from numbers import Integral, Real


def check_int(name, value, minimum=None, maximum=None):
    """Return ``value`` as ``int`` if it is an integer within the bounds."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    _check_range(name, value, minimum, maximum)
    return int(value)


def check_real(name, value, minimum=None, maximum=None):
    """Return ``value`` as ``float`` if it is a real number within the bounds."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    _check_range(name, value, minimum, maximum)
    return float(value)


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def _check_range(name, value, minimum, maximum):
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}")
