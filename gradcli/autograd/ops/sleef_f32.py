"""SLEEF's float32 kernels as torch's AVX2 ``Vectorized<float>`` runs them, in numpy.

torch computes ``exp`` inside its vectorized CPU kernels (sigmoid, softmax...) with SLEEF's
``expf_u10``: a Cody-Waite reduction by ln 2 and a degree-6 polynomial, every multiply-add
an FMA (one rounding). The algorithm and its constants are SLEEF's published ones; the code
is ours. An FMA is emulated in float64: the float32 product is exact there, and the one case
where rounding the float64 sum to float32 differs from rounding the exact sum (the float64
sum lands on a float32 midpoint) is corrected with the sum's exact error.
"""

from __future__ import annotations

import numpy as np

f32, f64 = np.float32, np.float64

R_LN2F = f32(1.4426950408889634)
L2UF = f32(0.693145751953125)  # ln 2, upper bits (exact product with q)
L2LF = f32(1.428606765330187045e-06)  # ln 2 - L2UF
EXPF_COEFFS = tuple(f32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
    0.0416664853692054748535156, 0.166666671633720397949219, 0.5))


def fma32(a, b, c) -> np.ndarray:
    """float32 ``a*b + c`` rounded once."""
    p = np.asarray(a, f64) * np.asarray(b, f64)
    c = np.asarray(c, f64)
    s = p + c
    mid = (s.view(np.uint64) & 0x1FFFFFFF) == 0x10000000  # a float32 midpoint (or exact tail)
    if mid.any():
        bb = s - p
        err = (p - (s - bb)) + (c - bb)  # TwoSum: s + err == p + c exactly
        s = np.where(mid & (err != 0), np.nextafter(s, s + err), s)
    return s.astype(f32)


def _pow2(e: np.ndarray) -> np.ndarray:
    """2**e as float32 from its bits (SLEEF's vpow2i: no range check)."""
    return (((e + 0x7F) << 23) & 0xFFFFFFFF).astype(np.uint32).view(f32)


def expf_u10(d: np.ndarray) -> np.ndarray:
    """SLEEF ``expf_u10`` of a float32 array, bit for bit."""
    d = np.asarray(d, f32)
    with np.errstate(all="ignore"):
        qf = np.rint(d * R_LN2F)  # cvtps2dq: round half even, out of range / nan -> INT_MIN
        bad = ~(np.abs(qf) < f32(2.0 ** 31))
        q = np.where(bad, -(2 ** 31), qf).astype(np.int64)
        qf = q.astype(f32)
        s = fma32(qf, -L2UF, d)
        s = fma32(qf, -L2LF, s)
        u = np.full(d.shape, EXPF_COEFFS[0], f32)
        for c in EXPF_COEFFS[1:]:
            u = fma32(u, s, c)
        u = f32(1) + fma32(s * s, u, s)
        h = q >> 1  # ldexp in two steps, as SLEEF's vldexp2
        u = u * _pow2(h) * _pow2(q - h)
        u = np.where(d < f32(-104), f32(0), u)
        u = np.where(d > f32(100), f32(np.inf), u)
    return u.astype(f32, copy=False)


EXP2F_COEFFS = tuple(f32(c) for c in (
    0.1535920892e-3, 0.1339262701e-2, 0.9618384764e-2, 0.5550347269e-1, 0.2402264476e+0, 0.6931471825e+0))


def exp2f_u10(d: np.ndarray) -> np.ndarray:
    """SLEEF ``exp2f_u10`` of a float32 array, bit for bit: 2^round(d) times a degree-7
    polynomial in the remainder, its last step an FMA with 1."""
    d = np.asarray(d, f32)
    with np.errstate(all="ignore"):
        u = np.rint(d)
        bad = ~(np.abs(u) < f32(2.0 ** 31))
        q = np.where(bad, -(2 ** 31), u).astype(np.int64)
        s = d - u
        p = np.full(d.shape, EXP2F_COEFFS[0], f32)
        for c in EXP2F_COEFFS[1:]:
            p = fma32(p, s, c)
        p = fma32(p, s, f32(1))
        h = q >> 1
        p = p * _pow2(h) * _pow2(q - h)
        p = np.where(d >= f32(128), f32(np.inf), p)
        p = np.where(d < f32(-150), f32(0), p)
    return p.astype(f32, copy=False)


# double-float helpers of SLEEF's u10 functions: a value is a pair (hi, lo) of float32 arrays


def _two_sum(x, y):  # dfadd2: s + t == x + y exactly
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _fmapn(x, y, z):  # x*y - z, one rounding
    return fma32(x, y, -np.asarray(z, f32))


def _fmanp(x, y, z):  # z - x*y, one rounding
    return fma32(-np.asarray(x, f32), y, z)


def logf_u10(d: np.ndarray) -> np.ndarray:
    """SLEEF ``logf_u1`` (torch's ``Vectorized<float>::log``) of a float32 array, bit for bit:
    log(m) + e·ln 2 with m in [0.75, 1.5), through atanh((m-1)/(m+1)) in double-float."""
    d = np.asarray(d, f32)
    with np.errstate(all="ignore"):
        o = d < np.finfo(f32).tiny
        dd = np.where(o, d * f32(2.0 ** 64), d)
        e = ((dd * f32(1 / 0.75)).view(np.uint32).astype(np.int64) >> 23 & 0xFF) - 0x7F
        m = (dd.view(np.uint32).astype(np.int64) - (e << 23)).astype(np.uint32).view(f32)
        e = np.where(o, e - 64, e).astype(f32)
        lhi, llo = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)
        sx = lhi * e
        sy = fma32(llo, e, _fmapn(lhi, e, sx))
        nx, ny = _two_sum(f32(-1), m)
        dx, dy = _two_sum(f32(1), m)
        t = f32(1) / dx  # dfdiv with FMA
        xx = nx * t
        u = _fmapn(t, nx, xx)
        v = _fmanp(dy, t, _fmanp(dx, t, f32(1)))
        xy = fma32(xx, v, fma32(ny, t, u))
        x2 = xx * xx
        p = fma32(f32(0.3027294874), x2, f32(0.3996108174))
        p = fma32(p, x2, f32(0.6666694880))
        s = sx + xx * f32(2)  # dfadd(s, 2x), |s| >= |2x|
        sy = (((sx - s) + xx * f32(2)) + sy) + xy * f32(2)
        sx = s
        y = (x2 * xx) * p
        s = sx + y
        sy = ((sx - s) + y) + sy
        r = s + sy
        r = np.where(d == np.inf, f32(np.inf), r)
        r = np.where((d < 0) | np.isnan(d), f32(np.nan), r)
        r = np.where(d == 0, f32(-np.inf), r)
    return r.astype(f32, copy=False)
