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

from .backends import erf_array
from .float32_math import LARGE, expf, split, vectorized
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


def split2(a: np.ndarray, b: np.ndarray, scalar, vector) -> np.ndarray:
    """A two-operand float32 kernel (``scalar(a, b)`` / ``vector(a, b)``) as cpu_kernel_vec runs
    it; ``a`` and ``b`` have one shape."""
    with np.errstate(all="ignore"):
        out = scalar(a, b)
        if 16 <= a.size < LARGE and a.strides == b.strides:
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


def elu_backward(dy, x, alpha, scale, input_scale):
    neg, pos, ipt = _elu_coefs(alpha, scale, input_scale)

    def kernel(exp):
        return lambda a, b: np.where(b <= 0, a * ipt * neg * exp(b * ipt), a * pos)
    return split2(dy, x, kernel(_exp), kernel(expf_u10))


# -- log_sigmoid: every element through SLEEF (partial vectors, no scalar tail) -----------


def log_sigmoid_buffer(d):
    """exp(-|x|), the buffer torch's log_sigmoid forward saves for its backward."""
    with np.errstate(all="ignore"):
        return (expf if d.size >= LARGE else expf_u10)(-np.abs(d))  # LARGE: see float32_math


def log_sigmoid(d):
    with np.errstate(all="ignore"):
        return np.minimum(d, f32(0)) - (_log1p if d.size >= LARGE else log1pf_u10)(log_sigmoid_buffer(d))


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


def _erf(d):  # glibc's erff, as the correctly rounded erf
    return erf_array(d.astype(np.float64)).astype(f32)


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
