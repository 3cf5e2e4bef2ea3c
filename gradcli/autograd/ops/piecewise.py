"""Piecewise ops: clamp, sign and rounding, and the binary selections (maximum, minimum,
fmax, fmin, where, lerp). Their derivatives are masks: 0 or 1 (½ on ties) per element.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor, wrap
from ._dispatch import _torch_type_name, broadcast_error, check_broadcast_size, floating, inplace, operands
from .arithmetic import _binary_arrays, _zero_grad
from .dtype_support import kernel_error, refuse
from .registry import defop, record
from .sleef_f32 import fma32, fma64


def _type_name(d):
    return _torch_type_name(d.dtype)


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


def _clamp_min_array(d, lo):
    """torch's clamp_min of floats: d unless d < lo (so -0. stays -0. at a bound of 0.), nan wherever
    d or lo is nan; numpy's maximum picks the bound on signed-zero ties."""
    if np.asarray(d).dtype.kind != "f":
        return np.maximum(d, lo)
    with np.errstate(invalid="ignore"):
        return np.where((d < lo) | (lo != lo), lo, d).astype(np.result_type(d, lo), copy=False)


def _clamp_max_array(d, hi):
    if np.asarray(d).dtype.kind != "f":
        return np.minimum(d, hi)
    with np.errstate(invalid="ignore"):
        return np.where((d > hi) | (hi != hi), hi, d).astype(np.result_type(d, hi), copy=False)


def _clamp_arrays(d, lo, hi):
    if lo is not None:
        d = _clamp_min_array(d, lo)
    if hi is not None:
        d = _clamp_max_array(d, hi)
    return d


def clamp(self, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not (min is None or isinstance(min, Tensor)) or not (max is None or isinstance(max, Tensor)):
            raise TypeError(_clamp_combination_error(min, max))
        rt = dtypes.result_type(self, *(t for t in (min, max) if t is not None)).np
        if rt.kind != "f" and min is not None and max is not None:
            refuse("clamp", rt)
        d = self._data.astype(rt, copy=False)
        lo = None if min is None else min._data.astype(rt, copy=False)
        hi = None if max is None else max._data.astype(rt, copy=False)
        check_broadcast_size(d, lo, hi)
        try:
            out = _clamp_arrays(d, lo, hi)
        except ValueError:
            raise broadcast_error(d, lo if lo is not None else hi) from None
        return record(CLAMP0, out, (self, min, max))
    d = self._data
    if d.dtype.kind == "b" and type(min) in (bool, type(None)) and type(max) in (bool, type(None)):
        refuse("clamp_scalar" if min is not None and max is not None else
               "clamp_min_scalar" if max is None else "clamp_max_scalar", d.dtype)
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
        return record(CLAMP_MIN1, _binary_arrays(_clamp_min_array, a, b), (self, min))
    if type(min) is bool and self._data.dtype.kind == "b":
        refuse("clamp_min_scalar", self._data.dtype)
    d = self._data if not (isinstance(min, float) and self._data.dtype.kind != "f") else floating(self._data)
    return record(CLAMP_MIN0, _clamp_min_array(d, min), (self,), {"min": min})


def clamp_max(self, max):
    if isinstance(max, Tensor):
        a, b = operands(self, max)
        return record(CLAMP_MAX1, _binary_arrays(_clamp_max_array, a, b), (self, max))
    if type(max) is bool and self._data.dtype.kind == "b":
        refuse("clamp_max_scalar", self._data.dtype)
    d = self._data if not (isinstance(max, float) and self._data.dtype.kind != "f") else floating(self._data)
    return record(CLAMP_MAX0, _clamp_max_array(d, max), (self,), {"max": max})


# C++'s names of the types (torch's in-place clamp with a Number bound words its cast check so)
_CPP_TYPE_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                   "uint8": "unsigned char", "bool": "bool"}


def _check_number_bounds(self, *bounds):
    d = self._data
    if d.dtype.kind == "f":
        return
    kinds = {type(b) for b in bounds}
    result = "Float" if float in kinds else "Long" if int in kinds and d.dtype.kind == "b" else None
    if result:
        raise RuntimeError(f"result type {result} can't be cast to the desired output type "
                           f"{_CPP_TYPE_NAMES.get(d.dtype.name, d.dtype.name)}")


def clamp_(self, min=None, max=None):
    _check_number_bounds(self, min, max)
    return inplace(self, clamp, min, max)


def clamp_min_(self, min):
    _check_number_bounds(self, min)
    return inplace(self, clamp_min, min)


def clamp_max_(self, max):
    _check_number_bounds(self, max)
    return inplace(self, clamp_max, max)


SIGN = defop("SignBackward0", {"self": "0"}, self=_zero_grad)
# torch's sgn_backward saves self and the result (a second backward pass fails)
SGN = defop("SgnBackward0", {"self": "0"}, self=lambda grad, self, result, F: F.zeros_like(grad))
FLOOR = defop("FloorBackward0", {"self": "0"}, self=_zero_grad)
CEIL = defop("CeilBackward0", {"self": "0"}, self=_zero_grad)
TRUNC = defop("TruncBackward0", {"self": "0"}, self=_zero_grad)
ROUND0 = defop("RoundBackward0", {"self": "0"}, self=_zero_grad)
ROUND1 = defop("RoundBackward1", {"self": "0"}, self=_zero_grad)
FRAC = defop("FracBackward0", {"self": "1"}, self=lambda grad: grad)


def _sign(d):
    if d.dtype == np.bool_:
        return d.copy()  # torch: the sign of a bool is itself
    out = np.sign(d, out=np.empty_like(d))
    if d.dtype.kind == "f":
        out[np.isnan(d)] = 0  # torch's kernel is (0 < x) - (x < 0): nan has sign 0
    return out


def sign(self):
    return record(SIGN, _sign(self._data), (self,))


def sgn(self):
    return record(SGN, _sign(self._data), (self,))


def signbit(self):
    return wrap(np.signbit(self._data))


def _rounding(name, fn, spec):
    def op(self):
        d = self._data
        if d.dtype == np.bool_:  # integers come back as they are; bools have no kernel
            raise kernel_error(f"{name}_vml_cpu", d.dtype)
        return record(spec, fn(d) if d.dtype.kind == "f" else d.copy(), (self,))

    op.__name__ = name
    return op


floor = _rounding("floor", np.floor, FLOOR)
ceil = _rounding("ceil", np.ceil, CEIL)
trunc = _rounding("trunc", np.trunc, TRUNC)
fix = trunc


def round(self, *, decimals=0):
    d = self._data
    if decimals != 0 and d.dtype.kind != "f":  # torch's decimals kernel: floating types only
        raise kernel_error("round_cpu", d.dtype)
    if d.dtype == np.bool_:
        raise kernel_error("round_vml_cpu", d.dtype)
    if decimals == 0:
        return record(ROUND0, np.round(d) if d.dtype.kind == "f" else d.copy(), (self,))
    return record(ROUND1, np.round(d, decimals), (self,))


def frac(self):
    d = self._data
    if d.dtype.kind != "f":
        raise kernel_error("frac_cpu", d.dtype)
    return record(FRAC, d - np.trunc(d), (self,))

# -- binary selections: maximum, minimum, where, lerp ------------------------------------------

# torch: where(self == other, grad / 2, grad).masked_fill_(self < other, 0) (MaskedFillBackward0)
def _selected(grad, tie, lost, F):
    return F.masked_fill(F.where(tie, F.div_scalar(grad, 2), grad), lost, 0.0)


MAXIMUM = defop("MaximumBackward0", {"self": "1 where self > other (½ on ties)", "other": "1 where other > self (½ on ties)"},
                self=lambda grad, self, other, F: _selected(grad, self == other, self < other, F),
                other=lambda grad, self, other, F: _selected(grad, self == other, self > other, F))
MINIMUM = defop("MinimumBackward0", {"self": "1 where self < other (½ on ties)", "other": "1 where other < self (½ on ties)"},
                self=lambda grad, self, other, F: _selected(grad, self == other, self > other, F),
                other=lambda grad, self, other, F: _selected(grad, self == other, self < other, F))
FMAX = defop("FmaxBackward0", {"self": "1 where self >= other or other is nan", "other": "the rest"},
             self=lambda grad, self, other, F: F.masked_fill(grad, ~((self >= other) | (other != other)), 0.0),
             other=lambda grad, self, other, F: F.masked_fill(grad, (self >= other) | (other != other), 0.0))
FMIN = defop("FminBackward0", {"self": "1 where self <= other or other is nan", "other": "the rest"},
             self=lambda grad, self, other, F: F.masked_fill(grad, ~((self <= other) | (other != other)), 0.0),
             other=lambda grad, self, other, F: F.masked_fill(grad, (self <= other) | (other != other), 0.0))
WHERE = defop("WhereBackward0", {"self": "1 where condition", "other": "1 where not condition"},
              self=lambda grad, condition, F: F.where(condition, grad, 0.0),
              other=lambda grad, condition, F: F.where(condition, 0.0, grad))
WHERE.saves = ("condition",)  # torch saves the condition tensor: a second backward pass fails


def _selection(name, fn, spec):
    def op(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
        a, b = operands(self, other)
        return record(spec, _binary_arrays(fn, a, b), (self, other))

    op.__name__ = name
    return op


def _select(keep_first, a, b):
    with np.errstate(invalid="ignore"):
        return np.where(keep_first(np.asarray(a), np.asarray(b)), a, b)


# torch's kernels keep the first operand on ties, so on signed zeros too (maximum(-0., 0.) is -0.,
# numpy's is 0.); maximum/minimum propagate nan, fmax/fmin take the other operand
maximum = _selection("maximum", lambda a, b: _select(lambda x, y: (x >= y) | (x != x), a, b), MAXIMUM)
minimum = _selection("minimum", lambda a, b: _select(lambda x, y: (x <= y) | (x != x), a, b), MINIMUM)
fmax = _selection("fmax", lambda a, b: _select(lambda x, y: (x >= y) | (y != y), a, b), FMAX)
fmin = _selection("fmin", lambda a, b: _select(lambda x, y: (x <= y) | (y != y), a, b), FMIN)


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
    check_broadcast_size(c, a, b)
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
              self=lambda grad, weight, F: F.mul_scalar(grad, 1 - weight),
              end=lambda grad, weight, F: F.mul_scalar(grad, weight))
LERP1 = defop("LerpBackward1", {"self": "1 - weight", "end": "weight", "weight": "end - self"},
              self=lambda grad, weight, F: grad * F.rsub_scalar(1, weight),
              end=lambda grad, weight: grad * weight,
              weight=lambda grad, self, end: grad * (end - self))


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int"}


def _lerp_dtypes(input, end, weight):
    want = input._data.dtype
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t._data.dtype != want:
            raise RuntimeError(f"expected dtype {_C_NAMES.get(want.name, want.name)} for `{name}` but got dtype "
                               f"{_C_NAMES.get(t._data.dtype.name, t._data.dtype.name)}")


def lerp(input, end, weight):
    if not isinstance(end, Tensor):  # end is a Tensor in both of torch's overloads
        raise TypeError(f"lerp()'s end must be a Tensor, not {type(end).__name__}")
    _lerp_dtypes(input, end, weight)
    if input._data.dtype.kind != "f":
        refuse("lerp_tensor" if isinstance(weight, Tensor) else "lerp_scalar", input._data.dtype)
    a, b = operands(input, end)
    if isinstance(weight, Tensor):
        w = weight._data
        check_broadcast_size(a, b, w)
        with np.errstate(invalid="ignore"):
            out = _binary_arrays(lambda x, y: _lerp_arrays(x, y, w), a, b)
        return record(LERP1, out.astype(np.asarray(a).dtype, copy=False), (input, end, weight))
    out = _binary_arrays(lambda x, y: _lerp_arrays(x, y, weight), a, b)
    return record(LERP0, out, (input, end), {"weight": weight})


def _lerp_arrays(x, y, w):
    """torch's lerp kernel: x + w·(y - x) for |w| < 0.5, else y - (y - x)·(1 - w), each one FMA
    in float32/float64 (its AVX2 build contracts; measured at every length), w in the dtype."""
    dt = np.result_type(x, y)
    fma = fma32 if dt == np.float32 else fma64 if dt == np.float64 else None
    if fma is None:
        return np.where(np.abs(w) < 0.5, x + w * (y - x), y - (y - x) * (1 - w))
    w = np.asarray(w, dt)
    d = np.subtract(y, x, dtype=dt)
    with np.errstate(invalid="ignore"):
        out = np.where(np.abs(w) < 0.5, fma(w, d, x), fma(-d, np.subtract(dt.type(1), w, dtype=dt), y))
    return out.astype(dt, copy=False)
