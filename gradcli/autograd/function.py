"""Autograd graph nodes: one ``Node`` subclass per backward formula (``MulBackward0``…).

A node knows the edges to the nodes of its inputs (``AccumulateGrad`` for leaves,
``None`` for inputs that need no gradient), the values its formulas saved, and
where in the program it was created (its *site*, an opaque tag the interpreter sets).
Every node has exactly one output: ops that PyTorch gives several outputs (split,
chunk, unbind) get one node per output piece here.
"""

from __future__ import annotations

import itertools

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
                 "_seq", "_site", "_pre_hooks", "_post_hooks", "_released", "metadata", "_group",
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
        return "torch::autograd::" + n if n in ("CopySlices", "CopyBackwards", "AccumulateGrad") else n

    @property
    def next_functions(self):
        return tuple((None if e is not None and e._no_edge else e, 0) for e in self._edges)

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
