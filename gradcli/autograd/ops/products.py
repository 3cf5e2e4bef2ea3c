"""Vector and tensor products beyond matmul: cross (torch.cross, torch.linalg.cross) and kron.

cross has torch's own node (LinalgCrossBackward0, whose formulas are crosses again, so any
order works); kron is ATen's composite: interleaved unsqueezes as _unsafe_views, one mul and
an _unsafe_view to the result's shape, so its grad_fn graph is torch's.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..tensor import Tensor, _wrap_dim as wrap_dim
from ._dispatch import _torch_type_name
from .dtype_support import kernel_error
from .registry import defop, record

LINALG_CROSS = defop("LinalgCrossBackward0", {"self": "cross(other, grad)", "other": "cross(grad, self)"},
                     self=lambda grad, other, dim, F: F.linalg_cross(other, grad, dim),
                     other=lambda grad, self, dim, F: F.linalg_cross(grad, self, dim))

_CROSS_WARNING = ("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                  "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                  "with that of linalg.cross in a future release. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/Cross.cpp:63.)")
_warned = []  # torch warns once per process


def cross_array(a, b, dim):
    """a × b along ``dim`` (arrays of one dtype, broadcast), as torch's kernel: a1·b2 - a2·b1..."""
    a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
    a, b = np.moveaxis(a, dim, -1), np.moveaxis(b, dim, -1)
    out = np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                    a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                    a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)
    return np.moveaxis(out, -1, dim)


def linalg_cross(input, other, *, dim=-1):
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("linalg_cross() takes tensors")  # the call site words it as torch's parser
    a, b = input._data, other._data
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    wrapped = wrap_dim(dim, a.ndim)
    if a.shape[wrapped] != 3 or b.shape[wrapped] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. "
                           f"Got {a.shape[wrapped]} and {b.shape[wrapped]}")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        from ._dispatch import broadcast_error
        raise broadcast_error(a, b) from None
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {_torch_type_name(a.dtype)} but found {_torch_type_name(b.dtype)}")
    if a.dtype == np.bool_:
        raise kernel_error("cross", a.dtype)
    return record(LINALG_CROSS, cross_array(a, b, wrapped), (input, other), {"dim": wrapped})


def cross(input, other, dim=None):
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("cross() takes tensors")
    if dim is None:
        if not _warned:
            _warned.append(True)
            warnings.warn(_CROSS_WARNING, UserWarning, stacklevel=2)
        a, b = input._data, other._data
        if a.ndim == b.ndim:  # torch's default: the first dim of size 3 of the broadcast shape
            try:
                shape = np.broadcast_shapes(a.shape, b.shape)
            except ValueError:
                shape = a.shape
            dim = next((k for k, s in enumerate(shape) if s == 3), None)
            if dim is None:
                raise RuntimeError("no dimension of size 3 in input")
        else:
            dim = -1
    return linalg_cross(input, other, dim=dim)


def kron(input, other):
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("kron() takes tensors")
    from .arithmetic import mul
    from .shape import _unsafe_view
    sa, sb = input._data.shape, other._data.shape
    nd = max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    a_shape = tuple(x for s in sa for x in (s, 1))
    b_shape = tuple(x for s in sb for x in (1, s))
    product = mul(_unsafe_view(input, a_shape), _unsafe_view(other, b_shape))
    return _unsafe_view(product, tuple(x * y for x, y in zip(sa, sb)))


TENSOR_METHODS = {"cross": cross, "kron": kron}
TORCH_EXPORTS = {"cross": cross, "kron": kron}
