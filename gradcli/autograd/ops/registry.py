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

from numpy import asarray as _asarray, ndarray as _ndarray

from ..function import AccumulateGrad, node_class
from ..grad_mode import state as grad_state

_RESERVED = ("grad", "F")


class Formula:
    __slots__ = ("fn", "needs", "uses_F")

    def __init__(self, fn):
        params = list(inspect.signature(fn).parameters)
        self.fn = fn
        self.uses_F = "F" in params
        self.needs = tuple(p for p in params if p not in _RESERVED)
        if not params or params[0] != "grad":
            raise TypeError(f"formula {fn} must take grad first")


class Plan:
    """What one node saves and how each needed formula reads it, per requires-grad mask."""

    __slots__ = ("names", "calls")

    def __init__(self, names, calls):
        self.names = names
        self.calls = calls  # tuple of (input index, Formula, index of each needed name in names)


class OpSpec:
    __slots__ = ("name", "inputs", "formulas", "grad_fn", "_plans", "rule", "saves")

    def __init__(self, name, formulas: dict, rule: dict | None = None):
        self.name = name
        # params that stand for tensors torch saves (max's indices...): freed after a
        # backward pass like saved inputs, so a second pass fails as in torch
        self.saves = ()
        self.inputs = tuple(formulas)
        self.formulas = tuple(None if f is None else Formula(f) for f in formulas.values())
        self.grad_fn = node_class(name, self)
        self._plans = {}
        # the rule in words, per input, for `gradcli explain` (e.g. "cos(self)")
        self.rule = rule or {}

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
            p = self._plans[mask] = Plan(tuple(names), calls)
        return p


def defop(name: str, rule: dict | None = None, **formulas) -> OpSpec:
    """Declare a backward: one formula per differentiable input, in input order
    (``None`` for an input that is never differentiable)."""
    return OpSpec(name, formulas, rule)


# ---------------------------------------------------------------------------
# recording

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
        import weakref
        node = AccumulateGrad(leaf)
        leaf._accum = weakref.ref(node)
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
    if not mask:
        return result
    attach(spec, result, inputs, mask, params)
    return result


def attach(spec: OpSpec, result, inputs: tuple, mask: int, params: dict | None = None) -> None:
    """Make ``result`` the output of a new ``spec.grad_fn`` node over ``inputs``."""
    T = _Tensor
    edges = []
    in_meta = None
    shape = result._data.shape
    np_dtype = result._data.dtype
    for i, x in enumerate(inputs):
        if mask >> i & 1:
            edges.append(x.grad_fn or accumulate_node(x))
            d = x._data
            if d.shape != shape or d.dtype != np_dtype:
                if in_meta is None:
                    in_meta = [None] * len(inputs)
                in_meta[i] = (d.shape, d.dtype)
        else:
            edges.append(None)
    plan = spec.plan(mask)
    saved = ()
    versions = None
    if plan.names:
        values = []
        versions = []
        names = spec.inputs
        for n in plan.names:
            if n == "result":
                vc = result._vc
                if vc is None:
                    vc = result._vc = [0]
                values.append(_ResultSlot(result._data, vc))
                versions.append(None)
                continue
            try:
                v = inputs[names.index(n)]
            except ValueError:
                v = params[n]
                values.append(v)
                versions.append(None)
                continue
            values.append(v)
            if isinstance(v, T):
                vc = v._vc
                versions.append(vc[0] if vc is not None else 0)
            else:
                versions.append(None)
        saved = tuple(values)
        versions = tuple(versions)
    node = spec.grad_fn(tuple(edges), saved, plan, versions, in_meta and tuple(in_meta))
    result.grad_fn = node
    result._requires_grad = True


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
