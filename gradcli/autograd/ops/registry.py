"""The op table's machinery: ``defop`` declares a backward formula per input,
``record`` wraps a forward result and, when autograd is on, attaches its node.

A formula is a function whose parameter names say what it needs, in PyTorch's
vocabulary (tools/autograd/derivatives.yaml):

    MUL = defop("MulBackward0",
                self=lambda grad, other: grad * other,
                other=lambda grad, self: grad * self)

``grad`` is the incoming gradient, ``result`` the forward output, input names
(``self``, ``other``...) the forward inputs, any other name a parameter passed to
``record`` (``dim``, ``keepdim``...), and ``F`` the array namespace the formula must
use for functions (``F.cos(self)``).  Only what the formulas of the inputs that
need a gradient ask for is saved, so ``y * 1.000001`` keeps no reference to ``y``.

Formulas run on numpy arrays with ``F`` = the numpy backend when no graph of the
backward pass is wanted, and on Tensors with ``F`` = the tensor backend under
``create_graph=True``; the same text serves both, so higher-order gradients come
for free (the HIPS autograd / JAX idea) while first-order passes run at numpy speed.
"""

from __future__ import annotations

import inspect
from weakref import ref as _weakref

from numpy import asarray as _asarray, ndarray as _ndarray

from ..function import AccumulateGrad, Outputs, next_seq as _next_seq, node_class, port, site as _site
from ..grad_mode import state as grad_state

_RESERVED = ("grad", "F")


class Formula:
    __slots__ = ("fn", "needs", "uses_F")

    def __init__(self, fn):
        params = _parameters(fn)
        self.fn = fn
        self.uses_F = "F" in params
        self.needs = tuple(p for p in params if p not in _RESERVED)
        if not params or params[0] != "grad":
            raise TypeError(f"formula {fn} must take grad first")


def _parameters(fn) -> list:
    """The formula's parameter names, in order: read from the code object for a plain
    function (inspect.signature cost a quarter of the engine's import, over ~220 formulas)."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_flags & 0x0C or hasattr(fn, "__wrapped__"):  # *args, **kwargs
        return list(inspect.signature(fn).parameters)
    return list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])


class Plan:
    """What one node saves and how each needed formula reads it, per requires-grad mask."""

    __slots__ = ("names", "calls", "sources")

    def __init__(self, names, calls, sources=()):
        self.names = names
        self.calls = calls  # tuple of (input index, Formula, index of each needed name in names)
        # where ``attach`` finds each saved name: an input index, _RESULT or _PARAM
        self.sources = sources


_RESULT = -1
_PARAM = -2


class OpSpec:
    __slots__ = ("name", "inputs", "_functions", "formulas", "grad_fn", "_plans", "rule", "saves")

    def __init__(self, name, formulas: dict, rule: dict | None = None):
        self.name = name
        # params that stand for tensors torch saves (max's indices...): freed after a
        # backward pass like saved inputs, so a second pass fails as in torch
        self.saves = ()
        self.inputs = tuple(formulas)
        self._functions = tuple(formulas.values())
        self._plans = {}
        # the rule in words, per input, for `gradcli explain` (e.g. "cos(self)")
        self.rule = rule or {}

    def __getattr__(self, name: str):
        # ``formulas`` and the ``grad_fn`` class are made on first use: a program meets a few
        # dozen of the ~230 ops, and making them all cost a sixth of the engine's import.
        # (Only reached while the slot is unset; afterwards it is a plain slot read.)
        if name == "formulas":
            self.formulas = tuple(None if f is None else Formula(f) for f in self._functions)
            return self.formulas
        if name == "grad_fn":
            self.grad_fn = node_class(self.name, self)
            return self.grad_fn
        raise AttributeError(f"'OpSpec' object has no attribute '{name}'")

    def plan(self, mask: int) -> Plan:
        p = self._plans.get(mask)
        if p is None:
            names: list[str] = []
            chosen = []
            for i, f in enumerate(self.formulas):
                if f is not None and mask >> i & 1:
                    for n in f.needs:
                        if n not in names:
                            names.append(n)
                    chosen.append((i, f))
            calls = tuple((i, f, tuple(names.index(n) for n in f.needs)) for i, f in chosen)
            sources = tuple(_RESULT if n == "result" else self.inputs.index(n) if n in self.inputs
                            else _PARAM for n in names)
            p = self._plans[mask] = Plan(tuple(names), calls, sources)
        return p


def defop(name: str, rule: dict | None = None, **formulas) -> OpSpec:
    """Declare a backward: one formula per differentiable input, in input order
    (``None`` for an input that is never differentiable)."""
    return OpSpec(name, formulas, rule)


# ---------------------------------------------------------------------------
# recording

_new_node = object.__new__
_Tensor = None  # set by tensor.py, avoids an import cycle
_wrap = None


def bind_tensor(cls, wrap) -> None:
    global _Tensor, _wrap
    _Tensor, _wrap = cls, wrap


def accumulate_node(leaf):
    """The leaf's AccumulateGrad, created once and shared while any graph holds it."""
    ref = leaf._accum
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(leaf)
        leaf._accum = _weakref(node)
    return node


class _ResultSlot:
    """Marks the forward output among saved values (saved without a reference cycle)."""

    __slots__ = ("data", "vc", "version")

    def __init__(self, data, vc):
        self.data = data
        self.vc = vc
        self.version = vc[0]


def record(spec: OpSpec, out, inputs: tuple, params: dict | None = None):
    """Wrap ``out`` (a numpy array) as the op's result; attach a node when needed."""
    if type(out) is not _ndarray:  # numpy returns scalars for 0-d results
        out = _asarray(out)
    result = _wrap(out)
    if not grad_state.enabled:
        return result
    mask = 0
    bit = 1
    T = _Tensor
    for x in inputs:
        if isinstance(x, T) and x._requires_grad:
            mask |= bit
        bit <<= 1
    if mask:
        attach(spec, result, inputs, mask, params)
    return result


def attach(spec: OpSpec, result, inputs: tuple, mask: int, params: dict | None = None) -> None:
    """Make ``result`` the output of a new ``spec.grad_fn`` node over ``inputs``.

    The hot path of every traced op: the plan for (spec, mask) says where each saved
    value comes from, so the common one- and one-saved-value cases build no lists.
    """
    plan = spec._plans.get(mask)
    if plan is None:
        plan = spec.plan(mask)
    data = result._data
    shape = data.shape
    np_dtype = data.dtype
    in_meta = None
    n = len(inputs)
    if n == 1:
        x = inputs[0]
        e = x.grad_fn
        if e is None:
            e = accumulate_node(x)
        elif e._pre_hooks is not None and x._port is not None:  # an output of a multi-output op
            e = _output_edge(x, e)  # (its node's _pre_hooks is never None: a cheap slot test first)
        edges = (e,)
        d = x._data
        if d.shape != shape or d.dtype is not np_dtype and d.dtype != np_dtype:
            in_meta = ((d.shape, d.dtype),)
    else:
        edge_list = []
        for i, x in enumerate(inputs):
            if mask >> i & 1:
                e = x.grad_fn
                if e is None:
                    e = accumulate_node(x)
                elif e._pre_hooks is not None and x._port is not None:
                    e = _output_edge(x, e)
                edge_list.append(e)
                d = x._data
                if d.shape != shape or d.dtype is not np_dtype and d.dtype != np_dtype:
                    if in_meta is None:
                        in_meta = [None] * n
                    in_meta[i] = (d.shape, d.dtype)
            else:
                edge_list.append(None)
        edges = tuple(edge_list)
        if in_meta is not None:
            in_meta = tuple(in_meta)
    sources = plan.sources
    if not sources:
        saved = ()
        versions = None
    elif len(sources) == 1:
        saved, versions = _save_one(sources[0], plan.names[0], result, inputs, params)
    else:
        values = []
        vs = []
        for src, name in zip(sources, plan.names):
            v, k = _save_one(src, name, result, inputs, params)
            values.append(v[0])
            vs.append(k[0])
        saved = tuple(values)
        versions = tuple(vs)
    node = _new_node(spec.grad_fn)  # Node.__init__'s slots, set here without a call
    node._edges = edges
    node._saved = saved
    node._saved_names = plan
    node._versions = versions
    node._in_meta = in_meta
    node._seq = _next_seq()
    node._site = _site.current
    node._pre_hooks = None
    node._post_hooks = None
    node._released = False
    result.grad_fn = node
    result._requires_grad = True


def _output_edge(t, fn):
    """``t``'s port while ``fn`` (its grad_fn) is the multi-output node it was made by."""
    p = t._port
    return p if p.node is fn else fn


def gradient_edge(t):
    """Where a gradient for ``t`` goes (torch's gradient_edge): its grad_fn, the port of its
    output when that node has several, or its AccumulateGrad."""
    fn = t.grad_fn
    if fn is None:
        return accumulate_node(t)
    return fn if t._port is None else _output_edge(t, fn)


def attach_outputs(spec: OpSpec, outputs, inputs: tuple, params: dict | None = None) -> None:
    """Make ``outputs`` (in order) the outputs of ONE new ``spec.grad_fn`` node over ``inputs``,
    as torch's split, unbind, var_mean, aminmax: its formulas get the list of the outputs'
    gradients (None for those that got none); a saved ``result`` is output 0."""
    if not grad_state.enabled:
        return
    mask = 0
    bit = 1
    for x in inputs:
        if isinstance(x, _Tensor) and x._requires_grad:
            mask |= bit
        bit <<= 1
    if not mask:
        return
    first = outputs[0]
    attach(spec, first, inputs, mask, params)
    node = first.grad_fn
    node._outputs = Outputs(len(outputs))
    node._pre_hooks = []  # never None: the engine gathers the outputs' gradients where hooks run
    for k, t in enumerate(outputs):
        t.grad_fn = node
        t._requires_grad = True
        t._port = port(node, k)


def _save_one(src, name, result, inputs, params):
    """One saved value and its version, each as a one-element tuple."""
    if src >= 0:
        v = inputs[src]
        if isinstance(v, _Tensor):
            vc = v._vc
            return (v,), (vc[0] if vc is not None else 0,)
        return (v,), (None,)
    if src == _RESULT:
        vc = result._vc
        if vc is None:
            vc = result._vc = [0]
        return (_ResultSlot(result._data, vc),), (None,)
    return (params[name],), (None,)


# ---------------------------------------------------------------------------
# derivatives torch computes as ops of their own


def backward_op(name: str, value, rule: dict | None = None, **formulas):
    """A first derivative torch computes as one op (``sigmoid_backward``...).

    ``value(grad, *inputs, F=..., **params)`` is the derivative on arrays. The returned
    function computes it on arrays when the backward pass is not recorded (the hot path:
    one type check); under ``create_graph`` it records one node named like torch's
    (``SigmoidBackwardBackward0``) whose ``formulas`` give the second derivatives, so the
    first derivative's grad_fn, requires_grad and higher orders are torch's.
    """
    from .backends import numpy_

    spec = defop(name, rule, **formulas)

    def call(grad, *inputs, **params):
        T = _Tensor
        if not isinstance(grad, T):
            return value(grad, *inputs, F=numpy_, **params)
        arrays = [x._data if isinstance(x, T) else x for x in inputs]
        out = value(grad._data, *arrays, F=numpy_, **params)
        return record(spec, out, (grad, *inputs), params or None)

    call.spec = spec
    return call
