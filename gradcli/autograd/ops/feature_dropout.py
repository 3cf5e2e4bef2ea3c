"""torch.nn.functional.dropout1d/2d/3d and feature_alpha_dropout: whole channels zeroed (a mask
over (N, C) broadcast along the positions, MulBackward0), the input itself when not training.
The mask comes from gradcli's generator: which channels drop is not torch's."""

from __future__ import annotations

from ..tensor import wrap
from . import elementwise as _e
from .activation import out_of_order


def _check_p(p):
    if out_of_order(p, "<", 0.0) or out_of_order(p, ">", 1.0):
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _channels(input, p, training, inplace, batched):
    if not batched:  # torch: unsqueeze(0), drop, squeeze(0), in evaluation too (SqueezeBackward1)
        from . import shape as S
        return S.squeeze(_channels(S.unsqueeze(input, 0), p, training, inplace, True), 0)
    if not training or p == 0.0:
        return input
    from ..random import _rng
    d = input._data
    shape = d.shape[:2] + (1,) * (d.ndim - 2)
    keep = _rng(None).random(shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    mask = wrap((keep * scale).astype(d.dtype))
    return _e.inplace(input, _e.mul, mask) if inplace else _e.mul(input, mask)


def dropout1d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    n = input._data.ndim
    if n not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {n}D input. Note that dropout1d "
                           "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _channels(input, p, training, inplace, n == 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    return _channels(input, p, training, inplace, True)  # 3-D input is (N, C, L), as torch reads it


def dropout3d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    n = input._data.ndim
    return _channels(input, p, training, inplace, n != 4)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    _check_p(p)
    if not training or p == 0.0:
        return input
    raise NotImplementedError("feature_alpha_dropout in training mode is not supported by gradcli")
