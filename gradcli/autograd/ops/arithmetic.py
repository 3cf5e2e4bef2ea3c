"""Arithmetic and powers: add, sub, mul, div, remainder, neg, pow and their reflected forms.

Each op is its forward (numpy) beside its ``defop`` entry (the backward). The other
elementwise families (unary math in elementwise.py, piecewise.py, conversion.py) build on
``_binary_arrays`` and ``mul_scalar`` from here.
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor, wrap
from ._dispatch import broadcast_error, floating, operands
from .backends import pow_scalar
from .dtype_support import refuse
from .registry import defop, record
from .sleef_f32 import fma32, fma64

# -- arithmetic ----------------------------------------------------------------------

# torch's formulas scale by alpha with maybe_multiply: tensor * Scalar (MulBackward1), skipped at 1
ADD = defop("AddBackward0", {"self": "1", "other": "alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha, F: F.mul_scalar(grad, alpha) if alpha != 1 else grad)
SUB = defop("SubBackward0", {"self": "1", "other": "-alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha, F: F.mul_scalar(-grad, alpha) if alpha != 1 else -grad)
RSUB = defop("RsubBackward1", {"self": "-alpha"},
             self=lambda grad, alpha, F: F.mul_scalar(-grad, alpha) if alpha != 1 else -grad)
RSUB_TENSOR = defop("RsubBackward0", {"self": "-alpha", "other": "1"},
                    self=lambda grad, alpha, F: F.mul_scalar(-grad, alpha) if alpha != 1 else -grad,
                    other=lambda grad: grad)
MUL = defop("MulBackward0", {"self": "other", "other": "self"},
            self=lambda grad, other: grad * other,
            other=lambda grad, self: grad * self)
DIV = defop("DivBackward0", {"self": "1/other", "other": "-self/other²"},
            self=lambda grad, other: grad / other,
            other=lambda grad, self, other: -grad * ((self / other) / other))
NEG = defop("NegBackward0", {"self": "-1"}, self=lambda grad: -grad)

# NOTE: own rules: a tensor-and-number op inside torch's C++ formulas is the op's Scalar
# overload (mul.Scalar is MulBackward1...), where Python's `x * 2` is mul.Tensor
# (MulBackward0); formulas call these to name their create_graph nodes as torch does.
MUL_SCALAR = defop("MulBackward1", {"self": "other"}, self=lambda grad, other, F: F.mul_scalar(grad, other))
DIV_SCALAR = defop("DivBackward1", {"self": "1/other"}, self=lambda grad, other, F: F.div_scalar(grad, other))
ADD_SCALAR = defop("AddBackward1", {"self": "1"}, self=lambda grad: grad)
SUB_SCALAR = defop("SubBackward1", {"self": "1"}, self=lambda grad: grad)


def mul_scalar(self, other):
    """A backward formula's ``self * c`` (c a Python number): MulBackward1 under create_graph."""
    if isinstance(self, Tensor):
        return record(MUL_SCALAR, self._data * other, (self,), {"other": other})
    return self * other


def div_scalar(self, other):
    """A backward formula's ``self / c``: DivBackward1 under create_graph."""
    if isinstance(self, Tensor):
        return record(DIV_SCALAR, self._data / other, (self,), {"other": other})
    return self / other


def add_scalar(self, other):
    """A backward formula's ``self + c``: AddBackward1 under create_graph."""
    if isinstance(self, Tensor):
        return record(ADD_SCALAR, self._data + other, (self,))
    return self + other


def rsub_scalar(other, self):
    """A backward formula's ``c - self``: C++'s Scalar - Tensor is a sub of a wrapped number
    (SubBackward0 with no edge for c) under create_graph."""
    if isinstance(self, Tensor):
        return sub(_scalar_tensor(other, self), self)
    return other - self


def sub_scalar(self, other):
    """A backward formula's ``self - c``: SubBackward1 under create_graph."""
    if isinstance(self, Tensor):
        return record(SUB_SCALAR, self._data - other, (self,))
    return self - other


def _binary_arrays(fn, a, b):
    try:
        return fn(a, b)
    except ValueError:
        raise broadcast_error(np.asarray(a), np.asarray(b)) from None


def _number(x):
    """A Scalar argument torch's parser takes: a Python number or a 0-d tensor (its item)."""
    if type(x) in (int, float, bool):
        return True
    return isinstance(x, Tensor) and x._data.ndim == 0


def _item(x):
    return x._data.item() if isinstance(x, Tensor) else x


_DEPRECATED = {  # torch's overload name(input, Number alpha, Tensor other), as its warning shows it
    "function": ("{0}(Tensor input, Number alpha, Tensor other, *, Tensor out = None)",
                 "{0}(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)"),
    "method": ("{0}(Number alpha, Tensor other)", "{0}(Tensor other, *, Number alpha = 1)"),
}
_warned_deprecated = []  # torch warns once per process for all its deprecated overloads


def alpha_first(name, alpha, rest, kind="function"):
    """``add(x, 2, y)``: torch's deprecated overload, x + 2 * y, with its warning: (alpha, other).
    Any other third positional argument fails (the call site words it as torch's parser)."""
    if len(rest) != 1 or not _number(alpha):
        raise TypeError(f"{name}() takes 2 positional arguments but {2 + len(rest)} were given")
    if not _warned_deprecated:
        import warnings
        _warned_deprecated.append(name)
        old, new = (text.format(name) for text in _DEPRECATED[kind])
        warnings.warn(f"This overload of {name} is deprecated:\n\t{old}\nConsider using one of the following "
                      f"signatures instead:\n\t{new} (Triggered internally at "
                      "/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841.)", UserWarning, stacklevel=3)
    return _item(alpha), rest[0]


def _check_alpha(a, b, alpha):
    """torch's alpha_check, on the result dtype."""
    kind = np.result_type(a, b).kind
    if type(alpha) is bool and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if type(alpha) is float and kind != "f":
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def _add_scaled(a, b, alpha):
    """a + alpha·b as torch's add kernel computes it for floats: one FMA (its AVX2 build
    contracts, vectorized and scalar alike), alpha first cast to the dtype. A ``b`` that is
    broadcast (a Python number, a 0-d tensor) is scaled once first, as torch takes a scalar
    operand (measured: nearer its bits than the FMA on short tensors)."""
    if alpha == 1:
        return _binary_arrays(np.add, a, b)
    dt = np.result_type(a, b)
    if np.shape(b) != np.broadcast_shapes(np.shape(a), np.shape(b)) and np.size(b) == 1:
        return _binary_arrays(np.add, a, b * alpha)
    if dt == np.float32:
        return _binary_arrays(lambda x, y: fma32(np.float32(alpha), y, x), a, b)
    if dt == np.float64:
        return _binary_arrays(lambda x, y: fma64(np.float64(alpha), y, x), a, b)
    return _binary_arrays(np.add, a, b * alpha)


def add(self, other, *alpha_other, alpha=1):
    if alpha_other:
        alpha, other = alpha_first("add", other, alpha_other)
    a, b = operands(self, other)
    if type(alpha) is not int:
        _check_alpha(a, b, alpha)
    return record(ADD, _add_scaled(a, b, alpha), (self, other), {"alpha": alpha})


def _is_bool(x):
    return type(x) is bool or isinstance(x, Tensor) and x._data.dtype == np.bool_


def _check_sub(self, other):
    """torch's sub_check: a Python bool counts as a bool tensor."""
    if _is_bool(self) and _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if _is_bool(self) or _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def sub(self, other, *alpha_other, alpha=1):
    if alpha_other:
        alpha, other = alpha_first("sub", other, alpha_other)
    _check_sub(self, other)
    a, b = operands(self, other)
    if type(alpha) is not int:
        _check_alpha(a, b, alpha)
    if alpha != 1:
        return record(SUB, _add_scaled(a, b, -alpha), (self, other), {"alpha": alpha})
    return record(SUB, _binary_arrays(np.subtract, a, b), (self, other), {"alpha": alpha})


def subtract(self, other, *number_alpha, alpha=1):
    """torch.subtract / Tensor.subtract: sub, and sub.Scalar (SubBackward1) for a Number other
    with alpha by position."""
    if not number_alpha:
        return sub(self, other, alpha=alpha)
    if len(number_alpha) != 1 or not _number(other) or not _number(number_alpha[0]):
        raise TypeError(f"subtract() takes 2 positional arguments but {2 + len(number_alpha)} were given")
    out = sub(self, _item(other), alpha=_item(number_alpha[0]))
    return record(SUB_SCALAR, out._data, (self,))


def rsub(self, other, *number_alpha, alpha=1):
    """other - alpha * self (what ``3 - x`` calls); torch.rsub takes alpha by position after a
    Number other."""
    if number_alpha:
        if len(number_alpha) != 1 or not _number(other) or not _number(number_alpha[0]):
            raise TypeError(f"rsub() takes 2 positional arguments but {2 + len(number_alpha)} were given")
        other, alpha = _item(other), _item(number_alpha[0])
    _check_sub(self, other)
    if isinstance(other, Tensor):
        a, b = operands(self, other)
        if type(alpha) is not int:
            _check_alpha(a, b, alpha)
        if alpha != 1:
            return record(RSUB_TENSOR, _add_scaled(b, a, -alpha), (self, other), {"alpha": alpha})
        return record(RSUB_TENSOR, _binary_arrays(np.subtract, b, a), (self, other), {"alpha": alpha})
    a, b = operands(self, other)
    if type(alpha) is not int:
        _check_alpha(a, b, alpha)
    if alpha != 1:
        return record(RSUB, _add_scaled(b, a, -alpha), (self,), {"alpha": alpha})
    return record(RSUB, _binary_arrays(np.subtract, b, a), (self,), {"alpha": alpha})


def mul(self, other):
    a, b = operands(self, other)
    return record(MUL, _binary_arrays(np.multiply, a, b), (self, other))


def div(self, other, *, rounding_mode=None):
    a, b = operands(self, other)
    if rounding_mode is not None:
        _check_integer_divisor(a, b, "div_floor" if rounding_mode == "floor" else "div_trunc")
        fn = np.floor_divide if rounding_mode == "floor" else _trunc_divide
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(DIV_ROUNDED, _binary_arrays(fn, a, b), (self, other))
    if np.asarray(a).dtype.kind != "f" and np.asarray(b).dtype.kind != "f":
        a = floating(np.asarray(a))
        b = floating(np.asarray(b))
    return record(DIV, _binary_arrays(np.true_divide, a, b), (self, other))


def _trunc_divide(a, b):
    return np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b))



def _scalar_tensor(value, like):
    if isinstance(value, Tensor):
        return value
    from ..creation import scalar_like
    return scalar_like(value, like)


# a rounded quotient is piecewise constant: torch's DivBackward2 gives zeros
DIV_ROUNDED = defop("DivBackward2", {"self": "0", "other": "0"},
                    self=lambda grad, F: F.zeros_like(grad), other=lambda grad, F: F.zeros_like(grad))
REMAINDER0 = defop("RemainderBackward0", {"self": "1"}, self=lambda grad: grad)
REMAINDER1 = defop("RemainderBackward1", {"self": "1", "other": "-floor(self/other)"},
                   self=lambda grad: grad,
                   other=lambda grad, self, other: -grad * _floor_quotient(self, other))


def _not_implemented(op):
    raise RuntimeError(f"derivative for aten::{op} is not implemented")


# torch records a node that fails only when a backward pass reaches it
FLOOR_DIVIDE = defop("NotImplemented", {"self": "not implemented", "other": "not implemented"},
                     self=lambda grad, op: _not_implemented(op), other=lambda grad, op: _not_implemented(op))


def _floor_quotient(a, b):
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return div(a, b, rounding_mode="floor")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(a, b)


def floor_divide(self, other):
    a, b = operands(self, other)
    _check_integer_divisor(a, b, "div_floor")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.floor_divide, a, b)
    return record(FLOOR_DIVIDE, out, (self, other) if isinstance(other, Tensor) else (self,), {"op": "floor_divide"})


def _check_integer_divisor(a, b, op):
    """An integer division: torch's kernel ``op`` has no bool instance, and its integer
    instances raise C++'s ZeroDivisionError for a zero divisor."""
    b = np.asarray(b)
    if b.dtype.kind in "iub" and np.asarray(a).dtype.kind in "iub":
        if b.dtype.kind == "b":
            refuse(op, b.dtype)
        if not b.all():
            raise RuntimeError("ZeroDivisionError")


def _remainder(a, b):
    """torch's float remainder: fmod, plus the divisor where a nonzero result's sign differs
    from it (so -2 % 1 is fmod's -0., where numpy's remainder gives +0.)."""
    if np.asarray(a).dtype.kind != "f" and np.asarray(b).dtype.kind != "f":
        _check_integer_divisor(a, b, "remainder")
        return np.remainder(a, b)
    mod = np.fmod(a, b)
    return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)


def remainder(self, other):
    a, b = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(_remainder, a, b)
    if not isinstance(self, Tensor):  # remainder.Scalar_Tensor has no derivative in torch
        return record(FLOOR_DIVIDE, out, (other,), {"op": "remainder"})
    if isinstance(other, Tensor):
        return record(REMAINDER1, out, (self, other))
    return record(REMAINDER0, out, (self,))


def rremainder(self, other):
    """other % self for a Python number ``other`` (what ``5 % x`` calls)."""
    return remainder(other, self)


def neg(self):
    if self._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return record(NEG, np.negative(self._data), (self,))


def positive(self):
    if not isinstance(self, Tensor):  # the call site's parser check words it
        raise TypeError(f"positive() takes a Tensor, not {type(self).__name__}")
    if self._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


# -- powers ----------------------------------------------------------------------------

POW0 = defop("PowBackward0", {"self": "exponent * self^(exponent-1)"},
             self=lambda grad, self, exponent, F: F.zeros_like(self) if exponent == 0
             else grad * F.mul_scalar(F.pow(self, exponent - 1), exponent))
POW1 = defop("PowBackward1", {"self": "exponent * self^(exponent-1)", "exponent": "result * log(self)"},
             self=lambda grad, self, exponent, F: F.where(
                 exponent == 0.0, 0.0, grad * (exponent * F.pow(self, F.sub_scalar(exponent, 1)))),
             exponent=lambda grad, self, result, exponent, F: grad * F.where(
                 (self == 0) & (exponent >= 0), 0.0, result * F.log(self)))
POW2 = defop("PowBackward2", {"exponent": "result * log(self)"},
             exponent=lambda grad, result, exponent, base, F: grad * F.where(
                 exponent >= 0, 0.0, F.mul_scalar(result, _log(base))) if base == 0
             else grad * F.mul_scalar(result, _log(base)))


def _log(base):
    """log of a Python number as C++'s std::log gives it (-inf at 0, nan below)."""
    if base > 0:
        return math.log(base)
    return -math.inf if base == 0 else math.nan


def pow(self, exponent):
    if type(exponent) is bool and isinstance(self, Tensor) and self._data.dtype == np.bool_:
        # torch: a bool to a bool power stays bool (x ** True is x, x ** False all True)
        d = self._data
        return record(POW0, d.copy() if exponent else np.ones_like(d), (self,), {"exponent": exponent})
    if isinstance(self, Tensor) and not isinstance(exponent, Tensor):
        a, e = operands(self, exponent)
        if np.asarray(a).dtype.kind in "iu" and e < 0:
            _int_neg_pow()
        return record(POW0, pow_scalar(a, e), (self,), {"exponent": exponent})
    if not isinstance(self, Tensor):
        return rpow(exponent, self)
    a, e = operands(self, exponent)
    if a.dtype.kind == "b":  # torch's pow kernel has no bool instance
        refuse("pow", a.dtype)
    return record(POW1, _binary_arrays(_power, a, e), (self, exponent))


def _power(a, e):
    """np.power, but integers to negative powers as torch's integer kernel: 1 and -1 keep
    their magnitude (-1 by the exponent's parity), any other base gives 0."""
    a, e = np.asarray(a), np.asarray(e)
    if e.dtype.kind not in "iu" or a.dtype.kind not in "iu" or not (e < 0).any():
        return np.power(a, e)
    negative = e < 0
    out = np.power(a, np.where(negative, 0, e))
    odd = (e % 2) != 0
    reciprocal = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
    return np.where(negative, reciprocal, out).astype(out.dtype)


def _int_neg_pow():
    raise RuntimeError("Integers to negative integer powers are not allowed.")


def rpow(self, base):
    """base ** self for a Python number ``base`` (what ``2 ** x`` calls)."""
    if isinstance(base, Tensor):
        return pow(base, self)
    e, b = operands(self, base)
    e = floating(np.asarray(e)) if isinstance(base, float) else e
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _power(np.asarray(b, dtype=np.asarray(e).dtype), e)
    return record(POW2, out, (self,), {"base": base})


def square(self):
    if self._data.dtype == np.bool_:
        return pow(wrap(self._data.astype(np.int64)), 2)
    return pow(self, 2)


def _zero_grad(grad, F):
    return F.zeros_like(grad)
