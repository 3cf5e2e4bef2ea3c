"""Hooks as the backward pass runs them, in torch's order and with torch's checks.

Tensor hooks (``register_hook``) and ``retain_grad`` run before a node's formulas, node
pre-hooks after them, post-hooks (``grad_fn.register_hook``) on the node's results; a hook's
result replaces the gradient after torch's checks of its type, dtype and size. Gradients are
numpy arrays in a first-order pass and Tensors under ``create_graph`` (``graph_mode``).
"""

from __future__ import annotations

from itertools import count
from weakref import WeakKeyDictionary

import numpy as np

from .function import AccumulateGrad
from .tensor import Tensor, wrap

# when each output of a multi-output op got its first tensor hook (see run_pre_hooks)
hook_order: WeakKeyDictionary = WeakKeyDictionary()
_hook_seq = count().__next__


def note_hook(node) -> None:
    """``node`` (an output of a multi-output op) just got a tensor hook."""
    if node not in hook_order:
        hook_order[node] = _hook_seq()


def _as_hook_arg(g, graph_mode):
    return g if graph_mode else wrap(g)


def _from_hook(new, graph_mode):
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Tensor or None as hook result, but got {type(new).__name__}")
    return new if graph_mode else new._data


def _tensor_hook(fn, g, graph_mode):
    """One tensor hook (torch's check_single_result): the gradient it leaves, checked as torch checks."""
    new = fn(None if g is None else _as_hook_arg(g, graph_mode))
    if new is None:
        return g
    if g is None:
        raise RuntimeError("can't replace a None gradient with a non-None value")
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{_type_name(new)}'")
    name = getattr(fn, "__name__", "<unknown>")
    dtype = g._data.dtype if graph_mode else g.dtype
    if new._data.dtype != dtype:
        from .tensor import _LEGACY_NAMES
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {_LEGACY_NAMES.get(dtype.name)} "
                           f"got {_LEGACY_NAMES.get(new._data.dtype.name)})")
    if new._data.shape != (g._data.shape if graph_mode else np.shape(g)):
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    return new if graph_mode else new._data


def _type_name(v):
    return "NoneType" if v is None else type(v).__name__


def run_pre_hooks(node, g, graph_mode, deps=None, ready=None):
    """Tensor hooks, then retain_grad, then the node's own pre-hooks: torch's order.

    The outputs of one multi-output op (split, unbind, var_mean) have one node each here and
    one node in torch, which runs once every output's gradient has arrived: see
    ``_group_hooks``. ``node`` may come with no gradient (None: only its tensor hooks run)."""
    group = getattr(node, "_group", None)
    if group is not None and deps is not None:
        done = deps.pop(("hooked", node), _NOT_YET)
        if done is not _NOT_YET:  # its hooks already ran with the first output of its op to run
            return done
        if ("group hooks", group) not in deps:
            deps["group hooks", group] = 0
            return _group_hooks(node, g, group, graph_mode, deps, ready)
    hooks = list(node._pre_hooks)
    g = _own_tensor_hooks(hooks, g, graph_mode)
    if g is None:
        return g
    _retain(hooks, g, graph_mode)
    return _node_pre_hooks(hooks, g, graph_mode)


_NOT_YET = object()


def _group_hooks(node, g, group, graph_mode, deps, ready):
    """The hooks of all outputs of ``node``'s op, run when the first of their nodes runs.

    Every other output that gets a gradient in this pass is in the ready queue by then (its
    consumers were all created later, so they ran first): its gradient is taken from there,
    passed through its hooks and put back, marked done. As torch: the tensor hooks of all outputs
    in the order each output got its first hook (None for an output with no gradient), then
    retain_grad, then the node's pre-hooks."""
    grads = {node: g}
    where = {}
    for k, entry in enumerate(ready or ()):
        if entry[2] in group and entry[2] is not node:
            where[entry[2]] = k
            grads[entry[2]] = entry[3]
    runs = [n for n in group if n in grads or (n not in deps and n._pre_hooks)]
    runs.sort(key=lambda n: hook_order.get(n, float("inf")))
    hooks = {n: list(n._pre_hooks or ()) for n in runs}
    for n in runs:
        grads[n] = _own_tensor_hooks(hooks[n], grads.get(n), graph_mode)
    for n in runs:
        if grads.get(n) is not None:
            _retain(hooks[n], grads[n], graph_mode)
    # a node pre-hook registered through any output's grad_fn is the one node's: it sees (and may
    # replace) the gradients of all outputs, None for those that got none
    for n in group:
        for kind, fn in list(n._pre_hooks or ()):
            if kind != "node":
                continue
            new = fn(tuple(None if grads.get(m) is None else _as_hook_arg(grads[m], graph_mode) for m in group))
            if new is not None:
                for m, v in zip(group, new):
                    if v is not None and grads.get(m) is not None:
                        grads[m] = _from_hook(v, graph_mode)
    for n, k in where.items():
        entry = ready[k]
        ready[k] = (entry[0], entry[1], n, grads[n])
        deps["hooked", n] = grads[n]
    return grads[node]


def _retain(hooks, g, graph_mode):
    retain = None
    for kind, fn in hooks:
        if kind == "retain":
            retain = fn
    if retain is not None and retain._retains_grad:
        t = g if graph_mode else wrap(np.array(g))
        retain._grad = t if retain._grad is None else (
            retain._grad + t if graph_mode else wrap(retain._grad._data + t._data))


def _node_pre_hooks(hooks, g, graph_mode):
    for kind, fn in hooks:
        if kind == "node":
            new = fn((_as_hook_arg(g, graph_mode),))
            if new is not None:
                g = _from_hook(new[0] if isinstance(new, (tuple, list)) else new, graph_mode)
    return g


def _own_tensor_hooks(hooks, g, graph_mode):
    for kind, fn in hooks:
        if kind == "tensor":
            g = _tensor_hook(fn, g, graph_mode)
    return g


def undefined_hooks(node, graph_mode):
    """A node that runs with no gradient still calls its tensor hooks, with None (torch)."""
    hooks = list(node.variable._hooks or ()) if type(node) is AccumulateGrad else []
    hooks += [fn for kind, fn in node._pre_hooks or () if kind == "tensor"]
    for fn in hooks:
        _tensor_hook(fn, None, graph_mode)


def leaf_hooks(node, g, graph_mode):
    leaf = node.variable
    if leaf._hooks:
        for hook in list(leaf._hooks):
            g = _tensor_hook(hook, g, graph_mode)
    if node._pre_hooks:
        g = run_pre_hooks(node, g, graph_mode)
    return g


def run_post_hooks(node, outs, g, graph_mode):
    grad_inputs = tuple(None if o is None else _as_hook_arg(o, graph_mode) for o in outs)
    grad_outputs = (_as_hook_arg(g, graph_mode),)
    for fn in list(node._post_hooks):
        new = fn(grad_inputs, grad_outputs)
        if new is not None:
            grad_inputs = tuple(new)
    return [None if o is None else _from_hook(o, graph_mode) for o in grad_inputs]
