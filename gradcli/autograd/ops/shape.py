"""Shape ops that return views: view, reshape, squeeze, expand, transposes and permutations,
and their in-place forms (t_, squeeze_...).  Views of part of a tensor (split, chunk,
unbind, select, narrow) live in ops/pieces.py, the ops that copy (clone, cat, stack,
repeat, flip, roll) in ops/joins.py; both are re-exported here.

A view's result is a View (ops/views.py): numpy's view of the same memory, sharing the
base's version counter, so in-place changes through it reach the base and its history.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import dtypes
from ..limits import check_shape
from ..tensor import _wrap_dim, wrap
from ._dims import distinct_dims
from ._dispatch import bump_version, check_inplace
from .joins import (_shape_text, _sizes, _to_copy, cat, clone, concat,  # noqa: F401 (importers of shape)
                    concatenate, contiguous, flip, fliplr, flipud, hstack, numel, repeat, roll, stack, vstack)
from .joins import TENSOR_METHODS as _JOIN_METHODS, TORCH_EXPORTS as _JOIN_EXPORTS
from .pieces import chunk, narrow, select, split, unbind  # noqa: F401 (importers of shape)
from .pieces import TENSOR_METHODS as _PIECE_METHODS
from .registry import defop, record
from .views import make_view, set_view_history

_T_WARNING = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)")
_T0_WARNING = (
    "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)")


# a view op's result: a View of ``self``'s base (see views.py)
_view_of = make_view


def _infer(shape: tuple, numel: int) -> tuple:
    """Resolve one -1 in ``shape`` as torch's infer_size does, with its errors."""
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_shape_text(shape)}")
        else:
            known *= s
    if infer is None:
        if known == numel:
            return shape
    elif known != 0 and numel % known == 0:
        return shape[:infer] + (numel // known,) + shape[infer + 1:]
    raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")


# -- views that keep every element ----------------------------------------------------

VIEW = defop("ViewBackward0", {"self": "reshape to self's shape"},
             self=lambda grad, shape, F: F.reshape(grad, shape))
RESHAPE_ALIAS = defop("ReshapeAliasBackward0", {"self": "reshape to self's shape"},
                      self=lambda grad, shape, F: F.reshape(grad, shape))
UNSAFE_VIEW = defop("UnsafeViewBackward0", {"self": "reshape to self's shape"},
                    self=lambda grad, shape, F: F.reshape(grad, shape))
ALIAS = defop("AliasBackward0", {"self": "1"}, self=lambda grad: grad)

_VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one "
               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


def view(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        return wrap(self._data.view(shape[0].np))
    d = self._data
    shape = _infer(_sizes(shape), d.size)
    if d.flags.c_contiguous:
        out = d.reshape(shape)
    else:
        try:
            out = np.reshape(d, shape, copy=False)
        except ValueError:
            raise RuntimeError(_VIEW_ERROR) from None
    return _view_of(VIEW, out, self, {"shape": d.shape})


def reshape(self, *shape):
    d = self._data
    shape = _infer(_sizes(shape), d.size)
    if d.flags.c_contiguous:
        return _view_of(VIEW, d.reshape(shape), self, {"shape": d.shape})
    try:
        out = np.reshape(d, shape, copy=False)
    except ValueError:
        return _unsafe_view(clone(self), shape)
    return _view_of(RESHAPE_ALIAS, out, self, {"shape": d.shape})


def _unsafe_view(self, shape):
    """A reshape of a freshly made tensor (matmul, reshape of a copy): not a view to autograd."""
    d = self._data
    return record(UNSAFE_VIEW, d.reshape(shape), (self,), {"shape": d.shape})


def view_as(self, other):
    return view(self, other._data.shape)


def reshape_as(self, other):
    return reshape(self, other._data.shape)


def flatten(input, start_dim=0, end_dim=-1):
    d = input._data
    if d.ndim == 0:  # torch wraps both dims first ([-1, 0] for a 0-d tensor)
        _wrap_dim(start_dim, 0)
        _wrap_dim(end_dim, 0)
        return reshape(input, (1,))
    s = _wrap_dim(start_dim, d.ndim)
    e = _wrap_dim(end_dim, d.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    n = 1
    for k in d.shape[s:e + 1]:
        n *= k
    return reshape(input, d.shape[:s] + (n,) + d.shape[e + 1:])


def unflatten(input, dim, sizes):
    d = input._data
    dim = _wrap_dim(dim, d.ndim)
    sizes = tuple(sizes)
    try:
        full = _infer(sizes, d.shape[dim])
    except RuntimeError:
        full = None
    if full is None or sizes.count(-1) > 1:
        if sizes.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        raise RuntimeError(f"unflatten: Provided sizes {_shape_text(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({d.shape[dim]}) in the input tensor")
    return view(input, d.shape[:dim] + full + d.shape[dim + 1:])


# -- size-1 dimensions -----------------------------------------------------------------

def _unsqueeze_to(grad, shape, F):
    """torch's unsqueeze_to: the squeezed size-1 dims back by unsqueeze (UnsqueezeBackward0
    under create_graph), found by matching grad's dims to shape's from the left."""
    have = tuple(grad.shape)
    j = 0
    for d, size in enumerate(shape):
        if j < len(have) and have[j] == size:
            j += 1
        else:  # a squeezed size-1 dim
            grad = F.unsqueeze(grad, d)
            have = have[:j] + (1,) + have[j:]
            j += 1
    return grad


SQUEEZE0 = defop("SqueezeBackward0", {"self": "unsqueeze the squeezed dims"},
                 self=lambda grad, shape, F: _unsqueeze_to(grad, shape, F))
SQUEEZE1 = defop("SqueezeBackward1", {"self": "unsqueeze(dim)"},
                 self=lambda grad, shape, F: _unsqueeze_to(grad, shape, F))
SQUEEZE2 = defop("SqueezeBackward2", {"self": "unsqueeze the squeezed dims"},
                 self=lambda grad, shape, F: _unsqueeze_to(grad, shape, F))
# the in-place squeeze_(), squeeze_(dim), squeeze_(dims)
SQUEEZE_ = tuple(defop(f"SqueezeBackward{k}", {"self": "unsqueeze the squeezed dims"},
                       self=lambda grad, shape, F: _unsqueeze_to(grad, shape, F)) for k in (3, 4, 5))
UNSQUEEZE = defop("UnsqueezeBackward0", {"self": "squeeze(dim)"},
                  self=lambda grad, dim, F: F.squeeze(grad, dim))


def _squeezed(d, dim):
    """squeeze(dim)'s result array, and which of torch's squeeze overloads it is (0, 1, 2)."""
    if dim is None:
        return 0, d.reshape(tuple(s for s in d.shape if s != 1))
    if isinstance(dim, (tuple, list)):
        dims = distinct_dims(dim, d.ndim)
        return 2, d.reshape(tuple(s for i, s in enumerate(d.shape) if not (i in dims and s == 1)))
    k = _wrap_dim(dim, d.ndim)
    return 1, d.reshape(d.shape[:k] + d.shape[k + 1:]) if d.ndim and d.shape[k] == 1 else d.view()


def squeeze(input, dim=None):
    d = input._data
    kind, out = _squeezed(d, dim)
    return _view_of((SQUEEZE0, SQUEEZE1, SQUEEZE2)[kind], out, input, {"shape": d.shape})


def _squeeze_inplace_result(input, dim):
    """What ``input.squeeze_(dim)`` gives on a fresh tensor (matmul's 1-D cases)."""
    d = input._data
    k = _wrap_dim(dim, d.ndim)
    out = d.reshape(d.shape[:k] + d.shape[k + 1:]) if d.shape[k] == 1 else d
    return record(SQUEEZE_[1], out, (input,), {"shape": d.shape})


def unsqueeze(input, dim):
    d = input._data
    k = _wrap_dim(dim, d.ndim + 1)
    return _view_of(UNSQUEEZE, d.reshape(d.shape[:k] + (1,) + d.shape[k:]), input, {"dim": k})


# -- broadcasting copies -----------------------------------------------------------------

# NOTE: the engine sums the gradient back to self's shape (one place for un-broadcasting)
EXPAND = defop("ExpandBackward0", {"self": "sum to self's shape"}, self=lambda grad, shape, F: F.sum_to(grad, shape))


def _expand_shape(d, sizes):
    nd = d.ndim
    n = len(sizes)
    if n < nd:
        raise RuntimeError(
            f"expand({_legacy_name(d)}{{{_shape_text(d.shape)}}}, size={_shape_text(sizes)}): the number "
            f"of sizes provided ({n}) must be greater or equal to the number of dimensions in the tensor ({nd})")
    out = list(sizes)
    lead = n - nd
    for i in range(n - 1, -1, -1):  # torch checks from the last dim
        s = sizes[i]
        if i < lead:
            if s < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}")
            continue
        have = d.shape[i - lead]
        if s == -1:
            out[i] = have
        elif have != s and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at "
                f"non-singleton dimension {i}.  Target sizes: {_shape_text(sizes)}.  "
                f"Tensor sizes: {_shape_text(d.shape)}")
    return tuple(out)


def _legacy_name(d):
    from ..tensor import _LEGACY_NAMES
    return _LEGACY_NAMES.get(d.dtype.name, "torch.Tensor")


def expand(self, *sizes):
    d = self._data
    shape = _expand_shape(d, _sizes(sizes))
    # --max-elements counts the view: whatever reads it (a copy, an op) allocates that many
    check_shape(shape, d.itemsize)
    # writable, as torch's: fill_/zero_ may write an expanded tensor, ops that read it may not
    out = np.lib.stride_tricks.as_strided(d, shape, np.broadcast_to(d, shape).strides, writeable=d.flags.writeable)
    return _view_of(EXPAND, out, self, {"shape": d.shape})


def expand_as(self, other):
    return expand(self, other._data.shape)


# -- transposes ----------------------------------------------------------------------------

T = defop("TBackward0", {"self": "t(grad)"}, self=lambda grad, F: F.t(grad))
TRANSPOSE = defop("TransposeBackward0", {"self": "transpose(grad)"},
                  self=lambda grad, dim0, dim1, F: grad if dim0 == dim1 else F.transpose(grad, dim0, dim1))
PERMUTE = defop("PermuteBackward0", {"self": "permute by the inverse"},
                self=lambda grad, inverse, F: F.permute(grad, inverse))


def _t(d, name="t"):
    if d.ndim > 2:
        raise RuntimeError(f"{name}() expects a tensor with <= 2 dimensions, but self is {d.ndim}D")
    return d.T


def t(input):
    return _view_of(T, _t(input._data), input)


def _transposed(d, dim0, dim1):
    a = _wrap_dim(dim0, d.ndim)
    b = _wrap_dim(dim1, d.ndim)
    return np.swapaxes(d, a, b) if d.ndim else d.view(), {"dim0": a, "dim1": b}


def transpose(input, dim0, dim1):
    out, dims = _transposed(input._data, dim0, dim1)
    return _view_of(TRANSPOSE, out, input, dims)


swapaxes = swapdims = transpose


def permute(input, *dims):
    d = input._data
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _sizes(dims)
    if len(dims) != d.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
            f"of the desired ordering of dimensions i.e. input.dim() = {d.ndim} is not equal to "
            f"len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(k, d.ndim) for k in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    inverse = tuple(np.argsort(dims).tolist())
    return _view_of(PERMUTE, d.transpose(dims), input, {"inverse": inverse})


def movedim(input, source, destination):
    nd = input._data.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({_shape_text(src)} dims) should "
            f"contain the same number of dims as destination ({_shape_text(dst)} dims)")
    for which, given in (("source", src), ("destination", dst)):
        wrapped = [_wrap_dim(k, nd) for k in given]
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"movedim: repeated dim in `{which}` ({_shape_text(given)})")
    src = [_wrap_dim(k, nd) for k in src]
    dst = [_wrap_dim(k, nd) for k in dst]
    if not nd:  # torch: a 0-d tensor is moved by an alias
        return _view_of(ALIAS, input._data.view(), input)
    order = [k for k in range(nd) if k not in src]
    perm = [None] * nd
    for s, e in zip(src, dst):
        perm[e] = s
    rest = iter(order)
    perm = [p if p is not None else next(rest) for p in perm]
    return permute(input, perm)


moveaxis = movedim


_warned = set()  # PyTorch gives each of these warnings once per process (TORCH_WARN_ONCE)


def _T(self):
    nd = self._data.ndim
    if nd != 2:
        text = _T0_WARNING if nd == 0 else _T_WARNING
        if text not in _warned:
            _warned.add(text)
            warnings.warn(text, UserWarning, stacklevel=2)
    return permute(self, tuple(range(nd - 1, -1, -1)))


def _mT(self):
    nd = self._data.ndim
    if nd < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {nd}-D tensor.")
    return transpose(self, -2, -1)


def _H(self):
    nd = self._data.ndim
    if nd == 2:
        return transpose(self, 0, 1)
    if nd > 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D tensor. "
                           "For batches of matrices, consider using tensor.mH")
    raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D tensor.")


def _mH(self):
    nd = self._data.ndim
    if nd < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. Got {nd}-D tensor.")
    return transpose(self, -2, -1)


_ADJOINT0_WARNING = (
    "adjoint() is deprecated on 0-D tensors. Consider using x.conj(). "
    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4390.)")


def adjoint(input):
    nd = input._data.ndim
    if nd == 0:  # torch: the tensor itself (its conj), with a deprecation warning
        if _ADJOINT0_WARNING not in _warned:
            _warned.add(_ADJOINT0_WARNING)
            warnings.warn(_ADJOINT0_WARNING, UserWarning, stacklevel=2)
        return input
    if nd < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of matrices. Got {nd}-D tensor.")
    return _mH(input)


# -- in-place view ops: the tensor itself takes the new shape ----------------------------------

T1 = defop("TBackward1", {"self": "t(grad)"}, self=lambda grad, F: F.t(grad))
TRANSPOSE1 = defop("TransposeBackward1", {"self": "transpose(grad)"},
                   self=lambda grad, dim0, dim1, F: grad if dim0 == dim1 else F.transpose(grad, dim0, dim1))
UNSQUEEZE1 = defop("UnsqueezeBackward1", {"self": "squeeze(dim)"}, self=lambda grad, dim, F: F.squeeze(grad, dim))


def _in_place(self, spec, out, params=None):
    """``self`` becomes ``out`` (numpy's other view of the same memory), as torch's t_/squeeze_:
    the version moves on, and the op's node is ``self``'s history (a view stays a view)."""
    check_inplace(self)
    node = record(spec, out, (self,), params).grad_fn
    self._data = out
    bump_version(self)
    if node is not None:
        set_view_history(self, node)
    return self


# torch checks the leaf (or view) before the dims: check_inplace comes first in each

def t_(self):
    check_inplace(self)
    return _in_place(self, T1, _t(self._data, "t_"))


def transpose_(self, dim0, dim1):
    check_inplace(self)
    out, dims = _transposed(self._data, dim0, dim1)
    return _in_place(self, TRANSPOSE1, out, dims)


def squeeze_(self, dim=None):
    check_inplace(self)
    d = self._data
    kind, out = _squeezed(d, dim)
    return _in_place(self, SQUEEZE_[kind], out, {"shape": d.shape})


def unsqueeze_(self, dim):
    check_inplace(self)
    d = self._data
    k = _wrap_dim(dim, d.ndim + 1)
    return _in_place(self, UNSQUEEZE1, d.reshape(d.shape[:k] + (1,) + d.shape[k:]), {"dim": k})


TENSOR_METHODS = {
    "view": view, "reshape": reshape, "view_as": view_as, "reshape_as": reshape_as,
    "flatten": flatten, "unflatten": unflatten,
    "squeeze": squeeze, "unsqueeze": unsqueeze, "expand": expand, "expand_as": expand_as,
    "t": t, "transpose": transpose, "swapaxes": transpose, "swapdims": transpose,
    "permute": permute, "movedim": movedim, "moveaxis": movedim, "adjoint": adjoint,
    "T": property(_T), "mT": property(_mT), "H": property(_H), "mH": property(_mH),
    "t_": t_, "transpose_": transpose_, "swapaxes_": transpose_, "swapdims_": transpose_,
    "squeeze_": squeeze_, "unsqueeze_": unsqueeze_,
    **_JOIN_METHODS, **_PIECE_METHODS,
}

def _sizes_list(name, param, sizes):
    """torch.reshape / torch.permute take their sizes as one list (the methods also take them
    as separate ints): an int is torch's parser's TypeError."""
    if not isinstance(sizes, (tuple, list)):
        raise TypeError(f"{name}(): argument '{param}' (position 2) must be tuple of ints, not {type(sizes).__name__}")
    return sizes


def torch_reshape(input, shape):
    return reshape(input, _sizes_list("reshape", "shape", shape))


def torch_permute(input, dims):
    return permute(input, _sizes_list("permute", "dims", dims))


torch_reshape.__name__ = torch_reshape.__qualname__ = "reshape"
torch_permute.__name__ = torch_permute.__qualname__ = "permute"


TORCH_EXPORTS = {
    "reshape": torch_reshape, "flatten": flatten, "unflatten": unflatten, "squeeze": squeeze,
    "unsqueeze": unsqueeze, "t": t, "transpose": transpose, "swapaxes": transpose, "swapdims": transpose,
    "permute": torch_permute, "movedim": movedim, "moveaxis": movedim, "adjoint": adjoint,
    **_JOIN_EXPORTS, **_PIECE_METHODS,
}

from . import grids as _grids  # noqa: E402  (meshgrid, cartesian_prod, broadcast_to/_tensors, atleast_nd)

TORCH_EXPORTS.update(_grids.TORCH_EXPORTS)
TENSOR_METHODS.update(_grids.TENSOR_METHODS)

from . import blocks as _blocks  # noqa: E402  (rot90, block_diag, tensor_split)

TORCH_EXPORTS.update(_blocks.TORCH_EXPORTS)
TENSOR_METHODS.update(_blocks.TENSOR_METHODS)
