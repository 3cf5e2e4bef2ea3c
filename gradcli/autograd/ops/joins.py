"""Shape ops that copy: clone and contiguous, joins (cat, stack, hstack, vstack),
repeat, the rearranging copies (flip, roll) and the dtype copy behind F.cast.

Their results own new memory, so (unlike ops/shape.py's views) they are never views
of their inputs to autograd.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..limits import check_shape
from ..tensor import Tensor, _wrap_dim
from ._dims import distinct_dims, int_list
from .out import with_out
from .registry import defop, record


def _sizes(args) -> tuple:
    """view(2, 3) / view((2, 3)) / view([2, 3]) / view(torch.Size) -> (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return int_list(args)  # a float, or a bool first, is torch's TypeError


def _shape_text(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


# -- copies of one tensor --------------------------------------------------------------

CLONE = defop("CloneBackward0", {"self": "1"}, self=lambda grad: grad)



def contiguous(self, *, memory_format=None):
    return self if self._data.flags.c_contiguous else clone(self)


def clone(input, *, memory_format=None):
    return record(CLONE, np.array(input._data, copy=True, order="C"), (input,))


def _repeat_backward(grad, shape, reps, F):
    """torch's repeat_backward: the new leading dims summed one by one, then one reshape to
    (repeat, size) pairs and one sum over the repeats (SumBackward1 under create_graph)."""
    if 0 in reps:
        return F.new_zeros(grad, shape)
    lead = len(reps) - len(shape)
    for _ in range(lead):
        grad = F.sum(grad, 0)
    split, dims = [], []
    for r, s in zip(reps[lead:], shape):
        if r != 1:
            split.append(r)
            dims.append(len(split) - 1)
        split.append(s)
    if dims:
        grad = F.sum(F.reshape(grad, tuple(split)), tuple(dims))
    return grad


REPEAT = defop("RepeatBackward0", {"self": "sum over the repeated copies"},
               self=lambda grad, shape, reps, F: _repeat_backward(grad, shape, reps, F))


def repeat(self, *sizes):
    reps = _sizes(sizes)
    d = self._data
    if len(reps) < d.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    padded = (1,) * (len(reps) - d.ndim) + d.shape
    shape = [p * r for p, r in zip(padded, reps)]
    negative = next((s for s in shape if s < 0), None)
    if negative is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"[{', '.join(map(str, shape))}]")
    check_shape(shape, d.itemsize)
    out = np.tile(d.reshape(padded), reps)
    return record(REPEAT, out, (self,), {"shape": d.shape, "reps": reps})



# -- joining and splitting ----------------------------------------------------------------

_CAT_SPECS: dict = {}
_STACK_SPECS: dict = {}


def _piece(name, i):
    if name == "CatBackward0":
        return lambda grad, bounds, dim: grad[(slice(None),) * dim + (slice(bounds[i], bounds[i + 1]),)]
    return lambda grad, dim: grad[(slice(None),) * dim + (i,)]


def _join_spec(cache, name, n):
    spec = cache.get(n)
    if spec is None:
        spec = cache[n] = defop(name, {"tensors": "the gradient's slice of each input"},
                                **{f"tensors{i}": _piece(name, i) for i in range(n)})
    return spec


def _tensor_list(tensors, fname):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    return tuple(tensors)


def _common_dtype(tensors):
    rt = dtypes.result_type(*tensors).np
    return [t._data if t._data.dtype == rt else t._data.astype(rt) for t in tensors]


def cat(tensors, dim=0, *, out=None):
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    # legacy: 1-D empty tensors are skipped whatever their shape
    positions = [i for i, t in enumerate(tensors) if not (t._data.ndim == 1 and t._data.size == 0)] or [0]
    kept = [tensors[i] for i in positions]
    first = kept[0]._data
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    nd = first.ndim
    dim = _wrap_dim(dim, nd)
    for t in kept[1:]:
        s = t._data.shape
        if len(s) != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and {len(s)}")
    for k, t in zip(positions[1:], kept[1:]):
        for j in range(nd):
            if j != dim and t._data.shape[j] != first.shape[j]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first.shape[j]} but got size {t._data.shape[j]} for tensor number {k} in the list.")
    check_shape(first.shape[:dim] + (sum(t._data.shape[dim] for t in kept),) + first.shape[dim + 1:])
    arrays = _common_dtype(kept)
    bounds = [0]
    for a in arrays:
        bounds.append(bounds[-1] + a.shape[dim])
    result = record(_join_spec(_CAT_SPECS, "CatBackward0", len(kept)), np.concatenate(arrays, axis=dim),
                    tuple(kept), {"bounds": tuple(bounds), "dim": dim})
    return result


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {_shape_text(first)} at entry 0 "
                f"and {_shape_text(t._data.shape)} at entry {i}")
    dim = _wrap_dim(dim, len(first) + 1)
    check_shape(first[:dim] + (len(tensors),) + first[dim:])
    out = np.stack(_common_dtype(tensors), axis=dim)
    return record(_join_spec(_STACK_SPECS, "StackBackward0", len(tensors)), out, tensors, {"dim": dim})


def hstack(tensors):
    tensors = _tensor_list(tensors, "hstack")
    return cat(tensors, 0 if tensors and tensors[0]._data.ndim <= 1 else 1)


def vstack(tensors):
    tensors = _tensor_list(tensors, "vstack")
    return cat([t if t._data.ndim >= 2 else t.reshape(1, -1) for t in tensors], 0)


# each piece of split/chunk/unbind has its own node (see function.py); its gradient is
# -- copies that rearrange elements -----------------------------------------------------------

FLIP = defop("FlipBackward0", {"self": "flip(grad)"}, self=lambda grad, dims, F: F.flip(grad, dims))
ROLL = defop("RollBackward0", {"self": "roll back"},
             self=lambda grad, back, dims, F: F.roll(grad, back, dims))


def _dim_list(dims, nd):
    dims = [dims] if isinstance(dims, int) else list(dims)
    return tuple(_wrap_dim(k, nd) for k in dims)


def flip(input, *dims):
    if not dims:
        raise TypeError("flip() needs dims")
    if len(dims) == 1:
        dims = dims[0]
    dims = distinct_dims(int_list(dims), input._data.ndim)
    if not input._data.ndim:  # a 0-d tensor takes dim 0 or -1 and flips nothing
        dims = ()
    return record(FLIP, np.flip(input._data, dims).copy(), (input,), {"dims": dims})


def fliplr(input):
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input, shifts, dims=None):
    d = input._data
    shifts_t = int_list(shifts)
    dims = () if dims is None else int_list(dims)
    if not shifts_t:
        raise RuntimeError("`shifts` required")
    if not dims:  # roll the flattened tensor
        if len(shifts_t) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:0")
        return record(ROLL, np.roll(d, shifts_t[0]), (input,), {"back": -shifts_t[0], "dims": None})
    if len(shifts_t) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:{len(dims)}")
    if not d.ndim:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    dims_t = _dim_list(dims, d.ndim)
    out = np.roll(d, shifts_t, dims_t)
    return record(ROLL, out, (input,), {"back": tuple(-s for s in shifts_t), "dims": dims_t})


# -- the dtype copy behind F.cast (gradients cast back to an input's dtype) ----------------------

TO_COPY = defop("ToCopyBackward0", {"self": "cast back to self's dtype"},
                self=lambda grad, dtype, F: F.cast(grad, dtype))


def _to_copy(self, np_dtype):
    d = self._data
    return record(TO_COPY, d.astype(np_dtype), (self,), {"dtype": d.dtype})


def numel(input):
    return int(input._data.size)



def is_contiguous(self, memory_format=None):
    return bool(self._data.flags.c_contiguous)


def stride(self, dim=None):
    """Steps in elements, as torch counts them (numpy's strides are in bytes)."""
    steps = tuple(s // self._data.itemsize for s in self._data.strides)
    if dim is None:
        return steps
    from ..tensor import _wrap_dim
    return steps[_wrap_dim(dim, self._data.ndim)]


TENSOR_METHODS = {
    "is_contiguous": is_contiguous, "stride": stride, "contiguous": contiguous, "clone": clone, "repeat": repeat,
    "flip": flip, "fliplr": fliplr, "flipud": flipud, "roll": roll,
}

def _torch_flip(input, dims):
    if not isinstance(dims, (list, tuple)):  # torch.flip's dims is a list, not one int as x.flip's
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}")
    return flip(input, dims)


_torch_flip.__name__ = _torch_flip.__qualname__ = "flip"  # torch.flip(x, 1, 0) is refused: no varargs

TORCH_EXPORTS = {
    "clone": clone, "cat": with_out(cat, "cat"), "concat": with_out(cat, "concat"),
    "concatenate": with_out(cat, "concatenate"), "stack": with_out(stack, "stack"),
    "hstack": hstack, "vstack": vstack, "flip": _torch_flip, "fliplr": fliplr, "flipud": flipud,
    "roll": roll, "numel": numel,
}
