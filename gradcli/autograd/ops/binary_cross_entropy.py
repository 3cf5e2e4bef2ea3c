"""binary_cross_entropy and binary_cross_entropy_with_logits, in torch's kernel arithmetic,
with torch's backward ops (BinaryCrossEntropyBackwardBackward0 under create_graph)."""

from __future__ import annotations

import numpy as np

from ..tensor import Size
from .backends import log1p_array, log_array, logsigmoid_array
from ._dispatch import _torch_type_name, operands
from .arithmetic import _check_sub
from .loss import _check_cast, _floating_kernel, _reduce, _reduction, _sizes_read
from .registry import backward_op, defop, record

_EPS = 1e-12  # torch's EPSILON in binary_cross_entropy's kernels, for every dtype


def _mean_div(x, reduction, n, F):
    return F.div_scalar(x, n) if reduction == "mean" else x


def _weighted(x, weight):
    return x if weight is None else x * weight


def _bce_backward(grad, self, target, F, weight, reduction, n):
    """binary_cross_entropy_backward's kernel: grad·(x - t) / max((1 - x)·x, eps), then the
    weight and the mean's division."""
    # torch's kernel holds EPSILON as a float: 1e-12 rounded to float32, in float64 too
    g = grad * (self - target) / np.maximum((1 - self) * self, self.dtype.type(np.float32(_EPS)))
    if weight is not None:
        g = g * weight
    return g / n if reduction == "mean" else g


def _bce_double_self(grad, grad_output, self, target, weight, reduction, n, F):
    x, t = self, target
    gi = (x * x - F.mul_scalar(x, 2) * t + t) / (
        F.pow(F.add_scalar(x, _EPS), 2) * F.pow(F.add_scalar(F.rsub_scalar(1, x), _EPS), 2))
    return _mean_div(_weighted(gi * (grad * grad_output), weight), reduction, n, F)


def _bce_double_grad_output(grad, self, target, weight, reduction, n, F):
    ggo = (self - target) / (F.add_scalar(self, _EPS) * F.add_scalar(F.rsub_scalar(1, self), _EPS)) * grad
    return _mean_div(_weighted(ggo, weight), reduction, n, F)


def _bce_double_target(grad, grad_output, self, weight, reduction, n, F):
    denom = F.clamp_min(F.rsub_scalar(1, self) * self, _EPS)  # torch clamps in place under no_grad
    return _mean_div(_weighted(-grad * grad_output, weight) / denom, reduction, n, F)


# torch's binary_cross_entropy_backward is one op: under create_graph one node with its own
# double-backward formulas
BCE_BACKWARD = backward_op(
    "BinaryCrossEntropyBackwardBackward0", _bce_backward,
    grad_output=lambda grad, self, target, weight, reduction, n, F: _bce_double_grad_output(
        grad, self, target, weight, reduction, n, F),
    self=lambda grad, grad_output, self, target, weight, reduction, n, F: _bce_double_self(
        grad, grad_output, self, target, weight, reduction, n, F),
    target=lambda grad, grad_output, self, weight, reduction, n, F: _bce_double_target(
        grad, grad_output, self, weight, reduction, n, F))


def _bce_target_backward(grad, self, weight, reduction, n, F):
    """binary_cross_entropy_target_backward: -logit(self)·grad, the weight, the mean's division."""
    return _mean_div(_weighted(-F.logit(self) * grad, weight), reduction, n, F)


BCE = defop("BinaryCrossEntropyBackward0", {"self": "(self - target)/max(self(1-self), 1e-12)",
                                            "target": "-logit(self)"},
            self=lambda grad, self, target, weight, reduction, n: BCE_BACKWARD(
                grad, self, target, weight=weight, reduction=reduction, n=n),
            target=lambda grad, self, weight, reduction, n, F: _bce_target_backward(
                grad, self, weight, reduction, n, F))


def _bce_logits_self_backward(grad, self, target, weight, pos_weight, reduction, n, F):
    """binary_cross_entropy_with_logits_backward, in torch's order of operations."""
    if pos_weight is None:
        g = F.sigmoid(self) - target
    else:
        t = pos_weight * target
        g = (F.add_scalar(t, 1) - target) * F.sigmoid(self) - t
    return _mean_div(_weighted(g * grad, weight), reduction, n, F)


def _bce_logits_target_backward(grad, self, weight, pos_weight, reduction, n, F):
    if pos_weight is None:
        g = -self * grad
    else:
        g = (F.logsigmoid(-self) - F.logsigmoid(self) * pos_weight) * grad
    return _mean_div(_weighted(g, weight), reduction, n, F)


BCE_LOGITS = defop("BinaryCrossEntropyWithLogitsBackward0",
                   {"self": "(1 + (pos_weight-1)·target)·σ(self) - pos_weight·target",
                    "target": "log σ(-self) - pos_weight·log σ(self)"},
                   self=lambda grad, self, target, weight, pos_weight, reduction, n, F: _bce_logits_self_backward(
                       grad, self, target, weight, pos_weight, reduction, n, F),
                   target=lambda grad, self, weight, pos_weight, reduction, n, F: _bce_logits_target_backward(
                       grad, self, weight, pos_weight, reduction, n, F))


def _check_unit_interval(d, what):
    if not ((d >= 0) & (d <= 1)).all():  # nan fails the check too, as in torch's kernel
        raise RuntimeError(f"all elements of {what} should be between 0 and 1")


def _not_differentiable(function, **arguments):
    """torch's check_no_requires_grad: these arguments have no derivative formula."""
    from ..grad_mode import state
    if state.enabled:
        for name, x in arguments.items():
            if x is not None and getattr(x, "_requires_grad", False):
                raise RuntimeError(f"The function '{function}' is not differentiable with respect to argument "
                                   f"'{name}'. This input cannot have requires_grad True.")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    _sizes_read(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    if target._data.shape != input._data.shape:
        raise ValueError(f"Using a target size ({Size(target._data.shape)!r}) that is different to the input "
                         f"size ({Size(input._data.shape)!r}) is deprecated. Please ensure they have the same size.")
    _not_differentiable("binary_cross_entropy", weight=weight)
    x, t = input._data, target._data
    if t.dtype != x.dtype:  # one dtype for the kernel's input, target and result
        raise RuntimeError(f"Found dtype {_torch_type_name(t.dtype)} but expected {_torch_type_name(x.dtype)}")
    _floating_kernel("binary_cross_entropy", x.dtype)
    _check_unit_interval(x, "input")
    _check_unit_interval(t, "target")
    with np.errstate(divide="ignore"):
        # torch's kernel: (t - 1)·max(log1p(-x), -100) - t·max(log(x), -100)
        out = (t - 1) * np.maximum(log1p_array(-x), -100) - t * np.maximum(log_array(x), -100)
    w = None
    if weight is not None:
        w = np.broadcast_to(weight._data, x.shape).astype(x.dtype)
        out = out * w
    return record(BCE, _reduce(out.astype(x.dtype, copy=False), reduction).astype(x.dtype, copy=False),
                  (input, target), {"weight": w, "reduction": reduction, "n": max(x.size, 1)})


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    _sizes_read(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    if target._data.shape != input._data.shape:
        raise ValueError(f"Target size ({Size(target._data.shape)!r}) must be the same as input size "
                         f"({Size(input._data.shape)!r})")
    _not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    x, t = input._data, target._data
    # torch: (1 - t)·x - log_sigmoid(x), log_sigmoid scaled by (pos_weight - 1)·t + 1; the
    # product (1 - t)·x is written into 1 - t, so the result has target's dtype
    _floating_kernel("log_sigmoid_cpu", x.dtype)
    if pos_weight is not None:
        _check_sub(pos_weight, 1)
    if t.dtype == np.bool_:  # 1 - a bool target: torch's "two bool tensors"
        _check_sub(target, True)
    _check_cast(np.result_type(*operands(target, input)), t.dtype)
    log_sig = logsigmoid_array(x)
    pw = None if pos_weight is None else pos_weight._data.astype(x.dtype)
    if pw is not None:
        log_sig = log_sig * ((pw - 1) * t + 1)
    out = (1 - t) * x - log_sig
    w = None
    if weight is not None:
        w = weight._data.astype(x.dtype)
        out = out * w
    return record(BCE_LOGITS, _reduce(out.astype(t.dtype, copy=False), reduction).astype(t.dtype, copy=False),
                  (input, target), {"weight": w, "pos_weight": pw, "reduction": reduction, "n": max(x.size, 1)})
