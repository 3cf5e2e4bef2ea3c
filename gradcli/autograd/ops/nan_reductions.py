"""Reductions that skip NaN: nansum (its own node, NansumBackward0) and nanmean (torch's
composite: nansum over the count of non-NaN elements, a DivBackward0)."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, wrap
from ._dims import _dims, _expand_back, check_flag
from ._dispatch import _torch_type_name
from .registry import defop, record

NANSUM = defop("NansumBackward0", {"self": "1 where self is not NaN, else 0"},
               self=lambda grad, self, shape, dims, keepdim, F: _expand_back(grad, shape, dims, keepdim, F)
               * F.not_nan(self))


def not_nan_array(x):
    return ~np.isnan(np.asarray(x))


def not_nan_tensor(x):
    """A bool mask (no graph): where ``x`` is not NaN."""
    return wrap(~np.isnan(x._data))


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    from .reduction import _add_up
    check_flag(keepdim)
    d = input._data
    if d.dtype.kind == "f":
        d = np.where(np.isnan(d), d.dtype.type(0), d)
    dims = None if dim is None else _dims(dim, d.ndim)
    if dims is None:
        out = _add_up(d, None, False, dtype)
        dims, keepdim = tuple(range(d.ndim)), False
    else:
        out = _add_up(d, dims, keepdim, dtype)
    return record(NANSUM, out, (input,), {"shape": d.shape, "dims": dims, "keepdim": keepdim})


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    from .arithmetic import div
    from .compare import isnan, logical_not
    from .reduction import sum as _sum
    if not isinstance(input, Tensor):
        raise TypeError("nanmean() takes a tensor")
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_torch_type_name(input._data.dtype)}")
    count = _sum(logical_not(isnan(input)), dim, keepdim)
    return div(nansum(input, dim, keepdim, dtype=dtype), count)


TENSOR_METHODS = {"nansum": nansum, "nanmean": nanmean}
TORCH_EXPORTS = dict(TENSOR_METHODS)
