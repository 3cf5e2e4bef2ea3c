"""torch.unique and msort. unique's result has a node whose backward torch never wrote
(Unique2Backward0 / UniqueDimBackward0: a pass that reaches it fails); msort is sort over dim 0."""

from __future__ import annotations

import numpy as np

from ..tensor import _wrap_dim, wrap
from .registry import defop, record


def _no_derivative(op):
    raise NotImplementedError(f"the derivative for '{op}' is not implemented.")


UNIQUE2 = defop("Unique2Backward0", {"self": "not implemented"}, self=lambda grad: _no_derivative("_unique2"))
UNIQUE_DIM = defop("UniqueDimBackward0", {"self": "not implemented"}, self=lambda grad: _no_derivative("unique_dim"))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    # torch's CPU kernels sort whether or not ``sorted`` asks for it
    op = "_unique2" if dim is None else "unique_dim"
    for flag in (return_inverse, return_counts):  # torch's Python wrapper tests their truth first
        if hasattr(flag, "_data") and flag._data.size > 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    for name, flag in (("sorted", sorted), ("return_inverse", return_inverse), ("return_counts", return_counts)):
        if type(flag) is not bool:
            raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(flag).__name__}")
    d = input._data
    if dim is None:
        values, inverse, counts = np.unique(d.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        out = record(UNIQUE2, values, (input,))
        inverse = inverse.reshape(d.shape)
    else:
        if d.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        axis = _wrap_dim(dim, d.ndim)
        values, inverse, counts = np.unique(d, return_inverse=True, return_counts=True, axis=axis)
        out = record(UNIQUE_DIM, values, (input,))
        inverse = inverse.reshape(-1)
    extra = ((wrap(inverse.astype(np.int64)),) if return_inverse else ()) + \
        ((wrap(counts.astype(np.int64)),) if return_counts else ())
    return (out, *extra) if extra else out


def msort(input):
    from .sorting import sort
    return sort(input, 0).values


def _torch_unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return unique(input, sorted, return_inverse, return_counts, dim)


def _tensor_unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return unique(self, sorted, return_inverse, return_counts, dim)


# Python's own argument errors name them as torch's Python wrappers are named
_torch_unique.__name__, _torch_unique.__qualname__ = "unique", "_return_output"
_tensor_unique.__name__, _tensor_unique.__qualname__ = "unique", "Tensor.unique"
TENSOR_METHODS = {"unique": _tensor_unique, "msort": msort}
TORCH_EXPORTS = {"unique": _torch_unique, "msort": msort}
