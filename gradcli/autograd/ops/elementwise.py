"""Elementwise ops: arithmetic, powers, math functions, activations, comparisons.

Each op is its forward (numpy) beside its ``defop`` entry (the backward).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor, wrap
from ._dispatch import as_array, broadcast_error, floating, inplace, operands
from .registry import backward_op, defop, record

# -- arithmetic ----------------------------------------------------------------------

ADD = defop("AddBackward0", {"self": "1", "other": "alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha: grad * alpha if alpha != 1 else grad)
SUB = defop("SubBackward0", {"self": "1", "other": "-alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)
RSUB = defop("RsubBackward1", {"self": "-alpha"},
             self=lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)
RSUB_TENSOR = defop("RsubBackward0", {"self": "-alpha", "other": "1"},
                    self=lambda grad, alpha: -grad * alpha if alpha != 1 else -grad,
                    other=lambda grad: grad)
MUL = defop("MulBackward0", {"self": "other", "other": "self"},
            self=lambda grad, other: grad * other,
            other=lambda grad, self: grad * self)
DIV = defop("DivBackward0", {"self": "1/other", "other": "-self/other²"},
            self=lambda grad, other: grad / other,
            other=lambda grad, self, other: -grad * self / (other * other))
NEG = defop("NegBackward0", {"self": "-1"}, self=lambda grad: -grad)
# NOTE: own rule: tensor * scalar inside torch's C++ formulas is mul.Scalar, MulBackward1
MUL_SCALAR = defop("MulBackward1", {"self": "other"}, self=lambda grad, other: mul_scalar(grad, other))


def mul_scalar(self, other):
    """A backward formula's ``self * c`` (c a Python number): MulBackward1 under create_graph."""
    if isinstance(self, Tensor):
        return record(MUL_SCALAR, self._data * other, (self,), {"other": other})
    return self * other


def _binary_arrays(fn, a, b):
    try:
        return fn(a, b)
    except ValueError:
        raise broadcast_error(np.asarray(a), np.asarray(b)) from None


def add(self, other, *, alpha=1):
    a, b = operands(self, other)
    if alpha != 1:
        b = b * alpha
    return record(ADD, _binary_arrays(np.add, a, b), (self, other), {"alpha": alpha})


def sub(self, other, *, alpha=1):
    if isinstance(self, Tensor) and self._data.dtype == np.bool_ or isinstance(other, Tensor) and other._data.dtype == np.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    a, b = operands(self, other)
    if alpha != 1:
        b = b * alpha
    return record(SUB, _binary_arrays(np.subtract, a, b), (self, other), {"alpha": alpha})


def rsub(self, other, *, alpha=1):
    """other - alpha * self (what ``3 - x`` calls)."""
    if isinstance(other, Tensor):
        a, b = operands(self, other)
        if alpha != 1:
            a = a * alpha
        return record(RSUB_TENSOR, _binary_arrays(np.subtract, b, a), (self, other), {"alpha": alpha})
    a, b = operands(self, other)
    if alpha != 1:
        a = a * alpha
    return record(RSUB, _binary_arrays(np.subtract, b, a), (self,), {"alpha": alpha})


def mul(self, other):
    a, b = operands(self, other)
    return record(MUL, _binary_arrays(np.multiply, a, b), (self, other))


def div(self, other, *, rounding_mode=None):
    a, b = operands(self, other)
    if rounding_mode is not None:
        fn = np.floor_divide if rounding_mode == "floor" else _trunc_divide
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(DIV_ROUNDED, _binary_arrays(fn, a, b), (self, other))
    if np.asarray(a).dtype.kind != "f" and np.asarray(b).dtype.kind != "f":
        a = floating(np.asarray(a))
        b = floating(np.asarray(b))
    return record(DIV, _binary_arrays(np.true_divide, a, b), (self, other))


def _trunc_divide(a, b):
    return np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b))


def rdiv(self, other):
    """``2 / x``: torch computes ``x.reciprocal() * 2`` (ReciprocalBackward0 then
    MulBackward0, and float32 rounds twice), not a division."""
    if isinstance(other, Tensor):
        return div(other, self)
    return mul(reciprocal(self), other)


def _scalar_tensor(value, like):
    if isinstance(value, Tensor):
        return value
    from ..creation import scalar_tensor
    return scalar_tensor(value, like)


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
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.floor_divide, a, b)
    return record(FLOOR_DIVIDE, out, (self, other) if isinstance(other, Tensor) else (self,), {"op": "floor_divide"})


def remainder(self, other):
    a, b = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.remainder, a, b)
    if isinstance(other, Tensor):
        return record(REMAINDER1, out, (self, other))
    return record(REMAINDER0, out, (self,))


def neg(self):
    if self._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return record(NEG, np.negative(self._data), (self,))


def positive(self):
    return self


# -- powers ----------------------------------------------------------------------------

POW0 = defop("PowBackward0", {"self": "exponent * self^(exponent-1)"},
             self=lambda grad, self, exponent: grad * 0.0 * self if exponent == 0
             else grad * (exponent * self ** (exponent - 1)))
POW1 = defop("PowBackward1", {"self": "exponent * self^(exponent-1)", "exponent": "result * log(self)"},
             self=lambda grad, self, exponent, F: grad * F.where(
                 exponent == 0.0, F.zeros_like(self), exponent * self ** F.where(exponent == 0.0, F.ones_like(exponent), exponent - 1)),
             exponent=lambda grad, self, result, exponent, F: grad * F.where(
                 (self == 0) & (exponent >= 0), F.zeros_like(result), result * F.log(self)))
POW2 = defop("PowBackward2", {"exponent": "result * log(self)"},
             exponent=lambda grad, result, base: grad * result * float(np.log(base)) if base != 0
             else grad * 0.0 * result)


def pow(self, exponent):
    if isinstance(self, Tensor) and not isinstance(exponent, Tensor):
        a, e = operands(self, exponent)
        out = np.power(a, e) if not (np.asarray(a).dtype.kind in "iu" and e < 0) else _int_neg_pow()
        return record(POW0, out, (self,), {"exponent": exponent})
    if not isinstance(self, Tensor):
        return rpow(exponent, self)
    a, e = operands(self, exponent)
    return record(POW1, _binary_arrays(np.power, a, e), (self, exponent))


def _int_neg_pow():
    raise RuntimeError("Integers to negative integer powers are not allowed.")


def rpow(self, base):
    """base ** self for a Python number ``base`` (what ``2 ** x`` calls)."""
    if isinstance(base, Tensor):
        return pow(base, self)
    e, b = operands(self, base)
    e = floating(np.asarray(e)) if isinstance(base, float) else e
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.power(np.asarray(b, dtype=np.asarray(e).dtype), e)
    return record(POW2, out, (self,), {"base": base})


# -- unary math ----------------------------------------------------------------------------


def _unary(name, fn, spec, *, float_only=True):
    def op(self):
        d = self._data
        if float_only and d.dtype.kind != "f":
            d = floating(d)
        return record(spec, fn(d), (self,))

    op.__name__ = name
    return op


EXP = defop("ExpBackward0", {"self": "exp(self)"}, self=lambda grad, result: grad * result)
LOG = defop("LogBackward0", {"self": "1/self"}, self=lambda grad, self: grad / self)
LOG2 = defop("Log2Backward0", {"self": "1/(self·ln 2)"}, self=lambda grad, self: grad / (self * 0.6931471805599453))
LOG10 = defop("Log10Backward0", {"self": "1/(self·ln 10)"}, self=lambda grad, self: grad / (self * 2.302585092994046))
LOG1P = defop("Log1PBackward0", {"self": "1/(1+self)"}, self=lambda grad, self: grad / (self + 1))
EXPM1 = defop("Expm1Backward0", {"self": "exp(self)"}, self=lambda grad, result: grad * (result + 1))
EXP2 = defop("Exp2Backward0", {"self": "2^self·ln 2"},
             self=lambda grad, result: mul_scalar(grad * result, 0.6931471805599453))
SQRT = defop("SqrtBackward0", {"self": "1/(2·sqrt(self))"}, self=lambda grad, result: grad / (2 * result))
RSQRT = defop("RsqrtBackward0", {"self": "-1/(2·self^(3/2))"}, self=lambda grad, result: -0.5 * grad * result ** 3)
SIN = defop("SinBackward0", {"self": "cos(self)"}, self=lambda grad, self, F: grad * F.cos(self))
COS = defop("CosBackward0", {"self": "-sin(self)"}, self=lambda grad, self, F: grad * -F.sin(self))
TAN = defop("TanBackward0", {"self": "1 + tan²(self)"}, self=lambda grad, result: grad * (1 + result * result))
def _one_minus_square(output):
    # torch's float32 kernel fuses 1 - y·y (one rounding: exact in float64, then rounded)
    if isinstance(output, (np.ndarray, np.generic)) and output.dtype == np.float32:
        return (1.0 - np.square(output.astype(np.float64))).astype(np.float32)
    return 1 - output * output


# torch's tanh_backward / sigmoid_backward: one node each under create_graph
TANH_BACKWARD = backward_op(
    "TanhBackwardBackward0", lambda grad, output, F: grad * _one_minus_square(output),
    grad_output=lambda grad, output: TANH_BACKWARD(grad, output),
    output=lambda grad, grad_output, output: -2 * output * grad * grad_output)
SIGMOID_BACKWARD = backward_op(
    "SigmoidBackwardBackward0", lambda grad, output, F: grad * (1 - output) * output,
    grad_output=lambda grad, output: SIGMOID_BACKWARD(grad, output),
    output=lambda grad, grad_output, output: grad * grad_output * (-2 * output + 1))
TANH = defop("TanhBackward0", {"self": "1 - tanh²(self)"}, self=lambda grad, result: TANH_BACKWARD(grad, result))
SIGMOID = defop("SigmoidBackward0", {"self": "σ(self)(1-σ(self))"},
                self=lambda grad, result: SIGMOID_BACKWARD(grad, result))
RECIPROCAL = defop("ReciprocalBackward0", {"self": "-1/self²"}, self=lambda grad, result: grad * -(result * result))
ABS = defop("AbsBackward0", {"self": "sign(self)"}, self=lambda grad, self, F: grad * F.sign(self))
# torch: grad * (-self * self + 1).rsqrt() (MulBackward0 under create_graph)
ASIN = defop("AsinBackward0", {"self": "1/sqrt(1-self²)"},
             self=lambda grad, self, F: grad * (1 / F.sqrt(1 - self * self)))
ACOS = defop("AcosBackward0", {"self": "-1/sqrt(1-self²)"},
             self=lambda grad, self, F: grad * -(1 / F.sqrt(1 - self * self)))
ATAN = defop("AtanBackward0", {"self": "1/(1+self²)"}, self=lambda grad, self: grad / (1 + self * self))
SINH = defop("SinhBackward0", {"self": "cosh(self)"}, self=lambda grad, self, F: grad * F.cosh(self))
COSH = defop("CoshBackward0", {"self": "sinh(self)"}, self=lambda grad, self, F: grad * F.sinh(self))


def _via64(fn):
    """fn on float32 through float64, rounded once: torch's float32 exp/tanh/log kernels are
    (nearly) correctly rounded where numpy's float32 loops are off by an ulp a third of the time."""

    def f(d):
        if d.dtype == np.float32:
            return fn(d.astype(np.float64)).astype(np.float32)
        return fn(d)

    return f


def _sigmoid(d):
    if d.dtype == np.float32:  # torch: a correctly rounded exp, then 1 / (1 + e) in float32
        return np.float32(1.0) / (np.float32(1.0) + np.exp(-d.astype(np.float64)).astype(np.float32))
    return 1.0 / (1.0 + np.exp(-d))


exp = _unary("exp", _via64(np.exp), EXP)
log = _unary("log", _via64(np.log), LOG)
log2 = _unary("log2", _via64(np.log2), LOG2)
log10 = _unary("log10", _via64(np.log10), LOG10)
log1p = _unary("log1p", _via64(np.log1p), LOG1P)
expm1 = _unary("expm1", _via64(np.expm1), EXPM1)
exp2 = _unary("exp2", np.exp2, EXP2)
sqrt = _unary("sqrt", np.sqrt, SQRT)
rsqrt = _unary("rsqrt", lambda d: 1.0 / np.sqrt(d), RSQRT)
sin = _unary("sin", _via64(np.sin), SIN)
cos = _unary("cos", _via64(np.cos), COS)
tan = _unary("tan", np.tan, TAN)
tanh = _unary("tanh", _via64(np.tanh), TANH)
sigmoid = _unary("sigmoid", _sigmoid, SIGMOID)
reciprocal = _unary("reciprocal", np.reciprocal, RECIPROCAL)
asin = _unary("asin", np.arcsin, ASIN)
acos = _unary("acos", np.arccos, ACOS)
atan = _unary("atan", np.arctan, ATAN)
sinh = _unary("sinh", np.sinh, SINH)
cosh = _unary("cosh", np.cosh, COSH)
abs = _unary("abs", np.abs, ABS, float_only=False)

arcsin, arccos, arctan = asin, acos, atan
absolute = abs



# -- piecewise: clamp, sign, rounding --------------------------------------------------------

CLAMP0 = defop("ClampBackward0", {"self": "1 inside [min, max]", "min": "1 below min", "max": "1 above max"},
               self=lambda grad, self, min, max, F: F.where(_inside(self, min, max), grad, 0.0),
               min=lambda grad, self, min, max, F: F.where(
                   self < min if max is None else (self < min) & (min < max), grad, 0.0),
               max=lambda grad, self, min, max, F: F.where(
                   self > max if min is None else (self > max) | (max < min), grad, 0.0))
CLAMP1 = defop("ClampBackward1", {"self": "1 inside [min, max] else 0"},
               self=lambda grad, self, min, max, F: F.where(_inside(self, min, max), grad, 0.0))
CLAMP_MIN0 = defop("ClampMinBackward0", {"self": "1 if self >= min"},
                   self=lambda grad, self, min, F: F.where(self >= min, grad, 0.0))
CLAMP_MIN1 = defop("ClampMinBackward1", {"self": "1 if self >= min", "min": "1 if self < min"},
                   self=lambda grad, self, min, F: F.where(self >= min, grad, 0.0),
                   min=lambda grad, self, min, F: F.where(self < min, grad, 0.0))
CLAMP_MAX0 = defop("ClampMaxBackward0", {"self": "1 if self <= max"},
                   self=lambda grad, self, max, F: F.where(self <= max, grad, 0.0))
CLAMP_MAX1 = defop("ClampMaxBackward1", {"self": "1 if self <= max", "max": "1 if self > max"},
                   self=lambda grad, self, max, F: F.where(self <= max, grad, 0.0),
                   max=lambda grad, self, max, F: F.where(self > max, grad, 0.0))


def _inside(self, lo, hi):
    if lo is None:
        return self <= hi
    if hi is None:
        return self >= lo
    return (self >= lo) & (self <= hi)


def _clamp_arrays(d, lo, hi):
    if lo is not None:
        d = np.maximum(d, lo)
    if hi is not None:
        d = np.minimum(d, hi)
    return d


def clamp(self, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not (min is None or isinstance(min, Tensor)) or not (max is None or isinstance(max, Tensor)):
            raise TypeError(_clamp_combination_error(min, max))
        rt = dtypes.result_type(self, *(t for t in (min, max) if t is not None)).np
        d = self._data.astype(rt, copy=False)
        lo = None if min is None else min._data.astype(rt, copy=False)
        hi = None if max is None else max._data.astype(rt, copy=False)
        try:
            out = _clamp_arrays(d, lo, hi)
        except ValueError:
            raise broadcast_error(d, lo if lo is not None else hi) from None
        return record(CLAMP0, out, (self, min, max))
    d = self._data
    if (isinstance(min, float) or isinstance(max, float)) and d.dtype.kind != "f":
        d = floating(d)
    return record(CLAMP1, _clamp_arrays(d, min, max), (self,), {"min": min, "max": max})


def _clamp_combination_error(min, max):
    got = ", ".join(f"{k}={type(v).__name__ if not isinstance(v, Tensor) else 'Tensor'}"
                    for k, v in sorted({"min": min, "max": max}.items()) if v is not None)
    return (f"clamp() received an invalid combination of arguments - got ({got}, ), but expected one of:\n"
            " * (Tensor min = None, Tensor max = None)\n"
            "      didn't match because some of the keywords were incorrect: max, min\n"
            " * (Number min = None, Number max = None)\n"
            "      didn't match because some of the keywords were incorrect: max, min\n")


clip = clamp


def clamp_min(self, min):
    if isinstance(min, Tensor):
        a, b = operands(self, min)
        return record(CLAMP_MIN1, _binary_arrays(np.maximum, a, b), (self, min))
    d = self._data if not (isinstance(min, float) and self._data.dtype.kind != "f") else floating(self._data)
    return record(CLAMP_MIN0, np.maximum(d, min), (self,), {"min": min})


def clamp_max(self, max):
    if isinstance(max, Tensor):
        a, b = operands(self, max)
        return record(CLAMP_MAX1, _binary_arrays(np.minimum, a, b), (self, max))
    d = self._data if not (isinstance(max, float) and self._data.dtype.kind != "f") else floating(self._data)
    return record(CLAMP_MAX0, np.minimum(d, max), (self,), {"max": max})


def clamp_(self, min=None, max=None):
    return inplace(self, clamp, min, max)


def _zero_grad(grad, F):
    return F.zeros_like(grad)


SIGN = defop("SignBackward0", {"self": "0"}, self=_zero_grad)
SGN = defop("SgnBackward0", {"self": "0"}, self=_zero_grad)
FLOOR = defop("FloorBackward0", {"self": "0"}, self=_zero_grad)
CEIL = defop("CeilBackward0", {"self": "0"}, self=_zero_grad)
TRUNC = defop("TruncBackward0", {"self": "0"}, self=_zero_grad)
ROUND0 = defop("RoundBackward0", {"self": "0"}, self=_zero_grad)
ROUND1 = defop("RoundBackward1", {"self": "0"}, self=_zero_grad)
FRAC = defop("FracBackward0", {"self": "1"}, self=lambda grad: grad)


def sign(self):
    return record(SIGN, np.sign(self._data), (self,))


def sgn(self):
    return record(SGN, np.sign(self._data), (self,))


def signbit(self):
    return wrap(np.signbit(self._data))


def _rounding(name, fn, spec):
    def op(self):
        d = self._data
        return record(spec, fn(d) if d.dtype.kind == "f" else d.copy(), (self,))

    op.__name__ = name
    return op


floor = _rounding("floor", np.floor, FLOOR)
ceil = _rounding("ceil", np.ceil, CEIL)
trunc = _rounding("trunc", np.trunc, TRUNC)
fix = trunc


def round(self, *, decimals=0):
    d = self._data
    if decimals == 0:
        return record(ROUND0, np.round(d) if d.dtype.kind == "f" else d.copy(), (self,))
    return record(ROUND1, np.round(d, decimals), (self,))


def frac(self):
    d = self._data
    if d.dtype.kind != "f":
        raise RuntimeError(f'"frac_cpu" not implemented for \'{_type_name(d)}\'')
    return record(FRAC, d - np.trunc(d), (self,))


def _type_name(d):
    from ._dispatch import _torch_type_name
    return _torch_type_name(d.dtype)


def square(self):
    if self._data.dtype == np.bool_:
        return pow(wrap(self._data.astype(np.int64)), 2)
    return pow(self, 2)


# -- binary selections: maximum, minimum, where, lerp ------------------------------------------

MAXIMUM = defop("MaximumBackward0", {"self": "1 where self > other (½ on ties)", "other": "1 where other > self (½ on ties)"},
                self=lambda grad, self, other, F: F.where(self < other, 0.0, F.where(self == other, grad / 2, grad)),
                other=lambda grad, self, other, F: F.where(self > other, 0.0, F.where(self == other, grad / 2, grad)))
MINIMUM = defop("MinimumBackward0", {"self": "1 where self < other (½ on ties)", "other": "1 where other < self (½ on ties)"},
                self=lambda grad, self, other, F: F.where(self > other, 0.0, F.where(self == other, grad / 2, grad)),
                other=lambda grad, self, other, F: F.where(self < other, 0.0, F.where(self == other, grad / 2, grad)))
FMAX = defop("FmaxBackward0", {"self": "1 where self >= other or other is nan", "other": "the rest"},
             self=lambda grad, self, other, F: F.where((self >= other) | (other != other), grad, 0.0),
             other=lambda grad, self, other, F: F.where((self >= other) | (other != other), 0.0, grad))
FMIN = defop("FminBackward0", {"self": "1 where self <= other or other is nan", "other": "the rest"},
             self=lambda grad, self, other, F: F.where((self <= other) | (other != other), grad, 0.0),
             other=lambda grad, self, other, F: F.where((self <= other) | (other != other), 0.0, grad))
WHERE = defop("WhereBackward0", {"self": "1 where condition", "other": "1 where not condition"},
              self=lambda grad, condition, F: F.where(condition, grad, 0.0),
              other=lambda grad, condition, F: F.where(condition, 0.0, grad))


def _selection(name, fn, spec):
    def op(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
        a, b = operands(self, other)
        return record(spec, _binary_arrays(fn, a, b), (self, other))

    op.__name__ = name
    return op


maximum = _selection("maximum", np.maximum, MAXIMUM)
minimum = _selection("minimum", np.minimum, MINIMUM)
fmax = _selection("fmax", np.fmax, FMAX)
fmin = _selection("fmin", np.fmin, FMIN)


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .compare import nonzero_tuple
        return nonzero_tuple(condition)
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition)  # formulas pass arrays
    if c.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_type_name(c)}")
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        a, b = operands(input, other)
    else:
        rt = dtypes.result_type(input, other).np
        a, b = np.asarray(input, dtype=rt), np.asarray(other, dtype=rt)
    try:
        out = np.where(c, a, b)
    except ValueError:
        aa, bb = np.asarray(a), np.asarray(b)
        try:
            np.broadcast_shapes(c.shape, aa.shape)
        except ValueError:
            raise broadcast_error(c, aa) from None
        raise broadcast_error(np.empty(np.broadcast_shapes(c.shape, aa.shape)), bb) from None
    return record(WHERE, out, (input, other), {"condition": c})


def _tensor_where(self, condition, other):
    return where(condition, self, other)


LERP0 = defop("LerpBackward0", {"self": "1 - weight", "end": "weight"},
              self=lambda grad, weight: grad * (1 - weight),
              end=lambda grad, weight: grad * weight)
LERP1 = defop("LerpBackward1", {"self": "1 - weight", "end": "weight", "weight": "end - self"},
              self=lambda grad, weight: grad * (1 - weight),
              end=lambda grad, weight: grad * weight,
              weight=lambda grad, self, end: grad * (end - self))


def lerp(input, end, weight):
    a, b = operands(input, end)
    if isinstance(weight, Tensor):
        w = weight._data
        with np.errstate(invalid="ignore"):
            out = _binary_arrays(lambda x, y: np.where(np.abs(w) < 0.5, x + w * (y - x), y - (y - x) * (1 - w)), a, b)
        return record(LERP1, out.astype(np.asarray(a).dtype, copy=False), (input, end, weight))
    if -0.5 < weight < 0.5:
        out = _binary_arrays(lambda x, y: x + weight * (y - x), a, b)
    else:
        out = _binary_arrays(lambda x, y: y - (y - x) * (1 - weight), a, b)
    return record(LERP0, out, (input, end), {"weight": weight})


# -- special functions -------------------------------------------------------------------------

ERF = defop("ErfBackward0", {"self": "2/√π·exp(-self²)"},
            self=lambda grad, self, F: grad * (1.1283791670955126 * F.exp(-(self * self))))
ERFC = defop("ErfcBackward0", {"self": "-2/√π·exp(-self²)"},
             self=lambda grad, self, F: grad * (-1.1283791670955126 * F.exp(-(self * self))))
LOGIT = defop("LogitBackward0", {"self": "1/(self(1-self)) (0 outside [eps, 1-eps])"},
              self=lambda grad, self, eps, F: grad / (self * (1 - self)) if eps is None else F.where(
                  (self < eps) | (self > 1 - eps), 0.0, grad / (self * (1 - self))))
XLOGY = defop("XlogyBackward0", {"self": "log(other) where self != 0", "other": "self/other"},
              self=lambda grad, self, other, F: F.where(self == 0, 0.0, grad * F.log(other)),
              other=lambda grad, self, other: grad * self / other)
NAN_TO_NUM = defop("NanToNumBackward0", {"self": "1 where finite"},
                   self=lambda grad, self, F: F.where((self == self) & (F.abs(self) != float("inf")), grad, 0.0))


def erf(self):
    from .backends import erf_array
    return record(ERF, erf_array(floating(self._data)), (self,))


def erfc(self):
    from .backends import erf_array
    return record(ERFC, 1.0 - erf_array(floating(self._data)), (self,))


def logit(self, eps=None):
    d = floating(self._data)
    if eps is not None:
        d = np.clip(d, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(d / (1 - d))
    return record(LOGIT, out, (self,), {"eps": eps})


def xlogy(self, other):
    if not isinstance(self, Tensor):
        self = _scalar_tensor(self, other)
    a, b = operands(self, other)
    a, b = floating(np.asarray(a)), floating(np.asarray(b))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(lambda x, y: np.where((x == 0) & ~np.isnan(y), 0.0, x * np.log(y)), a, b)
    return record(XLOGY, out.astype(a.dtype, copy=False), (self, other))


def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
    d = self._data
    if d.dtype.kind != "f":
        return record(NAN_TO_NUM, d.copy(), (self,))
    return record(NAN_TO_NUM, np.nan_to_num(d, nan=nan, posinf=posinf, neginf=neginf), (self,))


def heaviside(self, values):
    a, b = operands(self, values)
    return wrap(np.asarray(_binary_arrays(np.heaviside, a, b)).astype(np.asarray(a).dtype, copy=False))


# -- dtype conversions ---------------------------------------------------------------------------

TO_COPY = defop("ToCopyBackward0", {"self": "1 (cast back)"}, self=lambda grad: grad)
_LEGACY_TYPES = {"torch.FloatTensor": dtypes.float32, "torch.DoubleTensor": dtypes.float64,
                 "torch.HalfTensor": dtypes.float16, "torch.LongTensor": dtypes.int64,
                 "torch.IntTensor": dtypes.int32, "torch.ShortTensor": dtypes.int16,
                 "torch.CharTensor": dtypes.int8, "torch.ByteTensor": dtypes.uint8,
                 "torch.BoolTensor": dtypes.bool_}


def to_dtype(self, dtype, copy=False):
    """self as ``dtype``: itself when nothing changes; float->float casts stay differentiable."""
    if isinstance(dtype, str):
        try:
            dtype = _LEGACY_TYPES[dtype]
        except KeyError:
            raise ValueError(f"invalid type: '{dtype}'") from None
    from ..creation import _np_dtype
    nd = _np_dtype(dtype)
    d = self._data
    if d.dtype == nd:
        return self if not copy else record(TO_COPY, d.copy(), (self,))
    out = d.astype(nd)
    if nd.kind == "f" and d.dtype.kind == "f":
        return record(TO_COPY, out, (self,))
    return wrap(out)


def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False, memory_format=None):
    for a in args:
        if isinstance(a, dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, bool):
            non_blocking = a
        elif a is not None:
            device = a
    if device is not None:
        _check_device(device)
    if dtype is None:
        return self if not copy else to_dtype(self, self.dtype, copy=True)
    return to_dtype(self, dtype, copy)


def _check_device(device):
    name = str(device)
    if name.startswith("cuda"):
        raise AssertionError("Torch not compiled with CUDA enabled")
    if name == "mps":
        raise RuntimeError("MPS backend is not available")
    if name.split(":")[0] not in ("cpu", "meta"):
        raise RuntimeError(f"Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, "
                           f"fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type "
                           f"at start of device string: {name}")


def _converter(dtype):
    def convert(self, memory_format=None):
        return to_dtype(self, dtype)
    return convert


def cpu(self, memory_format=None):
    return self


# -- in-place fills: zero_, fill_, copy_ ------------------------------------------------------------

ZERO = defop("ZeroBackward0", {"self": "0"}, self=_zero_grad)
FILL2 = defop("FillBackward2", {"self": "0"}, self=_zero_grad)
FILL3 = defop("FillBackward3", {"self": "0", "value": "sum(grad)"},
              self=_zero_grad, value=lambda grad: grad)
COPY = defop("CopyBackwards", {"self": "0", "src": "1"}, self=_zero_grad, src=lambda grad: grad)


def _needs_graph(t, *others):
    from ..grad_mode import state
    return state.enabled and (t._requires_grad or any(isinstance(o, Tensor) and o._requires_grad for o in others))


def zero_(self):
    if _needs_graph(self):
        return inplace(self, lambda old: record(ZERO, np.zeros_like(old._data), (old,)))
    from ._dispatch import bump_version, check_inplace
    check_inplace(self)
    self._data[...] = 0
    bump_version(self)
    return self


def fill_(self, value):
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return inplace(self, lambda old, v: record(FILL3, np.full_like(old._data, v._data), (old, v)), value)
    if _needs_graph(self):
        return inplace(self, lambda old: record(FILL2, np.full_like(old._data, value), (old,)))
    from ._dispatch import bump_version, check_inplace
    check_inplace(self)
    self._data[...] = value
    bump_version(self)
    return self


def copy_(self, src, non_blocking=False):
    s = src._data if isinstance(src, Tensor) else np.asarray(src)
    d = self._data
    try:
        out = np.broadcast_to(s, d.shape)
    except ValueError:
        raise broadcast_error(d, s) from None
    out = out.astype(d.dtype, copy=True)
    if not isinstance(src, Tensor):
        src = wrap(s)
    return inplace(self, lambda old, sv: record(COPY, out, (old, sv)), src)


TENSOR_METHODS = {
    "add": add, "sub": sub, "subtract": sub, "mul": mul, "multiply": mul,
    "div": div, "divide": div, "true_divide": div, "pow": pow, "neg": neg, "negative": neg,
    "floor_divide": floor_divide, "remainder": remainder,
    "__add__": add, "__radd__": add, "__sub__": sub, "__rsub__": rsub,
    "__mul__": mul, "__rmul__": mul, "__truediv__": div, "__rtruediv__": rdiv,
    "__pow__": pow, "__rpow__": rpow, "__neg__": neg, "__pos__": positive,
    "__abs__": abs, "__floordiv__": floor_divide, "__mod__": remainder,
    "exp": exp, "log": log, "log2": log2, "log10": log10, "log1p": log1p,
    "expm1": expm1, "exp2": exp2, "sqrt": sqrt, "rsqrt": rsqrt, "sin": sin, "cos": cos,
    "tan": tan, "tanh": tanh, "sigmoid": sigmoid, "reciprocal": reciprocal, "abs": abs,
    "absolute": abs, "asin": asin, "acos": acos, "atan": atan, "arcsin": asin,
    "arccos": acos, "arctan": atan, "sinh": sinh, "cosh": cosh,
    "clamp": clamp, "clip": clamp, "clamp_min": clamp_min, "clamp_max": clamp_max,
    "sign": sign, "sgn": sgn, "signbit": signbit, "floor": floor, "ceil": ceil, "trunc": trunc,
    "fix": trunc, "round": round, "frac": frac, "square": square,
    "maximum": maximum, "minimum": minimum, "fmax": fmax, "fmin": fmin, "where": _tensor_where,
    "lerp": lerp, "erf": erf, "erfc": erfc, "logit": logit, "xlogy": xlogy,
    "nan_to_num": nan_to_num, "heaviside": heaviside,
    "to": to, "type_as": lambda self, other: to_dtype(self, other.dtype), "cpu": cpu,
    "float": _converter(dtypes.float32), "double": _converter(dtypes.float64),
    "half": _converter(dtypes.float16), "long": _converter(dtypes.int64),
    "int": _converter(dtypes.int32), "short": _converter(dtypes.int16),
    "char": _converter(dtypes.int8), "byte": _converter(dtypes.uint8),
    "bool": _converter(dtypes.bool_),
    "zero_": zero_, "fill_": fill_, "copy_": copy_, "clamp_": clamp_, "clip_": clamp_,
}
TENSOR_INPLACE = {
    "add_": add, "sub_": sub, "mul_": mul, "div_": div, "pow_": pow, "neg_": neg,
    "exp_": exp, "log_": log, "sqrt_": sqrt, "sin_": sin, "cos_": cos, "tanh_": tanh,
    "sigmoid_": sigmoid, "abs_": abs, "reciprocal_": reciprocal,
    "__iadd__": add, "__isub__": sub, "__imul__": mul, "__itruediv__": div, "__ipow__": pow,
    "clamp_min_": clamp_min, "clamp_max_": clamp_max, "sign_": sign, "sgn_": sgn,
    "floor_": floor, "ceil_": ceil, "trunc_": trunc, "fix_": trunc, "round_": round,
    "frac_": frac, "square_": square, "lerp_": lerp, "erf_": erf, "erfc_": erfc,
    "logit_": logit, "xlogy_": xlogy, "nan_to_num_": nan_to_num,
    "log2_": log2, "log10_": log10, "log1p_": log1p, "expm1_": expm1, "rsqrt_": rsqrt,
    "tan_": tan, "asin_": asin, "acos_": acos, "atan_": atan, "sinh_": sinh, "cosh_": cosh,
    "exp2_": exp2, "remainder_": remainder, "floor_divide_": floor_divide,
    "__ifloordiv__": floor_divide, "__imod__": remainder,
}


def _torch_exports():
    import sys

    from ..namespace import public_functions
    from . import activation
    names = public_functions(sys.modules[__name__])
    for helper in ("to_dtype", "to", "cpu", "zero_", "fill_", "copy_", "rdiv", "rpow"):
        names.pop(helper, None)
    names.update(activation.TORCH_LEVEL)
    names.update(arcsin=asin, arccos=acos, arctan=atan, absolute=abs, fix=trunc, clip=clamp,
                 clamp_=clamp_, clip_=clamp_, square_=lambda input: inplace(input, square))
    TENSOR_METHODS.update(activation.TENSOR_METHODS)
    return names


TORCH_EXPORTS = _torch_exports()
