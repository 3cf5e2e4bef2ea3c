"""Shape composites of views: meshgrid, cartesian_prod, broadcast_to, broadcast_tensors,
atleast_1d/2d/3d. Each is made of view ops as ATen makes it, so grad_fn graphs are torch's
and gradients need no formula of their own."""

from __future__ import annotations

import warnings

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor
from .shape import expand, reshape, unsqueeze, view

_MESHGRID_WARNING = ("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. "
                     "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)")
_warned = []


def _tensors(args, fname, lists=True):
    """``f(a, b)`` or ``f([a, b])``: torch's functions take both (broadcast_tensors only the first)."""
    if lists and len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    for i, t in enumerate(args):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return args


def meshgrid(*tensors, indexing=None):
    tensors = _tensors(tensors, "meshgrid")
    if indexing is None:
        if not _warned:
            _warned.append(True)
            warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=2)
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors[1:]:
        if t._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
                               f"{_tensor_text(t)}")
    if indexing not in ("xy", "ij"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    swap = indexing == "xy" and len(tensors) >= 2
    order = list(tensors)
    if swap:
        order[0], order[1] = order[1], order[0]
    shape = tuple(t._data.size for t in order)
    grids = []
    for i, t in enumerate(order):
        view_shape = [1] * len(order)
        view_shape[i] = -1
        grids.append(expand(view(t, *view_shape), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def _tensor_text(t: Tensor) -> str:
    return repr(t)


def cartesian_prod(*tensors):
    from .joins import stack
    tensors = _tensors(tensors, "cartesian_prod")
    for t in tensors:
        if t._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t._data.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], 1)


def broadcast_to(input, size):
    return expand(input, tuple(size))


def broadcast_tensors(*tensors):
    tensors = _tensors(tensors, "broadcast_tensors", lists=False)
    try:
        shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    except ValueError:
        from ._dispatch import broadcast_error
        first = next(t for t in tensors[1:] if not _fits(tensors[0]._data.shape, t._data.shape))
        raise broadcast_error(tensors[0]._data, first._data) from None
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


def _fits(a, b):
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def _atleast(n):
    def one(t):
        nd = t._data.ndim
        if nd >= n:
            return t
        if nd == 0:
            return reshape(t, (1,) * n)
        if n == 2:
            return unsqueeze(t, 0)
        return unsqueeze(unsqueeze(t, 0), -1) if nd == 1 else unsqueeze(t, -1)

    def atleast(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], Tensor):
            return one(tensors[0])
        return tuple(one(t) for t in _tensors(tensors, f"atleast_{n}d"))

    atleast.__name__ = atleast.__qualname__ = f"atleast_{n}d"
    return atleast


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)

TORCH_EXPORTS = {"meshgrid": meshgrid, "cartesian_prod": cartesian_prod, "broadcast_to": broadcast_to,
                 "broadcast_tensors": broadcast_tensors, "atleast_1d": atleast_1d, "atleast_2d": atleast_2d,
                 "atleast_3d": atleast_3d}
def _broadcast_to_method(self, *size):
    """x.broadcast_to(3, 2) or x.broadcast_to((3, 2)), as x.expand takes them."""
    if not size:
        raise TypeError('broadcast_to() missing 1 required positional arguments: "size"')
    return expand(self, *size)


_broadcast_to_method.__name__ = _broadcast_to_method.__qualname__ = "broadcast_to"
TENSOR_METHODS = {"broadcast_to": _broadcast_to_method}


# -- repeat_interleave: ATen's unsqueeze-expand-clone-flatten for a number, index_select for a tensor

def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    from ..tensor import _wrap_dim, wrap
    from .dtype_support import kernel_error
    from .indexing import index_select
    from .joins import clone
    from .shape import flatten
    if repeats is None:  # repeat_interleave(repeats): the indices that repeat each position
        counts = input._data
        if counts.dtype.kind not in "iu":
            raise kernel_error("repeat_interleave_cpu", counts.dtype)
        if counts.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        check_shape((int(counts.sum()),), 8)  # --max-elements, before numpy allocates
        return wrap(np.repeat(np.arange(counts.size, dtype=np.int64), counts.reshape(-1)))
    if dim is None:
        input = flatten(input)
        dim = 0
    else:
        dim = _wrap_dim(dim, input._data.ndim)
    if isinstance(repeats, Tensor):
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = repeats._data.reshape(-1)
        size = input._data.shape[dim]
        if counts.size == 1:
            counts = np.broadcast_to(counts, (size,))
        elif counts.size != size:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                               f"{counts.size} and input.size({dim}) = {size}")
        return index_select(input, dim, repeat_interleave(wrap(np.ascontiguousarray(counts).reshape(-1))))
    if repeats.__class__ is not int:
        raise TypeError("repeats must be an int or a tensor")
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = input._data.shape
    check_shape(shape[:dim] + (shape[dim] * repeats,) + shape[dim + 1:], input._data.dtype.itemsize)
    x = expand(unsqueeze(input, dim + 1), shape[:dim + 1] + (repeats,) + shape[dim + 1:])
    return flatten(clone(x), dim, dim + 1)


TORCH_EXPORTS["repeat_interleave"] = repeat_interleave
TENSOR_METHODS["repeat_interleave"] = repeat_interleave
