"""scatter, scatter_add (and their in-place forms, the usual way to one-hot encode),
take_along_dim and masked_select: writes and reads at index tensors along a dim."""

from __future__ import annotations

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor, _wrap_dim, wrap
from ._dispatch import _torch_type_name
from .arithmetic import FLOOR_DIVIDE
from .registry import defop, record


def _full_index(index: np.ndarray, dim: int) -> tuple:
    """The advanced index that reaches, for each element of ``index``, its place along ``dim``."""
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if k == dim else grids[k] for k in range(index.ndim))


def scatter_array(d, dim, index, src=None, value=None, reduce=None):
    """``d`` with src (or value) written (or added, multiplied) at ``index`` along ``dim``."""
    out = np.array(d, copy=True)
    flat = out.ndim == 0
    if flat:
        out, index = out.reshape(1), index.reshape(-1)
        src = None if src is None else np.asarray(src).reshape(-1)
    full = _full_index(index, dim)
    values = value if src is None else src[tuple(slice(0, n) for n in index.shape)]
    if reduce is None:
        out[full] = values
    elif reduce == "add":
        np.add.at(out, full, values)
    else:
        np.multiply.at(out, full, values)
    return out.reshape(()) if flat else out


def gather_array(d, dim, index):
    d = np.asarray(d)
    if d.ndim == 0:
        return np.broadcast_to(d, index.shape).copy()
    return d[_full_index(index, dim)]


def _src_grad(name, grad, dim, index, src_shape, F):
    """grad gathered at index: index's shape, which the engine refuses for a larger src."""
    if tuple(np.shape(index)) != tuple(src_shape) and len(src_shape):
        raise RuntimeError(f"Function {name} returned an invalid gradient at index 1 - got "
                           f"{list(np.shape(index))} but expected shape compatible with {list(src_shape)}")
    return F.gather(grad, dim, index)


SCATTER_SRC = defop("ScatterBackward0", {"self": "grad, 0 where written", "src": "grad gathered at index"},
                    self=lambda grad, dim, index, F: F.scatter_value(grad, dim, index, 0),
                    src=lambda grad, dim, index, src_shape, F: _src_grad("ScatterBackward0", grad, dim, index,
                                                                         src_shape, F))
SCATTER_VALUE = defop("ScatterBackward1", {"self": "grad, 0 where written"},
                      self=lambda grad, dim, index, F: F.scatter_value(grad, dim, index, 0))
SCATTER_ADD = defop("ScatterAddBackward0", {"self": "grad", "src": "grad gathered at index"},
                    self=lambda grad: grad,
                    src=lambda grad, dim, index, src_shape, F: _src_grad("ScatterAddBackward0", grad, dim, index,
                                                                         src_shape, F))
SCATTER_SRC.saves = SCATTER_VALUE.saves = SCATTER_ADD.saves = ("index",)


def _checked(name, input, dim, index, src):
    """torch's checks of a scatter's arguments, in its order; the wrapped dim and index array."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): index must be a Tensor")  # the call site words it as torch's parser
    idx = index._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    d = input._data
    dim = _wrap_dim(dim, d.ndim)
    if isinstance(src, Tensor) and src._data.dtype != d.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    nd = max(d.ndim, 1)
    if max(idx.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if isinstance(src, Tensor) and max(src._data.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    shape, ishape = d.shape or (1,), idx.shape or (1,)
    sshape = (src._data.shape or (1,)) if isinstance(src, Tensor) else None
    too_big = any(ishape[k] > shape[k] for k in range(nd) if k != dim)
    if sshape is not None and (too_big or any(ishape[k] > sshape[k] for k in range(nd))):
        raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self {list(shape)} apart from "
                           f"dimension {dim} and to be no larger size than src {list(sshape)}")
    if too_big:
        raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self {list(shape)} apart from "
                           f"dimension {dim}")
    size = shape[dim]
    bad = (idx >= size) | (idx < 0)
    if idx.size and bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {dim} with size {size}")
    return dim, idx


def _number_value(value, dtype):
    if isinstance(value, Tensor):
        value = value._data.item()
    if not isinstance(value, (int, float, bool)):
        raise TypeError("scatter's value must be a Number")
    return np.asarray(value).astype(dtype)


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    if src is None and value is None:
        raise TypeError("scatter() missing its src or value")
    if src is not None and not isinstance(src, Tensor):  # scatter(x, dim, index, 2.5): the value overload
        src, value = None, src
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    dim, idx = _checked("scatter", input, dim, index, src)
    d = input._data
    if src is not None:
        out = scatter_array(d, dim, idx, src=src._data, reduce=reduce)
        inputs = (input, src)
    else:
        out = scatter_array(d, dim, idx, value=_number_value(value, d.dtype), reduce=reduce)
        inputs = (input,)
    if reduce is not None:  # torch has no derivative for the reduce overloads
        return record(FLOOR_DIVIDE, out, inputs, {"op": "scatter"})
    return record(SCATTER_SRC if src is not None else SCATTER_VALUE, out, inputs,
                  {"dim": dim, "index": idx, "src_shape": src._data.shape if src is not None else ()})


def scatter_add(input, dim, index, src):
    if not isinstance(src, Tensor):
        raise TypeError("scatter_add(): src must be a Tensor")
    dim, idx = _checked("scatter_add", input, dim, index, src)
    out = scatter_array(input._data, dim, idx, src=src._data, reduce="add")
    return record(SCATTER_ADD, out, (input, src), {"dim": dim, "index": idx, "src_shape": src._data.shape})


def _index_of(index):
    return index._data if isinstance(index, Tensor) else np.asarray(index)


def scatter_value_backend(grad, dim, index, value):
    """The numpy backend's grad.scatter(dim, index, value)."""
    return scatter_array(grad, dim, _index_of(index), value=np.asarray(value).astype(np.asarray(grad).dtype))


def gather_backend(grad, dim, index):
    return gather_array(grad, dim, _index_of(index))


# -- take_along_dim, masked_select -----------------------------------------------------------------

def take_along_dim(input, indices, dim=None):
    from .indexing import gather
    from .shape import expand, reshape
    if not isinstance(indices, Tensor) or not isinstance(input, Tensor):
        raise TypeError("take_along_dim() takes tensors")
    if dim is None:
        return gather(reshape(input, (-1,)), 0, reshape(indices, (-1,)))
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_torch_type_name(indices._data.dtype)}")
    d, idx = input._data, indices._data
    if d.ndim != idx.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                           f"dimensions, but got {d.ndim} dimensions for input, and {idx.ndim} dimensions for indices")
    dim = _wrap_dim(dim, d.ndim)
    # torch broadcasts every other dim of the two, expanding each only when its shape changes
    shape_d, shape_i = list(d.shape), list(idx.shape)
    shape_d[dim] = shape_i[dim] = 1
    try:
        common = list(np.broadcast_shapes(tuple(shape_d), tuple(shape_i)))
    except ValueError:
        from ._dispatch import broadcast_error
        raise broadcast_error(np.empty(shape_d), np.empty(shape_i)) from None
    want_i = tuple(common[:dim] + [idx.shape[dim]] + common[dim + 1:])
    want_d = tuple(common[:dim] + [d.shape[dim]] + common[dim + 1:])
    if want_i != idx.shape:
        indices = expand(indices, want_i)
    if want_d != d.shape:
        input = expand(input, want_d)
    return gather(input, dim, indices)


MASKED_SELECT = defop("MaskedSelectBackward0", {"self": "grad placed where the mask is true, zeros elsewhere"},
                      self=lambda grad, shape, mask, F: F.masked_scatter_zeros(grad, shape, mask))
MASKED_SELECT.saves = ("mask",)


def masked_select(input, mask):
    if not isinstance(mask, Tensor) or not isinstance(input, Tensor):
        raise TypeError("masked_select() takes tensors")
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    d = input._data
    try:
        shape = np.broadcast_shapes(d.shape, m.shape)
    except ValueError:
        from ._dispatch import broadcast_error
        raise broadcast_error(m, d) from None
    check_shape(shape, d.itemsize)  # --max-elements: the broadcast mask may select all of it
    full_mask = np.broadcast_to(m, shape)
    out = np.broadcast_to(d, shape)[full_mask]
    return record(MASKED_SELECT, out, (input,), {"shape": shape, "mask": full_mask})


def masked_scatter_zeros_backend(grad, shape, mask):
    grad = np.asarray(grad)
    out = np.zeros(shape, dtype=grad.dtype)
    out[mask] = grad
    return out


MASKED_SCATTER_ZEROS = defop("MaskedScatterBackward0", {"source": "grad where the mask is true"},
                             source=lambda grad, mask, F: F.masked_select_mask(grad, mask))
MASKED_SCATTER_ZEROS.saves = ("mask",)


def masked_scatter_zeros(grad, shape, mask):
    """zeros(shape).masked_scatter(mask, grad), recorded (the backward of masked_select)."""
    return record(MASKED_SCATTER_ZEROS, masked_scatter_zeros_backend(grad._data, shape, mask), (grad,),
                  {"mask": mask, "shape": shape})


def masked_select_mask(grad, mask):
    """grad where an array mask is true (recorded on tensors)."""
    if isinstance(grad, Tensor):
        return masked_select(grad, wrap(np.asarray(mask)))
    return np.asarray(grad)[np.broadcast_to(mask, np.shape(grad))]


TENSOR_METHODS = {"scatter": scatter, "scatter_add": scatter_add, "take_along_dim": take_along_dim,
                  "masked_select": masked_select}
TENSOR_INPLACE = {"scatter_": scatter, "scatter_add_": scatter_add}
TORCH_EXPORTS = dict(TENSOR_METHODS)
