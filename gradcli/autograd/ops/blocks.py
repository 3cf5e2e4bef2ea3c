"""Rearrangements by blocks: rot90 (Rot90Backward0), block_diag (BlockDiagBackward0) and
tensor_split (narrow views, SliceBackward0 each), with torch's checks."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..limits import check_shape
from ..tensor import Tensor, _wrap_dim, wrap
from .registry import defop, record

ROT90 = defop("Rot90Backward0", {"self": "rot90(grad, -k)"}, self=lambda grad, k, dims, F: F.rot90(grad, -k, dims))


def rot90_array(d, k, dims):
    return np.ascontiguousarray(np.rot90(d, k, axes=tuple(dims)))


def rot90(input, k=1, dims=(0, 1)):
    if isinstance(k, Tensor) and k._data.ndim == 0 and k._data.dtype.kind in "iu":
        k = int(k._data)  # torch's parser takes a 0-d integer tensor as an int
    if k.__class__ is not int:
        raise TypeError("rot90(): k must be an int")  # the call site words it as torch's parser
    dims = list(dims)
    nd = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if nd < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    wrapped = [_wrap_dim(dims[0], nd), _wrap_dim(dims[1], nd)]  # torch: the range first
    if dims[0] == dims[1] or abs(dims[0] - dims[1]) == nd:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    dims = wrapped
    return record(ROT90, rot90_array(input._data, k, dims), (input,), {"k": k, "dims": tuple(dims)})


# -- block_diag ---------------------------------------------------------------------------------------

def _block_grad(i):
    def formula(grad, blocks, F):
        r0, r1, c0, c1, shape = blocks[i]
        return F.block_of(grad, r0, r1, c0, c1, shape)
    return formula


_BLOCK_SPECS: dict = {}


def _block_spec(n):
    spec = _BLOCK_SPECS.get(n)
    if spec is None:
        spec = _BLOCK_SPECS[n] = defop("BlockDiagBackward0", {f"tensors{i}": "its block of grad" for i in range(n)},
                                       **{f"tensors{i}": _block_grad(i) for i in range(n)})
    return spec


def block_of_array(grad, r0, r1, c0, c1, shape):
    return np.asarray(grad)[r0:r1, c0:c1].reshape(shape)


def block_diag(*tensors):
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
        if t._data.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t._data.ndim} dimensions")
    if not tensors:
        return wrap(np.zeros((1, 0), dtype=dtypes.defaults.float.np))
    mats = [t._data.reshape((1, 1) if t._data.ndim == 0 else (1, -1) if t._data.ndim == 1 else t._data.shape)
            for t in tensors]
    shape = (sum(m.shape[0] for m in mats), sum(m.shape[1] for m in mats))
    dtype = dtypes.result_type(*tensors).np
    check_shape(shape, dtype.itemsize)  # --max-elements, before numpy allocates
    out = np.zeros(shape, dtype=dtype)
    blocks, r, c = [], 0, 0
    for t, m in zip(tensors, mats):
        out[r:r + m.shape[0], c:c + m.shape[1]] = m
        blocks.append((r, r + m.shape[0], c, c + m.shape[1], t._data.shape))
        r, c = r + m.shape[0], c + m.shape[1]
    return record(_block_spec(len(tensors)), out, tuple(tensors), {"blocks": tuple(blocks)})


# -- tensor_split -------------------------------------------------------------------------------------

def tensor_split(input, indices_or_sections, dim=0):
    from .pieces import narrow
    d = input._data
    if d.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    dim = _wrap_dim(dim, d.ndim)
    n = d.shape[dim]
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec._data.dtype != np.int64:
            from ._dispatch import _torch_type_name
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_torch_type_name(spec._data.dtype)}")
        if spec._data.ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {spec._data.ndim} dims")
        spec = int(spec._data) if spec._data.ndim == 0 else spec._data.tolist()
    if isinstance(spec, int) and not isinstance(spec, bool):
        if spec <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {spec}")
        small, extra = divmod(n, spec)
        bounds, start = [], 0
        for k in range(spec):
            size = small + (1 if k < extra else 0)
            bounds.append((start, size))
            start += size
    else:
        points = [min(max(p if p >= 0 else p + n, 0), n) for p in spec]
        starts = [0] + points
        ends = points + [n]
        bounds = [(s, max(e - s, 0)) for s, e in zip(starts, ends)]
        bounds = [(min(s, n), length) for s, length in bounds]
    return tuple(narrow(input, dim, s, length) for s, length in bounds)


TENSOR_METHODS = {"rot90": rot90, "tensor_split": tensor_split}
TORCH_EXPORTS = {"rot90": rot90, "block_diag": block_diag, "tensor_split": tensor_split}


# -- stacks and splits by direction (ATen's composites of cat / tensor_split) ------------------------

def _tensor_list(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return list(tensors)


def dstack(tensors):
    from .grids import atleast_3d
    from .joins import cat
    return cat([atleast_3d(t) for t in _tensor_list(tensors, "dstack")], 2)


def column_stack(tensors):
    from .joins import hstack
    from .shape import reshape
    return hstack([reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t
                   for t in _tensor_list(tensors, "column_stack")])


def _directed_split(name, dim, least):
    def split(input, indices_or_sections):
        nd = input._data.ndim
        if nd < least:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {least} dimension, but got a tensor "
                               f"with {nd} dimensions!")
        axis = 0 if name == "hsplit" and nd == 1 else dim
        if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
            size = input._data.shape[axis]
            if indices_or_sections == 0 or size % indices_or_sections:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {axis}, but the size of the "
                                   f"dimension {size} is not divisible by the split_size {indices_or_sections}!")
        return tensor_split(input, indices_or_sections, axis)

    split.__name__ = split.__qualname__ = name
    return split


hsplit, vsplit, dsplit = _directed_split("hsplit", 1, 1), _directed_split("vsplit", 0, 2), _directed_split("dsplit", 2, 3)


def _row_stack(tensors):
    from .joins import vstack
    return vstack(tensors)


_row_stack.__name__ = _row_stack.__qualname__ = "row_stack"
TENSOR_METHODS.update(hsplit=hsplit, vsplit=vsplit, dsplit=dsplit)
TORCH_EXPORTS.update(dstack=dstack, column_stack=column_stack, row_stack=_row_stack, hsplit=hsplit, vsplit=vsplit,
                     dsplit=dsplit)
