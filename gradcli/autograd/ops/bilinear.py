"""F.bilinear: x1ᵀ W x2 + b, recorded as torch composes it (views, _trilinear, add)."""

from __future__ import annotations

import numpy as np

from . import elementwise as _e
from . import shape as _s
from ..limits import check_shape
from ..tensor import _wrap_dim
from .registry import defop, record

TRILINEAR = defop(
    "TrilinearBackward0",
    {"i1": "Σ_o grad[n,o] (W x2ᵀ)[o,i,n]", "i2": "Σ_n grad[n,o] x1[n,i] x2[n,j]", "i3": "Σ_o grad[n,o] (x1 W)[o,n,j]"},
    i1=lambda grad, i2, i3, F: F.squeeze(F.matmul(F.permute(F.matmul(i2, F.t(i3)), (2, 1, 0)),
                                                  F.unsqueeze(grad, 2)), 2),
    i2=lambda grad, i1, i3, F: F.matmul(F.transpose(F.unsqueeze(F.t(grad), 2) * F.unsqueeze(i1, 0), 1, 2), i3),
    i3=lambda grad, i1, i2, F: F.squeeze(F.matmul(F.permute(F.matmul(i1, i2), (1, 2, 0)),
                                                  F.unsqueeze(grad, 2)), 2))


_C_NAMES = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int", "int32": "int"}


def _size(d, dim):
    """torch's weight.size(dim), with its errors for a weight of too few dimensions."""
    if d.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return d.shape[_wrap_dim(dim, d.ndim)]


def bilinear(input1, input2, weight, bias=None):
    """x1ᵀ W x2 + b over the last dims, as torch composes it: view, _trilinear, view, add."""
    a, b, w = input1._data, input2._data, weight._data
    if a.ndim != b.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {a.ndim} and {b.ndim}")
    for i in range(a.ndim - 1):
        if a.shape[i] != b.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {a.shape[i]} and {b.shape[i]}")
    if _size(w, 1) != _size(a, -1):
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {a.shape[-1]} "
                           f"but expected {w.shape[1]}")
    if _size(w, 2) != _size(b, -1):
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {b.shape[-1]} "
                           f"but expected {w.shape[2]}")
    if bias is not None and bias._data.shape[-1:] != w.shape[:1]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias._data.shape[-1] if bias._data.ndim else 1} but expected {w.shape[0]}")
    if w.ndim != 3:  # _trilinear's check (a 3-D weight passed the size checks above)
        raise RuntimeError("number of dimensions must match")
    named = [("input1", a), ("input2", b), ("weight", w)] + ([] if bias is None else [("bias", bias._data)])
    if any(arr.dtype != a.dtype for _, arr in named):
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(
            f"{name}: {_C_NAMES.get(arr.dtype.name, arr.dtype.name)}" for name, arr in named))
    x1, x2 = _s.reshape(input1, -1, a.shape[-1]), _s.reshape(input2, -1, b.shape[-1])
    if a.ndim > 2:  # NOTE: torch records a second view for batched inputs
        x1, x2 = _s.view(x1, x1._data.shape), _s.view(x2, x2._data.shape)
    check_shape((x1._data.shape[0], w.shape[0]), w.itemsize)  # --max-elements, before numpy allocates
    out = np.einsum("ni,oij,nj->no", x1._data, w, x2._data)
    out = _s.view(record(TRILINEAR, out, (x1, weight, x2)), *(a.shape[:-1] + (w.shape[0],)))
    return out if bias is None else _e.add(out, bias)
