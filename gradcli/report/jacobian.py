"""Full Jacobians and Hessians, and what ``grad_tensors`` does to them.

``backward(v)`` on a non-scalar ``y`` computes ``v·J`` (a vector-Jacobian product),
never ``J`` itself.  ``jacobian`` builds ``J`` one row at a time, one backward pass
per element of ``y`` with a one-hot ``grad_tensors``; with ``v`` it also runs the
real ``backward(v)`` and shows that ``X.grad`` is ``v·J``, on the user's own program.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .graph import array

MAX_ENTRIES = 1_000_000


@dataclass
class Jacobian:
    kind: str                      # "jacobian" or "hessian"
    of: str
    wrt: str
    of_shape: list
    wrt_shape: list
    dtype: str
    matrix: object                 # numpy, (numel(of), numel(wrt)) for a jacobian; (n, n) hessian
    v: object = None               # --grad-tensors, shaped as `of`
    vjp: object = None             # v·J, shaped as `wrt`
    backward_grad: object = None   # what backward(v) put in wrt.grad
    matches: bool | None = None    # vjp == backward_grad (to rounding)
    notes: list[str] = field(default_factory=list)


def _dtype(t) -> str:
    return str(t.dtype)


def _one_hot(shape, i, dtype):
    e = np.zeros(shape, dtype=dtype)
    e.flat[i] = 1
    return e


def vjp(y, x, v, create_graph=False):
    """v·J of ``y`` with respect to ``x`` (zeros when ``y`` does not depend on ``x``)."""
    from ..autograd import engine
    from ..autograd.tensor import Tensor, wrap

    if not isinstance(v, Tensor):
        v = wrap(np.asarray(v, dtype=y._data.dtype))
    (g,) = engine.grad([y], [x], [v], retain_graph=True, create_graph=create_graph, allow_unused=True)
    return g


def jacobian_matrix(y, x) -> np.ndarray:
    m, n = y._data.size, x._data.size
    if m * n > MAX_ENTRIES:
        raise ValueError(f"the Jacobian would have {m * n} entries (more than {MAX_ENTRIES})")
    J = np.zeros((m, n), dtype=np.result_type(y._data.dtype, x._data.dtype))
    if not y._requires_grad:
        return J
    for i in range(m):
        g = vjp(y, x, _one_hot(y._data.shape, i, y._data.dtype))
        if g is not None:
            J[i] = np.asarray(g._data).ravel()
    return J


def jacobian(y, x, of: str, wrt: str, v=None) -> Jacobian:
    """The Jacobian d of / d wrt; with ``v`` also v·J and backward(v)'s ``wrt.grad``."""
    from ..autograd import engine
    from ..autograd.tensor import wrap

    J = jacobian_matrix(y, x)
    out = Jacobian("jacobian", of, wrt, list(y._data.shape), list(x._data.shape), _dtype(y), J)
    if v is None:
        return out
    v = np.asarray(getattr(v, "_data", v))
    if v.shape != y._data.shape:
        raise ValueError(f"--grad-tensors has shape {list(v.shape)}, but {of} has shape {list(y._data.shape)}")
    v = v.astype(y._data.dtype)
    out.v = v
    out.vjp = (v.ravel() @ J).reshape(x._data.shape)
    if x.grad_fn is None:
        saved = x._grad
        x._grad = None
        try:
            engine.backward([y], [wrap(v.copy())], retain_graph=True, inputs=[x])
            got = x._grad
        finally:
            x._grad = saved
        out.notes.append(f"backward(v) run with inputs=[{wrt}], so only {wrt}.grad was touched "
                         f"(and put back as the program left it)")
    else:
        got = vjp(y, x, v)
        out.notes.append(f"{wrt} is not a leaf: torch.autograd.grad({of}, {wrt}, v) shown instead of .grad")
    out.backward_grad = None if got is None else array(got)
    if out.backward_grad is None:
        out.backward_grad = np.zeros(x._data.shape, dtype=x._data.dtype)
        out.notes.append(f"{of} does not depend on {wrt}: its gradient is zero")
    tol = 1e-5 if J.dtype == np.float32 else 1e-10
    out.matches = bool(np.allclose(out.vjp, out.backward_grad, rtol=tol, atol=tol))
    return out


def hessian(y, x, of: str, wrt: str) -> Jacobian:
    """d² of / d wrt² for a scalar ``of``: the Jacobian of the gradient (create_graph=True)."""
    from ..autograd import engine

    if y._data.size != 1:
        raise ValueError(f"hessian needs a scalar: {of} has shape {list(y._data.shape)} "
                         f"(reduce it, e.g. {of}.sum(), or use jacobian)")
    n = x._data.size
    if n * n > MAX_ENTRIES:
        raise ValueError(f"the Hessian would have {n * n} entries (more than {MAX_ENTRIES})")
    H = np.zeros((n, n), dtype=np.result_type(y._data.dtype, x._data.dtype))
    out = Jacobian("hessian", of, wrt, list(y._data.shape), list(x._data.shape), _dtype(y), H)
    if not y._requires_grad:
        return out
    (g,) = engine.grad([y], [x], retain_graph=True, create_graph=True, allow_unused=True)
    if g is None or not g._requires_grad:
        out.notes.append(f"the gradient of {of} does not depend on {wrt}: the Hessian is zero")
        return out
    for i in range(n):
        h = vjp(g, x, _one_hot(g._data.shape, i, g._data.dtype))
        if h is not None:
            H[i] = np.asarray(h._data).ravel()
    return out
