"""Gradient checking: autograd's gradient of every leaf against central differences.

The differences need the program's value at perturbed leaf values, so the program
is run again per perturbation (a :class:`Model` does the running; see
``program_model`` for how a program is re-run).  Everything is computed in float64
whatever the program's dtype: a central difference in float32 has an error near
``eps_machine / h`` ≈ 1e-7 / 1e-3 that swamps the differences being checked,
while in float64 ``h = 1e-6`` leaves an error near 1e-10, far below the tolerances
(torch.autograd.gradcheck's defaults: atol 1e-5, rtol 1e-3).

``order=2`` checks second derivatives the same way: the Hessian autograd computes
(``create_graph=True``) against central differences of autograd's own gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-3

FLOAT32_NOTE = ("the program computes in float32; its gradients are checked in float64 "
                "(the program re-run with float64 as the default dtype), because central "
                "differences in float32 lose about half of float32's 7 digits to rounding and "
                "would flag correct gradients")


@dataclass
class LeafCheck:
    name: str
    shape: list
    order: int
    autograd: object               # numpy: the gradient (order 1) or Hessian rows (order 2)
    numeric: object                # numpy: the central differences, same shape
    max_abs_error: float
    max_abs_at: list               # index of the element with the worst absolute error
    max_rel_error: float
    max_rel_at: list
    passed: bool


@dataclass
class CheckResult:
    target: str
    order: int
    program_dtype: str
    eps: float
    atol: float
    rtol: float
    leaves: list[LeafCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.leaves)


@dataclass
class Model:
    """What checking needs from a program, all in float64.

    ``leaves``: name -> value at the point checked; ``value(overrides)``: the scalar
    checked (Σ⟨grad_tensors, target⟩) with some leaves replaced; ``gradient(overrides)``:
    name -> autograd's gradient there (used by order 2); ``autograd``: name -> the
    gradient to check (order 1); ``hessian(name)``: autograd's second derivative.
    """

    target: str
    leaves: dict
    value: Callable
    gradient: Callable
    autograd: dict
    hessian: Callable | None = None
    program_dtype: str = "torch.float64"
    notes: list = field(default_factory=list)


def central_differences(f: Callable, x0: np.ndarray, eps: float = EPS) -> np.ndarray:
    """d f / d x at ``x0`` by (f(x+h) - f(x-h)) / 2h, element by element; ``f`` may
    return a scalar or an array (then the result has shape ``f``'s + ``x0``'s)."""
    x0 = np.asarray(x0, dtype=np.float64)
    cols = []
    for i in range(x0.size):
        xp = x0.copy()
        xp.flat[i] += eps
        xm = x0.copy()
        xm.flat[i] -= eps
        cols.append((np.asarray(f(xp), dtype=np.float64) - np.asarray(f(xm), dtype=np.float64)) / (2 * eps))
    if not cols:
        return np.zeros(x0.shape)
    out = np.stack(cols, axis=-1)
    return out.reshape(out.shape[:-1] + x0.shape)


def compare(name: str, autograd, numeric, order: int, atol: float = ATOL, rtol: float = RTOL) -> LeafCheck:
    a = np.asarray(autograd, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    err = np.abs(a - n)
    err = np.where(np.isnan(err) & ~(np.isnan(a) & np.isnan(n)), np.inf, np.nan_to_num(err, nan=0.0))
    scale = np.maximum(np.abs(a), np.abs(n))
    with np.errstate(all="ignore"):
        rel = np.where(err == 0, 0.0, err / np.where(scale == 0, 1.0, scale))
    rel = np.where(np.isnan(rel), np.inf, rel)
    passed = bool(np.all(err <= atol + rtol * np.abs(n)))
    ia = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
    ir = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.size else ()
    return LeafCheck(name, list(a.shape), order, a, n,
                     float(err[ia]) if err.size else 0.0, [int(k) for k in ia],
                     float(rel[ir]) if rel.size else 0.0, [int(k) for k in ir], passed)


def check(model: Model, order: int = 1, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL) -> CheckResult:
    result = CheckResult(model.target, order, model.program_dtype, eps, atol, rtol, notes=list(model.notes))
    if model.program_dtype in ("torch.float32", "torch.float16"):
        result.notes.append(FLOAT32_NOTE)
    for name, x0 in model.leaves.items():
        if order == 1:
            numeric = central_differences(lambda x: model.value({name: x}), x0, eps)
            analytic = model.autograd.get(name)
            if analytic is None:
                analytic = np.zeros_like(numeric)
                result.notes.append(f"{name}.grad is None: checked as zeros")
            result.leaves.append(compare(name, analytic, numeric, 1, atol, rtol))
        else:
            # rows of the Hessian: d (d f/d x_i) / d x_j, with x_i the output index
            numeric = central_differences(lambda x: model.gradient({name: x})[name], x0, eps)
            analytic = model.hessian(name)
            n = int(np.asarray(x0).size)
            result.leaves.append(compare(name, np.asarray(analytic).reshape(n, n),
                                         numeric.reshape(n, n), 2, atol, rtol))
    return result
