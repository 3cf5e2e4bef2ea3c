"""The backwards of layer_norm and batch_norm (training), as torch computes them: first
derivatives by torch's CPU kernel formulas on arrays, recorded under ``create_graph`` as
NativeLayerNormBackwardBackward0 / NativeBatchNormBackwardBackward0 nodes whose own formulas
(the second derivatives, written in F ops) give every higher order.

Notation per normalized group (a row of layer_norm, a channel of batch_norm; means over
``dims``): x̂ = (x − mean)·r, r = 1/sqrt(var + eps), h = grad_output·weight, and
P(v) = r·(v − mean(v) − x̂·mean(v·x̂)), so grad_input = P(h) and grad_weight = Σ grad_output·x̂.
"""

from __future__ import annotations

import numpy as np

from .registry import backward_op


def _wide(*arrays):
    """float32 arrays in float64: the kernels' formulas round once at the end."""
    return [None if a is None else np.asarray(a, dtype=np.float64) for a in arrays]


def ln_input_kernel(dy, x, w, mean, rstd, axes):
    """torch's CPU layer-norm backward: dx = a·dy·γ + b·x + c per row (a = rstd,
    b = (Σdy·γ·mean − Σdy·γ·x)·a³/N, c = −b·mean − Σdy·γ·a/N), so a gradient that is constant
    along a row gives exact zeros as in torch."""
    out_dtype = x.dtype
    dy, x, w, mean, rstd = _wide(dy, x, w, mean, rstd)
    g = dy if w is None else dy * w
    scale = 1.0 / int(np.prod([x.shape[a] for a in axes]))
    ds = (g * x).sum(axis=axes, keepdims=True)
    db = g.sum(axis=axes, keepdims=True)
    b = (db * mean - ds) * rstd * rstd * rstd * scale
    c = -b * mean - db * rstd * scale
    return (rstd * g + b * x + c).astype(out_dtype)


def bn_kernel(dy, x, w, invstd, mean, train):
    """torch's CPU batch-norm backward per channel: dotp = Σ(x − mean)·dy taken as
    Σx·dy − mean·Σdy, then dx = (dy − Σdy/N − (x − mean)·dotp·invstd²/N)·invstd·w in training,
    dy·invstd·w in evaluation; grad_weight = dotp·invstd."""
    out_dtype = x.dtype
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (-1,) + (1,) * (x.ndim - 2)
    dy, x, invstd, mean = _wide(dy, x, invstd, mean)
    w = 1.0 if w is None else np.asarray(w, dtype=np.float64).reshape(shape)
    total = dy.sum(axis=axes, keepdims=True)
    dotp = (x * dy).sum(axis=axes, keepdims=True) - mean * total
    if train:
        n = x.size // x.shape[1]
        k = dotp * invstd * invstd / n
        dx = (dy - total / n - (x - mean) * k) * invstd * w
    else:
        dx = dy * invstd * w
    return dx.astype(out_dtype), (dotp * invstd).reshape(-1).astype(out_dtype)


# -- the same derivatives in F ops (differentiable) ------------------------------------------------

def stats(input, mean, rstd, F):
    """x̂ and r from the forward's statistics, which torch saves as constants (its mean and rstd
    outputs are not differentiable), so third derivatives are torch's too."""
    r = F.float_like(rstd, input)
    return (input - F.float_like(mean, input)) * r, r


def project(v, xhat, r, dims, F):
    """P(v) = r·(v − mean(v) − x̂·mean(v·x̂)): d/dinput of x̂ against v."""
    return r * (v - F.mean(v, dims, True) - xhat * F.mean(v * xhat, dims, True))


def _scaled(weight, wshape, F):
    if weight is None:
        return None
    return weight if wshape is None else F.reshape(weight, wshape)


def _sum_to_weight(v, wdims, F):
    return F.sum(v, wdims) if wdims else v


def _dx_grad_output(grad, input, weight, dims, wshape, mean, rstd, F):
    xhat, r = stats(input, mean, rstd, F)
    p = project(grad, xhat, r, dims, F)  # P is symmetric
    w = _scaled(weight, wshape, F)
    return p if w is None else p * w


def _dx_input(grad, grad_output, input, weight, dims, wshape, mean, rstd, F):
    """d/dinput of ⟨u, P(h)⟩ (u = grad): −r·x̂·mean(u·P(h)) − r²·mean(h·x̂)·(u − ū − x̂·mean(u·x̂))
    − r²·mean(u·x̂)·(h − h̄ − x̂·mean(h·x̂))."""
    xhat, r = stats(input, mean, rstd, F)
    w = _scaled(weight, wshape, F)
    h = grad_output if w is None else grad_output * w
    hx = F.mean(h * xhat, dims, True)
    ux = F.mean(grad * xhat, dims, True)
    dx = r * (h - F.mean(h, dims, True) - xhat * hx)
    r2 = r * r
    return (-(r * xhat) * F.mean(grad * dx, dims, True)
            - r2 * hx * (grad - F.mean(grad, dims, True) - xhat * ux)
            - r2 * ux * (h - F.mean(h, dims, True) - xhat * hx))


def _dx_weight(grad, grad_output, input, dims, wdims, mean, rstd, F):
    xhat, r = stats(input, mean, rstd, F)
    return _sum_to_weight(grad_output * project(grad, xhat, r, dims, F), wdims, F)


def _dw_grad_output(grad, input, wshape, mean, rstd, F):
    xhat, _ = stats(input, mean, rstd, F)
    return _scaled(grad, wshape, F) * xhat


def _dw_input(grad, grad_output, input, dims, wshape, mean, rstd, F):
    xhat, r = stats(input, mean, rstd, F)
    return project(grad_output * _scaled(grad, wshape, F), xhat, r, dims, F)


def _first(name, value):
    return backward_op(name, value, {"grad_output": "P(grad)·weight", "input": "d²/dinput²",
                                     "weight": "Σ grad_output·P(grad)"},
                       grad_output=_dx_grad_output, input=_dx_input, weight=_dx_weight)


def _weight_first(name, value):
    return backward_op(name, value, {"grad_output": "grad·x̂", "input": "P(grad_output·grad)"},
                       grad_output=_dw_grad_output, input=_dw_input)


def _ln_dx(grad, input, weight, F, dims, wshape, wdims, mean, rstd):
    return ln_input_kernel(grad, input, weight, mean, rstd, tuple(d % input.ndim for d in dims))


def _ln_dw(grad, input, F, dims, wshape, wdims, mean, rstd):
    dy, x, m, r = _wide(grad, input, mean, rstd)
    v = dy * ((x - m) * r)
    return (v.sum(axis=wdims) if wdims else v).astype(input.dtype)


def _bn_dx(grad, input, weight, F, dims, wshape, wdims, mean, rstd):
    return bn_kernel(grad, input, weight, rstd, mean, True)[0]


def _bn_dw(grad, input, F, dims, wshape, wdims, mean, rstd):
    return bn_kernel(grad, input, None, rstd, mean, True)[1]


def _bias_value(grad, input, F, wdims, wshape):
    return F.sum(grad, wdims) if wdims else grad


def _bias_first(name):
    """grad_bias = Σ grad_output: torch's node gives it too, so under create_graph it is an
    output of the same kind of node (its derivative reaches grad_output only)."""
    return backward_op(name, _bias_value, {"grad_output": "grad, expanded", "input": "none"},
                       grad_output=lambda grad, input, wshape, F: F.expand(_scaled(grad, wshape, F), input.shape),
                       input=lambda grad: None)


# evaluation: grad_input = grad_output·r·weight and grad_weight = Σ grad_output·x̂ with the running
# statistics constant, so the input's second derivative is none
def _eval_dx(grad, input, weight, F, dims, wshape, wdims, mean, rstd):
    return bn_kernel(grad, input, weight, rstd, mean, False)[0]


def _eval_dw(grad, input, F, dims, wshape, wdims, mean, rstd):
    return bn_kernel(grad, input, None, rstd, mean, False)[1]


def _eval_dx_grad_output(grad, input, weight, wshape, rstd, F):
    g = grad * F.float_like(rstd, grad)
    return g if weight is None else g * _scaled(weight, wshape, F)


BATCH_NORM_EVAL_INPUT = backward_op(
    "NativeBatchNormBackwardBackward0", _eval_dx,
    {"grad_output": "grad·r·weight", "input": "none", "weight": "Σ grad·grad_output·r"},
    grad_output=_eval_dx_grad_output, input=lambda grad: None,
    weight=lambda grad, grad_output, input, wdims, rstd, F: _sum_to_weight(
        grad * grad_output * F.float_like(rstd, grad), wdims, F))
BATCH_NORM_EVAL_WEIGHT = backward_op(
    "NativeBatchNormBackwardBackward0", _eval_dw, {"grad_output": "grad·x̂", "input": "grad_output·grad·r"},
    grad_output=_dw_grad_output,
    input=lambda grad, grad_output, wshape, rstd, F: grad_output * _scaled(grad, wshape, F) * F.float_like(rstd, grad))
LAYER_NORM_BIAS = _bias_first("NativeLayerNormBackwardBackward0")
BATCH_NORM_BIAS = _bias_first("NativeBatchNormBackwardBackward0")
LAYER_NORM_INPUT = _first("NativeLayerNormBackwardBackward0", _ln_dx)
LAYER_NORM_WEIGHT = _weight_first("NativeLayerNormBackwardBackward0", _ln_dw)
BATCH_NORM_INPUT = _first("NativeBatchNormBackwardBackward0", _bn_dx)
BATCH_NORM_WEIGHT = _weight_first("NativeBatchNormBackwardBackward0", _bn_dw)
