"""torch.nn.functional.prelu (PreluKernelBackward0): x where x > 0, else weight·x, with one weight
or one per channel (dim 1), and torch's checks."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .activation import python_type_name
from .registry import defop, record

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                 "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _negative(self, F):
    return F.float_like(self <= 0, self)


def _weight_grad(grad, self, weight, wshape, F):
    part = _negative(self, F) * self * grad
    dims = tuple(i for i in range(len(part.shape)) if not (len(weight.shape) and wshape[i] != 1))
    total = F.sum(part, dims) if dims else part
    return F.reshape(total, tuple(weight.shape))


PRELU = defop(
    "PreluKernelBackward0",
    {"self": "grad where self > 0, else weight·grad", "weight": "Σ self·grad where self ≤ 0"},
    self=lambda grad, self, weight, wshape, F: grad * (1 - _negative(self, F) + _negative(self, F) * F.reshape(
        weight, wshape)),
    weight=lambda grad, self, weight, wshape, F: _weight_grad(grad, self, weight, wshape, F),
)


def prelu(input, weight):
    for name, value, pos in (("input", input, 1), ("weight", weight, 2)):
        if not isinstance(value, Tensor):
            raise TypeError(f"prelu(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{python_type_name(value)}")
    x, w = input._data, weight._data
    if w.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {w.ndim}")
    if x.dtype != w.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {_SCALAR_NAMES.get(x.dtype.name)} and "
                           f"{_SCALAR_NAMES.get(w.dtype.name)}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.size != 1 and w.size != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{w.size} and channel size = {channels}.")
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"prelu_cpu\" not implemented for '{_SCALAR_NAMES.get(x.dtype.name)}'")
    wshape = (1,) * x.ndim if w.size == 1 else (1, -1) + (1,) * (x.ndim - 2)
    slope = w.reshape(wshape) if x.ndim else w.reshape(())
    out = np.where(x > 0, x, slope * x).astype(x.dtype, copy=False)
    return record(PRELU, out, (input, weight), {"wshape": wshape if x.ndim else ()})
