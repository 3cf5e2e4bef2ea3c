"""Linear algebra: mm, mv, dot, bmm as primitives; matmul (and ``@``) as PyTorch
composes it from them (vector norms: norms.py).

matmul follows ATen's ``_matmul_impl`` step by step (fold a batch into mm/mv, or
expand + bmm), so the ``grad_fn`` chain a program sees is the one PyTorch builds.
"""

from __future__ import annotations

import operator

import numpy as np

from ..grad_mode import state as grad_state
from ..limits import check_shape
from ..tensor import Tensor, _wrap_dim
from . import shape as _s
from .blas_order import bmm_array, dot_array, gemm_array, mv_array
from .dtype_support import refuse
from .out import with_out
from .registry import defop, record
from .shape import _view_of

_C10_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
              "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
              "bool": "bool", "float16": "c10::Half"}


def _same_dtype(a, b):
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_C10_NAMES.get(a.dtype.name, a.dtype.name)} != {_C10_NAMES.get(b.dtype.name, b.dtype.name)}")


# -- primitives ---------------------------------------------------------------------------

def mm_mat1_backward(grad, mat2, mat1_col_major, F):
    """torch's mm_mat1_backward: a column-major mat1 gets its gradient as (mat2 @ gradᵀ)ᵀ."""
    if mat1_col_major:
        return F.t(F.mm(mat2, F.t(grad)))
    return F.mm(grad, F.t(mat2))


def mm_mat2_backward(grad, mat1, mat2_col_major, F):
    """torch's mm_mat2_backward: a column-major mat2 (a transposed weight) gets (gradᵀ @ mat1)ᵀ."""
    if mat2_col_major:
        return F.t(F.mm(F.t(grad), mat1))
    return F.mm(F.t(mat1), grad)


def col_major(d):
    """torch's test for a column-major matrix: strides (1, rows)."""
    return d.ndim == 2 and d.strides[0] == d.itemsize and d.strides[1] == d.shape[0] * d.itemsize


MM = defop("MmBackward0", {"self": "grad @ mat2ᵀ", "mat2": "selfᵀ @ grad"},
           self=lambda grad, mat2, col1, F: mm_mat1_backward(grad, mat2, col1, F),
           mat2=lambda grad, self, col2, F: mm_mat2_backward(grad, self, col2, F))
MV = defop("MvBackward0", {"self": "outer(grad, vec)", "vec": "selfᵀ @ grad"},
           self=lambda grad, vec, F: F.outer(grad, vec),
           vec=lambda grad, self, F: F.matmul(F.t(self), grad))
DOT = defop("DotBackward0", {"self": "grad * tensor", "tensor": "grad * self"},
            self=lambda grad, tensor: grad * tensor,
            tensor=lambda grad, self: grad * self)
BMM = defop("BmmBackward0", {"self": "grad @ mat2ᵀ", "mat2": "selfᵀ @ grad"},
            self=lambda grad, mat2, F: F.bmm(grad, F.transpose(mat2, 1, 2)),
            mat2=lambda grad, self, F: F.bmm(F.transpose(self, 1, 2), grad))


def mm(input, mat2):
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    _same_dtype(a, b)
    if a.dtype.kind != "f" and a.size and b.size:  # an empty product needs no kernel
        refuse("mm", a.dtype)
    return record(MM, gemm_array(a, b), (input, mat2), {"col1": col_major(a), "col2": col_major(b)})


def mv(input, vec):
    a, v = input._data, vec._data
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                           f"vec ({v.shape[0]})")
    _same_dtype(a, v)
    if a.dtype.kind != "f" and a.size and v.size:
        refuse("mv", a.dtype)
    return record(MV, mv_array(a, v), (input, vec))


def dot(input, tensor):
    a, b = input._data, tensor._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        from ._dispatch import _torch_type_name
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_torch_type_name(a.dtype)} and {_torch_type_name(b.dtype)}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                           f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
                           f"elements respectively")
    if a.dtype.kind != "f":
        refuse("dot", a.dtype)
    return record(DOT, dot_array(a, b), (input, tensor))


VDOT = defop("VdotBackward0", {"self": "grad * other", "other": "grad * self"},
             self=lambda grad, other: grad * other,
             other=lambda grad, self: grad * self)


def vdot(input, other):
    r = dot(input, other)  # the checks and the value; real tensors need no conjugation
    return record(VDOT, r._data, (input, other))


def bmm(input, mat2):
    a, b = input._data, mat2._data
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b.shape[0] != a.shape[0] or b.shape[1] != a.shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    if a.dtype != b.dtype:  # bmm's own check, not mm's "expected m1 and m2 to have the same dtype"
        from ._dispatch import _torch_type_name
        raise RuntimeError(f"expected scalar type {_torch_type_name(a.dtype)} but found {_torch_type_name(b.dtype)}")
    if a.dtype.kind != "f" and a.size and b.size:
        refuse("bmm", a.dtype)
    return record(BMM, bmm_array(a, b), (input, mat2))


# -- matmul: ATen's composition ---------------------------------------------------------------

def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _should_fold(t1: Tensor, t2: Tensor) -> bool:
    """Whether the larger operand folds into a matrix (mm/mv) rather than going through bmm."""
    a, b = t1._data, t2._data
    larger = a.ndim >= b.ndim
    big = a if larger else np.swapaxes(b, -1, -2)
    if not (big.ndim >= 3 and (b.ndim if larger else a.ndim) <= 2):
        return False
    # fold (even at the price of a copy) so backward never materialises an expanded small operand
    if (t2 if larger else t1)._requires_grad:
        return True
    if a.ndim == 2:
        return False
    if big.size == 0:
        return True
    st, sh = big.strides, big.shape
    return all(st[i] == st[i + 1] * sh[i + 1] for i in range(big.ndim - 1))


def _broadcast_batch(b1, b2):
    n = max(len(b1), len(b2))
    p1 = (1,) * (n - len(b1)) + tuple(b1)
    p2 = (1,) * (n - len(b2)) + tuple(b2)
    out = []
    for i, (x, y) in enumerate(zip(p1, p2)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {i}")
        out.append(y if x == 1 else x)
    return tuple(out)


def matmul(input, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    da, db = input._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        return _s._squeeze_inplace_result(mm(_s.unsqueeze(input, 0), other), 0)
    if da == 2 and db == 2:
        return mm(input, other)
    if da == 3 and db == 3 and grad_state.enabled:
        # a one-matrix batch that requires grad is squeezed rather than expanded
        a0, b0 = input._data.shape[0], other._data.shape[0]
        if a0 == 1 and b0 != 1 and input._requires_grad:
            return matmul(_s.squeeze(input, 0), other)
        if b0 == 1 and a0 != 1 and other._requires_grad:
            return matmul(input, _s.squeeze(other, 0))
    if _should_fold(input, other):
        return _folded(input, other, da, db)
    return _batched(input, other, da, db)


def _folded(input, other, da, db):
    transposed = db > da
    if transposed:
        t1 = _s.transpose(other, -2, -1)
        t2 = _s.t(input) if da == 2 else input
    else:
        t1, t2 = input, other
    sizes = t1._data.shape
    out_shape = sizes[:-1]
    folded = _s.reshape(t1, (_prod(out_shape), sizes[-1]))
    if t2._data.ndim == 2:
        out_shape = out_shape + (t2._data.shape[1],)
        output = _s._unsafe_view(mm(folded, t2), out_shape)
        return _s.contiguous(_s.transpose(output, -2, -1)) if transposed else output
    return _s._unsafe_view(mv(folded, t2), out_shape)


def _batched(input, other, da, db):
    a, b = input._data, other._data
    n = a.shape[-2] if da > 1 else 1
    m1 = a.shape[-1]
    m2 = b.shape[-2] if db > 1 else b.shape[0]
    p = b.shape[-1] if db > 1 else 1
    batch = _broadcast_batch(a.shape[:max(da - 2, 0)], b.shape[:max(db - 2, 0)])
    count = _prod(batch)
    t1 = _s.reshape(_s.expand(input, batch + (n, m1)), (count, n, m1))
    vector_rhs = db == 1
    if vector_rhs:
        t2 = _s.unsqueeze(_s.reshape(_s.expand(other, batch + (m2,)), (count, m2)), 2)
    else:
        t2 = _s.reshape(_s.expand(other, batch + (m2, p)), (count, m2, p))
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    r = bmm(t1, t2)
    if vector_rhs:
        r = _s.squeeze(r, -1)
    return _s._unsafe_view(r, out_shape)


def rmatmul(self, other):
    """other @ self, for a non-Tensor ``other`` on the left."""
    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(other, self)


def outer(input, vec2):
    from .elementwise import mul
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return mul(_s.reshape(input, (-1, 1)), vec2)


ger = outer


def inner(input, other):
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        from .elementwise import mul
        return mul(input, other)
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    if a.ndim == 1 and b.ndim == 1 and a.dtype.kind != "f":
        refuse("dot", a.dtype)  # torch's inner of two vectors is a dot
    k = a.shape[-1]
    r = mm(_s.reshape(input, (-1, k)), _s.t(_s.reshape(other, (-1, k))))
    return _s.view(r, a.shape[:-1] + b.shape[:-1])


# -- triangles and diagonals -------------------------------------------------------------------

TRIL = defop("TrilBackward0", {"self": "tril(grad)"}, self=lambda grad, diagonal, F: F.tril(grad, diagonal))
TRIU = defop("TriuBackward0", {"self": "triu(grad)"}, self=lambda grad, diagonal, F: F.triu(grad, diagonal))


def tril(input, diagonal=0):
    diagonal = operator.index(diagonal)  # an int: a float is the parser's TypeError
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return record(TRIL, np.tril(input._data, diagonal), (input,), {"diagonal": diagonal})


def triu(input, diagonal=0):
    diagonal = operator.index(diagonal)
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return record(TRIU, np.triu(input._data, diagonal), (input,), {"diagonal": diagonal})


def diagonal_view(d: np.ndarray, offset=0, dim1=0, dim2=1) -> np.ndarray:
    """A writable view of the diagonal of ``d`` (numpy's own is read-only)."""
    index = [slice(None)] * d.ndim
    if offset >= 0:
        index[dim2] = slice(offset, None)
    else:
        index[dim1] = slice(-offset, None)
    sub = d[tuple(index)]
    n = min(sub.shape[dim1], sub.shape[dim2])
    rest = [k for k in range(d.ndim) if k not in (dim1, dim2)]
    shape = tuple(d.shape[k] for k in rest) + (n,)
    strides = tuple(sub.strides[k] for k in rest) + (sub.strides[dim1] + sub.strides[dim2],)
    return np.lib.stride_tricks.as_strided(sub, shape, strides, writeable=sub.flags.writeable)


DIAGONAL = defop("DiagonalBackward0", {"self": "the gradient on the diagonal, zeros elsewhere"},
                 self=lambda grad, shape, offset, dim1, dim2, F: F.diagonal_backward(grad, shape, offset, dim1, dim2))
DIAG_COPY = defop("DiagonalBackward0_copy", {"self": "the gradient on the diagonal, zeros elsewhere"},
                  self=lambda grad, shape, offset, dim1, dim2, F: F.diagonal_backward(grad, shape, offset, dim1, dim2))
DIAG_EMBED = defop("DiagEmbedBackward0", {"self": "diagonal(grad)"},
                   self=lambda grad, offset, F: F.diagonal(grad, offset, 0, 1))
TRACE = defop("TraceBackward0", {"self": "identity matrix"},
              self=lambda grad, shape, F: F.diagonal_backward(F.expand(grad, (min(shape),)), shape, 0, 0, 1))


def diagonal(input, offset=0, dim1=0, dim2=1):
    offset = operator.index(offset)  # an int: a tensor or float is the parser's TypeError
    d = input._data
    a = _wrap_dim(dim1, d.ndim)
    b = _wrap_dim(dim2, d.ndim)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _view_of(DIAGONAL, diagonal_view(d, offset, a, b), input,
                    {"shape": d.shape, "offset": offset, "dim1": a, "dim2": b})


def diag(input, diagonal=0):
    d = input._data
    if d.ndim == 1:
        n = d.shape[0] + abs(diagonal)
        check_shape((n, n), d.itemsize)
        return record(DIAG_EMBED, np.diag(d, diagonal), (input,), {"offset": diagonal})
    if d.ndim == 2:
        return record(DIAG_COPY, np.diagonal(d, diagonal).copy(), (input,),
                      {"shape": d.shape, "offset": diagonal, "dim1": 0, "dim2": 1})
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {d.ndim}D")


def trace(input):
    d = input._data
    if d.dtype.kind != "f":  # torch dispatches on the dtype first
        refuse("trace", d.dtype)
    if d.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {d.ndim}")
    out = np.trace(d, dtype=np.int64 if d.dtype.kind in "biu" else None)
    return record(TRACE, out, (input,), {"shape": d.shape})


DIAGONAL_BACKWARD = defop("DiagonalBackwardBackward0", {"grad_output": "diagonal(grad)"},
                          grad_output=lambda grad, offset, dim1, dim2, F: F.diagonal(grad, offset, dim1, dim2))


def diagonal_backward(grad_output, shape, offset, dim1, dim2):
    """F.diagonal_backward on Tensors: zeros with ``grad_output`` on the diagonal, recorded."""
    from .backends import numpy_
    out = numpy_.diagonal_backward(grad_output._data, shape, offset, dim1, dim2)
    return record(DIAGONAL_BACKWARD, out, (grad_output,), {"offset": offset, "dim1": dim1, "dim2": dim2})


from .norms import _tensor_norm, linalg_norm, norm, vector_norm  # noqa: E402,F401  (re-exported)


def _linalg_namespace():
    from ..namespace import Module
    return Module("torch.linalg", {"norm": linalg_norm, "vector_norm": vector_norm,
                                   "matmul": matmul, "vecdot": _vecdot})


def _vecdot(x, y, *, dim=-1):
    from .elementwise import mul
    from .reduction import sum
    return sum(mul(x, y), dim)


TENSOR_METHODS = {
    "mm": mm, "mv": mv, "dot": dot, "vdot": vdot, "bmm": bmm, "matmul": matmul,
    "__matmul__": matmul, "__rmatmul__": rmatmul, "outer": outer, "ger": ger, "inner": inner,
    "norm": _tensor_norm, "tril": tril, "triu": triu, "diagonal": diagonal, "diag": diag,
    "trace": trace,
}

TORCH_EXPORTS = {
    "mm": with_out(mm, "mm"), "mv": mv, "dot": dot, "vdot": vdot, "bmm": bmm, "matmul": with_out(matmul, "matmul"),
    "outer": outer,
    "ger": ger, "inner": inner, "norm": norm, "linalg": _linalg_namespace(),
    "tril": tril, "triu": triu, "diagonal": diagonal, "diag": diag, "trace": trace,
}

from .einsum import einsum  # noqa: E402  (a composite of the ops above)

TORCH_EXPORTS["einsum"] = einsum

from . import products as _products  # noqa: E402  (cross, kron)

TORCH_EXPORTS.update(_products.TORCH_EXPORTS)
TENSOR_METHODS.update(_products.TENSOR_METHODS)
TORCH_EXPORTS["linalg"].cross = _products.linalg_cross

from . import matrix_functions as _matrix_functions  # noqa: E402  (det, inv, solve)

TORCH_EXPORTS.update(_matrix_functions.TORCH_EXPORTS)
TENSOR_METHODS.update(_matrix_functions.TENSOR_METHODS)
TORCH_EXPORTS["linalg"].__dict__.update(_matrix_functions.LINALG)

from .distances import TORCH_EXPORTS as _DISTANCES  # noqa: E402

TORCH_EXPORTS.update(_DISTANCES)
TENSOR_METHODS.update(dist=_DISTANCES["dist"])
TENSOR_INPLACE = dict(_products.TENSOR_INPLACE)  # addmm_
