"""The backward pass: dependency-counted, iterative, with per-pass state.

One function, ``run``, serves ``Tensor.backward``, ``torch.autograd.backward`` and
``torch.autograd.grad``.  Nodes are taken from a ready queue ordered as PyTorch's
(latest-created first; AccumulateGrad as soon as it is ready), so hooks fire and
``gradcli explain`` lists steps in the order PyTorch would run them.  Gradients
are reduced to each input's shape and dtype here and nowhere else.
"""

from __future__ import annotations

import heapq
import sys

import numpy as np

from . import dtypes
from .function import AccumulateGrad
from .grad_mode import state as grad_state
from .ops import backends
from .ops.registry import _ResultSlot, accumulate_node
from .tensor import Size, Tensor, wrap

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling backward."
)


class Observer:
    """Receives each step of a pass (``gradcli explain``); engine.observer is None normally."""

    def node(self, node, grad_output, grad_inputs):  # pragma: no cover - interface
        pass

    def accumulate(self, leaf, grad, before):  # pragma: no cover - interface
        pass


observer: Observer | None = None


def _as_list(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _make_grads(outputs, grads, is_grads_batched=False):
    """Check or create the gradient of each output, as torch's _make_grads does."""
    result = []
    for i, out in enumerate(outputs):
        g = grads[i] if grads is not None and i < len(grads) else None
        if g is None:
            if out._requires_grad:
                if out._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if out._data.dtype.kind != "f":
                    raise RuntimeError(
                        f"grad can be implicitly created only for real scalar outputs but got {out.dtype}")
                result.append(wrap(np.ones_like(out._data)))
            else:
                result.append(None)
            continue
        if not isinstance(g, Tensor):
            if isinstance(g, (int, float)):
                g = wrap(np.asarray(g, dtype=out._data.dtype))
            else:
                raise TypeError("gradients can be either Tensors or None, but got " + type(g).__name__)
        if g._data.shape != out._data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._data.shape)!r} and "
                f"output[{i}] has a shape of {Size(out._data.shape)!r}.")
        if g._data.dtype.kind != out._data.dtype.kind and not (
                g._data.dtype.kind == "f" and out._data.dtype.kind == "f"):
            raise RuntimeError(
                f"For complex Tensors, both grad_output and output are required to have the same dtype. "
                f"Mismatch in dtype: grad_output[{i}] has a dtype of {g.dtype} and output[{i}] has a dtype of {out.dtype}.")
        result.append(g)
    return result


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None) -> None:
    """torch.autograd.backward."""
    tensors = _as_list(tensors)
    if grad_tensors is None:
        grad_tensors = grad_variables
    grad_tensors = _as_list(grad_tensors)
    if grad_tensors is not None and len(grad_tensors) != len(tensors):
        raise RuntimeError(f"got {len(grad_tensors)} tensors and {len(tensors)} gradients")
    inputs = _as_list(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(tensors, grad_tensors)
    run(tensors, grads, bool(retain_graph), bool(create_graph), inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad."""
    single = isinstance(inputs, Tensor)
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    for t in inputs:
        if not isinstance(t, Tensor):
            raise TypeError("grad(): argument 'inputs' must be tuple of Tensors")
    grad_outputs = _as_list(grad_outputs)
    if grad_outputs is not None and len(grad_outputs) != len(outputs):
        raise RuntimeError(f"grad requires one grad_output per output: got {len(grad_outputs)} "
                           f"grad_outputs and {len(outputs)} outputs")
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(outputs, grad_outputs)
    for i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    result = run(outputs, grads, bool(retain_graph), bool(create_graph), inputs, accumulate=False)
    out = []
    for i, (t, g) in enumerate(zip(inputs, result)):
        if g is None:
            if materialize_grads:
                g = wrap(np.zeros_like(t._data))
            elif not allow_unused:
                raise RuntimeError(
                    f"One of the differentiated Tensors appears to not have been used in the graph. "
                    f"Set allow_unused=True if this is the desired behavior.")
        out.append(g)
    return tuple(out)


def _capture_key(t: Tensor):
    return t.grad_fn if t.grad_fn is not None else accumulate_node(t)


def run(outputs, grads, retain_graph: bool, create_graph: bool, inputs=None, accumulate=True):
    """Run one backward pass from ``outputs`` with gradients ``grads``.

    With ``accumulate`` the leaves' ``.grad`` (or only ``inputs``'s) receive the
    gradient; without, the gradients at ``inputs`` are returned (torch.autograd.grad).
    """
    roots = []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append((out.grad_fn or accumulate_node(out), g))

    graph_mode = create_graph
    F = backends.tensor if graph_mode else backends.numpy_
    capture = None
    if inputs is not None:
        capture = {}
        for t in inputs:
            if not t._requires_grad and accumulate:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            capture.setdefault(_capture_key(t), None)

    deps, needed = _dependencies([n for n, _ in roots], capture)
    buffers: dict = {}
    ready: list = []
    for node, g in roots:
        value = g if graph_mode else g._data
        if node in buffers:
            buffers[node] = buffers[node] + value
        else:
            buffers[node] = value
    for node in buffers:
        if deps.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, id(node), node))

    prev_mode = grad_state.enabled
    grad_state.enabled = graph_mode
    try:
        while ready:
            node = heapq.heappop(ready)[2]
            g = buffers.pop(node)
            if node._pre_hooks is not None:
                g = _run_pre_hooks(node, g, graph_mode)
            if capture is not None and node in capture:
                capture[node] = g if graph_mode else wrap(np.asarray(g))
                if not accumulate and type(node) is AccumulateGrad:
                    continue
            if type(node) is AccumulateGrad:
                if accumulate and (capture is None or node in capture):
                    _accumulate(node.variable, g, graph_mode)
                continue
            if needed is not None and node not in needed:
                continue
            grad_inputs = _apply(node, g, F, graph_mode, retain_graph, needed)
            if observer is not None:
                observer.node(node, g, grad_inputs)
            for nxt, gi in zip(node._edges, grad_inputs):
                if nxt is None or gi is None:
                    continue
                if nxt in buffers:
                    buffers[nxt] = buffers[nxt] + gi
                else:
                    buffers[nxt] = gi
                left = deps[nxt] - 1
                deps[nxt] = left
                if left == 0:
                    heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
    finally:
        grad_state.enabled = prev_mode
    if capture is not None and not accumulate:
        return [capture.get(_capture_key(t)) for t in inputs]
    return None


def _dependencies(roots, capture):
    """Count incoming edges of every node reachable from ``roots`` (iteratively).

    With ``capture`` (torch.autograd.grad, or backward's ``inputs``), also return
    the set of nodes that lie on a path to a captured node: only those run.
    """
    deps: dict = {}
    seen = set(roots)
    stack = list(roots)
    order = []
    while stack:
        node = stack.pop()
        order.append(node)
        for nxt in node._edges:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    if capture is None:
        return deps, None
    # the nodes on a path to a captured node; only those run, and only their edges count
    needed = set()
    changed = True
    while changed:
        changed = False
        for node in reversed(order):
            if node not in needed and (node in capture or any(
                    e is not None and e in needed for e in node._edges)):
                needed.add(node)
                changed = True
    deps = {}
    for node in needed:
        for nxt in node._edges:
            if nxt is not None and nxt in needed:
                deps[nxt] = deps.get(nxt, 0) + 1
    return deps, needed


def _run_pre_hooks(node, g, graph_mode):
    retain = None
    for kind, fn in list(node._pre_hooks):
        if kind == "retain":
            retain = fn
            continue
        arg = g if graph_mode else wrap(g)
        if kind == "tensor":
            new = fn(arg)
        else:
            new = fn((arg,))
            if isinstance(new, (tuple, list)):
                new = new[0]
        if new is not None:
            if not isinstance(new, Tensor):
                raise TypeError("hook returned a value that is not a Tensor")
            g = new if graph_mode else new._data
    if retain is not None:
        value = g if graph_mode else g
        t = value if graph_mode else wrap(np.array(value))
        if retain._grad is None:
            retain._grad = t if graph_mode else t
        else:
            retain._grad = retain._grad + t if graph_mode else wrap(retain._grad._data + t._data)
    return g


def _apply(node, grad, F, graph_mode, retain_graph, needed):
    """The gradients of one node's inputs, reduced to their shapes and dtypes."""
    if node._released:
        raise RuntimeError(_FREED)
    plan = node._saved_names
    edges = node._edges
    out = [None] * len(edges)
    if plan is None or plan == ():
        return out
    saved = _unpack(node, graph_mode) if plan.names else ()
    for i, formula, idx in plan.calls:
        nxt = edges[i]
        if nxt is None or (needed is not None and nxt not in needed):
            continue
        args = [saved[j] for j in idx]
        if formula.uses_F:
            g = formula.fn(grad, *args, F=F)
        else:
            g = formula.fn(grad, *args)
        meta = node._in_meta
        if meta is not None and meta[i] is not None:
            shape, dt = meta[i]
            g = F.sum_to(g, shape)
            if g.dtype != dt:
                g = F.cast(g, dt)
        out[i] = g
    if grad_state.anomaly:
        _check_nan(node, out)
    if not retain_graph and node._saved:
        node._saved = ()
        node._released = True
    return out


def _unpack(node, graph_mode):
    values = []
    versions = node._versions
    for k, v in enumerate(node._saved):
        if isinstance(v, Tensor):
            vc = v._vc
            now = vc[0] if vc is not None else 0
            if now != versions[k]:
                raise RuntimeError(_version_message(v, now, versions[k]))
            values.append(v if graph_mode else v._data)
        elif type(v) is _ResultSlot:
            if v.vc[0] != v.version:
                raise RuntimeError(_version_message(wrap(v.data), v.vc[0], v.version, node))
            if graph_mode:
                t = wrap(v.data)
                t.grad_fn = node
                t._requires_grad = True
                values.append(t)
            else:
                values.append(v.data)
        else:
            values.append(v)
    return values


def _version_message(t, now, expected, producer=None):
    from .tensor import _LEGACY_NAMES
    kind = _LEGACY_NAMES.get(t._data.dtype.name, "torch.Tensor")
    shape = ", ".join(str(s) for s in t._data.shape)
    where = ""
    fn = producer if producer is not None else t.grad_fn
    if fn is not None:
        where = f", which is output 0 of {type(fn).__name__},"
    return (f"one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{kind} [{shape}]]{where} is at version {now}; expected version {expected} "
            f"instead. Hint: enable anomaly detection to find the operation that failed to compute "
            f"its gradient, with torch.autograd.set_detect_anomaly(True).")


def _check_nan(node, grads):
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = g._data if isinstance(g, Tensor) else np.asarray(g)
        if data.dtype.kind == "f" and np.isnan(data).any():
            raise RuntimeError(f"Function '{type(node).__name__}' returned nan values in its {i}th output.")


def _accumulate(leaf: Tensor, g, graph_mode: bool) -> None:
    """AccumulateGrad: leaf hooks, then add into ``leaf.grad`` (in place when no graph)."""
    if leaf._hooks:
        for hook in list(leaf._hooks):
            new = hook(g if graph_mode else wrap(g))
            if new is not None:
                g = new if graph_mode else new._data
    if observer is not None:
        observer.accumulate(leaf, g, leaf._grad)
    if graph_mode:
        leaf._grad = g if leaf._grad is None else leaf._grad + g
        return
    if leaf._grad is None:
        # steal the buffer when nothing else can see it, as PyTorch does; copy otherwise
        if type(g) is np.ndarray and g.base is None and sys.getrefcount(g) <= 3 and g.flags.writeable:
            arr = g
        else:
            arr = np.array(g, dtype=leaf._data.dtype, copy=True)
        if arr.dtype != leaf._data.dtype:
            arr = arr.astype(leaf._data.dtype)
        leaf._grad = wrap(arr.reshape(leaf._data.shape))
    else:
        existing = leaf._grad
        if existing._requires_grad:
            leaf._grad = wrap(existing._data + g)
        else:
            np.add(existing._data, g, out=existing._data, casting="unsafe")


def call_node(node, grads):
    """grad_fn(grad): run one node's formulas by hand, as PyTorch allows."""
    g = grads[0]
    outs = _apply(node, g if grad_state.enabled else g._data, backends.tensor if grad_state.enabled else backends.numpy_,
                  grad_state.enabled, True, None)
    res = tuple(None if o is None else (o if isinstance(o, Tensor) else wrap(np.asarray(o))) for o in outs)
    return res if len(res) != 1 else res[0]
