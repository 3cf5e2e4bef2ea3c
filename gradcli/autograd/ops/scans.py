"""Ops along one dim that relate neighbours: diff (ATen's narrow-and-subtract composite, so its
grad_fn graph is torch's SubBackward0/SliceBackward0 chain)."""

from __future__ import annotations

from ..tensor import Tensor, _wrap_dim


def diff(input, n=1, dim=-1, prepend=None, append=None):
    from .arithmetic import sub
    from .compare import logical_xor
    from .joins import cat
    from .pieces import narrow
    if not isinstance(input, Tensor):
        raise TypeError("diff() takes a tensor")
    nd = input._data.ndim
    if nd == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for extra in (prepend, append):
        if extra is not None and (not isinstance(extra, Tensor) or extra._data.ndim != nd):
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    dim = _wrap_dim(dim, nd)
    for extra in (prepend, append):
        if extra is not None:
            for k in range(nd):
                if k != dim and extra._data.shape[k] != input._data.shape[k]:
                    raise RuntimeError(
                        "diff expects the shape of tensor to prepend or append to match that of input except along "
                        f"the differencing dimension; input.size({k}) = {input._data.shape[k]}, but got "
                        f"tensor.size({k}) = {extra._data.shape[k]}")
    if prepend is not None or append is not None:
        input = cat([t for t in (prepend, input, append) if t is not None], dim)
    if n == 0:  # torch: a copy (CopyBackwards)
        from .. import creation
        from .conversion import copy_
        return copy_(creation.zeros_like(input), input)
    step = logical_xor if input._data.dtype.kind == "b" else sub
    for _ in range(n):
        length = input._data.shape[dim]
        if length == 0:
            break
        input = step(narrow(input, dim, 1, length - 1), narrow(input, dim, 0, length - 1))
    return input


TENSOR_METHODS = {"diff": diff}
TORCH_EXPORTS = {"diff": diff}
