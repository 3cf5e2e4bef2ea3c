"""Python operations whose cost a program's text does not show, kept within the limits.

``10 ** 10 ** 10``, ``[0] * 10 ** 10`` and ``sum(range(10 ** 12))`` run inside CPython's C
code, where neither the step counter nor an alarm can stop them. They are refused
before they start, with the size they would have had.
"""

from __future__ import annotations

import operator

from gradcli.autograd.limits import ElementLimitError, limits
from gradcli.errors import LimitExceeded

MAX_INT_BITS = 1_000_000  # about 300,000 decimal digits: far past any program's need, still instant
_SEQUENCES = (str, bytes, list, tuple)


class _Ranges:
    __slots__ = ("max_items",)

    def __init__(self):
        self.max_items = 10_000_000


ranges = _Ranges()  # the run sets max_items to its --max-steps


def _int_too_big(bits: int, what: str) -> OverflowError:
    return OverflowError(f"the result of {what} would have about {int(bits * 0.30103):,} digits; "
                         f"gradcli refuses integers over {int(MAX_INT_BITS * 0.30103):,} digits")


def _check_power(base, exponent) -> None:
    if (type(base) is int or type(base) is bool) and type(exponent) is int and exponent > 0:
        bits = abs(base).bit_length()
        if bits > 1 and (bits - 1) * exponent > MAX_INT_BITS:
            raise _int_too_big((bits - 1) * exponent, "**")


def _check_repeat(a, b) -> None:
    seq, count = (a, b) if isinstance(a, _SEQUENCES) else (b, a)
    if isinstance(seq, _SEQUENCES) and isinstance(count, int) and count > 1:
        n = len(seq) * count
        if n > limits.max_elements:
            raise ElementLimitError(f"a {type(seq).__name__} of {n:,} items is more than the limit of "
                                    f"{limits.max_elements:,} (raise it with --max-elements)")


def pow_(a, b):
    _check_power(a, b)
    return a ** b


def ipow(a, b):
    _check_power(a, b)
    return operator.ipow(a, b)


def lshift(a, b):
    if type(a) is int and a and type(b) is int and b > MAX_INT_BITS:
        raise _int_too_big(b, "<<")
    return a << b


def ilshift(a, b):
    lshift(a, b)
    return operator.ilshift(a, b)


def mul(a, b):
    if type(a) in _SEQUENCE_TYPES or type(b) in _SEQUENCE_TYPES:
        _check_repeat(a, b)
    return a * b


def imul(a, b):
    if type(a) in _SEQUENCE_TYPES or type(b) in _SEQUENCE_TYPES:
        _check_repeat(a, b)
    return operator.imul(a, b)


_SEQUENCE_TYPES = frozenset(_SEQUENCES)


def builtin_pow(base, exp, mod=None):
    if mod is None:
        _check_power(base, exp)
    return pow(base, exp, mod)


class _RangeType(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, range)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, range)


class bounded_range(metaclass=_RangeType):  # noqa: N801 - it is the program's ``range``
    """``range``, refused when it has more items than the run may take steps:
    C code (``sum``, ``list``, ``max``) would go through them without counting."""

    def __new__(cls, *args):
        r = range(*args)
        n = max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)
        if n > ranges.max_items:
            raise LimitExceeded(f"step limit of {ranges.max_items} exceeded: {r!r} has {n:,} items "
                                "(raise it with --max-steps)", None)
        return r


bounded_range.__name__ = bounded_range.__qualname__ = "range"
bounded_range.__module__ = "builtins"
