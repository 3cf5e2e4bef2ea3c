"""Vector and tensor products beyond matmul: cross (torch.cross, torch.linalg.cross) and kron.

cross has torch's own node (LinalgCrossBackward0, whose formulas are crosses again, so any
order works); kron is ATen's composite: interleaved unsqueezes as _unsafe_views, one mul and
an _unsafe_view to the result's shape, so its grad_fn graph is torch's.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..tensor import Tensor, _wrap_dim as wrap_dim
from ._dispatch import _torch_type_name, check_broadcast_size
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
    check_broadcast_size(a, b)
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


# -- tensordot: ATen's permute-reshape-mm (dot when nothing is left free) ----------------------------

_DIMS_TEXT = ("tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] containing "
              "two lists, but got dims={}")


def tensordot(a, b, dims=2, out=None):
    for x in (a, b):
        if not isinstance(x, Tensor):  # torch.tensordot (Python) reads a.dim() first
            raise AttributeError(f"'{type(x).__name__}' object has no attribute 'dim'")
    if isinstance(dims, Tensor):  # torch.tensordot reads a tensor's rows (or its one value)
        if dims._data.size > 1 and dims._data.shape[0] != 2:
            raise AssertionError(f"dims tensor must have size 2 in first dimension, got {dims._data.shape[0]}")
        dims = dims._data.tolist() if dims._data.size > 1 else dims._data.item()
    if not isinstance(dims, (tuple, list, int)) or isinstance(dims, bool):
        raise RuntimeError(_DIMS_TEXT.format(dims))
    if isinstance(dims, (tuple, list)):
        dims_a, dims_b = dims
    else:
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a._data.ndim, b._data.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    for name, position, value in (("dims_self", 3, dims_a), ("dims_other", 4, dims_b)):
        if not isinstance(value, (list, tuple)):  # what torch's parser says of _VF.tensordot's lists
            raise TypeError(f"tensordot(): argument '{name}' (position {position}) must be tuple of ints, "
                            f"not {type(value).__name__}")
        for k, x in enumerate(value):
            if not isinstance(x, int):
                raise TypeError(f"tensordot(): argument '{name}' (position {position}) must be tuple of ints, "
                                f"but found element of type {type(x).__name__} at pos {k}")
    dims_a, dims_b = list(dims_a), list(dims_b)
    return _tensordot(a, b, dims_a, dims_b)


def _tensordot(input1, input2, dims1, dims2):
    from .linalg import dot, mm
    from .reduction import sum as _sum
    from .shape import permute, reshape
    if len(dims1) != len(dims2):
        raise RuntimeError("both dimension lists should have same length")
    if input1._data.dtype != input2._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    t1, t2 = input1, input2
    csize = 1
    for d1, d2 in zip(dims1, dims2):
        wrap_dim(d1, input1._data.ndim), wrap_dim(d2, input2._data.ndim)  # torch's range check first
        s1, s2 = input1._data.shape[d1], input2._data.shape[d2]
        if s2 == 1:  # a broadcast dim is summed at once
            t1 = _sum(t1, d1, True)
        elif s1 == 1:
            t2 = _sum(t2, d2, True)
        else:
            if s1 != s2:
                raise RuntimeError(f"contracted dimensions need to match, but first has size {s1} in dim {d1} "
                                   f"and second has size {s2} in dim {d2}")
            csize *= s1
    n1, n2 = input1._data.ndim, input2._data.ndim
    c1, c2 = {wrap_dim(d, n1) for d in dims1}, {wrap_dim(d, n2) for d in dims2}
    free1, free2 = [i for i in range(n1) if i not in c1], [i for i in range(n2) if i not in c2]
    size1 = int(np.prod([t1._data.shape[i] for i in free1], dtype=np.int64))
    size2 = int(np.prod([t2._data.shape[i] for i in free2], dtype=np.int64))
    rsizes = tuple(t1._data.shape[i] for i in free1) + tuple(t2._data.shape[i] for i in free2)
    p1, p2 = free1 + list(dims1), list(dims2) + free2
    if not free1 and not free2:  # torch: a dot of the two flattened tensors
        r = dot(reshape(permute(t1, *p1), (csize,)), reshape(permute(t2, *p2), (csize,)))
    else:
        r = mm(reshape(permute(t1, *p1), (size1, csize)), reshape(permute(t2, *p2), (csize, size2)))
    return reshape(r, rsizes)


TORCH_EXPORTS["tensordot"] = tensordot


# -- addmm: beta·self + alpha·(mat1 @ mat2), torch's AddmmBackward0 -----------------------------------

def _scaled(x, factor, F):
    return x if factor == 1 else F.mul_scalar(x, factor)


def _addmm_spec():
    from .linalg import mm_mat1_backward, mm_mat2_backward
    return defop("AddmmBackward0", {"self": "grad·beta", "mat1": "alpha·grad @ mat2ᵀ", "mat2": "alpha·mat1ᵀ @ grad"},
                 self=lambda grad, beta, F: _scaled(grad, beta, F),
                 mat1=lambda grad, mat2, col1, alpha, F: _scaled(mm_mat1_backward(grad, mat2, col1, F), alpha, F),
                 mat2=lambda grad, mat1, col2, alpha, F: _scaled(mm_mat2_backward(grad, mat1, col2, F), alpha, F))


_ADDMM = []


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    from .linalg import col_major, gemm_array
    from .shape import _expand_shape
    for x in (input, mat1, mat2):
        if not isinstance(x, Tensor):
            raise TypeError("addmm() takes tensors")  # the call site words it as torch's parser
    for name, value in (("beta", beta), ("alpha", alpha)):
        if isinstance(value, Tensor) or not isinstance(value, (int, float)):
            raise TypeError(f"addmm()'s {name} must be a Number")
    s, a, b = input._data, mat1._data, mat2._data
    for name, d in (("mat1", a), ("mat2", b)):
        if d.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {d.ndim}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    _expand_shape(s, (a.shape[0], b.shape[1]))
    for name, d in (("self", s), ("mat1", a)):
        if d.dtype != b.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got {_torch_type_name(d.dtype)} and "
                               f"{_torch_type_name(b.dtype)}")
    out = gemm_array(a, b)
    if alpha != 1:
        out = out * np.asarray(alpha).astype(out.dtype)
    if beta != 0:  # torch ignores self (a nan in it too) when beta is 0
        out = out + (s if beta == 1 else s * np.asarray(beta).astype(s.dtype))
    else:
        out = np.array(out, copy=True)
    if not _ADDMM:
        _ADDMM.append(_addmm_spec())
    return record(_ADDMM[0], np.asarray(out).astype(b.dtype, copy=False), (input, mat1, mat2),
                  {"beta": beta, "alpha": alpha, "col1": col_major(a), "col2": col_major(b)})


TORCH_EXPORTS["addmm"] = addmm
TENSOR_METHODS["addmm"] = addmm
TENSOR_INPLACE = {"addmm_": addmm}
