"""torch.autograd.gradcheck / gradgradcheck: analytical Jacobians (one reverse pass per
output element) against central finite differences, compared with allclose.

Slow mode only: ``fast_mode`` is accepted and runs the full comparison (torch's fast
mode compares random projections; both accept and reject the same functions up to
tolerance, but its failure message differs).
"""

from __future__ import annotations

import warnings

import numpy as np

from . import engine
from .grad_mode import state as grad_state
from .tensor import Tensor, wrap

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when a check fails (a RuntimeError, as torch's)."""

    __module__ = "torch.autograd.gradcheck"  # how tracebacks and type(e) name it under torch


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable(outputs):
    return tuple(o for o in _as_tuple(outputs) if isinstance(o, Tensor) and o.requires_grad)


def _numerical(func, inputs, wrt, eps):
    """Per input in ``wrt``: the (input numel, output numel) Jacobians of every output."""
    result = []
    # torch evaluates func with grad mode as it is (gradgradcheck's func needs it on)
    for i in wrt:
        data = inputs[i]._data  # perturbed in place, as torch does
        cols = None
        for k, idx in enumerate(np.ndindex(data.shape)):
            old = data[idx].copy()
            data[idx] = old - eps
            lo = [np.array(o._data, copy=True) for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
            data[idx] = old + eps
            hi = [np.array(o._data, copy=True) for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
            data[idx] = old
            if cols is None:
                cols = [np.zeros((data.size, h.size), dtype=h.dtype) for h in hi]
            for j, (a, b) in enumerate(zip(hi, lo)):
                cols[j][k] = ((a - b) / (2 * eps)).reshape(-1)
        result.append(cols or [])
    return result


def _analytical(outputs, inputs, wrt):
    """Per output: the (input numel, output numel) Jacobian for each input in ``wrt``."""
    result = []
    for out in outputs:
        n = out._data.size
        jacs = [np.zeros((inputs[i]._data.size, n), dtype=inputs[i]._data.dtype) for i in wrt]
        for j in range(n):
            onehot = np.zeros(n, dtype=out._data.dtype)
            onehot[j] = 1
            grads = engine.grad([out], [inputs[i] for i in wrt], [wrap(onehot.reshape(out._data.shape))],
                                retain_graph=True, allow_unused=True)
            for col, g in zip(jacs, grads):
                if g is not None:
                    col[:, j] = g._data.reshape(-1)
        result.append(jacs)
    return result


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """True when the analytical gradients of ``func`` at ``inputs`` match finite differences."""
    inputs = _as_tuple(inputs)
    wrt = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of "
                         "them have requires_grad=True.")
    for i in wrt:
        if inputs[i]._data.dtype != np.float64 and inputs[i]._data.dtype.kind != "c":
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or "
                          "complex. This check will likely fail if all the inputs are not of double "
                          "precision floating point or complex. ", UserWarning, stacklevel=2)
    try:
        _check(func, inputs, wrt, eps, atol, rtol, nondet_tol, check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _check(func, inputs, wrt, eps, atol, rtol, nondet_tol, check_backward_ad):
    prev = grad_state.enabled
    grad_state.enabled = True
    try:
        outputs = _as_tuple(func(*inputs))
    finally:
        grad_state.enabled = prev
    diff_outputs = [o for o in outputs if isinstance(o, Tensor) and o.requires_grad]
    numerical = _numerical(func, inputs, wrt, eps)
    # outputs that do not require grad must have a zero numerical Jacobian
    tensor_outputs = [o for o in outputs if isinstance(o, Tensor)]
    for j, out in enumerate(tensor_outputs):
        if out.requires_grad:
            continue
        for num in numerical:
            if j < len(num) and not np.allclose(num[j], 0.0, rtol=rtol, atol=atol):
                raise GradcheckError("Numerical gradient for function expected to be zero")
    if not check_backward_ad:
        return
    analytical = _analytical(diff_outputs, inputs, wrt)
    again = _analytical(diff_outputs, inputs, wrt)
    out_index = [j for j, o in enumerate(tensor_outputs) if o.requires_grad]
    for a_idx, j in enumerate(out_index):
        for w, i in enumerate(wrt):
            a = analytical[a_idx][w]
            n = numerical[w][j] if j < len(numerical[w]) else np.zeros_like(a)
            if not np.allclose(a, n, rtol=rtol, atol=atol, equal_nan=False):
                raise GradcheckError(
                    f"Jacobian mismatch for output {j:d} with respect to input {i:d},\n"
                    f"numerical:{wrap(n.astype(tensor_outputs[j]._data.dtype))}\nanalytical:{wrap(a)}\n")
            b = again[a_idx][w]
            if np.max(np.abs(a - b), initial=0.0) > nondet_tol:
                raise GradcheckError(
                    "Backward is not reentrant, i.e., running backward with same input and grad_output "
                    "multiple times gives different values, although analytical gradient matches "
                    f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}.")


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """gradcheck of the function (inputs, grad_outputs) -> grad(func(inputs), inputs, grad_outputs)."""
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        # torch draws these from its own generator (uniform in [-1, 1)); ours are seeded and fixed
        rng = np.random.default_rng(0)
        outs = _differentiable(func(*inputs))
        grad_outputs = []
        for o in outs:
            dt = o._data.dtype if o._data.dtype.kind in "fc" else np.float64
            g = wrap(rng.uniform(-1.0, 1.0, size=o._data.shape).astype(dt))
            g.requires_grad_(True)
            grad_outputs.append(g)
        grad_outputs = tuple(grad_outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff_in = {i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad}
    diff_go = {i for i, x in enumerate(grad_outputs) if x.requires_grad}

    def new_func(*args):
        input_args = tuple(x.requires_grad_() if i in diff_in else x for i, x in enumerate(args[:-n_out]))
        outputs = _differentiable(func(*input_args))
        gos = tuple(x.requires_grad_() if i in diff_go else x for i, x in enumerate(args[-n_out:]))
        diff_args = tuple(x for i, x in enumerate(input_args) if i in diff_in)
        grads = engine.grad(outputs, diff_args, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol)
