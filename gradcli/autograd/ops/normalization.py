"""torch.nn.functional.layer_norm and batch_norm (NativeLayerNormBackward0,
NativeBatchNormBackward0), with torch's argument checks and running-statistics update.

Forward statistics of float32 inputs are taken in float64 and rounded once (torch's kernels
accumulate in a wider type); the backwards live in norm_backward.py.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .activation import python_type_name
from .backends import numpy_
from .dtype_support import kernel_error
from . import norm_backward as NB
from .registry import defop, record


# -- layer_norm ---------------------------------------------------------------------------------

def _ln_params(input, k, mean, rstd):
    ndim = len(input.shape)
    return {"dims": tuple(range(-k, 0)), "wshape": None, "wdims": tuple(range(ndim - k)), "mean": mean,
            "rstd": rstd}


LAYER_NORM = defop(
    "NativeLayerNormBackward0",
    {"input": "rstd·(g − mean(g) − x̂·mean(g·x̂)), g = grad·weight", "weight": "Σ grad·x̂", "bias": "grad"},
    input=lambda grad, input, weight, mean, rstd, k: NB.LAYER_NORM_INPUT(
        grad, input, weight, **_ln_params(input, k, mean, rstd)),
    weight=lambda grad, input, mean, rstd, k: NB.LAYER_NORM_WEIGHT(grad, input, **_ln_params(input, k, mean, rstd)),
    bias=lambda grad, input, k, F: grad if F is numpy_ else NB.LAYER_NORM_BIAS(
        grad, input, wdims=tuple(range(len(input.shape) - k)), wshape=None),
)


def _shape_text(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _int_tuple(name, fn, position, value):
    from ..tensor import Size
    if isinstance(value, (tuple, list, Size)):
        for i, v in enumerate(value):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, but "
                                f"found element of type {python_type_name(v)} at pos {i}")
        return tuple(value)
    raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, not "
                    f"{python_type_name(value)}")


def _check_tensor(fn, name, position, value, optional=False):
    if value is None and optional:
        return
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not "
                        f"{python_type_name(value)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    _check_tensor("layer_norm", "input", 1, input)
    shape = _int_tuple("normalized_shape", "layer_norm", 2, normalized_shape)
    _check_tensor("layer_norm", "weight", 3, weight, True)
    _check_tensor("layer_norm", "bias", 4, bias, True)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
                           "one element, but got normalized_shape = []")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t._data.shape != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{_shape_text(t._data.shape)} and normalized_shape = {_shape_text(shape)}")
    x = input._data
    k = len(shape)
    if x.ndim < k or x.shape[x.ndim - k:] != shape:
        raise RuntimeError(f"Given normalized_shape={_shape_text(shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size{_shape_text(x.shape)}")
    if x.dtype.kind != "f" and (weight is None or weight._data.dtype == x.dtype):
        raise kernel_error("LayerNormKernelImpl", x.dtype)
    _check_mixed(x, (weight, bias))
    axes = tuple(range(x.ndim - k, x.ndim))
    mean, rstd = _moments(x, axes, eps)
    out = x * rstd + (-rstd * mean)
    if weight is not None:
        out = out * weight._data
    if bias is not None:
        out = out + bias._data
    return record(LAYER_NORM, out.astype(x.dtype, copy=False), (input, weight, bias),
                  {"k": k, "mean": mean, "rstd": rstd})


def _check_mixed(x, params):
    """torch's mixed-dtype rule: parameters whose first differs from the input must all be float32
    (for a float16 input); otherwise each must have the input's dtype."""
    from ._dispatch import _torch_type_name
    defined = [t._data.dtype for t in params if t is not None]
    if not defined or defined[0] == x.dtype:
        for d in defined[1:]:
            if d != x.dtype:
                raise RuntimeError(f"expected scalar type {_torch_type_name(x.dtype)} but found {_torch_type_name(d)}")
        return
    if any(d != np.float32 for d in defined):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _moments(x, axes, eps):
    """mean and 1/sqrt(biased var + eps) over ``axes`` (kept), in x's dtype."""
    wide = x.astype(np.float64)
    mean = wide.mean(axis=axes, keepdims=True)
    var = ((wide - mean) ** 2).mean(axis=axes, keepdims=True)
    dt = x.dtype.type
    with np.errstate(divide="ignore", invalid="ignore"):
        rstd = dt(1) / np.sqrt(var.astype(x.dtype) + dt(eps))
    return mean.astype(x.dtype), rstd.astype(x.dtype)


# -- batch_norm ---------------------------------------------------------------------------------

def _bn_dims(ndim):
    return (0,) + tuple(range(2, ndim))


def _bn_params(input, mean, invstd):
    ndim = len(input.shape)
    dims = _bn_dims(ndim)
    return {"dims": dims, "wshape": (-1,) + (1,) * (ndim - 2), "wdims": dims, "mean": mean, "rstd": invstd}


def _bn_input(grad, input, weight, invstd, mean, train, F):
    op = NB.BATCH_NORM_INPUT if train else NB.BATCH_NORM_EVAL_INPUT
    return op(grad, input, weight, **_bn_params(input, mean, invstd))


def _bn_weight(grad, input, invstd, mean, train, F):
    op = NB.BATCH_NORM_WEIGHT if train else NB.BATCH_NORM_EVAL_WEIGHT
    return op(grad, input, **_bn_params(input, mean, invstd))


BATCH_NORM = defop(
    "NativeBatchNormBackward0",
    {"input": "training: invstd·(g − mean(g) − x̂·mean(g·x̂)); eval: grad·weight·invstd",
     "weight": "Σ grad·x̂ over all but dim 1", "bias": "Σ grad over all but dim 1"},
    input=_bn_input, weight=_bn_weight,
    bias=lambda grad, input, F: F.sum(grad, _bn_dims(len(grad.shape))) if F is numpy_ else NB.BATCH_NORM_BIAS(
        grad, input, wdims=_bn_dims(len(grad.shape)), wshape=(-1,) + (1,) * (len(grad.shape) - 2)),
)


def _verify_batch_size(x):
    n = x.shape[0] * int(np.prod(x.shape[2:], dtype=np.int64))
    if n == 1:
        from ..tensor import Size
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {Size(x.shape)!r}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    _check_tensor("batch_norm", "input", 1, input)
    if training:
        _verify_batch_size(input._data)
    x = input._data
    channels = x.shape[1] if x.ndim > 1 else None
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None:
            if t._data.size != channels:
                raise RuntimeError(f"{name} should contain {channels} elements not {t._data.size}")
        elif not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t._data.size}")
    if x.dtype.kind != "f":
        raise kernel_error("batch_norm", x.dtype)
    _check_mixed(x, (weight, bias, running_mean, running_var))
    shape = (-1,) + (1,) * (x.ndim - 2)
    dt = x.dtype.type
    if x.dtype == np.float32 and x.size:
        return _batch_norm_f32(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if training:
        axes = _bn_dims(x.ndim)
        mean, invstd = _moments(x, axes, eps)
        if x.ndim == 2 and x.dtype == np.float32 and x.shape[0]:
            mean = _rows_mean(x)
        n = x.size // channels
        if running_mean is not None:
            _blend(running_mean, mean.reshape(-1), momentum)
        if running_var is not None:
            wide = x.astype(np.float64)
            unbiased = ((wide - wide.mean(axis=axes, keepdims=True)) ** 2).sum(axis=axes) / max(n - 1, 1)
            _blend(running_var, unbiased, momentum)
        params = {"invstd": invstd, "mean": mean, "train": True}
        out = (x - mean) * invstd
    else:
        invstd = (dt(1) / np.sqrt(running_var._data.astype(x.dtype) + dt(eps))).reshape(shape)
        mean = running_mean._data.astype(x.dtype).reshape(shape)
        params = {"invstd": invstd, "mean": mean, "train": False}
        out = (x - mean) * invstd
    if weight is not None:
        out = out * weight._data.reshape(shape)
    if bias is not None:
        out = out + bias._data.reshape(shape)
    return record(BATCH_NORM, out.astype(x.dtype, copy=False), (input, weight, bias), params)


def _batch_norm_f32(input, running_mean, running_var, weight, bias, training, momentum, eps):
    from . import batch_norm_f32 as B
    x = input._data
    shape = (1, -1) + (1,) * (x.ndim - 2)
    w = None if weight is None else weight._data
    b = None if bias is None else bias._data
    if training:
        mean, var_sum, n = B.stats(x)
        invstd = B.invstd_of(var_sum, n, eps)
        if running_mean is not None:
            _blend(running_mean, mean, momentum)
        if running_var is not None:
            B.blend_var(running_var._data, var_sum / np.float32(max(n - 1, 1)), momentum)
    else:
        mean = running_mean._data.astype(np.float32)
        invstd = np.float32(1) / np.sqrt(running_var._data.astype(np.float32) + np.float32(eps))
    out = B.transform(x, mean, invstd, w, b)
    params = {"invstd": invstd.reshape(shape), "mean": mean.reshape(shape), "train": training}
    return record(BATCH_NORM, out, (input, weight, bias), params)


def _rows_mean(x):
    """The per-column mean of an (N, C) float32 input as torch's channels-last kernel takes it:
    each thread sums its block of rows in float32, the blocks add up in double."""
    from .summation import THREADS
    n = x.shape[0]
    block = -(-n // THREADS)
    total = sum(np.cumsum(x[i:i + block], axis=0, dtype=np.float32)[-1].astype(np.float64)
                for i in range(0, n, block))
    return (total / n).astype(np.float32).reshape(1, -1)


def _blend(buffer, value, momentum):
    """running = momentum·value + (1 - momentum)·running, in place, in the buffer's dtype with
    momentum rounded to it as torch's kernel does (no graph, no new version)."""
    d = buffer._data
    dt = d.dtype.type
    m = dt(momentum)
    if d.dtype == np.float32 and value.dtype == np.float32:
        d[...] = m * value.reshape(d.shape) + (dt(1) - m) * d
    else:
        d[...] = (np.float64(m) * value.reshape(d.shape) + np.float64((dt(1) - m) * d)).astype(d.dtype)


def bump(t) -> None:
    """A new version of ``t`` after an in-place write outside the op table."""
    vc = t._vc
    if vc is None:
        t._vc = [1]
    else:
        vc[0] += 1
