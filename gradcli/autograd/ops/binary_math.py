"""Binary math beyond arithmetic: fmod, atan2, hypot, logaddexp(2), copysign; each a forward
on arrays in torch's result dtype beside its backward, in torch's formulas (derivatives.yaml)
and order of operations, so grad_fn names under create_graph are torch's too."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._dispatch import floating, operands
from .arithmetic import FLOOR_DIVIDE, _binary_arrays, div
from .dtype_support import kernel_error
from .float32_math import via_float64
from .registry import defop, record


def _trunc_quotient(a, b):
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return div(a, b, rounding_mode="trunc")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.trunc(a / b)


def _rounded_once(fn, a, b):
    """fn on float32 through float64, rounded once (torch's float32 kernels are correctly
    rounded or nearly so, numpy's float32 loops are not)."""
    if np.asarray(a).dtype == np.float32:
        return via_float64(lambda x: fn(x, np.asarray(b, dtype=np.float64)), np.asarray(a))
    return fn(a, b)


def _tensor_operands(name, self, other, *, float_result=True, integer_kernel=True):
    """Arrays of two Tensor operands in torch's result dtype (float for a float op)."""
    if not isinstance(other, Tensor) or not isinstance(self, Tensor):
        raise TypeError(f"{name}() takes tensors")  # the call site words it as torch's parser
    a, b = operands(self, other)
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind != "f":
        if not integer_kernel:
            raise kernel_error(f"{name}_cpu", a.dtype)
        if float_result:
            a, b = floating(a), floating(b)
    return a, b


def _integer_divisor(a, b, kernel):
    """An integer division: no bool kernel, and C++'s ZeroDivisionError for a zero divisor."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        if np.result_type(a, b).kind == "b":
            raise kernel_error(kernel, np.bool_)
        if not b.all():
            raise RuntimeError("ZeroDivisionError")


# -- fmod: the C remainder (sign of the dividend) ----------------------------------------------

FMOD0 = defop("FmodBackward0", {"self": "1"}, self=lambda grad: grad)
FMOD1 = defop("FmodBackward1", {"self": "1", "other": "-trunc(self/other)"},
              self=lambda grad: grad,
              other=lambda grad, self, other: -grad * _trunc_quotient(self, other))


def fmod(input, other):
    if not isinstance(input, Tensor):
        raise TypeError("fmod() takes a tensor first")
    a, b = operands(input, other)
    _integer_divisor(a, b, "fmod_cpu")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.fmod, a, b)
    if isinstance(other, Tensor):
        return record(FMOD1, out, (input, other))
    return record(FMOD0, out, (input,))


# -- atan2, hypot --------------------------------------------------------------------------------

def _atan2_grads(grad, self, other, F, which):
    denom = self * self + other * other
    recip = F.masked_fill(F.reciprocal(denom), denom == 0, 0.0)  # torch: 0 where self²+other² is 0
    return grad * other * recip if which == 0 else grad * -self * recip


ATAN2 = defop("Atan2Backward0", {"self": "other/(self²+other²), 0 where self²+other² is 0",
                                  "other": "-self/(self²+other²), 0 where self²+other² is 0"},
              self=lambda grad, self, other, F: _atan2_grads(grad, self, other, F, 0),
              other=lambda grad, self, other, F: _atan2_grads(grad, self, other, F, 1))
HYPOT = defop("HypotBackward0", {"self": "self/result", "other": "other/result"},
              self=lambda grad, self, result: grad * self / result,
              other=lambda grad, other, result: grad * other / result)


def _rounded_binary(name, fn, spec, integer_kernel=True):
    """torch.<name>(input, other): ``fn`` on two tensors in the result dtype, float32 rounded once."""
    def op(input, other):
        a, b = _tensor_operands(name, input, other, integer_kernel=integer_kernel)
        out = _binary_arrays(lambda x, y: _rounded_once(fn, x, y), a, b)
        return record(spec, np.asarray(out, dtype=a.dtype), (input, other))

    op.__name__ = op.__qualname__ = name
    return op


atan2 = _rounded_binary("atan2", np.arctan2, ATAN2)
hypot = _rounded_binary("hypot", np.hypot, HYPOT, integer_kernel=False)


# -- logaddexp, logaddexp2 -----------------------------------------------------------------------

LOGADDEXP = defop("LogaddexpBackward0", {"self": "1/(1+exp(other-self))", "other": "1/(1+exp(self-other))"},
                  self=lambda grad, self, other, F: grad / F.add_scalar(F.exp(other - self), 1),
                  other=lambda grad, self, other, F: grad / F.add_scalar(F.exp(self - other), 1))
LOGADDEXP2 = defop("Logaddexp2Backward0", {"self": "1/(1+2^(other-self))", "other": "1/(1+2^(self-other))"},
                   self=lambda grad, self, other, F: grad / F.add_scalar(F.rpow_scalar(2, other - self), 1),
                   other=lambda grad, self, other, F: grad / F.add_scalar(F.rpow_scalar(2, self - other), 1))


logaddexp = _rounded_binary("logaddexp", np.logaddexp, LOGADDEXP, integer_kernel=False)
logaddexp2 = _rounded_binary("logaddexp2", np.logaddexp2, LOGADDEXP2, integer_kernel=False)


# -- copysign --------------------------------------------------------------------------------------

def _copysign_self(grad, self, result, F):
    ratio = F.masked_fill(result / self, self == 0, 0.0)
    return grad * ratio


COPYSIGN0 = defop("CopysignBackward0", {"self": "sign(result/self), 0 at self = 0", "other": "0"},
                  self=_copysign_self, other=lambda grad, other, F: F.zeros_like(other))
COPYSIGN1 = defop("CopysignBackward1", {"self": "sign(result/self), 0 at self = 0"}, self=_copysign_self)


def copysign(input, other):
    if not isinstance(input, Tensor):
        raise TypeError("copysign() takes a tensor first")
    a, b = operands(input, other)
    a = floating(np.asarray(a))
    out = _binary_arrays(np.copysign, a, b).astype(a.dtype, copy=False)
    if isinstance(other, Tensor):
        return record(COPYSIGN0, out, (input, other))
    return record(COPYSIGN1, out, (input,))


def rfloordiv(self, other):
    """``2 // x``: torch's floor_divide(2, x), a node with no derivative and one edge."""
    a, b = operands(other, self)
    _integer_divisor(a, b, "div_floor_cpu")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _binary_arrays(np.floor_divide, a, b)
    return record(FLOOR_DIVIDE, out, (self,), {"op": "floor_divide"})


TENSOR_METHODS = {"fmod": fmod, "atan2": atan2, "arctan2": atan2, "hypot": hypot, "logaddexp": logaddexp,
                  "logaddexp2": logaddexp2, "copysign": copysign}
TENSOR_INPLACE = {"fmod_": fmod, "atan2_": atan2, "arctan2_": atan2, "hypot_": hypot, "copysign_": copysign}
TORCH_EXPORTS = dict(TENSOR_METHODS)
