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


_LOW29 = np.uint64(0x1FFFFFFF)  # the float64 bits a float32 rounding drops
_HALF29 = np.uint64(0x10000000)


def fma32(a, b, c) -> np.ndarray:
    """float32 ``a*b + c`` rounded once."""
    p = np.multiply(a, b, dtype=f64)
    s = np.add(p, c, dtype=f64)
    bits = (s if s.ndim else np.atleast_1d(s)).view(np.uint64)
    mid = (bits & _LOW29) == _HALF29  # a float32 midpoint (or exact)
    if np.count_nonzero(mid):
        c = np.asarray(c, f64)
        bb = s - p
        err = (p - (s - bb)) + (c - bb)  # TwoSum: s + err == p + c exactly
        s = np.where(mid.reshape(np.shape(s)) & (err != 0), np.nextafter(s, s + err), s)
    return s.astype(f32)


_SPLIT = f64(134217729.0)  # 2**27 + 1: Veltkamp's splitter for float64


def fma64(a, b, c) -> np.ndarray:
    """float64 ``a*b + c`` rounded once (what torch's AVX2 build contracts ``c - a*b`` into).
    The product is split exactly (TwoProduct), added with TwoSum, and the two small error
    terms summed with rounding to odd, which makes the last addition round as the exact sum
    would (Boldo & Melquiond's FMA emulation). Non-finite results take the plain formula."""
    a, b, c = np.asarray(a, f64), np.asarray(b, f64), np.asarray(c, f64)
    with np.errstate(all="ignore"):
        p = a * b
        ca, cb = _SPLIT * a, _SPLIT * b
        ah, bh = ca - (ca - a), cb - (cb - b)
        al, bl = a - ah, b - bh
        ep = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + ep == a*b exactly
        s = p + c
        v = s - p
        es = (p - (s - v)) + (c - v)  # s + es == p + c exactly
        w = es + ep
        v = w - es
        ew = (es - (w - v)) + (ep - v)  # w + ew == es + ep exactly
        even = (np.atleast_1d(w).view(np.int64) & 1).reshape(np.shape(w)) == 0
        w = np.where((ew != 0) & even, np.nextafter(w, np.where(ew > 0, np.inf, -np.inf)), w)  # to odd
        out = np.where(w == 0, s, s + w)  # s keeps a -0 sum's sign
        bad = ~np.isfinite(out) | ~np.isfinite(ep)
        if np.any(bad):
            out = np.where(bad, p + c, out)
        tiny = np.isfinite(out) & (((np.abs(p) < _TINY) & (a != 0) & (b != 0)) | ((np.abs(out) < _TINY) & (out != 0)))
        if np.any(tiny):  # near underflow the error terms are not exact: the exact sum, rounded once
            out = _fma64_exact(a, b, c, p, out, tiny)
    return out


# below it a product's error term (TwoProduct) can fall under the subnormals, and a result's
# last rounding is on the subnormals' coarser grid (zeros of zero products are exact: skipped)
_TINY = 2.0 ** -960


def _fma64_exact(a, b, c, p, out, where):
    from fractions import Fraction
    shape = np.broadcast_shapes(*(np.shape(x) for x in (a, b, c, p, out, where)))
    a, b, c, p, out, where = (np.broadcast_to(x, shape).reshape(-1) for x in (a, b, c, p, out, where))
    out = out.copy()
    for i in np.flatnonzero(where):
        ab = Fraction(float(a[i])) * Fraction(float(b[i]))
        exact = ab + Fraction(float(c[i]))
        # an exact 0 is +0 unless both terms are zeros (p + c then has IEEE's sign)
        out[i] = float(exact) if exact else (0.0 if ab else float(p[i] + c[i]))
    return out.reshape(shape)


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


# -- the u10 functions built on expk2f: exp of a double-float as a double-float ----------


def _ldexp2(x, q):
    h = q >> 1
    return x * _pow2(h) * _pow2(q - h)


def _expk2f(x):
    """SLEEF's ``expk2f`` of the float32 ``x`` (lo 0): exp(x) as a double-float (hi, lo), its
    polynomial's last steps in double-float arithmetic."""
    with np.errstate(all="ignore"):
        qf = np.rint(x * R_LN2F)
        q = np.where(~(np.abs(qf) < f32(2.0 ** 31)), -(2 ** 31), qf).astype(np.int64)
        qf = q.astype(f32)
        sx, sy = _two_sum(x, qf * -L2UF)  # dfadd2(d, q·-L2U), then q·-L2L
        sx, t = _two_sum(sx, qf * -L2LF)
        sy = t + sy
        u = fma32(f32(0.1980960224e-3), sx, f32(0.1394256484e-2))
        u = fma32(u, sx, f32(0.8333456703e-2))
        u = fma32(u, sx, f32(0.4166637361e-1))
        tx = sx * u  # dfmul(s, u)
        ty = fma32(sy, u, _fmapn(sx, u, tx))
        tx, e = _two_sum(tx, f32(0.166666659414234244790680580464))
        ty = e + ty
        tx, ty = _dfmul2(sx, sy, tx, ty)
        tx, e = _two_sum(tx, f32(0.5))
        ty = e + ty
        qx = sx * sx  # dfsqu(s)
        qy = fma32(sx + sx, sy, _fmapn(sx, sx, qx))
        tx, ty = _dfmul2(qx, qy, tx, ty)
        hx, e = _two_sum(sx, tx)  # dfadd2(s, t)
        tx, ty = hx, e + (sy + ty)
        hx = f32(1) + tx  # dfadd(1, t)
        tx, ty = hx, ((f32(1) - hx) + tx) + ty
        tx, ty = _ldexp2(tx, q), _ldexp2(ty, q)
        low = x < f32(-104)
        tx = np.where(low, f32(0), tx)
        ty = np.where(low, f32(0), ty)
    return tx.astype(f32, copy=False), ty.astype(f32, copy=False)


def _dfmul2(xx, xy, yx, yy):
    s = xx * yx
    return s, fma32(xx, yy, fma32(xy, yx, _fmapn(xx, yx, s)))


def _dfrec2(dx, dy):
    s = f32(1) / dx
    return s, s * _fmanp(dy, s, _fmanp(dx, s, f32(1)))


def _sinh_cosh(x, sign):
    y = np.abs(np.asarray(x, f32))
    with np.errstate(all="ignore"):
        dx, dy = _expk2f(y)
        rx, ry = _dfrec2(dx, dy)
        if sign < 0:  # dfsub(d, rec)
            s = dx - rx
            t = (((dx - s) - rx) + dy) - ry
        else:  # dfadd(d, rec)
            s = dx + rx
            t = (((dx - s) + rx) + dy) + ry
        r = (s + t) * f32(0.5)
        r = np.where((y > f32(89)) | np.isnan(r), f32(np.inf), r)
    return r


def sinhf_u10(x: np.ndarray) -> np.ndarray:
    """SLEEF ``sinhf_u10`` (torch's ``Vectorized<float>::sinh``), bit for bit."""
    x = np.asarray(x, f32)
    r = np.copysign(_sinh_cosh(x, -1), x)
    return np.where(np.isnan(x), x, r).astype(f32, copy=False)


def coshf_u10(x: np.ndarray) -> np.ndarray:
    """SLEEF ``coshf_u10`` (torch's ``Vectorized<float>::cosh``), bit for bit."""
    x = np.asarray(x, f32)
    return np.where(np.isnan(x), x, _sinh_cosh(x, 1)).astype(f32, copy=False)


def expm1f_u10(a: np.ndarray) -> np.ndarray:
    """SLEEF ``expm1f_u10`` (torch's ``Vectorized<float>::expm1``), bit for bit."""
    a = np.asarray(a, f32)
    with np.errstate(all="ignore"):
        dx, dy = _expk2f(a)
        s, e = _two_sum(dx, f32(-1))
        r = s + (e + dy)
        r = np.where(a > f32(88.72283172607421875), f32(np.inf), r)
        r = np.where(a < f32(-16.635532333438687426013570), f32(-1), r)
        r = np.where((a == 0) & np.signbit(a), f32(-0.0), r)
        r = np.where(np.isnan(a), a, r)
    return r.astype(f32, copy=False)


def _dfdiv(nx, ny, dx, dy):  # dfdiv with FMA
    t = f32(1) / dx
    s = nx * t
    u = _fmapn(t, nx, s)
    v = _fmanp(dy, t, _fmanp(dx, t, f32(1)))
    return s, fma32(s, v, fma32(ny, t, u))


def tanhf_u10(x: np.ndarray) -> np.ndarray:
    """SLEEF ``tanhf_u10`` (torch's ``Vectorized<float>::tanh``), bit for bit:
    (e - 1/e) / (e + 1/e) in double-float, e = exp(|x|)."""
    x = np.asarray(x, f32)
    y = np.abs(x)
    with np.errstate(all="ignore"):
        dx, dy = _expk2f(y)
        ex, ey = _dfrec2(dx, dy)
        nx = dx - ex  # dfadd(d, -e)
        ny = (((dx - nx) - ex) + dy) - ey
        px = dx + ex
        py = (((dx - px) + ex) + dy) + ey
        qx, qy = _dfdiv(nx, ny, px, py)
        r = qx + qy
        r = np.where((y > f32(8.664339742)) | np.isnan(r), f32(1), r)
        r = np.copysign(r, x)
        r = np.where(np.isnan(x), x, r)
    return r.astype(f32, copy=False)


LOG1PF_BOUND = f32(1.0e38)


def log1pf_u10(d: np.ndarray) -> np.ndarray:
    """SLEEF ``log1pf_u10`` (torch's ``Vectorized<float>::log1p``), bit for bit: m = (1+d)/2^e
    formed as d·2^-e + (2^-e - 1), log(m) through atanh(m/(2+m)) in double-float."""
    d = np.asarray(d, f32)
    with np.errstate(all="ignore"):
        dp1 = d + f32(1)
        o = dp1 < np.finfo(f32).tiny
        dp1 = np.where(o, dp1 * f32(2.0 ** 64), dp1)
        e = ((dp1 * f32(1 / 0.75)).view(np.uint32).astype(np.int64) >> 23 & 0xFF) - 0x7F
        t = (((0x7F - e) << 23) & 0xFFFFFFFF).astype(np.uint32).view(f32)  # 2^-e (ldexp3 of 1)
        m = fma32(d, t, t - f32(1))
        e = np.where(o, e - 64, e).astype(f32)
        lhi, llo = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)
        sx = lhi * e  # dfmul((lhi, llo), e)
        sy = fma32(llo, e, _fmapn(lhi, e, sx))
        ax = f32(2) + m  # dfadd(2, m)
        ay = (f32(2) - ax) + m
        xx, xy = _dfdiv(m, f32(0), ax, ay)
        x2 = xx * xx
        p = fma32(f32(0.3027294874), x2, f32(0.3996108174))
        p = fma32(p, x2, f32(0.6666694880))
        s = sx + xx * f32(2)  # dfadd(s, 2x)
        sy = (((sx - s) + xx * f32(2)) + sy) + xy * f32(2)
        sx = s
        y = (x2 * xx) * p  # dfadd(s, y)
        s = sx + y
        sy = ((sx - s) + y) + sy
        r = s + sy
        big = ~(d <= LOG1PF_BOUND)
        if big.any():
            r = np.where(big, logf_u10(d), r)
        r = np.where(d < f32(-1), f32(np.nan), r)
        r = np.where(d == f32(-1), f32(-np.inf), r)
        r = np.where((d == 0) & np.signbit(d), f32(-0.0), r)
    return r.astype(f32, copy=False)
