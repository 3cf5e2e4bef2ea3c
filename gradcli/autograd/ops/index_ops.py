"""index_add, index_fill, index_copy (and their in-place forms): writes at a vector of
positions along one dim, with torch's nodes, checks and backward formulas."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from ._dispatch import _torch_type_name
from .registry import defop, record


def _index(name, index):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): index must be a Tensor")  # the call site words it as torch's parser
    idx = index._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: {_torch_type_name(idx.dtype)}")
    if idx.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
                         f"{_torch_type_name(idx.dtype)} and size: {list(idx.shape)}")
    return idx.reshape(-1)


def _bounds(idx, size, dim):
    bad = (idx >= size) | (idx < -size)
    if idx.size and bad.any():
        raise RuntimeError(f"index {int(idx[bad][0])} is out of bounds for dimension {dim} with size {size}")


def _at(idx, dim):
    return (slice(None),) * dim + (idx,)


def _source_checks(name, d, s, idx, dim):
    if s.ndim and d.ndim and (s.shape[:dim] + s.shape[dim + 1:] != d.shape[:dim] + d.shape[dim + 1:]):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(d.shape)} source.shape = {list(s.shape)}")
    n = s.shape[dim] if s.ndim else 1
    if idx.size != n:
        raise RuntimeError(f"{name}(): Number of indices ({idx.size}) should be equal to source.size(dim): ({n}), "
                           f"for dim: {dim}")


def _selected(grad, dim, index, F):
    from .indexing import index_select
    if isinstance(grad, Tensor):
        return index_select(grad, dim, wrap(index))
    return np.asarray(grad)[_at(index, dim)]


def _to_source(grad, dim, index, source_shape, F):
    """grad at index, expanded as source (torch's expand_as: a view node even for the same shape)."""
    return F.expand(_selected(grad, dim, index, F), source_shape)


def _filled(grad, dim, index, F):
    if isinstance(grad, Tensor):
        return index_fill(grad, dim, wrap(index), 0)
    out = np.array(grad, copy=True)
    out[_at(index, dim)] = 0
    return out


INDEX_ADD = defop("IndexAddBackward0", {"self": "grad", "source": "grad at index (·alpha)"},
                  self=lambda grad: grad,
                  source=lambda grad, dim, index, alpha, source_shape, F: _to_source(grad, dim, index, source_shape, F)
                  if alpha == 1 else F.mul_scalar(_to_source(grad, dim, index, source_shape, F), alpha))
INDEX_FILL = defop("IndexFillBackward0", {"self": "grad, 0 at index"},
                   self=lambda grad, dim, index, F: _filled(grad, dim, index, F))
INDEX_FILL_TENSOR = defop("IndexFillBackward1", {"self": "grad, 0 at index", "value": "sum of grad at index"},
                          self=lambda grad, dim, index, F: _filled(grad, dim, index, F),
                          value=lambda grad, dim, index, F: F.sum(_selected(grad, dim, np.unique(index), F)))
INDEX_COPY = defop("IndexCopyBackward0", {"self": "grad, 0 at index", "source": "grad at index"},
                   self=lambda grad, dim, index, F: _filled(grad, dim, index, F),
                   source=lambda grad, dim, index, source_shape, F: _to_source(grad, dim, index, source_shape, F))
for _spec in (INDEX_ADD, INDEX_FILL, INDEX_FILL_TENSOR, INDEX_COPY):
    _spec.saves = ("index",)


def index_add(input, dim, index, source, *, alpha=1):
    if not isinstance(source, Tensor):
        raise TypeError("index_add(): source must be a Tensor")
    d, s = input._data, source._data
    dim = _wrap_dim(dim, d.ndim)
    idx = _index("index_add_", index)
    _source_checks("index_add_", d, s, idx, dim)
    if d.dtype != s.dtype:
        raise RuntimeError(f"index_add_(): self ({_torch_type_name(d.dtype)}) and source "
                           f"({_torch_type_name(s.dtype)}) must have the same scalar type")
    _bounds(idx, d.shape[dim] if d.ndim else 1, dim)
    out = np.array(d, copy=True)
    values = s if alpha == 1 else s * np.asarray(alpha).astype(d.dtype)
    np.add.at(out.reshape(out.shape or (1,)), _at(idx, dim), values.reshape(values.shape or (1,)))
    return record(INDEX_ADD, out, (input, source), {"dim": dim, "index": idx, "alpha": alpha, "source_shape": s.shape})


def index_fill(input, dim, index, value):
    d = input._data
    dim = _wrap_dim(dim, d.ndim)
    idx = _index("index_fill_", index)
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._data.ndim} dimension(s).")
    _bounds(idx, d.shape[dim] if d.ndim else 1, dim)
    out = np.array(d, copy=True)
    fill = value._data if isinstance(value, Tensor) else value
    out.reshape(out.shape or (1,))[_at(idx, dim)] = np.asarray(fill).astype(d.dtype)
    if isinstance(value, Tensor):
        return record(INDEX_FILL_TENSOR, out, (input, value), {"dim": dim, "index": idx})
    return record(INDEX_FILL, out, (input,), {"dim": dim, "index": idx})


def index_copy(input, dim, index, source):
    if not isinstance(source, Tensor):
        raise TypeError("index_copy(): source must be a Tensor")
    d, s = input._data, source._data
    dim = _wrap_dim(dim, d.ndim)
    idx = _index("index_copy_", index)
    if d.dtype != s.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_torch_type_name(d.dtype)} and (source) {_torch_type_name(s.dtype)}")
    _source_checks("index_copy_", d, s, idx, dim)
    _bounds(idx, d.shape[dim] if d.ndim else 1, dim)
    out = np.array(d, copy=True)
    out.reshape(out.shape or (1,))[_at(idx, dim)] = s.reshape(s.shape or (1,))
    return record(INDEX_COPY, out, (input, source), {"dim": dim, "index": idx, "source_shape": s.shape})


TENSOR_METHODS = {"index_add": index_add, "index_fill": index_fill, "index_copy": index_copy}
TENSOR_INPLACE = {"index_add_": index_add, "index_fill_": index_fill, "index_copy_": index_copy}
TORCH_EXPORTS = dict(TENSOR_METHODS)
