"""Square-matrix functions: det, inv, solve (torch.det/linalg.det, torch.inverse/linalg.inv,
torch.linalg.solve), batched, with torch's nodes, checks and singular-matrix errors.

Backward formulas are torch's for invertible matrices (derivatives.yaml: inv's -A⁻ᴴ·grad·A⁻ᴴ,
solve's gB = solve(Aᴴ, grad), gA = -gB·Xᴴ, det's solve(Aᴴ, det·grad·I)), written with ops so
create_graph works; torch's SVD path for singular matrices is not modelled.
"""

from __future__ import annotations

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor
from ._dispatch import _torch_type_name
from .registry import defop, record


class _LinAlgError(RuntimeError):
    """torch.linalg's error for a singular matrix (torch._C._LinAlgError, a RuntimeError)."""


_LinAlgError.__module__ = "torch._C"


def _square(name, d, what="A"):
    if d.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {what} must have at least 2 dimensions.")
    if d.shape[-1] != d.shape[-2]:
        raise RuntimeError(f"{name}: {what} must be batches of square matrices, but they are "
                           f"{d.shape[-2]} by {d.shape[-1]} matrices")
    if d.dtype.kind != "f":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{_torch_type_name(d.dtype)}")


def _lu_diagonal(m: np.ndarray):
    """U's diagonal and the permutation's sign of LU with partial pivoting (LAPACK getrf's)."""
    u = np.array(m, dtype=np.float64)
    n, sign, diag = u.shape[0], 1.0, []
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if p != k:
            u[[k, p]] = u[[p, k]]
            sign = -sign
        diag.append(u[k, k])
        if u[k, k] != 0:
            u[k + 1:] -= np.outer(u[k + 1:, k] / u[k, k], u[k])
    return diag, sign


def _zero_pivot(m: np.ndarray) -> int:
    """The 1-based index of LU's first zero diagonal element; 0 if none."""
    diag, _ = _lu_diagonal(m)
    return next((k + 1 for k, x in enumerate(diag) if x == 0), 0)


def _batches(d):
    return [()] if d.ndim == 2 else list(np.ndindex(d.shape[:-2]))


def _batch_text(d, index) -> str:
    if d.ndim == 2:
        return ""
    return f"(Batch element {int(np.ravel_multi_index(index, d.shape[:-2]))}): "


def _mH(x, F):
    return F.transpose(x, -2, -1)


# -- inv ---------------------------------------------------------------------------------------------

INV = defop("LinalgInvExBackward0", {"A": "-A⁻ᴴ·grad·A⁻ᴴ"},
            A=lambda grad, result, F: -F.matmul(_mH(result, F), F.matmul(grad, _mH(result, F))))


def inv_array(d):
    """A⁻¹ (batched), or torch's error for a singular matrix."""
    with np.errstate(all="ignore"):
        try:
            return np.linalg.inv(d)
        except np.linalg.LinAlgError:
            pass
    for index in _batches(d):
        k = _zero_pivot(d[index])
        if k:
            raise _LinAlgError(f"linalg.inv: {_batch_text(d, index)}The diagonal element {k} is zero, the inversion "
                               "could not be completed because the input matrix is singular.")
    raise _LinAlgError("linalg.inv: the input matrix is singular.")


def inv(A):
    if not isinstance(A, Tensor):
        raise TypeError("linalg_inv() takes a tensor")
    d = A._data
    _square("linalg.inv", d)
    return record(INV, inv_array(d).astype(d.dtype, copy=False), (A,))


# -- solve -------------------------------------------------------------------------------------------

def _solve_grads(grad, A, B, result, vector, F, which):
    if vector:  # torch solves for a one-column matrix and squeezes it
        gB = F.squeeze(F.linalg_solve(_mH(A, F), F.unsqueeze(grad, -1)), -1)
    else:
        gB = F.linalg_solve(_mH(A, F), grad)
    if which == "B":
        return gB
    if vector:
        return -F.matmul(F.unsqueeze(gB, -1), F.unsqueeze(result, -2))
    return -F.matmul(gB, _mH(result, F))


SOLVE = defop("LinalgSolveExBackward0", {"A": "-solve(Aᴴ, grad)·Xᴴ", "B": "solve(Aᴴ, grad)"},
              A=lambda grad, A, B, result, vector, F: _solve_grads(grad, A, B, result, vector, F, "A"),
              B=lambda grad, A, B, result, vector, F: _solve_grads(grad, A, B, result, vector, F, "B"))


def solve_array(a, b, vector):
    if vector:
        b = b[..., None]
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    for m in (a, b):  # --max-elements: the solver copies both, broadcast to the common batch
        check_shape(shape + m.shape[-2:], m.itemsize)
    a2, b2 = np.broadcast_to(a, shape + a.shape[-2:]), np.broadcast_to(b, shape + b.shape[-2:])
    with np.errstate(all="ignore"):
        try:
            x = np.linalg.solve(a2, b2)
        except np.linalg.LinAlgError:
            for index in _batches(a2):
                if _zero_pivot(a2[index]):
                    raise _LinAlgError(f"torch.linalg.solve: {_batch_text(a2, index)}The solver failed because "
                                       "the input matrix is singular.") from None
            raise _LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
    return x[..., 0] if vector else x


def solve(A, B, *, left=True):
    if not isinstance(A, Tensor) or not isinstance(B, Tensor):
        raise TypeError("linalg_solve() takes tensors")
    a, b = A._data, B._data
    if a.dtype != b.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_torch_type_name(a.dtype)} and B of type {_torch_type_name(b.dtype)} instead")
    _square("linalg.solve", a)
    if not left:
        raise NotImplementedError("gradcli: linalg.solve(left=False) is not supported")
    # torch: B is a (batch of) vector(s) when it is 1-D or has A's batch shape and one dim less
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    rows = b.shape[-1] if vector else b.shape[-2]
    if rows != a.shape[-1]:
        shown = f"{b.shape[-1]}x1" if vector else f"{b.shape[-2]}x{b.shape[-1]}"
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({a.shape[-2]}x{a.shape[-1]} and {shown})")
    out = solve_array(a, b, vector).astype(a.dtype, copy=False)
    return record(SOLVE, out, (A, B), {"vector": vector})


# -- det -----------------------------------------------------------------------------------------------

def _det_grad(grad, A, result, F):
    d = F.unsqueeze(F.unsqueeze(grad * result, -1), -1)
    eye = F.eye_like(A)
    return F.linalg_solve(_mH(A, F), d * eye)


DET = defop("LinalgDetBackward0", {"A": "det·A⁻ᴴ"}, A=_det_grad)


def det(A):
    if not isinstance(A, Tensor):
        raise TypeError("linalg_det() takes a tensor")
    d = A._data
    _square("linalg.det", d)
    with np.errstate(all="ignore"):
        out = np.array(np.linalg.det(d) if d.shape[-1] else np.ones(d.shape[:-2]), dtype=d.dtype)
    if d.shape[-1] and not out.all():  # a zero det carries the pivots' sign in torch (-0. for a row swap)
        flat = out.reshape(-1)
        for k, m in enumerate(d.reshape((-1,) + d.shape[-2:])):
            if flat[k] == 0:
                diag, sign = _lu_diagonal(m)
                flat[k] = sign * np.prod(diag)
        out = flat.reshape(out.shape)
    return record(DET, out, (A,))


def eye_like_array(a):
    a = np.asarray(a)
    return np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)


def _tensor_argument(fname, value, name="A", position=1):
    if not isinstance(value, Tensor):  # torch.linalg's parser (the interpreter models torch's namespace only)
        raise TypeError(f"{fname}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}")


def linalg_det(A):
    _tensor_argument("linalg_det", A)
    return det(A)


def linalg_inv(A):
    _tensor_argument("linalg_inv", A)
    return inv(A)


def linalg_solve(A, B, *, left=True):
    _tensor_argument("linalg_solve", A)
    _tensor_argument("linalg_solve", B, "B", 2)
    return solve(A, B, left=left)


def inverse(input):
    return inv(input)


TENSOR_METHODS = {"det": det, "inverse": inverse}
TORCH_EXPORTS = {"det": det, "inverse": inverse}
LINALG = {"det": linalg_det, "inv": linalg_inv, "solve": linalg_solve}
