"""Elementwise ops: unary math (exp, log, sin, tanh, sigmoid...) and special functions
(erf, logit, xlogy...), and the table binding the whole elementwise family to torch and
Tensor: arithmetic.py (add, mul, pow...), piecewise.py (clamp, rounding, maximum, where...)
and conversion.py (to, fills) are imported here, so their names stay reachable as
``elementwise.<name>``.

Each op is its forward (numpy) beside its ``defop`` entry (the backward).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor, wrap
from ._dispatch import floating, inplace, operands
from .dtype_support import kernel_error
from .backends import log_array, xlogy_array
from . import float32_math
from .float32_math import one_minus_square, via_float64
# the rest of the family, reachable as elementwise.<name> (the torch/Tensor tables below use them)
from .arithmetic import (_binary_arrays, _scalar_tensor, add, div, floor_divide, mul,  # noqa: F401
                         mul_scalar, neg, positive, pow, remainder, rpow, rremainder, rsub, square, sub,
                         subtract)
from .arithmetic import FLOOR_DIVIDE, alpha_first
from .conversion import _check_device, _converter, copy_, cpu, fill_, to, to_dtype, zero_  # noqa: F401
from .piecewise import (_tensor_where, ceil, clamp, clamp_, clamp_max, clamp_max_, clamp_min,  # noqa: F401
                        clamp_min_, clip, fix, floor, fmax, fmin, frac, lerp, maximum, minimum, round, sgn, sign, signbit,
                        trunc, where)
from .registry import backward_op, defop, record

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
# the formulas are torch's (derivatives.yaml), in its order of operations; a number
# inside them is a Scalar operand (F.mul_scalar...: MulBackward1 under create_graph)
LOG2 = defop("Log2Backward0", {"self": "1/(self·ln 2)"},
             self=lambda grad, self, F: grad / F.mul_scalar(self, 0.6931471805599453))
LOG10 = defop("Log10Backward0", {"self": "1/(self·ln 10)"},
              self=lambda grad, self, F: grad / F.mul_scalar(self, 2.3025850929940456))
LOG1P = defop("Log1PBackward0", {"self": "1/(1+self)"}, self=lambda grad, self, F: grad / F.add_scalar(self, 1))
EXPM1 = defop("Expm1Backward0", {"self": "exp(self)"}, self=lambda grad, result, F: grad * F.add_scalar(result, 1))
EXP2 = defop("Exp2Backward0", {"self": "2^self·ln 2"},
             self=lambda grad, result, F: F.mul_scalar(grad * result, 0.6931471805599453))
SQRT = defop("SqrtBackward0", {"self": "1/(2·sqrt(self))"}, self=lambda grad, result, F: grad / F.mul_scalar(result, 2))
RSQRT = defop("RsqrtBackward0", {"self": "-1/(2·self^(3/2))"},
              self=lambda grad, result, F: F.mul_scalar(grad, -0.5) * F.pow(result, 3))
SIN = defop("SinBackward0", {"self": "cos(self)"}, self=lambda grad, self, F: grad * F.cos(self))
COS = defop("CosBackward0", {"self": "-sin(self)"}, self=lambda grad, self, F: grad * -F.sin(self))
TAN = defop("TanBackward0", {"self": "1 + tan²(self)"},
            self=lambda grad, result, F: grad * F.add_scalar(F.pow(result, 2), 1))


def _one_minus_square(output):
    # torch's kernel fuses 1 - y·y (an FMA: the exact value, rounded once)
    if isinstance(output, (np.ndarray, np.generic)):
        return one_minus_square(output)
    return 1 - output * output


# torch's tanh_backward / sigmoid_backward: one node each under create_graph
TANH_BACKWARD = backward_op(
    "TanhBackwardBackward0", lambda grad, output, F: grad * _one_minus_square(output),
    grad_output=lambda grad, output: TANH_BACKWARD(grad, output),
    output=lambda grad, grad_output, output, F: grad * (F.mul_scalar(output, -2) * grad_output))
SIGMOID_BACKWARD = backward_op(
    "SigmoidBackwardBackward0", lambda grad, output, F: grad * (1 - output) * output,
    grad_output=lambda grad, output: SIGMOID_BACKWARD(grad, output),
    output=lambda grad, grad_output, output, F: grad * grad_output * F.add_scalar(F.mul_scalar(output, -2), 1))
TANH = defop("TanhBackward0", {"self": "1 - tanh²(self)"}, self=lambda grad, result: TANH_BACKWARD(grad, result))
SIGMOID = defop("SigmoidBackward0", {"self": "σ(self)(1-σ(self))"},
                self=lambda grad, result: SIGMOID_BACKWARD(grad, result))
RECIPROCAL = defop("ReciprocalBackward0", {"self": "-1/self²"}, self=lambda grad, result: -grad * (result * result))
ABS = defop("AbsBackward0", {"self": "sign(self)"}, self=lambda grad, self, F: grad * F.sgn(self))
ASIN = defop("AsinBackward0", {"self": "1/sqrt(1-self²)"},
             self=lambda grad, self, F: grad * F.rsqrt(F.add_scalar(-self * self, 1)))
ACOS = defop("AcosBackward0", {"self": "-1/sqrt(1-self²)"},
             self=lambda grad, self, F: grad * -F.rsqrt(F.add_scalar(-self * self, 1)))
ATAN = defop("AtanBackward0", {"self": "1/(1+self²)"}, self=lambda grad, self, F: grad / F.add_scalar(self * self, 1))
# torch's formulas: (self² + 1).rsqrt(), (self² - 1).rsqrt(), 1 / (1 - self²)
ASINH = defop("AsinhBackward0", {"self": "1/sqrt(self²+1)"},
              self=lambda grad, self, F: grad * F.rsqrt(F.add_scalar(F.pow(self, 2), 1)))
ACOSH = defop("AcoshBackward0", {"self": "1/sqrt(self²-1)"},
              self=lambda grad, self, F: grad * F.rsqrt(F.sub_scalar(F.pow(self, 2), 1)))
ATANH = defop("AtanhBackward0", {"self": "1/(1-self²)"},
              self=lambda grad, self, F: F.mul_scalar(grad, 1) / F.rsub_scalar(1, F.pow(self, 2)))
# sinh/cosh of a float32 array: torch's vectorized kernel (float32_math), in the backward too
SINH = defop("SinhBackward0", {"self": "cosh(self)"},
             self=lambda grad, self, F: grad * (float32_math.cosh(self) if isinstance(self, np.ndarray) else F.cosh(self)))
COSH = defop("CoshBackward0", {"self": "sinh(self)"},
             self=lambda grad, self, F: grad * (float32_math.sinh(self) if isinstance(self, np.ndarray) else F.sinh(self)))


def _via64(fn):
    """fn on float32 through float64, rounded once: torch's float32 exp/tanh/log kernels are
    (nearly) correctly rounded where numpy's float32 loops are off by an ulp a third of the time."""

    def f(d):
        if d.dtype == np.float32:
            return via_float64(fn, d)
        return fn(d)

    return f


def _sigmoid(d):
    if d.dtype == np.float32:  # torch: SLEEF's exp on vectorized elements, libm's on the rest
        return float32_math.sigmoid(d)
    return 1.0 / (1.0 + np.exp(-d))


exp = _unary("exp", _via64(np.exp), EXP)
log = _unary("log", log_array, LOG)
log2 = _unary("log2", _via64(np.log2), LOG2)
log10 = _unary("log10", _via64(np.log10), LOG10)
log1p = _unary("log1p", _via64(np.log1p), LOG1P)
expm1 = _unary("expm1", _via64(np.expm1), EXPM1)
exp2 = _unary("exp2", lambda d: float32_math.exp2(d) if d.dtype == np.float32 else np.exp2(d), EXP2)
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
# float32 asinh/acosh: numpy's float32 loops give torch's values (measured on 10^5 points);
# atanh is SLEEF's in torch's vectorized loop: through float64 is nearest (99.9%)
asinh = _unary("asinh", np.arcsinh, ASINH)
acosh = _unary("acosh", np.arccosh, ACOSH)
atanh = _unary("atanh", _via64(np.arctanh), ATANH)
sinh = _unary("sinh", float32_math.sinh, SINH)
cosh = _unary("cosh", float32_math.cosh, COSH)
_abs = _unary("abs", np.abs, ABS, float_only=False)


def abs(self):
    if self._data.dtype == np.bool_:  # torch's abs kernel has no bool loop
        raise kernel_error("abs_cpu", self._data.dtype)
    return _abs(self)


arcsin, arccos, arctan = asin, acos, atan
absolute = abs


def rdiv(self, other):
    """``2 / x``: torch computes ``x.reciprocal() * 2`` (ReciprocalBackward0 then
    MulBackward0, and float32 rounds twice), not a division."""
    if isinstance(other, Tensor):
        return div(other, self)
    return mul(reciprocal(self), other)


# -- special functions -------------------------------------------------------------------------

ERF = defop("ErfBackward0", {"self": "2/√π·exp(-self²)"},
            self=lambda grad, self, F: F.mul_scalar(F.exp(-F.pow(self, 2)), 1.1283791670955126) * grad)
ERFC = defop("ErfcBackward0", {"self": "-2/√π·exp(-self²)"},
             self=lambda grad, self, F: F.mul_scalar(F.exp(-F.pow(self, 2)), -1.1283791670955126) * grad)
# torch's logit_backward: nan outside [0, 1] (nan and ±inf too); with eps, 0 outside [eps, 1-eps] and at nan
LOGIT = defop("LogitBackward0", {"self": "1/(self(1-self)) (nan outside [0, 1]; with eps 0 outside [eps, 1-eps])"},
              self=lambda grad, self, eps, F: F.where(
                  (self < 0) | (self > 1) | (self != self) | (self == float("inf")), float("nan"),
                  grad / (self * (1 - self))) if eps is None else F.where(
                  (self >= eps) & (self <= 1 - eps), grad / (self * (1 - self)), 0.0))
XLOGY = defop("XlogyBackward0", {"self": "xlogy(grad, other), 0 where self = 0 and other <= 0", "other": "self/other"},
              self=lambda grad, self, other, F: F.masked_fill(F.xlogy(grad, other), (self == 0) & (other <= 0), 0.0),
              other=lambda grad, self, other: grad * self / other)
# a Python number as self (xlogy.Scalar_Self) or as other (xlogy.Scalar_Other): torch's own nodes
XLOGY1 = defop("XlogyBackward1", {"other": "self/other"},
               other=lambda grad, self, other, F: F.mul_scalar(grad, self) / other)
XLOGY2 = defop("XlogyBackward2", {"self": "xlogy(grad, other), 0 where self = 0 and other <= 0"},
               self=lambda grad, self, other, F: F.xlogy(grad, other) if other > 0
               else F.masked_fill(F.xlogy(grad, other), self == 0, 0.0))
NAN_TO_NUM = defop("NanToNumBackward0", {"self": "1 where finite"},
                   self=lambda grad, self, F: grad * F.isfinite(self))


def erf(self):
    from .backends import erf_array
    return record(ERF, erf_array(floating(self._data)), (self,))


def erfc(self):
    from .backends import erfc_array
    return record(ERFC, erfc_array(floating(self._data)), (self,))


def logit(self, eps=None):
    eps = _optional_float(eps)  # torch's parser: a number, None or a 0-d tensor
    d = floating(self._data)
    if eps is not None:  # torch's x < lo ? lo : x > hi ? hi : x, also when eps > 0.5 (lo > hi)
        lo, hi = d.dtype.type(eps), d.dtype.type(1 - eps)
        d = np.where(d < lo, lo, np.where(d > hi, hi, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(d / (1 - d))
    return record(LOGIT, out, (self,), {"eps": eps})


def xlogy(self, other):
    number = self if not isinstance(self, Tensor) else other if not isinstance(other, Tensor) else None
    if not isinstance(self, Tensor):
        self = _scalar_tensor(self, other)
    a, b = operands(self, other)
    a, b = floating(np.asarray(a)), floating(np.asarray(b))
    out = _binary_arrays(xlogy_array, a, b).astype(a.dtype, copy=False)
    if number is None:
        return record(XLOGY, out, (self, other))
    if number is other:
        return record(XLOGY2, out, (self,), {"other": other})
    return record(XLOGY1, out, (other,), {"self": number})




def _optional_float(value):
    """A ``float?`` argument: a number, None or a 0-d tensor; else the parser's TypeError."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise TypeError("only a 0-d tensor is a float")
        return float(value._data)
    if value is not None and not isinstance(value, (int, float)):
        raise TypeError(f"{type(value).__name__} is not a float")
    return value


def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
    nan, posinf, neginf = _optional_float(nan), _optional_float(posinf), _optional_float(neginf)
    d = self._data
    if d.dtype.kind != "f":
        return record(NAN_TO_NUM, d.copy(), (self,))
    nan = 0.0 if nan is None else nan  # torch's None is its default, 0
    return record(NAN_TO_NUM, np.nan_to_num(d, nan=nan, posinf=posinf, neginf=neginf), (self,))


def heaviside(self, values):
    if not isinstance(values, Tensor) or not isinstance(self, Tensor):
        raise TypeError("heaviside takes tensors")  # the call site words it as torch's parser
    a, b = operands(self, values)
    # torch: x == 0 ? values : x > 0, so nan gives 0 (numpy's heaviside gives nan)
    with np.errstate(invalid="ignore"):
        out = np.asarray(_binary_arrays(lambda x, v: np.where(x == 0, v, x > 0), a, b))
    out = out.astype(np.asarray(a).dtype, copy=False)
    # torch records a node that fails when a backward pass reaches it
    return record(FLOOR_DIVIDE, out, (self, values), {"op": "heaviside"})


_OPERANDS = (Tensor, int, float, complex, np.ndarray, np.generic)


def _operator(op, name):
    """``x + other``: another kind of object is NotImplemented, as for torch's Tensor, so Python
    says "unsupported operand type(s) for +: 'Tensor' and 'list'" (or tries other's own operator)."""
    def method(self, other):
        if isinstance(other, _OPERANDS):
            return op(self, other)
        return NotImplemented

    method.__name__ = method.__qualname__ = name
    return method


def _alpha_method(op, name):
    """Tensor.add/sub(_): torch's deprecated ``x.add(2, y)`` (x + 2 * y) warns in its method form."""
    def method(self, other, *alpha_other, alpha=1):
        if alpha_other:
            alpha, other = alpha_first(name, other, alpha_other, "method")
        return op(self, other, alpha=alpha)

    method.__name__ = method.__qualname__ = op.__name__
    return method


TENSOR_METHODS = {
    "add": _alpha_method(add, "add"), "sub": _alpha_method(sub, "sub"), "subtract": subtract, "mul": mul, "multiply": mul,
    "div": div, "divide": div, "true_divide": div, "pow": pow, "neg": neg, "negative": neg,
    "floor_divide": floor_divide, "remainder": remainder,
    **{name: _operator(op, name) for name, op in (
        ("__add__", add), ("__radd__", add), ("__sub__", sub), ("__rsub__", rsub), ("__mul__", mul),
        ("__rmul__", mul), ("__truediv__", div), ("__rtruediv__", rdiv), ("__pow__", pow), ("__rpow__", rpow),
        ("__floordiv__", floor_divide), ("__mod__", remainder), ("__rmod__", rremainder))},
    "__neg__": neg, "__pos__": positive, "__abs__": abs,
    "exp": exp, "log": log, "log2": log2, "log10": log10, "log1p": log1p,
    "expm1": expm1, "exp2": exp2, "sqrt": sqrt, "rsqrt": rsqrt, "sin": sin, "cos": cos,
    "tan": tan, "tanh": tanh, "sigmoid": sigmoid, "reciprocal": reciprocal, "abs": abs,
    "absolute": abs, "asin": asin, "acos": acos, "atan": atan, "arcsin": asin,
    "arccos": acos, "arctan": atan, "sinh": sinh, "cosh": cosh, "asinh": asinh, "acosh": acosh,
    "atanh": atanh, "arcsinh": asinh, "arccosh": acosh, "arctanh": atanh,
    "clamp": clamp, "clip": clamp, "clamp_min": clamp_min, "clamp_max": clamp_max,
    "clamp_min_": clamp_min_, "clamp_max_": clamp_max_,
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
    "add_": _alpha_method(add, "add_"), "sub_": _alpha_method(sub, "sub_"), "mul_": mul, "div_": div, "pow_": pow, "neg_": neg,
    "exp_": exp, "log_": log, "sqrt_": sqrt, "sin_": sin, "cos_": cos, "tanh_": tanh,
    "sigmoid_": sigmoid, "abs_": abs, "reciprocal_": reciprocal,
    "__iadd__": add, "__isub__": sub, "__imul__": mul, "__itruediv__": div, "__ipow__": pow,
    "sign_": sign, "sgn_": sgn,
    "floor_": floor, "ceil_": ceil, "trunc_": trunc, "fix_": trunc, "round_": round,
    "frac_": frac, "square_": square, "lerp_": lerp, "erf_": erf, "erfc_": erfc,
    "logit_": logit, "xlogy_": xlogy, "nan_to_num_": nan_to_num,
    "log2_": log2, "log10_": log10, "log1p_": log1p, "expm1_": expm1, "rsqrt_": rsqrt,
    "tan_": tan, "asin_": asin, "acos_": acos, "atan_": atan, "sinh_": sinh, "cosh_": cosh,
    "asinh_": asinh, "acosh_": acosh, "atanh_": atanh, "arcsinh_": asinh, "arccosh_": acosh,
    "arctanh_": atanh, "exp2_": exp2, "remainder_": remainder, "floor_divide_": floor_divide,
    "__ifloordiv__": floor_divide, "__imod__": remainder, "heaviside_": heaviside,
}


def _torch_exports():
    import sys

    from ..namespace import public_functions
    from . import activation, arithmetic, conversion, piecewise
    names = {}
    for mod in (arithmetic, piecewise, conversion, sys.modules[__name__]):
        names.update(public_functions(mod))
    for helper in ("to_dtype", "to", "cpu", "zero_", "fill_", "copy_", "rdiv", "rpow", "mul_scalar", "rremainder",
                   "alpha_first", "clamp_min_", "clamp_max_"):
        names.pop(helper, None)
    names.update(activation.TORCH_LEVEL)
    from . import out  # torch.add/sub/mul/div(..., out=t)
    names.update(add=out.add, sub=out.sub, subtract=out.subtract, mul=out.mul, multiply=out.multiply,
                 div=out.div, divide=out.divide, true_divide=out.true_divide, negative=neg)
    names.update(arcsinh=asinh, arccosh=acosh, arctanh=atanh)
    names.update(arcsin=asin, arccos=acos, arctan=atan, absolute=abs, fix=trunc, clip=clamp,
                 clamp_=clamp_, clip_=clamp_, square_=lambda input: inplace(input, square))
    TENSOR_METHODS.update(activation.TENSOR_METHODS)
    return names


TORCH_EXPORTS = _torch_exports()

from . import binary_math as _binary_math  # noqa: E402  (fmod, atan2, hypot, logaddexp, copysign)

TORCH_EXPORTS.update(_binary_math.TORCH_EXPORTS)
TENSOR_METHODS.update(_binary_math.TENSOR_METHODS, __rfloordiv__=_operator(_binary_math.rfloordiv, "__rfloordiv__"))
TENSOR_INPLACE.update(_binary_math.TENSOR_INPLACE)

from . import pointwise as _pointwise  # noqa: E402  (addcmul, addcdiv, deg2rad, rad2deg)

TORCH_EXPORTS.update(_pointwise.TORCH_EXPORTS)
TENSOR_METHODS.update(_pointwise.TENSOR_METHODS)
TENSOR_INPLACE.update(_pointwise.TENSOR_INPLACE)
TORCH_EXPORTS.setdefault("true_divide", div)
