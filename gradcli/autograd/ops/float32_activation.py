"""torch's float32 CPU activation kernels (silu, softplus, elu, log_sigmoid, mish, gelu...) and
their backward kernels, bit for bit.

Each is a ``cpu_kernel_vec`` kernel: a scalar function (libm: glibc's expf, expm1f, log1pf,
tanhf, erff) on the elements the vectorized loop leaves out, and a ``Vectorized<float>``
function (SLEEF, sleef_f32.py; torch's own erf) on the others, ``float32_math.split``. The
formulas keep torch's order of operations: float32 arithmetic is not associative.
Backward kernels take two operands; their vectorized run is the input's when both share a
layout, else (a broadcast or transposed gradient) every element takes the scalar path.
"""

from __future__ import annotations

import numpy as np

from .float32_math import EXACT, expf, split, vectorized
from .sleef_f32 import expf_u10, expm1f_u10, fma32, log1pf_u10, tanhf_u10

f32 = np.float32
ONE = f32(1)


_exp = expf  # glibc's


def _expm1(d):  # glibc's expm1f (numpy's float32 loop calls it)
    return np.expm1(d)


def _log1p(d):  # glibc's log1pf
    return np.log1p(d)


def _tanh(d):
    """glibc's tanhf (fdlibm's: through expm1f of 2|x|, 1 - 2/(t+2) from |x| = 1 on)."""
    a = np.abs(d)
    with np.errstate(all="ignore"):
        t = np.expm1(f32(2) * a)
        z = np.where(a >= 1, ONE - f32(2) / (t + f32(2)), 0)
        t = np.expm1(f32(-2) * a)
        z = np.where(a >= 1, z, -t / (t + f32(2)))
        z = np.where(a >= f32(22), ONE, z)
        z = np.where(a < f32(2.0 ** -55), d * (ONE + d), z)  # ±0 and tiny: x
    return np.where(np.isnan(d), d, np.copysign(z, d)).astype(f32, copy=False)


def applies(grad, x) -> bool:
    """A first-order pass over float32 arrays of one shape: torch's float32 kernel applies."""
    return (isinstance(x, np.ndarray) and isinstance(grad, np.ndarray) and x.dtype == np.float32
            and grad.dtype == np.float32 and grad.shape == x.shape)


def split2(a: np.ndarray, b: np.ndarray, scalar, vector) -> np.ndarray:
    """A two-operand float32 kernel (``scalar(a, b)`` / ``vector(a, b)``) as cpu_kernel_vec runs
    it; ``a`` and ``b`` have one shape."""
    with np.errstate(all="ignore"):
        out = scalar(a, b)
        if 16 <= a.size < EXACT and a.strides == b.strides:
            vec = vectorized(b)
            if vec.any():
                out[vec] = vector(a[vec], b[vec])
    return out


def _errstate(fn):
    def run(*args):
        with np.errstate(all="ignore"):
            return fn(*args)
    return run


# -- silu -------------------------------------------------------------------------------


def silu(d):
    return _errstate(split)(d, lambda x: x / (ONE + _exp(-x)), lambda x: x / (ONE + expf_u10(-x)))


def _silu_grad(exp):
    def grad(dy, x):
        s = ONE / (ONE + exp(-x))
        return dy * s * fma32(x, ONE - s, ONE)  # torch's build contracts 1 + x·(1-s)
    return grad


def silu_backward(dy, x):
    return split2(dy, x, _silu_grad(_exp), _silu_grad(expf_u10))


# -- softplus ---------------------------------------------------------------------------


def softplus(d, beta, threshold):
    beta, threshold = f32(beta), f32(threshold)

    def kernel(log1p, exp):
        return lambda x: np.where(x * beta > threshold, x, log1p(exp(x * beta)) / beta)
    return _errstate(split)(d, kernel(_log1p, _exp), kernel(log1pf_u10, expf_u10))


def softplus_backward(dy, x, beta, threshold):
    beta, threshold = f32(beta), f32(threshold)

    def kernel(exp):
        def grad(a, b):
            z = exp(b * beta)
            return np.where(b * beta > threshold, a, a * z / (z + ONE))
        return grad
    return split2(dy, x, kernel(_exp), kernel(expf_u10))


# -- elu, selu, celu --------------------------------------------------------------------


def _elu_coefs(alpha, scale, input_scale):
    return f32(alpha) * f32(scale), f32(scale), f32(input_scale)


def elu(d, alpha, scale, input_scale):
    neg, pos, ipt = _elu_coefs(alpha, scale, input_scale)

    def kernel(expm1):
        return lambda a: np.where(a < 0, expm1(a * ipt) * neg, a * pos)  # ±0: x·scale, as torch
    return _errstate(split)(d, kernel(_expm1), kernel(expm1f_u10))


def elu_backward_of_result(grad, result, alpha, scale, input_scale, F):
    """elu_backward(is_result=True) of elu_/selu_/celu_: grad·input_scale·(result + alpha·scale)
    (no exp: the vectorized and scalar paths agree), in any dtype and backend."""
    if isinstance(result, np.ndarray) and result.dtype == np.float32:  # torch's float32 coefficients
        neg, pos, ipt = _elu_coefs(alpha, scale, input_scale)
    else:
        neg, pos, ipt = alpha * scale, scale, input_scale
    return F.where(result <= 0, grad * ipt * (result + neg), grad * pos)


def elu_backward(dy, x, alpha, scale, input_scale):
    neg, pos, ipt = _elu_coefs(alpha, scale, input_scale)

    def kernel(exp):
        return lambda a, b: np.where(b <= 0, a * ipt * neg * exp(b * ipt), a * pos)
    return split2(dy, x, kernel(_exp), kernel(expf_u10))


# -- log_sigmoid: every element through SLEEF (partial vectors, no scalar tail) -----------


def log_sigmoid_buffer(d):
    """exp(-|x|), the buffer torch's log_sigmoid forward saves for its backward."""
    with np.errstate(all="ignore"):
        return (expf if d.size >= EXACT else expf_u10)(-np.abs(d))  # EXACT: see float32_math


def log_sigmoid(d):
    with np.errstate(all="ignore"):
        return np.minimum(d, f32(0)) - (_log1p if d.size >= EXACT else log1pf_u10)(log_sigmoid_buffer(d))


def log_sigmoid_backward(dy, x):
    b = log_sigmoid_buffer(x)
    with np.errstate(all="ignore"):
        q = b / (ONE + b)
        return np.where(x < 0, ONE - q, q) * dy


# -- mish -------------------------------------------------------------------------------


def mish(d):
    def kernel(tanh, log1p, exp):
        return lambda x: x * tanh(log1p(exp(x)))
    return _errstate(split)(d, kernel(_tanh, _log1p, _exp), kernel(tanhf_u10, log1pf_u10, expf_u10))


def mish_backward(dy, x):
    def kernel(tanh, log1p, exp):
        def grad(dy, x):
            s = ONE / (ONE + exp(-x))
            t = tanh(log1p(exp(x)))
            return dy * fma32(x * s, fma32(-t, t, ONE), t)
        return grad
    return split2(dy, x, kernel(_tanh, _log1p, _exp), kernel(tanhf_u10, log1pf_u10, expf_u10))


# -- gelu -------------------------------------------------------------------------------

_ERF_P = f32(0.3275911)
_ERF_A = tuple(f32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def erf_vec(x):
    """torch's ``Vectorized<float>::erf``: Abramowitz-Stegun 7.1.26,
    sign(x)·(1 - t·r(t)·exp(-x²)) with t = 1/(1 + p|x|), SLEEF's exp, FMAs where torch has them."""
    with np.errstate(all="ignore"):
        a = np.abs(x)
        t = ONE / fma32(_ERF_P, a, ONE)
        r = np.full(x.shape, _ERF_A[0], f32)
        for c in _ERF_A[1:]:
            r = fma32(r, t, c)
        e = -expf_u10(-(x * x))
        return np.copysign(fma32(e * t, r, ONE), x)


_SQRT_HALF = f32(0.7071067811865476)
_HALF = f32(0.5)


def gelu(d):
    """gelu(approximate='none'): oneDNN's kernel for a contiguous input of 2+ elements (torch's
    use_mkldnn), else torch's cpu_kernel_vec (its Vectorized erf / libm's erff)."""
    if onednn_applies(d):
        return onednn_gelu(d)

    def kernel(erf):
        return lambda x: x * _HALF * (ONE + erf(x * _SQRT_HALF))
    return _errstate(split)(d, kernel(_erf), kernel(erf_vec))


_GELU_BETA = f32(1.1283791670955126 * 0.7071067811865476 * 0.5)  # 1/sqrt(2π)


def gelu_backward(dy, x):
    """torch's cpu_kernel_vec gelu_backward (inputs oneDNN does not take): dy·(cdf + x·pdf),
    the sum fused on the vectorized run, not on the scalar one (measured)."""
    def kernel(erf, exp, fused):
        def grad(dy, x):
            cdf = _HALF * (ONE + erf(x * _SQRT_HALF))
            pdf = _GELU_BETA * exp(x * x * f32(-0.5))
            return dy * (fma32(x, pdf, cdf) if fused else cdf + x * pdf)
        return grad
    return split2(dy, x, kernel(_erf, _exp, False), kernel(erf_vec, expf_u10, True))


def onednn_applies(x) -> bool:
    """torch's use_mkldnn: gelu/gelu_backward of a contiguous float32 input of 2+ elements run
    oneDNN's eltwise kernel."""
    return x.size > 1 and x.flags.c_contiguous


# -- oneDNN's AVX2 eltwise kernels (torch's gelu through ideep): its own exp, its A&S erf ---


def _bits(u):
    return np.array([u], np.uint32).view(f32)[0]


_DNNL_LOG2E, _DNNL_LN2 = _bits(0x3fb8aa3b), _bits(0x3f317218)
_DNNL_MAX_X, _DNNL_MIN_X = _bits(0x42b17218), _bits(0xc2aeac50)  # ln FLT_MAX, ln FLT_MIN
_DNNL_EXP_POL = tuple(_bits(u) for u in (0x3c07cfce, 0x3d2b9d0d, 0x3e2aad40, 0x3efffee3, 0x3f7ffffb))
_DNNL_ONE_OVER_SQRT_PI = f32(0.5641895835477563)


def onednn_exp(x):
    """oneDNN's jit exp: n = floor(x·log2 e + 1/2), r = x - n·ln 2 (fused), a degree-5
    polynomial by FMAs, times 2^(n-1)·2; 0 below ln FLT_MIN."""
    with np.errstate(all="ignore"):
        zero = x < _DNNL_MIN_X
        x = np.maximum(np.minimum(x, _DNNL_MAX_X), _DNNL_MIN_X)
        fx = np.floor(x * _DNNL_LOG2E + _HALF)
        r = fma32(-fx, _DNNL_LN2, x)
        n = (fx - ONE).astype(np.int64)
        p2 = np.where(zero, f32(0), (((n + 127) << 23) & 0xFFFFFFFF).astype(np.uint32).view(f32))
        p = np.full(x.shape, _DNNL_EXP_POL[0], f32)
        for c in _DNNL_EXP_POL[1:] + (ONE,):
            p = fma32(p, r, c)
        return p * p2 * f32(2)


def _dnnl_erf(x, minus_exp):
    """sign(x)·(1 - t·r(t)·exp(-x²)) as oneDNN orders it, given -exp(-x²)."""
    t = ONE / fma32(_ERF_P, np.abs(x), ONE)
    r = np.full(x.shape, _ERF_A[0], f32)
    for c in _ERF_A[1:]:
        r = fma32(r, t, c)
    return np.copysign(fma32(minus_exp * t, r, ONE), x)


def onednn_gelu(s):
    with np.errstate(all="ignore"):
        x = s * _SQRT_HALF
        erf = _dnnl_erf(x, -onednn_exp(-(x * x)))
        half = s * _HALF
        return fma32(erf, half, half)


def onednn_gelu_derivative(s):
    """oneDNN's gelu_erf derivative as published (P + erf/2, P = 1/2 + x·exp(-x²)/sqrt(pi)):
    torch's gradient differs from it in ~19% of values by 1-2 ulps; closer than the float64
    formula (65%), so used, but not bit-exact (see tests/difftest_findings.md)."""
    with np.errstate(all="ignore"):
        x = s * _SQRT_HALF
        q = onednn_exp(-(x * x))
        t = x * _DNNL_ONE_OVER_SQRT_PI * q
        erf = _dnnl_erf(x, -q)
        return fma32(erf, _HALF, t + _HALF)


def _f32s(*values):
    return tuple(f32(v) for v in values)


# glibc 2.36's erff is fdlibm's (float arithmetic, no FMA): its published coefficients
_ERFF_PP = _f32s(1.2837916613e-01, -3.2504209876e-01, -2.8481749818e-02, -5.7702702470e-03, -2.3763017452e-05)
_ERFF_QQ = _f32s(3.9791721106e-01, 6.5022252500e-02, 5.0813062117e-03, 1.3249473704e-04, -3.9602282413e-06)
_ERFF_PA = _f32s(-2.3621185683e-03, 4.1485610604e-01, -3.7220788002e-01, 3.1834661961e-01, -1.1089469492e-01,
                 3.5478305072e-02, -2.1663755178e-03)
_ERFF_QA = _f32s(1.0642088205e-01, 5.4039794207e-01, 7.1828655899e-02, 1.2617121637e-01, 1.3637083583e-02,
                 1.1984500103e-02)
_ERFF_RA = _f32s(-9.8649440333e-03, -6.9385856390e-01, -1.0558626175e+01, -6.2375331879e+01, -1.6239666748e+02,
                 -1.8460508728e+02, -8.1287437439e+01, -9.8143291473e+00)
_ERFF_SA = _f32s(1.9651271820e+01, 1.3765776062e+02, 4.3456588745e+02, 6.4538726807e+02, 4.2900814819e+02,
                 1.0863500214e+02, 6.5702495575e+00, -6.0424413532e-02)
_ERFF_RB = _f32s(-9.8649431020e-03, -7.9928326607e-01, -1.7757955551e+01, -1.6063638306e+02, -6.3756646729e+02,
                 -1.0250950928e+03, -4.8351919556e+02)
_ERFF_SB = _f32s(3.0338060379e+01, 3.2579251099e+02, 1.5367296143e+03, 3.1998581543e+03, 2.5530502930e+03,
                 4.7452853394e+02, -2.2440952301e+01)
_ERX, _EFX, _EFX8 = _f32s(8.4506291151e-01, 1.2837916613e-01, 1.0270333290e+00)


def _horner(cs, z, one_plus=False):
    acc = np.full(z.shape, cs[-1], f32)
    for c in cs[-2::-1]:
        acc = c + z * acc
    return ONE + z * acc if one_plus else acc


def _erf(x):
    """glibc's erff (torch's scalar std::erf), bit for bit: odd rational fits below 0.84375,
    erx + P/Q to 1.25, then 1 - exp(-z² - 0.5625)·exp((z-x)(z+x) + R/S)/x with z = x's top
    bits, ±1 from 6 on."""
    x = np.asarray(x, f32)
    with np.errstate(all="ignore"):
        ix = x.view(np.uint32) & 0x7FFFFFFF
        a = np.abs(x)
        z = x * x
        small = x + x * (_horner(_ERFF_PP, z) / _horner(_ERFF_QQ, z, True))
        tiny = np.where(ix < 0x04000000, f32(0.125) * (f32(8) * x + _EFX8 * x), x + _EFX * x)
        s = a - ONE
        pq = _horner(_ERFF_PA, s) / _horner(_ERFF_QA, s, True)
        mid = np.where(x >= 0, _ERX + pq, -_ERX - pq)
        s = ONE / (a * a)
        near = ix < 0x4036DB6E
        r = np.where(near, _horner(_ERFF_RA, s), _horner(_ERFF_RB, s))
        q = np.where(near, _horner(_ERFF_SA, s, True), _horner(_ERFF_SB, s, True))
        zt = (a.view(np.uint32) & 0xFFFFF000).view(f32)
        e = expf(-zt * zt - f32(0.5625)) * expf((zt - a) * (zt + a) + r / q)
        big = np.where(x >= 0, ONE - e / a, e / a - ONE)
        out = np.where(ix < 0x3f580000, np.where(ix < 0x31800000, tiny, small),
                       np.where(ix < 0x3fa00000, mid, np.where(ix >= 0x40c00000, np.copysign(ONE, x), big)))
        return np.where(np.isnan(x), x, out).astype(f32, copy=False)


_BETA = f32(0.7978845608028654)  # sqrt(2/pi)
_KAPPA = f32(0.044715)
_KAPPA3 = f32(3) * _KAPPA


def _gelu_tanh(tanh):
    def kernel(x):
        inner = _BETA * fma32(_KAPPA, x * x * x, x)
        return _HALF * x * (ONE + tanh(inner))
    return kernel


def gelu_tanh(d):
    """gelu(approximate='tanh'): cpu_kernel_vec, glibc's tanhf / SLEEF's tanhf_u10."""
    return _errstate(split)(d, _gelu_tanh(_tanh), _gelu_tanh(tanhf_u10))


def _gelu_tanh_grad(tanh):
    def grad(dy, x):
        x_sq = x * x
        t = tanh(_BETA * fma32(_KAPPA, x_sq * x, x))
        left_derivative = _HALF * (ONE + t)
        inner_derivative = _BETA * fma32(_KAPPA3, x_sq, ONE)
        return dy * (left_derivative + _HALF * x * fma32(-t, t, ONE) * inner_derivative)  # measured
    return grad


def gelu_tanh_backward(dy, x):
    return split2(dy, x, _gelu_tanh_grad(_tanh), _gelu_tanh_grad(tanhf_u10))
