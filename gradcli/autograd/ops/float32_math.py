"""How gradcli computes float32 exp, log, tanh, sin, cos... (one policy, used by the ops and
by the backward formulas).

torch's float32 kernels for these functions are correctly rounded, or nearly (SLEEF u10);
numpy's float32 loops are an ulp off about a third of the time, which shows through
``.item()``, ``.tolist()`` and sometimes a 4-digit print. So a float32 input is computed in
float64 and rounded once, which gives torch's bits for 99.9% of tanh values and ~99% of exp.

That costs 4-9× numpy's float32 SIMD loop, and on a big tensor it buys nothing a user can
see: such tensors print summarized at 4 digits, and they come out of matrix products whose
last bits already differ between torch's BLAS and numpy's. From ``LARGE`` elements on (a
256 × 512 activation), gradcli uses numpy's float32 loops, as hand-written numpy would
(bench workload 3: the float64 tanh was the largest cost after the matrix products).
"""

from __future__ import annotations

import numpy as np

LARGE = 1 << 17


def via_float64(fn, d: np.ndarray) -> np.ndarray:
    """``fn(d)`` for a float32 ``d``: through float64 and rounded once, or for a big ``d``
    numpy's own float32 loop (see the module's docstring)."""
    if d.size >= LARGE:
        return fn(d)
    return fn(d.astype(np.float64)).astype(np.float32)


def one_minus_square(y: np.ndarray) -> np.ndarray:
    """1 - y·y for tanh's derivative: torch's kernel fuses it (exact, rounded once)."""
    if y.dtype == np.float32:
        if y.size >= LARGE:
            return np.float32(1) - y * y
        return (1.0 - np.square(y.astype(np.float64))).astype(np.float32)
    if y.dtype == np.float64:
        return (1.0 - np.square(y.astype(np.longdouble))).astype(np.float64)
    return 1 - y * y
