"""Views, and in-place ops through them: autograd's "view + in-place" semantics.

A tensor made by a view op (basic indexing, view/reshape, squeeze/unsqueeze, expand,
narrow, diagonal, t/transpose/permute, unbind/split/chunk) is a ``View``: it shares
memory and the version counter with its *base* (the first tensor of a chain of views
that is not itself a view).  An in-place op on a view that needs a gradient gives the
base a new history, ``CopySlices`` (the gradient with the view's region replaced by
the op's backward applied to that region), and the view ``AsStridedBackward0`` over
it.  Every other view of the base notices the version change the next time its
``grad_fn`` is read and rebuilds it the same way, as torch does lazily.

Only views pay for this: ``grad_fn`` and ``_requires_grad`` are plain slots on Tensor
and properties on View, so ops on ordinary tensors run exactly as before.
"""

from __future__ import annotations

from weakref import ref as _weakref

import numpy as np

from ..function import Node
from ..grad_mode import state as grad_state
from ..tensor import Tensor, wrap as _wrap
from .registry import attach, backward_op, defop, gradient_edge

# torch's CreationMeta: how a view was made decides whether it may be written in place
DEFAULT, MULTI_OUTPUT, NO_GRAD = 0, 1, 2

_MULTI_TEXT = (" This view is the output of a function that returns multiple views. Such functions do not"
               " allow the output views to be modified inplace. You should replace the inplace operation by"
               " an out-of-place one.")
_NO_GRAD_TEXT = (" Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify"
                 " your code by moving both the view and the inplace either both inside the no_grad block"
                 " (if you don't want the inplace to be tracked) or both outside (if you want the inplace"
                 " to be tracked).")

_GRAD_FN = Tensor.__dict__["grad_fn"]  # the slots behind View's properties
_REQUIRES_GRAD = Tensor.__dict__["_requires_grad"]


class _NoEdge(Node):
    """Where the gradient of a view that only requires grad through its base goes: nowhere
    (torch gives such a view, made under no_grad, no gradient edge of its own)."""

    __slots__ = ()
    _no_edge = True

    def __init__(self):
        Node.__init__(self, ())


def _grad_fn(self):
    fn = _GRAD_FN.__get__(self)
    if self._view_version == self._vc[0]:
        return fn
    return _refresh(self, fn)


def _requires_grad(self):
    return _REQUIRES_GRAD.__get__(self) or self._base._requires_grad


def _accum(self):
    if _REQUIRES_GRAD.__get__(self):  # a view made a leaf with requires_grad_()
        return self.__dict__.get("_accum_ref")
    if self._sink is None:
        self._sink = _NoEdge()
    return _weakref(self._sink)


def _set_accum(self, ref):
    self.__dict__["_accum_ref"] = ref


class View(Tensor):
    """A tensor that is a view of another's memory (see the module docstring).

    Besides Tensor's state it keeps ``_base``, ``_view_version`` (the version of the shared
    counter its ``grad_fn`` was made at) and, when not the defaults, ``_view_made`` (how
    it was made, torch's CreationMeta) and ``_output_nr`` (its place among a multi-output
    op's pieces).
    """

    __slots__ = ()
    _view_made = DEFAULT
    _output_nr = 0
    _sink = None
    grad_fn = property(_grad_fn, _GRAD_FN.__set__)
    _requires_grad = property(_requires_grad, _REQUIRES_GRAD.__set__)
    _accum = property(_accum, _set_accum)

    def _is_view(self) -> bool:
        return True


# Python's own messages name an object's type ("'Tensor' object is not callable"): a view is a
# Tensor to the program, as in torch
View.__name__ = View.__qualname__ = "Tensor"


def make_view(spec, out: np.ndarray, self: Tensor, params=None, output_nr=None) -> View:
    """``out`` (numpy's view of ``self``'s data) as the result of the view op ``spec``;
    ``output_nr`` marks a piece of a multi-output view op (unbind, split, chunk): the caller
    attaches the op's one node to all pieces (registry.attach_outputs)."""
    v = _wrap(out if type(out) is np.ndarray else np.asarray(out))
    v.__class__ = View  # (cheaper than setting the slots behind View's properties)
    vc = self._vc
    if vc is None:
        vc = self._vc = [0]
    v._vc = vc
    v._view_version = vc[0]
    enabled = grad_state.enabled
    if type(self) is View:  # a view of a view has the same base; a non-default making sticks
        v._base = self._base
        made = self._view_made
    else:
        v._base = self
        made = DEFAULT
    if not enabled:
        made = NO_GRAD
    elif output_nr is not None:
        made = MULTI_OUTPUT
        v._output_nr = output_nr
    if made != DEFAULT:
        v._view_made = made
    if enabled and self._requires_grad and output_nr is None:
        attach(spec, v, (self,), 1, params)
    return v


# -- errors ------------------------------------------------------------------------------------

def _op_name(fn) -> str:
    from ..engine import _op_name as name
    return name(fn.name())


def _forbid(view: View, fn, indirect: bool) -> None:
    """torch's handle_view_on_rebase: views made under no_grad or by a multi-output op
    may not be written in place (nor used after their base was)."""
    made = view._view_made
    if made == DEFAULT:
        return
    what = "its base or another view of its base has been" if indirect else "is being"
    if made == NO_GRAD or fn is None:
        prefix = (f"Output {view._output_nr} of {_op_name(fn)} is a view of a view which was created in"
                  if fn is not None else "A view was created in")
        msg = f"{prefix} no_grad mode and {what} modified inplace with grad mode enabled."
    else:
        msg = f"Output {view._output_nr} of {_op_name(fn)} is a view and {what} modified inplace."
    raise RuntimeError(msg + (_MULTI_TEXT if made == MULTI_OUTPUT else _NO_GRAD_TEXT))


def check_inplace(t: Tensor, requires_grad: bool) -> None:
    """torch's check_inplace, before an in-place op on ``t`` runs (``requires_grad``:
    whether any input of the op requires grad)."""
    if not (requires_grad and grad_state.enabled):
        return
    if type(t) is View:
        _forbid(t, _GRAD_FN.__get__(t), False)
        if t._requires_grad and t._base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a single "
           "memory location. Please clone() the tensor before performing the operation.")


def has_overlap(d: np.ndarray) -> bool:
    """Whether elements of ``d`` share memory (an expanded tensor: a zero stride over a dim > 1)."""
    return any(s == 0 and n > 1 for n, s in zip(d.shape, d.strides))


# -- where a view lies in its base ---------------------------------------------------------------

def _offsets(a: np.ndarray) -> np.ndarray:
    """Each element's offset from ``a``'s first byte, in items."""
    off = np.zeros(a.shape, dtype=np.int64)
    nd = a.ndim
    for k, (n, s) in enumerate(zip(a.shape, a.strides)):
        off += (np.arange(n, dtype=np.int64) * (s // a.itemsize)).reshape((n,) + (1,) * (nd - k - 1))
    return off


def view_index(base: np.ndarray, view: np.ndarray):
    """The flat (C-order) index into ``base`` of each element of ``view``, which lies in
    ``base``'s memory (torch's as_strided geometry); None when it does not."""
    if view.size == 0:
        return np.zeros(view.shape, dtype=np.int64)
    if base.size == 0 or view.itemsize != base.itemsize:
        return None
    start = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0])
    if start % base.itemsize:
        return None
    where = _offsets(view) + start // base.itemsize
    if base.flags.c_contiguous:
        if where.min() < 0 or where.max() >= base.size:
            return None
        return where
    boff = _offsets(base).reshape(-1)
    lo = int(boff.min())
    table = np.full(int(boff.max()) - lo + 1, -1, dtype=np.int64)
    table[boff - lo] = np.arange(base.size, dtype=np.int64)
    where = where - lo
    if where.min() < 0 or where.max() >= table.size:
        return None
    index = table[where]
    return None if (index < 0).any() else index


# -- the region ops, on arrays or (create_graph) recorded ----------------------------------------

def _take(grad, F, shape, index):
    return np.asarray(grad).reshape(-1)[index]


def _scatter(grad, F, shape, index):
    out = np.zeros(int(np.prod(shape)), dtype=grad.dtype)
    np.add.at(out, index.reshape(-1), np.broadcast_to(grad, index.shape).reshape(-1))
    return out.reshape(shape)


def _put(grad, values, F, shape, index):
    out = np.array(grad, copy=True, order="C")
    out.reshape(-1)[index] = values  # C order: reshape is a view
    return out


# the view's region of a base-shaped gradient, and its adjoint: torch's as_strided and as_strided_backward
TAKE = backward_op("AsStridedBackward0", _take, {"grad_output": "the gradient scattered back into the base"},
                   grad_output=lambda grad, shape, index: _as_strided_backward(grad, shape, index))
SCATTER = backward_op("AsStridedBackward0", _scatter, {"grad_output": "the gradient at the view's region"},
                      grad_output=lambda grad, shape, index: TAKE(grad, shape=shape, index=index))
# the gradient with the view's region replaced: CopySlices's own work
PUT = backward_op("CopySlices", _put, {"grad_output": "the gradient, zeros at the region",
                                       "values": "the gradient at the region"},
                  grad_output=lambda grad, shape, index: _put_zeros(grad, shape, index),
                  values=lambda grad, shape, index: _region(grad, index, shape, index)[1])


def _put_zeros(grad, shape, index):
    """CopySlices's own gradient for what it overwrote: zeros there (torch runs CopySlices again,
    over CopyBackwards: the copy of the gradient with zeros written into the region)."""
    result, region = _region(grad, index, shape, index)
    data = region._data if isinstance(region, Tensor) else np.asarray(region)
    zeros = np.zeros(data.shape, data.dtype)
    return PUT(result, _wrap(zeros) if isinstance(grad, Tensor) else zeros, shape=shape, index=index)



def _as_strided_backward(grad, shape, index):
    """The view's gradient in place in zeros of the base's shape. Under create_graph, as torch's
    as_strided_backward records it when no two elements share memory but along expanded dims:
    size-1 dims squeezed and expanded ones summed away, written into zeros through the view
    (CopySlices), that seen with the base's geometry (AsStridedBackward0)."""
    if not isinstance(grad, Tensor) or not index.size:
        return SCATTER(grad, shape=shape, index=index)
    # from the last dim: a size-1 dim is squeezed away (SqueezeBackward1), an expanded one
    # (stride 0) summed away (SumBackward1)
    steps = []
    at = index
    for d in reversed(range(index.ndim)):
        if at.shape[d] == 1:
            steps.append((d, True))
        elif (np.diff(at, axis=d) == 0).all():
            steps.append((d, False))
        else:
            continue
        at = np.take(at, 0, axis=d)
    if at.size != np.unique(at).size:  # elements that share memory otherwise: not torch's path
        return SCATTER(grad, shape=shape, index=index)
    g = grad
    for d, squeeze in steps:
        g = g.squeeze(d) if squeeze else g.sum(d)
    storage = PUT(_wrap(np.zeros(shape, grad._data.dtype)), g, shape=shape, index=at)
    return TAKE(storage, shape=shape, index=np.arange(storage._data.size).reshape(shape))


AS_STRIDED = defop("AsStridedBackward0", {"self": "the gradient at the view's place in the base, zeros elsewhere"},
                   self=_as_strided_backward)


def _node(spec, edges, mask, params):
    plan = spec.plan(mask)
    saved = tuple(params[n] for n in plan.names)
    node = spec.grad_fn(edges, saved, plan, (None,) * len(saved) or None)
    return node


def _edge(t: Tensor):
    """Where a gradient for ``t``'s current history goes (torch's gradient_edge)."""
    if t.grad_fn is not None or t._requires_grad:
        return gradient_edge(t)
    return None


def _refresh(view: View, fn):
    """The view's history after its base changed in place: AsStridedBackward0 over the base's."""
    base = view._base
    if fn is None and not base._requires_grad:
        return None
    _forbid(view, fn, True)
    index = view_index(base._data, view._data)
    edge = _edge(base)
    if index is None or edge is None:  # memory no longer shared (``base.data = ...``) or no history
        node = _node(AS_STRIDED, (None,), 0, {})
    else:
        node = _node(AS_STRIDED, (edge,), 1, {"shape": base._data.shape, "index": index})
    view._view_version = view._vc[0]
    _GRAD_FN.__set__(view, node)
    _REQUIRES_GRAD.__set__(view, True)
    move_retain_grad(view, fn, node)
    return node


def move_retain_grad(t: Tensor, old, new) -> None:
    """retain_grad follows a tensor to its new grad_fn (torch's update_tensor_hooks_on_new_gradfn)."""
    if not t._retains_grad or old is None or old._pre_hooks is None:
        return
    for entry in old._pre_hooks:
        if entry[0] == "retain" and entry[1] is t:
            old._pre_hooks.remove(entry)
            if new._pre_hooks is None:
                new._pre_hooks = []
            new._pre_hooks.append(entry[:2])  # (the new node has one output)
            return


# -- CopySlices ----------------------------------------------------------------------------------

def _run_input(fn, i, g, F):
    """The gradient the in-place op's node ``fn`` gives its input ``i`` for ``g``."""
    from ..engine import _unpack
    from .backends import numpy_
    graph = F is not numpy_
    for j, formula, idx in fn._saved_names.calls:
        if j == i:
            break
    else:
        return None
    saved = _unpack(fn, graph) if fn._saved else ()
    args = [saved[k] for k in idx]
    gi = formula.fn(g, *args, F=F) if formula.uses_F else formula.fn(g, *args)
    meta = fn._in_meta[i] if fn._in_meta is not None else None
    if meta is not None and gi is not None:
        gi = F.sum_to(gi, meta[0])
        if (gi._data.dtype if graph else gi.dtype) != meta[1]:
            gi = F.cast(gi, meta[1])
    return gi


def _base_formula(grad, fn, shape, index, view_fn, overlap, F):
    if overlap:  # torch writes the region's gradient back through the view: refused like any such write
        raise RuntimeError(OVERLAP)
    result, region = _region(grad, fn, shape, index)
    region = _run_input(fn, 0, _checked(region, fn, view_fn), F)
    return None if region is None else PUT(result, region, shape=shape, index=index)


def _input_formula(i):
    return lambda grad, fn, shape, index, view_fn, F: _run_input(
        fn, i, _checked(_region(grad, fn, shape, index)[1], fn, view_fn), F)


_last_region: list = [None]


def _region(grad, key, shape, index):
    """The gradient CopySlices writes into, and its region that the in-place op's formulas get
    (``key``: what they are shared by, the wrapped node or the region's index).

    Under create_graph, as torch records them (once per run of the node: the formulas of
    its inputs share them): the gradient copied into a new tensor (CopyBackwards), the region
    as a view of that (AsStridedBackward0), cloned (CloneBackward0); the base's gradient is
    then the region written back in place (CopySlices over the CopyBackwards)."""
    if not isinstance(grad, Tensor):
        return grad, TAKE(grad, shape=shape, index=index)
    last = _last_region[0]
    if last is not None and last[0] is grad and last[1] is key:
        return last[2], last[3]
    from ..engine import COPY
    from .registry import record
    result = record(COPY, np.array(grad._data, copy=True), (_wrap(np.empty(0, grad._data.dtype)), grad))
    region = TAKE(result, shape=shape, index=index).clone()
    _last_region[0] = (grad, key, result, region)
    return result, region


def _checked(g, fn, view_fn):
    """Refuse a saved output modified since (torch names the view's grad_fn of the time when it lives)."""
    from ..engine import _version_message
    from .registry import _ResultSlot
    for v in fn._saved:
        if type(v) is _ResultSlot and v.vc[0] != v.version:
            from ..tensor import wrap
            owner = view_fn() if view_fn is not None else None
            raise RuntimeError(_version_message(wrap(v.data), v.vc[0], v.version, owner or fn))
    return g


_COPY_SLICES: dict = {}


def _copy_slices_spec(n: int):
    spec = _COPY_SLICES.get(n)
    if spec is None:
        formulas = {"self": _base_formula}
        formulas.update({f"input{i}": _input_formula(i) for i in range(1, n)})
        spec = _COPY_SLICES[n] = defop("CopySlices", {"self": "the gradient with the view's region replaced by "
                                                      "the in-place op's gradient of it"}, **formulas)
        spec.saves = ("fn",)  # torch frees the wrapped node after a pass
    return spec


def set_history(t: Tensor, fn) -> None:
    """Make ``fn`` (the node of an in-place op just done on ``t``) ``t``'s history; through a
    view, the base's history becomes CopySlices and the view's AsStridedBackward0."""
    if type(t) is not View:
        old = t.grad_fn
        t.grad_fn = fn
        t._requires_grad = True
        if t._retains_grad:
            move_retain_grad(t, old, fn)
        return
    base = t._base
    index = view_index(base._data, t._data)
    if index is None:  # not in the base's memory any more: an in-place op on t alone
        _GRAD_FN.__set__(t, fn)
        _REQUIRES_GRAD.__set__(t, True)
        t._view_version = t._vc[0]
        return
    old = base.grad_fn
    edge = _edge(base) if any(j == 0 for j, _, _ in fn._saved_names.calls) else None
    edges = (edge,) + fn._edges[1:]
    mask = 0
    for i, e in enumerate(edges):
        if e is not None:
            mask |= 1 << i
    overlap = 0 in t._data.strides and has_overlap(t._data)
    node = _node(_copy_slices_spec(len(edges)), edges, mask,
                 {"fn": fn, "shape": base._data.shape, "index": index, "view_fn": None, "overlap": overlap})
    base.grad_fn = node
    base._requires_grad = True
    if base._retains_grad:
        move_retain_grad(base, old, node)
    view_fn = t.grad_fn  # rebuilt over the CopySlices, as torch does at once
    if node._saved and view_fn is not None:  # a saved output of fn names the view's grad_fn while it lives
        node._saved = tuple(_weakref(view_fn) if n == "view_fn" else v
                            for n, v in zip(node._saved_names.names, node._saved))


def set_view_history(t: Tensor, node) -> None:
    """An in-place view op (t_, squeeze_...) on ``t`` recorded ``node``: a view stays a view of
    its base with this history, which is current (no rebuild)."""
    old = _GRAD_FN.__get__(t)
    _GRAD_FN.__set__(t, node)
    _REQUIRES_GRAD.__set__(t, True)
    if type(t) is View:
        t._view_version = t._vc[0]
    if t._retains_grad:
        move_retain_grad(t, old, node)

