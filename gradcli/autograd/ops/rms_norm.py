"""torch.nn.functional.rms_norm as torch composes it (aten layer_norm.cpp): x · rsqrt(mean(x²) + eps)
over the last len(normalized_shape) dims, times weight (PowBackward0, MeanBackward1, AddBackward0,
RsqrtBackward0, MulBackward0); eps defaults to the dtype's machine epsilon."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .activation import python_type_name
from .normalization import _int_tuple, _shape_text


def rms_norm(input, normalized_shape, weight=None, eps=None):
    if not isinstance(input, Tensor):
        raise TypeError(f"rms_norm(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    shape = _int_tuple("normalized_shape", "rms_norm", 2, normalized_shape)
    x = input._data
    k = len(shape)
    if weight is not None and weight._data.shape != shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
                           f"{_shape_text(weight._data.shape)} and normalized_shape = {_shape_text(shape)}")
    if x.ndim < k or x.shape[x.ndim - k:] != shape:
        raise RuntimeError(f"Given normalized_shape={_shape_text(shape)}, expected input with shape "
                           f"[*{', '.join(str(s) for s in shape)}], but got input of size{_shape_text(x.shape)}")
    if eps is None:
        eps = float(np.finfo(x.dtype).eps) if x.dtype.kind == "f" else float(np.finfo(np.float32).eps)
    dims = tuple(range(-k, 0))
    scale = (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    out = input * scale
    return out if weight is None else out * weight
