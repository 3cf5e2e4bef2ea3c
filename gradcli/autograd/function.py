"""Autograd graph nodes: one ``Node`` subclass per backward formula (``MulBackward0``…).

A node knows the edges to the nodes of its inputs (``AccumulateGrad`` for leaves,
``None`` for inputs that need no gradient), the values its formulas saved, and
where in the program it was created (its *site*, an opaque tag the interpreter sets).

Ops with several outputs (split, chunk, unbind, var_mean, std_mean, aminmax) have ONE node,
as in torch. An edge into such a node is an ``OutputPort`` (the node and an output number):
the engine runs a port as a tiny node of its own that parks its gradient in the node's list
of output gradients, so the node runs once with all of them and the hot path never asks what
kind of edge it holds.
"""

from __future__ import annotations

import itertools
from weakref import ref as _weakref

_seq = itertools.count()
next_seq = _seq.__next__


class _Site:
    __slots__ = ("current",)

    def __init__(self):
        self.current = None


site = _Site()


def set_site(tag) -> None:
    """Tag the nodes created from now on with ``tag`` (a source position)."""
    site.current = tag


class Node:
    """Base of every ``grad_fn``. Subclasses set ``spec`` (the op's formulas)."""

    __slots__ = ("_edges", "_saved", "_saved_names", "_versions", "_in_meta",
                 "_seq", "_site", "_pre_hooks", "_post_hooks", "_released", "metadata", "_outputs",
                 "__weakref__")
    spec = None
    _no_edge = False  # (views._NoEdge: an edge torch shows as None)

    # NOTE: registry.attach, the hot path, sets these same slots without calling __init__
    def __init__(self, edges, saved=(), saved_names=(), versions=None, in_meta=None):
        self._edges = edges
        self._saved = saved
        self._saved_names = saved_names
        self._versions = versions
        self._in_meta = in_meta
        self._seq = next(_seq)
        self._site = site.current
        self._pre_hooks = None
        self._post_hooks = None
        self._released = False

    # -- PyTorch's public surface -------------------------------------------------
    def name(self) -> str:
        n = type(self).__name__
        # nodes torch writes by hand (not generated from derivatives.yaml) keep their namespace
        return "torch::autograd::" + n if n in ("CopySlices", "CopyBackwards", "AccumulateGrad", "NotImplemented") else n

    @property
    def next_functions(self):
        return tuple((None, 0) if e is None or e._no_edge else
                     (e.node, e.nr) if type(e) is OutputPort else (e, 0) for e in self._edges)

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) after this node ran; may return new grad_inputs."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return _RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) before this node runs; may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(("node", fn))
        return _RemovableHandle(self._pre_hooks, ("node", fn))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"

    def __call__(self, *grads):
        from .engine import call_node
        return call_node(self, grads)


class Outputs:
    """What a node with several outputs keeps per output: their number, the ports into it (weakly:
    the edges of later nodes and the outputs themselves hold them), and the order in which the
    outputs got their first tensor hook (torch runs them in that order)."""

    __slots__ = ("n", "ports", "hook_order")

    def __init__(self, n: int):
        self.n = n
        self.ports = [None] * n
        self.hook_order: list = []


class OutputPort:
    """The edge into output ``nr`` of a node with several outputs.

    To the engine it is a node with one edge (to ``node``) that runs as soon as every gradient
    for that output has arrived; ``_pre_hooks`` is never None, so it takes the engine's
    hooks branch, where it hands its gradient to ``node`` (engine.park)."""

    __slots__ = ("node", "nr", "_edges", "_seq", "__weakref__")
    _pre_hooks = ()
    _post_hooks = None
    _no_edge = False
    _released = False
    _saved_names = None

    def __init__(self, node, nr: int):
        self.node = node
        self.nr = nr
        self._edges = (node,)
        self._seq = node._seq

    def __repr__(self) -> str:
        return f"<output {self.nr} of {self.node!r}>"


def port(node, nr: int) -> OutputPort:
    """The one port into output ``nr`` of the multi-output ``node``."""
    ports = node._outputs.ports
    r = ports[nr]
    p = r() if r is not None else None
    if p is None:
        p = OutputPort(node, nr)
        ports[nr] = _weakref(p)
    return p


def edge_node(e):
    """The node an edge leads to (a port's node)."""
    return e.node if type(e) is OutputPort else e


def next_nodes(node) -> tuple:
    """The nodes ``node``'s edges lead to, ports resolved (None where an edge is None): what
    ``next_functions`` shows, for code that walks the graph node by node."""
    return tuple(e.node if type(e) is OutputPort else e for e in node._edges)


def n_outputs(node) -> int:
    outs = getattr(node, "_outputs", None)
    return 1 if outs is None else outs.n


class AccumulateGrad(Node):
    """The node at a leaf that requires grad: adds the incoming gradient into ``.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        Node.__init__(self, ())
        self.variable = variable
        self._seq = float("inf")  # PyTorch runs these as soon as they are ready


class _RemovableHandle:
    __slots__ = ("_list", "_item")

    def __init__(self, lst, item):
        self._list = lst
        self._item = item

    def remove(self) -> None:
        try:
            self._list.remove(self._item)
        except ValueError:
            pass


def node_class(name: str, spec) -> type:
    """The ``grad_fn`` class for one backward formula, named as PyTorch names it."""
    return type(name, (Node,), {"__slots__": (), "spec": spec, "__module__": "torch.autograd"})
