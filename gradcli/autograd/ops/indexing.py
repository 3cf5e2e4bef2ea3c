"""Indexing: ``t[...]`` (basic indexing makes views, advanced indexing copies),
``t[...] = v`` (setitem.py), index_select, gather, masked_fill.

As in PyTorch, an index is applied in two stages: first the basic items (ints,
slices, None, Ellipsis) as one view, then the advanced ones (integer or boolean
tensors and lists) on that view.  So ``x[0, :, [0, 1]]`` selects first and then
indexes, exactly as PyTorch orders the result's dimensions (numpy would not).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..limits import check_shape, limits
from ..tensor import Tensor, _wrap_dim
from ._dispatch import check_broadcast_size
from .registry import backward_op, defop, record
from .views import make_view

_FLOAT_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                "valid indices (got {})")
_SEQ_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
    "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
    "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)")
_ZERO_DIM = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
             "C++ to convert a 0-dim tensor to a number")

_FULL = slice(None)

# -- the backward helpers: one op each in torch, so one node under create_graph ----------------

def _put_value(grad, F, shape, index):
    return F.view_put_zeros(shape, index, grad)


def _add_value(grad, F, shape, index):
    return F.index_put_zeros(shape, grad, index, grad)


def _put_op(name, value=_put_value):
    """zeros(shape) with the gradient at ``index``, recorded as torch's op ``name``."""
    return backward_op(name, value, {"grad_output": "grad[index]"}, grad_output=lambda grad, index: grad[index])


SELECT_BACKWARD = _put_op("SelectBackwardBackward0")
SLICE_BACKWARD = _put_op("SliceBackwardBackward0")
SQUEEZE_BACKWARD = _put_op("SqueezeBackward1")  # the inverse of an unsqueeze is a squeeze
STACK_BACKWARD = _put_op("StackBackward0")  # unbind's gradient stacks the pieces'
CAT_BACKWARD = _put_op("CatBackward0")  # split's gradient concatenates the pieces'
INDEX_BACKWARD = _put_op("IndexPutImplBackward0", _add_value)
INDEX_SELECT_BACKWARD = _put_op("IndexAddBackward0", _add_value)
GATHER_BACKWARD = _put_op("ScatterAddBackward0", _add_value)


def _covers(item, size):
    return item.indices(size) == (0, size, 1)


def view_backward(grad, shape, index):
    """The gradient of a basic index: its first op that changes the view is the outermost
    op of the derivative (x[1, 2:] is SelectBackwardBackward0 in torch)."""
    if type(index) is not tuple:
        index = (index,)
    dim = 0
    for k in index:
        if k is None:
            return SQUEEZE_BACKWARD(grad, shape=shape, index=index)
        if k is Ellipsis:
            dim = len(shape) - sum(1 for j in index if j is not None and j is not Ellipsis)
            continue
        if type(k) is not slice:
            return SELECT_BACKWARD(grad, shape=shape, index=index)
        if not _covers(k, shape[dim]):
            break
        dim += 1
    return SLICE_BACKWARD(grad, shape=shape, index=index)


# each basic index is one view node, named after the last view op PyTorch applies
_put_back = {"self": "the gradient in place, zeros elsewhere"}
SELECT = defop("SelectBackward0", _put_back, self=view_backward)
SLICE = defop("SliceBackward0", _put_back, self=view_backward)
UNSQUEEZE = defop("UnsqueezeBackward0", _put_back, self=view_backward)
ALIAS = defop("AliasBackward0", {"self": "1"}, self=lambda grad: grad)
INDEX = defop("IndexBackward0", {"self": "the gradient added at the indices, zeros elsewhere"},
              self=lambda grad, shape, index: INDEX_BACKWARD(grad, shape=shape, index=index))


# -- parsing an index ----------------------------------------------------------------------

def _is_seq_index(index: list) -> bool:
    """Whether PyTorch reads a list index as a tuple of indices (deprecated)."""
    return any(isinstance(i, (list, tuple, slice, Tensor, np.ndarray)) or i is None or i is Ellipsis
               for i in index)


def _advanced(item):
    """An advanced index item as a numpy integer or boolean array."""
    if isinstance(item, Tensor):
        a = item._data
    elif isinstance(item, np.ndarray):
        a = item
    else:
        a = np.asarray(item)
        if a.size == 0 and a.dtype.kind == "f":  # [] is an empty list of indices (int64)
            a = a.astype(np.int64)
        if a.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if a.dtype.kind not in "iub":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if a.dtype == np.uint8:
        a = a.astype(bool)
    return a


def _parse(d: np.ndarray, index):
    """Split ``index`` into a basic numpy index, the spec naming its view, and the
    advanced index to apply to that view (None when there is none)."""
    single = type(index) is not tuple
    if single:
        if type(index) is list and _is_seq_index(index):
            warnings.warn(_SEQ_WARNING, UserWarning, stacklevel=3)
            index = tuple(index)
            single = False
        else:
            index = (index,)
    items = []
    consumed = 0
    has_advanced = False
    ellipsis = False
    for item in index:
        if type(item) is range:  # a sequence of ints, as a list ("What is torch.nn really?": x[range(n), y])
            item = list(item)
        if isinstance(item, bool) or isinstance(item, np.bool_):
            items.append(("adv", np.asarray(bool(item))))
            has_advanced = True
        elif isinstance(item, (int, np.integer)):
            items.append(("int", int(item)))
            consumed += 1
        elif isinstance(item, slice):
            items.append(("slice", item))
            consumed += 1
        elif item is None:
            items.append(("none", None))
        elif item is Ellipsis:
            if ellipsis:
                raise IndexError("an index can only have a single ellipsis ('...')")
            ellipsis = True
            items.append(("ellipsis", None))
        elif isinstance(item, Tensor) and item._data.ndim == 0 and item._data.dtype.kind in "iu":
            items.append(("int", int(item._data)))
            consumed += 1
        elif isinstance(item, (Tensor, np.ndarray, list, tuple)):
            a = _advanced(item)
            items.append(("adv", a))
            consumed += a.ndim if a.dtype == np.bool_ else 1
            has_advanced = True
        elif isinstance(item, float):
            raise IndexError(_FLOAT_INDEX.format("float"))
        else:
            raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
    if consumed > d.ndim:
        if d.ndim == 0 and items and items[0][0] == "int":
            raise IndexError(_ZERO_DIM)
        raise IndexError(f"too many indices for tensor of dimension {d.ndim}")

    basic = []
    second = []        # the advanced stage, over the view's dimensions
    spec = ALIAS
    dim = 0            # dimension of d the next item applies to
    for kind, item in items:
        if kind == "int":
            size = d.shape[dim]
            if not -size <= item < size:
                raise IndexError(f"index {item} is out of bounds for dimension {dim} with size {size}")
            basic.append(item)
            spec = SELECT
            dim += 1
        elif kind == "slice":
            step = item.step
            if step is not None:
                step = int(step)
                if step == 0:
                    raise ValueError("slice step cannot be zero")
                if step < 0:
                    raise ValueError("step must be greater than zero")
            basic.append(item)
            second.append(_FULL)
            # torch skips a slice of a whole dimension inside a tuple index (x[..., :] is an alias)
            if single or not _covers(item, d.shape[dim]):
                spec = SLICE
            dim += 1
        elif kind == "none":
            basic.append(None)
            second.append(_FULL)
            spec = UNSQUEEZE
        elif kind == "ellipsis":
            n = d.ndim - consumed
            basic.append(Ellipsis)
            second.extend([_FULL] * n)
            dim += n
        else:
            n = item.ndim if item.dtype == np.bool_ else 1
            basic.extend([_FULL] * n)
            second.append(item)
            dim += n
    if not has_advanced:
        return tuple(basic), spec, None
    return tuple(basic), spec, tuple(second)


def _check_advanced(view: np.ndarray, second: tuple) -> tuple:
    """PyTorch's bounds and mask-shape errors for the advanced stage."""
    dim = 0
    for item in second:
        if isinstance(item, np.ndarray):
            if item.dtype == np.bool_:
                for j in range(item.ndim):
                    if item.shape[j] != view.shape[dim + j]:
                        raise IndexError(
                            f"The shape of the mask [{', '.join(map(str, item.shape))}] at index {j} does "
                            f"not match the shape of the indexed tensor [{', '.join(map(str, view.shape))}] "
                            f"at index {dim + j}")
                dim += item.ndim
                continue
            size = view.shape[dim]
            if item.size:
                bad = (item >= size) | (item < -size)
                if bad.any():
                    raise IndexError(f"index {int(item[bad].flat[0])} is out of bounds for dimension "
                                     f"{dim} with size {size}")
        dim += 1
    return second


# -- t[index] --------------------------------------------------------------------------------

def getitem(self, index):
    d = self._data
    if type(index) is int and d.ndim:  # the common x[i]
        size = d.shape[0]
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of bounds for dimension 0 with size {size}")
        return make_view(SELECT, d[index, ...], self, {"shape": d.shape, "index": index})
    if d.ndim == 0 and type(index) is int:
        raise IndexError(_ZERO_DIM)
    basic, spec, second = _parse(d, index)
    x = self
    if second is None or spec is not ALIAS:
        if Ellipsis not in basic:
            basic = basic + (Ellipsis,)  # so numpy returns a view even when every item is an int
        x = make_view(spec, d[basic], self, None if spec is ALIAS else {"shape": d.shape, "index": basic})
        if second is None:
            return x
    v = x._data
    _check_advanced(v, second)
    _check_result_size(v, second)
    return record(INDEX, v[second], (x,), {"shape": v.shape, "index": second})


def _check_result_size(v: np.ndarray, second: tuple) -> None:
    """--max-elements for ``v[second]``: the index arrays broadcast, beside the dims they leave."""
    bound = v.size
    for item in second:
        if isinstance(item, np.ndarray):
            bound *= item.size
    if bound <= limits.max_elements:  # the result holds at most this many
        return
    shapes, rest, place, dim = [], [], [], 0
    for item in second:
        if not isinstance(item, np.ndarray):
            rest.append(v.shape[dim])
            dim += 1
            continue
        shapes.append((int(np.count_nonzero(item)),) if item.dtype == np.bool_ else item.shape)
        place.append(len(rest))
        dim += item.ndim if item.dtype == np.bool_ else 1
    rest.extend(v.shape[dim:])
    try:
        indexed = np.broadcast_shapes(*shapes)
    except ValueError:  # numpy's own error follows
        return
    at = place[0] if len(set(place)) == 1 else 0  # torch's place for adjacent index arrays, else first
    check_shape(tuple(rest[:at]) + indexed + tuple(rest[at:]), v.itemsize)


# torch saves the indices: a second backward pass fails
INDEX.saves = ("index",)


def _shape_text(s):
    return "[" + ", ".join(str(k) for k in s) + "]"


# -- the backward helpers as recorded ops (F = tensor backend, create_graph=True) ----------------

VIEW_PUT = defop("SliceBackwardBackward0", {"values": "grad[index]"},
                 values=lambda grad, index: grad[index])
INDEX_PUT_ZEROS = defop("IndexPutBackward0", {"values": "grad[index]"},
                        values=lambda grad, index: grad[index])


def view_put_zeros(shape, index, values):
    """zeros(shape) with ``values`` written at a basic index, recorded."""
    out = np.zeros(shape, dtype=values._data.dtype)
    out[index] = values._data
    return record(VIEW_PUT, out, (values,), {"index": index})


def index_put_zeros(shape, dtype_of, index, values):
    """zeros(shape) with ``values`` added at an advanced index, recorded."""
    out = np.zeros(shape, dtype=values._data.dtype)
    np.add.at(out, index, values._data)
    return record(INDEX_PUT_ZEROS, out, (values,), {"index": index})


# -- index_select, gather, masked_fill ------------------------------------------------------------

INDEX_SELECT = defop("IndexSelectBackward0", {"self": "the gradient added at the indices"},
                     self=lambda grad, shape, index: INDEX_SELECT_BACKWARD(grad, shape=shape, index=index))
GATHER = defop("GatherBackward0", {"self": "the gradient added at the gathered places"},
               self=lambda grad, shape, index: GATHER_BACKWARD(grad, shape=shape, index=index))


# of a 0-d input (torch reads it as one element): every gathered copy's gradient adds up
INDEX_SELECT0 = defop("IndexSelectBackward0", {"self": "the gradient"}, self=lambda grad, index: grad)
GATHER0 = defop("GatherBackward0", {"self": "the sum of the gradient"},
                self=lambda grad, index, F: F.sum(grad))
INDEX_SELECT.saves = GATHER.saves = INDEX_SELECT0.saves = GATHER0.saves = ("index",)


def _index_array(index, what):
    a = index._data if isinstance(index, Tensor) else np.asarray(index)
    if a.dtype.kind not in "iu":
        raise RuntimeError(what)
    return a


def index_select(input, dim, index):
    d = input._data
    idx = _index_array(index, "index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    dim = _wrap_dim(dim, d.ndim)
    idx = idx.reshape(-1)
    if not d.ndim:
        if idx.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
        if idx[0] != 0:
            raise IndexError("index out of range in self")
        return record(INDEX_SELECT0, d.copy(), (input,), {"index": idx})
    size = d.shape[dim] if d.ndim else 1
    if idx.size and ((idx >= size) | (idx < -size)).any():
        raise IndexError("index out of range in self")
    full = (_FULL,) * dim + (idx,)
    check_shape(d.shape[:dim] + idx.shape + d.shape[dim + 1:], d.itemsize)
    return record(INDEX_SELECT, d[full], (input,), {"shape": d.shape, "index": full})


def gather(input, dim, index, *, sparse_grad=False):
    d = input._data
    idx = _index_array(index, "gather(): Expected dtype int32/int64 for index")
    dim = _wrap_dim(dim, d.ndim)
    if not d.ndim and idx.ndim <= 1:
        if idx.size and (idx != 0).any():
            raise RuntimeError(f"index {int(idx[idx != 0].flat[0])} is out of bounds for dimension 0 with size 1")
        return record(GATHER0, np.broadcast_to(d, idx.shape).copy(), (input,), {"index": idx})
    if idx.ndim != d.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(d.ndim):
        if k != dim and idx.shape[k] > d.shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {_shape_text(idx.shape)} to be no "
                f"larger than self {_shape_text(d.shape)} apart from dimension {dim}")
    size = d.shape[dim]
    if idx.size and ((idx >= size) | (idx < 0)).any():
        bad = int(idx[(idx >= size) | (idx < 0)].flat[0])
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    grids = np.indices(idx.shape, sparse=True)
    full = tuple(idx if k == dim else grids[k] for k in range(d.ndim))
    return record(GATHER, d[full], (input,), {"shape": d.shape, "index": full})


MASKED_FILL = defop("MaskedFillBackward0", {"self": "grad, 0 where masked"},
                    self=lambda grad, mask, F: F.masked_fill(grad, mask, 0.0))
MASKED_FILL_TENSOR = defop("MaskedFillBackward1", {"self": "grad, 0 where masked", "value": "sum of grad where masked"},
                           self=lambda grad, mask, F: F.masked_fill(grad, mask, 0.0),
                           value=lambda grad, mask, F: F.sum(grad - F.masked_fill(grad, mask, 0.0)))

MASKED_FILL.saves = MASKED_FILL_TENSOR.saves = ("mask",)


def masked_fill(input, mask, value):
    d = input._data
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if isinstance(value, Tensor) and value._data.ndim != 0:  # torch checks the value first
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                           f"with {value._data.ndim} dimension(s).")
    if m.dtype != np.bool_:
        from ._dispatch import _torch_type_name
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_torch_type_name(m.dtype).lower()}")
    if isinstance(value, Tensor):
        fill = value._data.astype(d.dtype)
    elif isinstance(value, (int, float, complex, np.generic)):
        fill = np.asarray(value).astype(d.dtype)
    else:  # a Number or a Tensor (numpy would take a list, or None as nan): the parser's TypeError
        raise TypeError(f"masked_fill's value is no Number: {type(value).__name__}")
    check_broadcast_size(d, m)
    try:
        out = np.where(m, fill, d)
    except ValueError:
        from ._dispatch import broadcast_error
        raise broadcast_error(d, m) from None
    if isinstance(value, Tensor):
        return record(MASKED_FILL_TENSOR, out, (input, value), {"mask": m})
    return record(MASKED_FILL, out, (input,), {"mask": m})


from .setitem import setitem  # noqa: E402  (t[index] = value: imported after _parse, which it uses)

TENSOR_METHODS = {
    "__getitem__": getitem, "__setitem__": setitem, "index_select": index_select,
    "gather": gather, "masked_fill": masked_fill,
}
TENSOR_INPLACE = {"masked_fill_": masked_fill}
TORCH_EXPORTS = {"index_select": index_select, "gather": gather, "masked_fill": masked_fill}

from . import scatter as _scatter  # noqa: E402  (scatter, scatter_add, take_along_dim, masked_select)

TENSOR_METHODS.update(_scatter.TENSOR_METHODS)
TENSOR_INPLACE.update(_scatter.TENSOR_INPLACE)
TORCH_EXPORTS.update(_scatter.TORCH_EXPORTS)

from . import index_ops as _index_ops  # noqa: E402  (index_add, index_fill, index_copy)

TENSOR_METHODS.update(_index_ops.TENSOR_METHODS)
TENSOR_INPLACE.update(_index_ops.TENSOR_INPLACE)
TORCH_EXPORTS.update(_index_ops.TORCH_EXPORTS)
