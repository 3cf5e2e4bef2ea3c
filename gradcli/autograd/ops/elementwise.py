"""Elementwise ops: arithmetic, powers, math functions, activations, comparisons.

Each op is its forward (numpy) beside its ``defop`` entry (the backward).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor, wrap
from ._dispatch import as_array, broadcast_error, floating, inplace, operands
from .registry import defop, record

# -- arithmetic ----------------------------------------------------------------------

ADD = defop("AddBackward0", {"self": "1", "other": "alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha: grad * alpha if alpha != 1 else grad)
SUB = defop("SubBackward0", {"self": "1", "other": "-alpha"},
            self=lambda grad: grad,
            other=lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)
RSUB = defop("RsubBackward1", {"self": "-alpha"},
             self=lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)
MUL = defop("MulBackward0", {"self": "other", "other": "self"},
            self=lambda grad, other: grad * other,
            other=lambda grad, self: grad * self)
DIV = defop("DivBackward0", {"self": "1/other", "other": "-self/other²"},
            self=lambda grad, other: grad / other,
            other=lambda grad, self, other: -grad * self / (other * other))
NEG = defop("NegBackward0", {"self": "-1"}, self=lambda grad: -grad)


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
        return sub(other, self, alpha=alpha)
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
            return wrap(np.asarray(_binary_arrays(fn, a, b)))
    if np.asarray(a).dtype.kind != "f" and np.asarray(b).dtype.kind != "f":
        a = floating(np.asarray(a))
        b = floating(np.asarray(b))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.true_divide, a, b)
    return record(DIV, out, (self, other))


def _trunc_divide(a, b):
    return np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b))


def rdiv(self, other):
    return div(_scalar_tensor(other, self), self)


def _scalar_tensor(value, like):
    if isinstance(value, Tensor):
        return value
    from ..creation import scalar_tensor
    return scalar_tensor(value, like)


def floor_divide(self, other):
    a, b = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        return wrap(np.asarray(_binary_arrays(np.floor_divide, a, b)))


def remainder(self, other):
    a, b = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        return wrap(np.asarray(_binary_arrays(np.remainder, a, b)))


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
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.power(a, e) if not (np.asarray(a).dtype.kind in "iu" and e < 0) else _int_neg_pow()
        return record(POW0, out, (self,), {"exponent": exponent})
    if not isinstance(self, Tensor):
        return rpow(exponent, self)
    a, e = operands(self, exponent)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.power, a, e)
    return record(POW1, out, (self, exponent))


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
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = fn(d)
        return record(spec, out, (self,))

    op.__name__ = name
    return op


EXP = defop("ExpBackward0", {"self": "exp(self)"}, self=lambda grad, result: grad * result)
LOG = defop("LogBackward0", {"self": "1/self"}, self=lambda grad, self: grad / self)
LOG2 = defop("Log2Backward0", {"self": "1/(self·ln 2)"}, self=lambda grad, self: grad / (self * 0.6931471805599453))
LOG10 = defop("Log10Backward0", {"self": "1/(self·ln 10)"}, self=lambda grad, self: grad / (self * 2.302585092994046))
LOG1P = defop("Log1PBackward0", {"self": "1/(1+self)"}, self=lambda grad, self: grad / (self + 1))
EXPM1 = defop("Expm1Backward0", {"self": "exp(self)"}, self=lambda grad, result: grad * (result + 1))
EXP2 = defop("Exp2Backward0", {"self": "2^self·ln 2"}, self=lambda grad, result: grad * result * 0.6931471805599453)
SQRT = defop("SqrtBackward0", {"self": "1/(2·sqrt(self))"}, self=lambda grad, result: grad / (2 * result))
RSQRT = defop("RsqrtBackward0", {"self": "-1/(2·self^(3/2))"}, self=lambda grad, result: -0.5 * grad * result ** 3)
SIN = defop("SinBackward0", {"self": "cos(self)"}, self=lambda grad, self, F: grad * F.cos(self))
COS = defop("CosBackward0", {"self": "-sin(self)"}, self=lambda grad, self, F: grad * -F.sin(self))
TAN = defop("TanBackward0", {"self": "1 + tan²(self)"}, self=lambda grad, result: grad * (1 + result * result))
TANH = defop("TanhBackward0", {"self": "1 - tanh²(self)"}, self=lambda grad, result: grad * (1 - result * result))
SIGMOID = defop("SigmoidBackward0", {"self": "σ(self)(1-σ(self))"}, self=lambda grad, result: grad * (result * (1 - result)))
RECIPROCAL = defop("ReciprocalBackward0", {"self": "-1/self²"}, self=lambda grad, result: grad * -(result * result))
ABS = defop("AbsBackward0", {"self": "sign(self)"}, self=lambda grad, self, F: grad * F.sign(self))
ASIN = defop("AsinBackward0", {"self": "1/sqrt(1-self²)"}, self=lambda grad, self, F: grad / F.sqrt(1 - self * self))
ACOS = defop("AcosBackward0", {"self": "-1/sqrt(1-self²)"}, self=lambda grad, self, F: -grad / F.sqrt(1 - self * self))
ATAN = defop("AtanBackward0", {"self": "1/(1+self²)"}, self=lambda grad, self: grad / (1 + self * self))
SINH = defop("SinhBackward0", {"self": "cosh(self)"}, self=lambda grad, self, F: grad * F.cosh(self))
COSH = defop("CoshBackward0", {"self": "sinh(self)"}, self=lambda grad, self, F: grad * F.sinh(self))


def _sigmoid(d):
    return 1.0 / (1.0 + np.exp(-d))


exp = _unary("exp", np.exp, EXP)
log = _unary("log", np.log, LOG)
log2 = _unary("log2", np.log2, LOG2)
log10 = _unary("log10", np.log10, LOG10)
log1p = _unary("log1p", np.log1p, LOG1P)
expm1 = _unary("expm1", np.expm1, EXPM1)
exp2 = _unary("exp2", np.exp2, EXP2)
sqrt = _unary("sqrt", np.sqrt, SQRT)
rsqrt = _unary("rsqrt", lambda d: 1.0 / np.sqrt(d), RSQRT)
sin = _unary("sin", np.sin, SIN)
cos = _unary("cos", np.cos, COS)
tan = _unary("tan", np.tan, TAN)
tanh = _unary("tanh", np.tanh, TANH)
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
}
TENSOR_INPLACE = {
    "add_": add, "sub_": sub, "mul_": mul, "div_": div, "pow_": pow, "neg_": neg,
    "exp_": exp, "log_": log, "sqrt_": sqrt, "sin_": sin, "cos_": cos, "tanh_": tanh,
    "sigmoid_": sigmoid, "abs_": abs, "reciprocal_": reciprocal,
    "__iadd__": add, "__isub__": sub, "__imul__": mul, "__itruediv__": div, "__ipow__": pow,
}
