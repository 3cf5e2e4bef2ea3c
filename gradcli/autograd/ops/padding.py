"""torch.nn.functional.pad: constant (ConstantPadNdBackward0, negative pads crop), reflect and
replicate (ReflectionPad{1,2,3}DBackward0, ReplicationPad{1,2,3}DBackward0), circular (CopySlices), with
torch's checks.

``pad`` lists (left, right) pairs from the last dimension backwards, as torch's does.
"""

from __future__ import annotations

import numpy as np

from ..limits import check_shape
from ..tensor import Size, Tensor
from .activation import python_type_name
from .backends import numpy_
from .registry import backward_op, defop, record

_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_array(x, pad, value):
    """x padded (or cropped, for negative pads) with ``value``; pairs from the last dim back."""
    k = len(pad) // 2
    shape = list(x.shape)
    src, dst = [slice(None)] * x.ndim, [slice(None)] * x.ndim
    for i in range(k):
        dim = x.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = x.shape[dim]
        new = size + lo + hi
        if new < 0 or -lo > size or -hi > size:
            raise RuntimeError("narrow(): length must be non-negative.")
        shape[dim] = new
        start, stop = max(-lo, 0), size - max(-hi, 0)
        src[dim] = slice(start, max(stop, start))
        dst[dim] = slice(max(lo, 0), max(lo, 0) + max(stop - start, 0))
    check_shape(shape, x.dtype.itemsize)  # --max-elements, before numpy allocates
    out = np.full(shape, value, dtype=x.dtype) if value else np.zeros(shape, dtype=x.dtype)
    out[tuple(dst)] = x[tuple(src)]
    return out


def _crop(grad, pad, F):
    back = tuple(-p for p in pad)
    if F is numpy_:
        return _pad_array(grad, back, 0)
    return _constant(grad, back, 0)


CONSTANT_PAD = defop("ConstantPadNdBackward0", {"self": "grad with the padding cut off"},
                     self=lambda grad, pad, F: _crop(grad, pad, F))


def _constant(input, pad, value):
    return record(CONSTANT_PAD, _pad_array(input._data, pad, value), (input,), {"pad": pad})


def _scatter_array(grad, shape, index):
    out = np.zeros(shape, dtype=grad.dtype)
    np.add.at(out, index, grad)
    return out


def _gather(grad, spec, shape, index):
    """The padding itself, applied to a gradient (the double backward of the padding's backward)."""
    if isinstance(grad, Tensor):
        return record(spec, grad._data[index], (grad,), {"shape": shape, "index": index})
    return grad[index]


def _make_gathered(name, node_name=None):
    scatter = backward_op(name + "BackwardBackward0", lambda grad, F, shape, index: _scatter_array(grad, shape, index),
                          grad_output=lambda grad, shape, index: _gather(grad, spec, shape, index))
    spec = defop(node_name or name + "Backward0", {"self": "grad added back at the places each output element was read from"},
                 self=lambda grad, shape, index: scatter(grad, shape=shape, index=index))
    return spec


_GATHERED = {(mode, k): _make_gathered(f"{mode}Pad{k}D") for mode in ("Reflection", "Replication") for k in (1, 2, 3)}
# torch pads circularly by slice copies into a new tensor: its grad_fn is the copies' CopySlices
_CIRCULAR = _make_gathered("CircularPad", "CopySlices")


def _source_index(size, lo, hi, reflect):
    i = np.arange(-lo, size + hi)
    if reflect is None:  # circular: negative pads crop first, the rest wraps within what is left
        start, kept = max(-lo, 0), size - max(-lo, 0) - max(-hi, 0)
        return start + np.arange(-max(lo, 0), kept + max(hi, 0)) % kept
    if reflect:
        i = np.abs(i)
        i = np.where(i >= size, 2 * (size - 1) - i, i)
        return i
    return np.clip(i, 0, size - 1)


def _check_reflect(x, pad):
    for i, arg in zip(range(len(pad) // 2), (4, 6, 8)):
        dim = x.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if lo >= x.shape[dim] or hi >= x.shape[dim]:
            raise RuntimeError(f"Argument #{arg}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                               f"[{', '.join(str(s) for s in x.shape)}]")


def _gathered(input, pad, mode):
    x = input._data
    k = len(pad) // 2
    if not (k == 1 and x.ndim in (2, 3) or k == 2 and x.ndim in (3, 4) or k == 3 and x.ndim in (4, 5)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {x.ndim}D input tensor.\nSupported combinations for "
            "non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D "
            "input: padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 "
            "dimensions)")
    reflect = {"reflect": True, "replicate": False}.get(mode)
    if reflect:
        _check_reflect(x, pad)
    if reflect is None and any(pad[2 * i] > x.shape[x.ndim - 1 - i] or pad[2 * i + 1] > x.shape[x.ndim - 1 - i]
                               for i in range(k)):
        raise RuntimeError("Padding value causes wrapping around more than once.")
    axes = [np.arange(s) for s in x.shape]
    for i in range(k):
        dim = x.ndim - 1 - i
        axes[dim] = _source_index(x.shape[dim], pad[2 * i], pad[2 * i + 1], reflect)
    check_shape([a.size for a in axes], x.dtype.itemsize)  # --max-elements, before numpy allocates
    index = np.ix_(*axes)
    spec = _CIRCULAR if reflect is None else _GATHERED[("Reflection" if reflect else "Replication", k)]
    return record(spec, x[index], (input,), {"shape": x.shape, "index": index})


def _pad_list(pad):
    if not isinstance(pad, (tuple, list, Size)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {python_type_name(pad)}")
    for i, p in enumerate(pad):
        if not isinstance(p, int) or isinstance(p, bool):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                            f"{python_type_name(p)} at pos {i}")
    return tuple(pad)


def pad(input, pad, mode="constant", value=None):
    if not isinstance(input, Tensor):
        raise TypeError(f"pad(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    pad = _pad_list(pad)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    ndim = input._data.ndim
    if len(pad) // 2 > ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {ndim}")
    if mode == "constant":
        return _constant(input, pad, value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    return _gathered(input, pad, mode)
