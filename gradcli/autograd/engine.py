"""The backward pass: dependency-counted, iterative, with per-pass state.

One function, ``run``, serves ``Tensor.backward``, ``torch.autograd.backward`` and
``torch.autograd.grad``.  Nodes are taken from a ready queue ordered as PyTorch's
(latest-created first; AccumulateGrad as soon as it is ready), so hooks fire and
``gradcli explain`` lists steps in the order PyTorch would run them.  Gradients
are reduced to each input's shape and dtype here and nowhere else.

The loop is the hot path of every benchmark (300,000-node passes), so it is
written flat: a node that is the only one ready is handed on without the heap,
a node with one incoming edge never touches the gradient buffers, and the
per-op plans are flattened once into ``_Steps``.
"""

from __future__ import annotations

import sys
from heapq import heappop, heappush
from itertools import count

import numpy as np

from .function import AccumulateGrad, OutputPort, edge_node, n_outputs, port
from .grad_mode import state as grad_state
from .hooks import leaf_hooks, run_post_hooks, run_pre_hooks, undefined_hooks
from .ops import backends
from .ops.registry import _ResultSlot, defop, gradient_edge, record
from .ops.views import View
from .tensor import Tensor, wrap

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling backward."
)
_PLAIN = frozenset((float, int, bool))

# the first gradient a leaf receives under create_graph is a copy, as torch's clone_obey_contract
COPY = defop("CopyBackwards", self=None, src=lambda grad: grad)


class Observer:
    """Receives each step of a pass (``gradcli explain``); engine.observer is None normally.

    Used as a context manager, an observer installs itself and hands every step on to
    the observer that was installed before it (explain's ledger under --detect-anomaly's
    watch...): subclasses extend ``node``/``accumulate`` and call ``super()``.
    """

    _previous = None

    def node(self, node, grad_output, grad_inputs):
        if self._previous is not None:
            self._previous.node(node, grad_output, grad_inputs)

    def accumulate(self, leaf, grad, before):
        if self._previous is not None:
            self._previous.accumulate(leaf, grad, before)

    def __enter__(self):
        global observer
        self._previous = observer
        observer = self
        return self

    def __exit__(self, *exc):
        global observer
        observer = self._previous
        self._previous = None
        return False


observer: Observer | None = None

# -- the pass ------------------------------------------------------------------------------

def _key(t: Tensor):
    node = gradient_edge(t)
    # a view made under no_grad has no gradient edge of its own in torch: nothing reaches it
    return _UNREACHED if node._no_edge else node


_UNREACHED = object()


def _graph(roots, targets, captures):
    """Dependency counts over the nodes that run, and the set that runs (None: all).

    ``targets`` (backward's ``inputs``) are nodes that must run; ``captures``
    (torch.autograd.grad's inputs) are nodes whose incoming gradient is wanted.
    A node runs when it is a target or lies on a path to a target or capture,
    as torch's exec_info ``needed_``.
    """
    deps: dict = {}
    for r in roots:
        deps[r] = 0
    stack = list(deps)
    while stack:
        node = stack.pop()
        for nxt in node._edges:
            if nxt is None:
                continue
            c = deps.get(nxt)
            if c is None:
                deps[nxt] = 1
                stack.append(nxt)
            else:
                deps[nxt] = c + 1
    if targets is None and captures is None:
        return deps, None
    # a topological order (Kahn), then "needed" from the leaves up
    pending = dict(deps)
    topo = [r for r in roots if pending[r] == 0]
    seen = set(topo)
    k = 0
    while k < len(topo):
        for nxt in topo[k]._edges:
            if nxt is not None:
                left = pending[nxt] - 1
                pending[nxt] = left
                if left == 0 and nxt not in seen:
                    seen.add(nxt)
                    topo.append(nxt)
        k += 1
    wanted = set(targets or ()) | set(captures or ())
    needed = set(targets or ())
    for node in reversed(topo):
        if node not in needed:
            for e in node._edges:
                if e is not None and (e in needed or e in wanted):
                    needed.add(node)
                    break
    deps = {}
    for node in needed:
        for nxt in node._edges:
            if nxt is not None and (nxt in needed or nxt in wanted):
                deps[nxt] = deps.get(nxt, 0) + 1
    for r in roots:
        deps.setdefault(r, 0)
    return deps, needed


def run(outputs, grads, retain_graph: bool, create_graph: bool, inputs=None, accumulate=True):
    """Run one backward pass from ``outputs`` with gradients ``grads``.

    With ``accumulate`` the leaves' ``.grad`` (or only ``inputs``'s) receive the
    gradient; without, the gradients at ``inputs`` are returned (torch.autograd.grad).
    """
    graph_mode = create_graph
    F = backends.tensor if graph_mode else backends.numpy_
    roots = []
    root_grads = []
    for out, g in zip(outputs, grads):
        node = gradient_edge(out)
        if g is not None and g._data.dtype != out._data.dtype:
            g = wrap(g._data.astype(out._data.dtype))
        roots.append(node)
        root_grads.append(g if graph_mode or g is None else g._data)

    captures = None  # edge (a node, or a port of a multi-output node) -> its captured gradient
    cap_nodes = None  # the nodes of those edges
    targets = None
    if inputs is not None:
        keys = [_key(t) for t in inputs]
        if accumulate:
            targets = {edge_node(k) for k in keys}
            targets.discard(_UNREACHED)
        else:
            captures = dict.fromkeys(keys)
            captures.pop(_UNREACHED, None)
            cap_nodes = {edge_node(k) for k in captures}
    deps, needed = _graph(roots, targets, cap_nodes)

    ready: list = []
    buffers: dict = {}
    tick = count().__next__  # ties (AccumulateGrad nodes) leave the queue in the order they entered it
    for node, g in zip(roots, root_grads):
        if g is None:
            continue
        b = buffers.get(node)
        buffers[node] = g if b is None else b + g
    for node in list(buffers):
        if deps[node] == 0:
            heappush(ready, (-node._seq, tick(), node, buffers.pop(node)))

    anomaly = grad_state.anomaly and grad_state.check_nan
    slow = observer is not None or anomaly
    steps_of = _steps_of
    prev_mode = grad_state.enabled
    grad_state.enabled = graph_mode
    node = None
    g = None
    try:
        while True:
            if node is None:
                if not ready:
                    break
                _, _, node, g = heappop(ready)
                if g is None:  # only "no gradient" reached it (torch's undefined tensor): pass that on
                    if node._pre_hooks or type(node) is AccumulateGrad and node.variable._hooks:
                        undefined_hooks(node, graph_mode)
                    _pass_undefined(node, deps, buffers, ready, tick, needed, cap_nodes)
                    node = None
                    continue
            # -- hooks, captures, leaves ------------------------------------------------
            if type(node) is AccumulateGrad:
                if captures is not None:
                    if node in cap_nodes:
                        captures[node] = leaf_hooks(node, g, graph_mode)
                elif needed is None or node in needed:
                    leaf = node.variable
                    _accumulate(leaf, leaf_hooks(node, g, graph_mode), graph_mode)
                    if leaf._post_accumulate_hooks:
                        for hook in tuple(leaf._post_accumulate_hooks):
                            hook(leaf)
                node = None
                continue
            if captures is not None and node in cap_nodes:
                if node in needed:
                    _capture(node, g, captures)  # torch captures before the hooks of a node that still runs
                else:
                    _capture(node, run_pre_hooks(node, g, graph_mode) if node._pre_hooks else g, captures)
                    node = None
                    continue
            elif needed is not None and node not in needed:
                node = None
                continue
            if node._pre_hooks is not None:
                if type(node) is OutputPort:  # hand the output's gradient to its node
                    park(node, g, deps, buffers, ready, tick)
                    node = None
                    continue
                g = run_pre_hooks(node, g, graph_mode)
            # -- the node's formulas (inlined _apply) -----------------------------------------
            if node._released:
                raise RuntimeError(_FREED)
            plan = node._saved_names
            edges = node._edges
            if not plan:
                node = None
                continue
            steps = steps_of.get(plan)
            if steps is None:
                steps = _make_steps(node, plan)
            saved = node._saved
            if saved:
                if len(saved) == 1 and not graph_mode:
                    # _unpack, inlined for the common single saved value
                    v = saved[0]
                    tv = type(v)
                    if tv is Tensor or tv is View:
                        vc = v._vc
                        if (vc[0] if vc is not None else 0) == node._versions[0]:
                            saved = (v._data,)
                        else:
                            saved = _unpack(node, graph_mode)
                    elif tv is _ResultSlot and v.vc[0] == v.version:
                        saved = (v.data,)
                    elif tv not in _PLAIN:
                        saved = _unpack(node, graph_mode)
                else:
                    saved = _unpack(node, graph_mode)
            meta = node._in_meta
            if slow or node._post_hooks is not None:
                outs = [None] * len(edges)
            nxt_node = None
            nxt_g = None
            for i, fn, uses_F, idx in steps.calls:
                nxt = edges[i]
                if needed is not None and nxt not in needed and (captures is None or nxt not in cap_nodes):
                    continue
                if idx is None:
                    gi = fn(g, F=F) if uses_F else fn(g)
                elif type(idx) is int:
                    gi = fn(g, saved[idx], F=F) if uses_F else fn(g, saved[idx])
                else:
                    args = [saved[j] for j in idx]
                    gi = fn(g, *args, F=F) if uses_F else fn(g, *args)
                if gi is None:  # the formula gives no gradient (torch's undefined tensor)
                    _send_undefined(nxt, deps, buffers, ready, tick)
                    continue
                if meta is not None:
                    m = meta[i]
                    if m is not None:
                        gi = F.sum_to(gi, m[0])
                        if (gi._data.dtype if graph_mode else gi.dtype) != m[1]:
                            gi = F.cast(gi, m[1])
                if slow or node._post_hooks is not None:
                    outs[i] = gi
                    continue
                # _send, inlined: the common case is one incoming edge, handed straight on
                left = deps[nxt] - 1
                if left:
                    deps[nxt] = left
                    b = buffers.get(nxt)
                    buffers[nxt] = gi if b is None else b + gi
                    continue
                deps[nxt] = 0
                if buffers:
                    b = buffers.pop(nxt, None)
                    if b is not None:
                        gi = b + gi
                if nxt_node is not None:
                    heappush(ready, (-nxt_node._seq, tick(), nxt_node, nxt_g))
                nxt_node = nxt
                nxt_g = gi
            if slow or node._post_hooks is not None:
                if anomaly:
                    _check_nan(node, outs)
                if node._post_hooks is not None:
                    outs = run_post_hooks(node, outs, g, graph_mode)
                if observer is not None:
                    observer.node(node, g, outs)
                for nxt, gi in zip(edges, outs):
                    if gi is not None:
                        nxt_node, nxt_g = _send(nxt, gi, deps, buffers, ready, nxt_node, nxt_g, tick)
            if not retain_graph and steps.frees:
                node._saved = ()
                node._released = True
            # -- the next node: handed on directly when it is the only one ready ----------------
            if nxt_node is not None and not ready:
                node = nxt_node
                g = nxt_g
            else:
                if nxt_node is not None:
                    heappush(ready, (-nxt_node._seq, tick(), nxt_node, nxt_g))
                node = None
    finally:
        grad_state.enabled = prev_mode
    if captures is not None:
        out = []
        for t in inputs:
            c = captures.get(_key(t))
            if c is not None and not graph_mode:
                c = wrap(c if type(c) is np.ndarray and c.base is None else np.array(c))
            out.append(c)
        return out
    return None


def _send(nxt, gi, deps, buffers, ready, held, held_g, tick):
    """Deliver ``gi`` to ``nxt``; return the node to run next if it just became ready.

    At most one newly ready node is held back from the heap (``held``): when the heap
    is empty after the current node, it runs next without a push and a pop.
    """
    left = deps[nxt] - 1
    if left:
        deps[nxt] = left
        b = buffers.get(nxt)
        buffers[nxt] = gi if b is None else b + gi
        return held, held_g
    deps[nxt] = 0
    b = buffers.pop(nxt, None)
    if b is not None:
        gi = b + gi
    if held is not None:
        heappush(ready, (-held._seq, tick(), held, held_g))
    return nxt, gi


def park(p, g, deps, buffers, ready, tick):
    """Port ``p`` ran: its gradient joins its node's list of output gradients (the node's
    buffer), and the node is ready once every port that leads to it in this pass has run."""
    node = p.node
    grads = buffers.get(node)
    if grads is None:
        grads = buffers[node] = [None] * node._outputs.n
    nr = p.nr
    grads[nr] = g if grads[nr] is None else grads[nr] + g
    left = deps[node] - 1
    deps[node] = left
    if not left:
        heappush(ready, (-node._seq, tick(), node, buffers.pop(node)))


def _capture(node, g, captures):
    if type(g) is list:  # a node with several outputs: each captured output's own gradient
        for nr, gk in enumerate(g):
            key = port(node, nr)
            if key in captures:
                captures[key] = gk
    else:
        captures[node] = g


def _send_undefined(nxt, deps, buffers, ready, tick):
    """``nxt`` gets no gradient along this edge; when it was the last edge, ``nxt`` runs with
    what the others sent, or with none (then it passes "none" on: a leaf's .grad stays None)."""
    left = deps[nxt] - 1
    deps[nxt] = left
    if not left:
        heappush(ready, (-nxt._seq, tick(), nxt, buffers.pop(nxt, None)))


def _pass_undefined(node, deps, buffers, ready, tick, needed, cap_nodes):
    for nxt in node._edges:
        if nxt is not None and (needed is None or nxt in needed or cap_nodes is not None and nxt in cap_nodes):
            _send_undefined(nxt, deps, buffers, ready, tick)


class _Steps:
    """One op plan flattened for the loop: (input index, fn, uses_F, saved index/indices)."""

    __slots__ = ("calls", "frees")

    def __init__(self, calls, frees):
        self.calls = calls
        self.frees = frees


_steps_of: dict = {}


def _make_steps(node, plan):
    spec = type(node).spec
    calls = []
    for i, formula, idx in plan.calls:
        if len(idx) == 0:
            k = None
        elif len(idx) == 1:
            k = idx[0]
        else:
            k = tuple(idx)
        calls.append((i, formula.fn, formula.uses_F, k))
    # torch frees (and later refuses) only saved tensors: inputs and the result, not parameters
    tensor_names = set(spec.inputs) | {"result"} | set(getattr(spec, "saves", ()))
    frees = any(n in tensor_names for n in plan.names)
    steps = _steps_of[plan] = _Steps(tuple(calls), frees)
    return steps


def _unpack(node, graph_mode):
    values = []
    versions = node._versions
    k = 0
    for v in node._saved:
        tv = type(v)
        if tv is _ResultSlot:
            if v.vc[0] != v.version:
                raise RuntimeError(_version_message(wrap(v.data), v.vc[0], v.version, node))
            if graph_mode:
                t = wrap(v.data)
                t.grad_fn = node
                t._requires_grad = True
                if getattr(node, "_outputs", None) is not None:  # (a saved result is output 0)
                    t._port = port(node, 0)
                values.append(t)
            else:
                values.append(v.data)
        elif isinstance(v, Tensor):
            vc = v._vc
            now = vc[0] if vc is not None else 0
            if now != versions[k]:
                raise RuntimeError(_version_message(v, now, versions[k]))
            values.append(v if graph_mode else v._data)
        else:
            values.append(v)
        k += 1
    return values


def _version_message(t, now, expected, producer=None):
    from .tensor import _LEGACY_NAMES
    kind = _LEGACY_NAMES.get(t._data.dtype.name, "torch.Tensor")
    shape = ", ".join(str(s) for s in t._data.shape)
    where = ""
    fn = producer if producer is not None else t.grad_fn
    if fn is not None:
        where = f", which is output 0 of {_op_name(fn.name())},"
    return (f"one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{kind} [{shape}]]{where} is at version {now}; expected version {expected} "
            f"instead. Hint: enable anomaly detection to find the operation that failed to compute "
            f"its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _op_name(node_name: str) -> str:
    """'ExpBackward0' -> 'Exp', as torch names the op in the version message."""
    base = node_name.rstrip("0123456789")
    if base.endswith("Backward"):
        base = base[: -len("Backward")]
    return base


def _check_nan(node, grads):
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = g._data if isinstance(g, Tensor) else np.asarray(g)
        if data.dtype.kind in "fc" and np.isnan(data).any():
            raise RuntimeError(f"Function '{type(node).__name__}' returned nan values in its {i}th output.")


# -- AccumulateGrad -----------------------------------------------------------------------------

def _accumulate(leaf: Tensor, g, graph_mode: bool) -> None:
    """Add into ``leaf.grad``: in place without a graph, out of place with one (torch's rules)."""
    if observer is not None:
        observer.accumulate(leaf, g, leaf._grad)
    if graph_mode:
        if leaf._grad is None:
            if g._requires_grad:
                leaf._grad = record(COPY, np.array(g._data, copy=True),
                                    (wrap(np.empty(0, g._data.dtype)), g))
            else:
                leaf._grad = wrap(np.array(g._data, copy=True))
        else:
            leaf._grad = leaf._grad + g
        return
    existing = leaf._grad
    if existing is None:
        # steal the buffer when nothing else can see it, as PyTorch does; copy otherwise
        if type(g) is np.ndarray and g.base is None and sys.getrefcount(g) <= 3 and g.flags.writeable:
            arr = g
        else:
            arr = np.array(g, dtype=leaf._data.dtype, copy=True)
        if arr.dtype != leaf._data.dtype:
            arr = arr.astype(leaf._data.dtype)
        leaf._grad = wrap(arr.reshape(leaf._data.shape))
    elif existing._data.flags.writeable:
        np.add(existing._data, g, out=existing._data, casting="unsafe")
        vc = existing._vc
        if vc is not None:
            vc[0] += 1
    else:
        leaf._grad = wrap(existing._data + g)


def call_node(node, grads):
    """grad_fn(*grads): run one node's formulas by hand, as PyTorch allows.

    As torch's Node call: one gradient per output of the op (the pieces of split/unbind, both
    outputs of var_mean...), None for "no gradient"; the results are the formulas' own, neither
    summed to the inputs' shapes nor cast (that is the engine's work).
    """
    n = n_outputs(node)
    if len(grads) != n:
        raise TypeError(f"expected {n} arguments, got {len(grads)} instead")
    for i, g in enumerate(grads):
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"argument {i} is not a Variable")
    if type(node) is AccumulateGrad:
        if grads[0] is not None:
            _accumulate(node.variable, grads[0] if grad_state.enabled else grads[0]._data, grad_state.enabled)
        return ()
    if all(g is None for g in grads):
        total = [None] * len(node._edges)
    else:
        total = _call_one(node, list(grads) if getattr(node, "_outputs", None) is not None else grads[0])
    res = tuple(None if o is None else (o if isinstance(o, Tensor) else wrap(np.asarray(o))) for o in total)
    return res if len(res) != 1 else res[0]


def _call_one(node, g):
    graph_mode = grad_state.enabled
    if type(g) is list:
        g = [None if x is None else x if graph_mode else x._data for x in g]
    else:
        g = g if graph_mode else g._data
    F = backends.tensor if graph_mode else backends.numpy_
    plan = node._saved_names
    outs = [None] * len(node._edges)
    if plan:
        if node._released:
            raise RuntimeError(_FREED)
        steps = _steps_of.get(plan) or _make_steps(node, plan)
        saved = _unpack(node, graph_mode) if node._saved else ()
        for i, fn, uses_F, idx in steps.calls:
            args = () if idx is None else (saved[idx],) if type(idx) is int else [saved[j] for j in idx]
            outs[i] = fn(g, *args, F=F) if uses_F else fn(g, *args)
    return outs


# the entry points (torch.autograd.backward / grad) live in entry.py; they are reached as
# engine.backward / engine.grad too
from .entry import backward, grad  # noqa: E402,F401
