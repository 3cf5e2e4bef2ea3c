"""Hooks as the backward pass runs them, in torch's order and with torch's checks.

Tensor hooks (``register_hook``) and ``retain_grad`` run before a node's formulas, node
pre-hooks after them, post-hooks (``grad_fn.register_hook``) on the node's results; a hook's
result replaces the gradient after torch's checks of its type, dtype and size. Gradients are
numpy arrays in a first-order pass and Tensors under ``create_graph`` (``graph_mode``).

A node with several outputs (split, unbind, var_mean...) gets the list of its outputs'
gradients (None for those that got none), and its hook entries carry the output's number:
("tensor", fn, nr), ("retain", tensor, nr); its tensor hooks run output by output in the order
the outputs got their first hook, as torch's tensor_pre_hooks.
"""

from __future__ import annotations

import numpy as np

from .function import AccumulateGrad
from .tensor import Tensor, wrap

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


def run_pre_hooks(node, g, graph_mode):
    """Tensor hooks, then retain_grad, then the node's own pre-hooks: torch's order.
    ``g`` is the list of the outputs' gradients for a node with several outputs."""
    if type(g) is list:
        return _output_hooks(node, g, graph_mode)
    hooks = list(node._pre_hooks)
    g = _own_tensor_hooks(hooks, g, graph_mode)
    if g is None:
        return g
    _retain(hooks, g, graph_mode)
    return _node_pre_hooks(hooks, g, graph_mode)


def _output_hooks(node, grads, graph_mode):
    hooks = list(node._pre_hooks)
    for nr in node._outputs.hook_order:
        for entry in hooks:
            if entry[0] == "tensor" and entry[2] == nr:
                grads[nr] = _tensor_hook(entry[1], grads[nr], graph_mode)
    for nr, g in enumerate(grads):
        if g is not None:
            _retain([e for e in hooks if e[0] == "retain" and e[2] == nr], g, graph_mode)
    for entry in hooks:
        if entry[0] == "node":
            new = entry[1](tuple(None if g is None else _as_hook_arg(g, graph_mode) for g in grads))
            if new is not None:
                for nr, v in enumerate(new):
                    if v is not None and grads[nr] is not None:
                        grads[nr] = _from_hook(v, graph_mode)
    return grads


def _retain(hooks, g, graph_mode):
    retain = None
    for entry in hooks:
        if entry[0] == "retain":
            retain = entry[1]
    if retain is not None and retain._retains_grad:
        t = g if graph_mode else wrap(np.array(g))
        retain._grad = t if retain._grad is None else (
            retain._grad + t if graph_mode else wrap(retain._grad._data + t._data))


def _node_pre_hooks(hooks, g, graph_mode):
    for entry in hooks:
        if entry[0] == "node":
            new = entry[1]((_as_hook_arg(g, graph_mode),))
            if new is not None:
                g = _from_hook(new[0] if isinstance(new, (tuple, list)) else new, graph_mode)
    return g


def _own_tensor_hooks(hooks, g, graph_mode):
    for entry in hooks:
        if entry[0] == "tensor":
            g = _tensor_hook(entry[1], g, graph_mode)
    return g


def undefined_hooks(node, graph_mode):
    """A node that runs with no gradient still calls its tensor hooks, with None (torch)."""
    hooks = list(node.variable._hooks or ()) if type(node) is AccumulateGrad else []
    entries = [e for e in node._pre_hooks or () if e[0] == "tensor"]
    outputs = getattr(node, "_outputs", None)
    if outputs is not None:  # output by output, in the order they got their first hook
        entries = [e for nr in outputs.hook_order for e in entries if e[2] == nr]
    hooks += [e[1] for e in entries]
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
    grad_outputs = (tuple(None if o is None else _as_hook_arg(o, graph_mode) for o in g) if type(g) is list
                    else (_as_hook_arg(g, graph_mode),))
    for fn in list(node._post_hooks):
        new = fn(grad_inputs, grad_outputs)
        if new is not None:
            grad_inputs = tuple(new)
    return [None if o is None else _from_hook(o, graph_mode) for o in grad_inputs]
