"""How gradcli computes float32 exp, log, tanh, sin, cos... (one policy, used by the ops and
by the backward formulas).

torch's float32 exp/log/sin/cos/tanh/sqrt/erf... run MKL's VML (HA) at every length: nearly
correctly rounded, but MKL's algorithms are not published (sqrt: 17% of values an ulp off
the IEEE root). numpy's float32 loops are an ulp off about a third of the time, which shows
through ``.item()``, ``.tolist()`` and sometimes a 4-digit print. So a float32 input is
computed in float64 and rounded once, which gives torch's bits for 99.9% of tanh values and
~99% of exp. Kernels built on ``Vectorized<float>`` (sigmoid, exp2, softmax...) use SLEEF on
the elements their vectorized loop takes and libm on the rest: ``split`` / ``vectorized``
emulate that with sleef_f32.py, bit for bit.

That costs 4-9× numpy's float32 SIMD loop, and on a big tensor it buys nothing a user can
see: such tensors print summarized at 4 digits, and they come out of matrix products whose
last bits already differ between torch's BLAS and numpy's. From ``LARGE`` elements on (a
256 × 512 activation), gradcli uses numpy's float32 loops, as hand-written numpy would
(bench workload 3: the float64 tanh was the largest cost after the matrix products).
"""

from __future__ import annotations

import numpy as np

from .sleef_f32 import coshf_u10, exp2f_u10, expf_u10, sinhf_u10
from .summation import _GRAIN, THREADS

LARGE = 1 << 17
# The SLEEF emulations (exact float32 FMAs, in float64) cost 20-60× numpy's own loop: a
# 256 × 256 mish forward and backward took 65 ms where torch takes well under one. They give
# torch's bits up to ``EXACT`` elements (a 128 × 128 tensor); past it every element takes
# the kernel's scalar (libm) route, as on torch's tail elements.
EXACT = 1 << 14


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


# -- torch's cpu_kernel_vec: which elements take the Vectorized path ----------------------

# at::internal::GRAIN_SIZE (below it a kernel runs in one thread) and torch's thread count:
# one model of torch's parallel split, shared with the reductions
GRAIN, _THREADS = _GRAIN, THREADS


def _order(d: np.ndarray) -> list:
    """The axes of ``d`` (size 1 left out), outermost first, as TensorIterator reorders them:
    an insertion sort by stride where a 0 stride (broadcast) compares as a tie."""
    perm = [i for i in reversed(range(d.ndim)) if d.shape[i] != 1]  # innermost first
    st, n = d.strides, d.shape
    for i in range(1, len(perm)):
        j = i
        for k in range(i - 1, -1, -1):
            a, b = st[perm[k]], st[perm[j]]
            if a == 0 or b == 0 or (a == b and n[perm[k]] <= n[perm[j]]):
                continue  # ambiguous: look further out
            if a < b:
                break
            perm[k], perm[j] = perm[j], perm[k]
            j = k
    return perm[::-1]


def vectorized(d: np.ndarray, width: int = 16) -> np.ndarray:
    """Mask of the elements of ``d`` that torch's cpu_kernel_vec computes 16 floats (``width``:
    8 doubles) at a time: each call of its inner loop (a run of the coalesced innermost
    dimensions, when their stride is 0 or 1 element) vectorizes all but the last ``n % 16``; a
    strided input and a 0-d tensor go through the scalar function. One run of ``GRAIN``+
    elements is split over threads, each chunk with its own tail."""
    mask = np.zeros(d.shape, bool)
    perm = _order(d)
    if not perm or d.strides[perm[-1]] not in (0, d.itemsize):
        return mask
    run, stride = d.shape[perm[-1]], d.strides[perm[-1]]
    for ax in reversed(perm[:-1]):
        if d.strides[ax] != stride * run:  # not coalescable: the run ends here
            break
        run *= d.shape[ax]
    if run < width:
        return mask
    full = perm + [i for i in range(d.ndim) if i not in perm]  # size-1 axes last
    m = np.zeros(d.size // run * run, bool).reshape(-1, run)
    chunk = run
    if m.shape[0] == 1 and run >= GRAIN:
        chunk = -(-run // min(_THREADS, -(-run // GRAIN)))
    for b in range(0, run, chunk):
        m[:, b:b + (min(run, b + chunk) - b) // width * width] = True
    return m.reshape([d.shape[i] for i in full]).transpose(np.argsort(full))


def vector_lanes(d) -> np.ndarray:
    """``vectorized`` for a float32 or float64 array (AVX2: 16 floats or 8 doubles a step); a
    Tensor (a create_graph pass) by its array. Some kernels treat nan or a signed zero in their
    Vectorized branch otherwise than in their scalar loop: this says which element took which."""
    d = getattr(d, "_data", d)
    if not isinstance(d, np.ndarray) or d.dtype not in (np.float32, np.float64):
        return np.zeros(np.shape(d), bool)
    return vectorized(d, 16 if d.dtype == np.float32 else 8)


def at_vector_nans(out, grad, x, value, F):
    """``out`` of a (grad, x) backward kernel, with ``value`` where x is nan and its Vectorized
    branch took the element (hardtanh's gives 0 there, elu's and hardswish's nan, where the
    scalar loop passes grad). Only when grad and x are laid out alike, as ``split2`` assumes."""
    xd, gd = getattr(x, "_data", x), getattr(grad, "_data", grad)
    if not (isinstance(xd, np.ndarray) and isinstance(gd, np.ndarray) and xd.dtype.kind == "f"
            and gd.shape == xd.shape and gd.strides == xd.strides and np.isnan(xd).any()):
        return out
    nans = np.isnan(xd) & vector_lanes(xd)
    return F.where(nans, value, out) if nans.any() else out


def split(d: np.ndarray, scalar, vector) -> np.ndarray:
    """A float32 kernel as torch's cpu_kernel_vec runs it: ``vector`` (a SLEEF emulation) on
    the elements its vectorized loop takes, ``scalar`` (libm's function) on the others. From
    ``EXACT`` elements on, ``scalar`` alone (the emulation's cost, above)."""
    out = scalar(d)
    if 16 <= d.size < EXACT:
        vec = vectorized(d)
        if vec.any():
            out[vec] = vector(d[vec])
    return out


# glibc's expf (the scalar ``std::exp`` of torch's kernels): x·32/ln 2 = k + r, 2^(k/32) from a
# table, a cubic in r, all in float64, rounded once to float32. Not always the correctly
# rounded exp (0.05% of normal inputs differ), so it is emulated, with glibc's published
# constants (2^(i/32) rounded to double, its polynomial's three coefficients).
_EXPF_N = 32
_EXPF_TAB = ((np.exp2(np.arange(_EXPF_N) / _EXPF_N)).view(np.uint64)
             - (np.arange(_EXPF_N, dtype=np.uint64) << np.uint64(52)) // np.uint64(_EXPF_N))
_EXPF_C = (float.fromhex("0x1.c6af84b912394p-5") / _EXPF_N ** 3, float.fromhex("0x1.ebfce50fac4f3p-3") / _EXPF_N ** 2,
           float.fromhex("0x1.62e42ff0c52d6p-1") / _EXPF_N)
_EXPF_INV_LN2N = float.fromhex("0x1.71547652b82fep+0") * _EXPF_N
_EXPF_SHIFT = float.fromhex("0x1.8p+52")


def expf(d: np.ndarray) -> np.ndarray:
    """glibc's float32 ``expf``, bit for bit."""
    xd = np.asarray(d, np.float32).astype(np.float64)
    with np.errstate(all="ignore"):
        z = _EXPF_INV_LN2N * xd
        kd = z + _EXPF_SHIFT
        ki = kd.view(np.uint64)
        r = z - (kd - _EXPF_SHIFT)
        s = (_EXPF_TAB[ki % np.uint64(_EXPF_N)] + (ki << np.uint64(47))).view(np.float64)
        y = (_EXPF_C[0] * r + _EXPF_C[1]) * (r * r) + (_EXPF_C[2] * r + 1)
        y = (y * s).astype(np.float32)
        y = np.where(xd > float.fromhex("0x1.62e42ep6"), np.float32(np.inf), y)
        y = np.where(xd < float.fromhex("-0x1.9fe368p6"), np.float32(0), y)
        return np.where(np.isnan(xd), xd.astype(np.float32), y)


def _sigmoid_scalar(d):
    with np.errstate(over="ignore"):
        return np.float32(1) / (np.float32(1) + expf(-d))


def sigmoid(d: np.ndarray) -> np.ndarray:
    """torch's float32 sigmoid: ``1 / (1 + exp(-x))``, SLEEF's expf_u10 on vectorized elements."""
    return split(d, _sigmoid_scalar, lambda v: np.float32(1) / (expf_u10(-v) + np.float32(1)))


def exp2(d: np.ndarray) -> np.ndarray:
    """torch's float32 exp2: SLEEF's exp2f_u10 on vectorized elements, glibc's exp2f (as
    numpy's float32 loop) on the rest."""
    return split(d, np.exp2, exp2f_u10)


def sinh(d: np.ndarray) -> np.ndarray:
    """torch's sinh: SLEEF's sinhf_u10 on vectorized float32 elements, libm's on the rest."""
    return split(d, np.sinh, sinhf_u10) if d.dtype == np.float32 else np.sinh(d)


def cosh(d: np.ndarray) -> np.ndarray:
    """torch's cosh: SLEEF's coshf_u10 on vectorized float32 elements, libm's on the rest."""
    return split(d, np.cosh, coshf_u10) if d.dtype == np.float32 else np.cosh(d)


def pow_scalar(d: np.ndarray, e: float) -> np.ndarray:
    """torch's float32 ``pow(x, e)`` for a Python number ``e`` not computed as products/roots:
    the scalar loop is ``std::pow(float, double)`` (the double result rounded once); the
    vectorized run is SLEEF's powf with ``e`` cast to float, here the correctly rounded value
    of that (~98% of SLEEF's bits). numpy's float32 loop rounds ``e`` and the result."""
    with np.errstate(all="ignore"):
        if d.size >= LARGE:
            return np.power(d, np.float32(e))
        return split(d, lambda x: np.power(x.astype(np.float64), float(e)).astype(np.float32),
                     lambda v: np.power(v.astype(np.float64), float(np.float32(e))).astype(np.float32))


def inner_chunks(outer: int, inner: int, threads: int = _THREADS) -> np.ndarray:
    """(outer, inner) mask of the positions torch's non-last-dim softmax kernel takes 8 at a
    time through SLEEF: it splits the outer×inner positions evenly over its threads (even a
    tiny tensor), and each thread vectorizes every run of one outer index, but for its last
    ``len % 8``, which go through libm's exp (measured on 2 threads)."""
    mask = np.zeros((outer, inner), bool)
    n = outer * inner
    chunk = -(-n // max(1, min(threads, n)))
    for b in range(0, n, chunk):
        i, end = b, min(n, b + chunk)
        while i < end:
            o, j0 = divmod(i, inner)
            j1 = min(inner, j0 + end - i)
            mask[o, j0:j0 + (j1 - j0) // 8 * 8] = True
            i += j1 - j0
    return mask
