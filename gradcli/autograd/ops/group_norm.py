"""torch.nn.functional.group_norm (NativeGroupNormBackward0) and instance_norm (torch's batch_norm
over the input viewed as one sample of N·C channels, then viewed back: ViewBackward0).

group_norm's statistics are per (sample, group) over the group's channels and positions, taken
in float64 and rounded once; y = x·(rstd·γ) + (β − mean·rstd·γ) per channel in float32 steps as
torch's kernel.  Its input gradient is layer_norm's over the (N, G, rest) view of grad·γ, so
under create_graph it reuses layer_norm's second derivatives.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from . import norm_backward as NB
from .activation import python_type_name
from .dtype_support import kernel_error
from .normalization import _check_mixed, _moments, batch_norm
from .registry import defop, record


def _channel_shape(ndim):
    return (1, -1) + (1,) * (ndim - 2)


def _gn_input(grad, input, weight, mean, rstd, groups, F):
    shape = tuple(input.shape)
    g = grad if weight is None else grad * F.reshape(weight, _channel_shape(len(shape)))
    rows = (shape[0], groups, -1)
    dx = NB.LAYER_NORM_INPUT(F.reshape(g, rows), F.reshape(input, rows), None, dims=(-1,), wshape=None,
                             wdims=(0, 1), mean=mean, rstd=rstd)
    return F.reshape(dx, shape)


def _xhat(input, mean, rstd, groups, F):
    shape = tuple(input.shape)
    rows = F.reshape(input, (shape[0], groups, -1))
    xhat, _ = NB.stats(rows, mean, rstd, F)
    return F.reshape(xhat, shape)


def _gn_weight(grad, input, mean, rstd, groups, F):
    dims = (0,) + tuple(range(2, len(grad.shape)))
    return F.sum(grad * _xhat(input, mean, rstd, groups, F), dims)


GROUP_NORM = defop(
    "NativeGroupNormBackward0",
    {"input": "layer_norm's input gradient over (N, G, rest) of grad·weight", "weight": "Σ grad·x̂ per channel",
     "bias": "Σ grad per channel"},
    input=_gn_input, weight=_gn_weight,
    bias=lambda grad, weight, F: _gn_bias(grad, weight, F),
)


def _gn_bias(grad, weight, F):
    if weight is None:  # torch's backward kernel reads the undefined weight's device
        raise RuntimeError("tensor does not have a device")
    return F.sum(grad, (0,) + tuple(range(2, len(grad.shape))))


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    if not isinstance(input, Tensor):
        raise TypeError(f"group_norm(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    x = input._data
    if x.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {x.ndim}")
    n, c = x.shape[:2]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {_shape_text(x.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t._data.ndim != 1 or t._data.size != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, but "
                               f"got {name} of shape {_shape_text(t._data.shape)} and input of shape "
                               f"{_shape_text(x.shape)}")
    if x.dtype.kind != "f":
        raise kernel_error("GroupNormKernelImpl", x.dtype)
    _check_mixed(x, (weight, bias))
    rows = x.reshape(n, num_groups, -1)
    mean, rstd = _moments(rows, (2,), eps)  # (N, G, 1)
    per = c // num_groups
    dt = x.dtype.type
    scale = np.repeat(rstd, per, axis=1)  # (N, C, 1)
    center = np.repeat(mean, per, axis=1)
    if weight is not None:
        scale = scale * weight._data.reshape(1, c, 1)
    shift = -scale * center
    if bias is not None:
        shift = shift + bias._data.reshape(1, c, 1)
    out = (x.reshape(n, c, -1) * scale + shift).astype(dt, copy=False).reshape(x.shape)
    return record(GROUP_NORM, out, (input, weight, bias), {"mean": mean, "rstd": rstd, "groups": num_groups})


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    from . import joins, shape as S
    if not isinstance(input, Tensor):
        raise TypeError(f"instance_norm(): argument 'input' (position 1) must be Tensor, not "
                        f"{python_type_name(input)}")
    x = input._data
    if use_input_stats:
        spatial = int(np.prod(x.shape[2:], dtype=np.int64)) if x.ndim > 2 else 1
        if x.ndim < 3 or spatial == 1:
            from ..tensor import Size
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {Size(x.shape)!r}")
    n, c = x.shape[:2]
    flat = S.view(input, 1, n * c, *x.shape[2:])

    def repeated(t):
        return None if t is None else joins.repeat(t, n)

    from ..tensor import wrap
    stats = [None if t is None else wrap(np.tile(t._data, n)) for t in (running_mean, running_var)]
    out = batch_norm(flat, stats[0], stats[1], repeated(weight), repeated(bias), use_input_stats, momentum, eps)
    for buffer, tiled in zip((running_mean, running_var), stats):
        if buffer is not None and use_input_stats:
            buffer._data[...] = tiled._data.reshape(n, c).mean(axis=0).astype(buffer._data.dtype)
            from .normalization import bump
            bump(buffer)
    return S.view(out, *x.shape)
