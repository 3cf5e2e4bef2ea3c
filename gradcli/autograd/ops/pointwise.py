"""Pointwise ops of three operands (addcmul, addcdiv: the optimizers' update steps) and the
angle conversions deg2rad/rad2deg; torch's kernels' order of operations and its formulas."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._dispatch import broadcast_error, check_broadcast_size
from .dtype_support import kernel_error
from .registry import defop, record

_ADDCDIV_INTEGER = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true "
    "division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * "
    "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) "
    "for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
    "tensor2), for all dtypes.")

ADDCMUL = defop("AddcmulBackward0", {"self": "1", "tensor1": "tensor2·value", "tensor2": "tensor1·value"},
                self=lambda grad: grad,
                tensor1=lambda grad, tensor2, value, F: grad * F.mul_scalar(tensor2, value),
                tensor2=lambda grad, tensor1, value, F: grad * F.mul_scalar(tensor1, value))
ADDCDIV = defop("AddcdivBackward0", {"self": "1", "tensor1": "value/tensor2", "tensor2": "-value·tensor1/tensor2²"},
                self=lambda grad: grad,
                tensor1=lambda grad, tensor2, value, F: grad * F.rdiv_scalar(value, tensor2),
                tensor2=lambda grad, tensor1, tensor2, value, F: -grad * (F.mul_scalar(tensor1, value)
                                                                          / (tensor2 * tensor2)))


def _operands(name, input, tensor1, tensor2, value):
    for arg in (input, tensor1, tensor2):
        if not isinstance(arg, Tensor):
            raise TypeError(f"{name}() takes tensors")  # the call site words it as torch's parser
    if isinstance(value, Tensor) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}()'s value must be a Number")
    rt = dtypes.result_type(input, tensor1, tensor2).np
    arrays = [t._data.astype(rt, copy=False) for t in (input, tensor1, tensor2)]
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        a, b = (arrays[0], arrays[1]) if not _fits(arrays[0], arrays[1]) else (arrays[0], arrays[2])
        if _fits(arrays[0], arrays[1]) and _fits(arrays[0], arrays[2]):
            a, b = arrays[1], arrays[2]
        raise broadcast_error(a, b) from None
    check_broadcast_size(*arrays)
    return arrays, np.asarray(value).astype(rt)


def _fits(a, b):
    try:
        np.broadcast_shapes(a.shape, b.shape)
        return True
    except ValueError:
        return False


def addcmul(input, tensor1, tensor2, *, value=1):
    (s, t1, t2), v = _operands("addcmul", input, tensor1, tensor2, value)
    if s.dtype == np.bool_:
        raise kernel_error("addcmul_cpu_out", s.dtype)
    out = s + v * t1 * t2  # torch's kernel: self + value * t1 * t2, left to right
    return record(ADDCMUL, out, (input, tensor1, tensor2), {"value": value})


def addcdiv(input, tensor1, tensor2, *, value=1):
    if isinstance(tensor1, Tensor) and isinstance(tensor2, Tensor) and \
            tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError(_ADDCDIV_INTEGER)
    (s, t1, t2), v = _operands("addcdiv", input, tensor1, tensor2, value)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = s + v * (t1 / t2)  # torch's kernel: self + value * (t1 / t2)
    return record(ADDCDIV, out, (input, tensor1, tensor2), {"value": value})


# -- angles: torch multiplies by a rounded constant (Deg2RadBackward0 / Rad2DegBackward0) ---------

_DEG2RAD, _RAD2DEG = np.pi / 180, 180 / np.pi
DEG2RAD = defop("Deg2RadBackward0", {"self": "π/180"}, self=lambda grad, F: F.mul_scalar(grad, _DEG2RAD))
RAD2DEG = defop("Rad2DegBackward0", {"self": "180/π"}, self=lambda grad, F: F.mul_scalar(grad, _RAD2DEG))


def _angle(spec, factor, name):
    def op(input):
        d = input._data
        if d.dtype.kind != "f":
            d = d.astype(dtypes.defaults.float.np)
        return record(spec, d * d.dtype.type(factor), (input,))

    op.__name__ = op.__qualname__ = name
    return op


deg2rad, rad2deg = _angle(DEG2RAD, _DEG2RAD, "deg2rad"), _angle(RAD2DEG, _RAD2DEG, "rad2deg")

TENSOR_METHODS = {"addcmul": addcmul, "addcdiv": addcdiv, "deg2rad": deg2rad, "rad2deg": rad2deg}
TENSOR_INPLACE = {"addcmul_": addcmul, "addcdiv_": addcdiv, "deg2rad_": deg2rad, "rad2deg_": rad2deg}
TORCH_EXPORTS = dict(TENSOR_METHODS)


# -- float_power: pow in double (torch: self.to(double) ** exponent.to(double)) ------------------------

def _double(x):
    from .joins import _to_copy
    if isinstance(x, Tensor):
        return x if x._data.dtype == np.float64 else _to_copy(x, np.float64)
    return float(x)


def float_power(input, exponent):
    from .arithmetic import pow, rpow
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            raise TypeError("float_power() takes a tensor")  # the call site words it as torch's parser
        return rpow(_double(exponent), float(input))
    return pow(_double(input), _double(exponent))


def float_power_(self, exponent):
    if self._data.dtype != np.float64:
        from ._dispatch import _torch_type_name
        raise RuntimeError(f"the base given to float_power_ has dtype {_torch_type_name(self._data.dtype)} but the "
                           "operation's result requires dtype Double")
    from ._dispatch import inplace
    from .arithmetic import pow
    return inplace(self, pow, _double(exponent))


TENSOR_METHODS.update(float_power=float_power, float_power_=float_power_)
TORCH_EXPORTS["float_power"] = float_power
