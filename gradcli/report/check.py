"""Gradient checking: what is compared, and how.

``check_program`` (in ``check_program.py``) re-runs a program with one leaf element
moved by ±eps and compares the change of what the program differentiated with the
gradient autograd gave; this module holds the numerics (central differences, the
element-wise comparison) and the result.  Everything is computed in float64
whatever the program's dtype: a central difference in float32 has an error near
``eps_machine / h`` ≈ 1e-7 / 1e-3 that swamps the differences being checked, while
in float64 ``h = 1e-6`` leaves an error near 1e-10, far below the tolerances
(torch.autograd.gradcheck's defaults: atol 1e-5, rtol 1e-3).

``order=2`` checks second derivatives the same way: the Hessian autograd computes
(``create_graph=True``), block by block over every pair of leaves, against central
differences of the gradients the program's own backward passes compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-3

FLOAT32_NOTE = ("the program computes in float32; its gradients are checked in float64 "
                "(the program re-run with float64 as the default dtype and its leaves widened to "
                "float64), because central differences in float32 lose about half of float32's "
                "7 digits to rounding and would flag correct gradients")


@dataclass
class LeafCheck:
    """One row: a leaf's gradient (order 1), or one block of the Hessian (order 2:
    rows the elements of ``name``, columns those of ``wrt``)."""

    name: str
    shape: list
    order: int
    autograd: object               # numpy: the gradient (order 1) or the Hessian block (order 2)
    numeric: object                # numpy: the central differences, same shape
    max_abs_error: float
    max_abs_at: list               # index of the element with the worst absolute error
    max_rel_error: float
    max_rel_at: list
    passed: bool
    calls: list = field(default_factory=list)  # the backward passes checked (1-based); [] for gradcli's own
    wrt: str | None = None         # order 2: the leaf of the block's columns
    site: str = ""                 # where the leaf was made (file:line:column)


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
    unchecked: list = field(default_factory=list)  # (leaf name, why it was not checked)

    @property
    def passed(self) -> bool:
        """Every comparison passed, and there was at least one (checking nothing is no pass)."""
        return bool(self.leaves) and all(c.passed for c in self.leaves)


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
    """Element-wise |autograd - numeric| <= atol + rtol·|numeric|, with the worst elements."""
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
