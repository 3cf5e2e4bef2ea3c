"""Every backward pass of a run, seen from outside the engine.

While a :class:`BackwardCalls` is active, ``engine.run`` (what ``backward()``,
``torch.autograd.backward`` and ``torch.autograd.grad`` call) is wrapped: each pass
is numbered and shown to a listener before and after it runs.  The passes run as
the program asked, ``retain_graph`` included, so the program sees PyTorch's own
errors ("Trying to backward through the graph a second time").

``jacobian``, ``hessian`` and ``check --of`` differentiate the program's tensors
again once it has finished, and need the graphs its passes freed.  So before a pass
that frees its graph, the values its nodes saved are set aside (weakly: a graph the
program drops is freed as usual), and :meth:`BackwardCalls.restore_graphs` puts them
back after the program ran.
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Call:
    """One backward pass: ``backward`` (``accumulate``: into ``.grad``) or ``autograd.grad``."""

    index: int                 # 0-based, in the order the run makes them
    outputs: list
    grads: list                # the grad_tensors, one per output (None: needs none)
    inputs: tuple | None
    accumulate: bool
    retain_graph: bool
    create_graph: bool
    result: list | None = None  # autograd.grad's gradients, one per input


class BackwardCalls:
    """Wrap ``engine.run`` while active; ``listener.before(call)`` / ``.after(call)``."""

    def __init__(self, listener=None, keep_graphs: bool = True):
        self.listener = listener
        self.keep_graphs = keep_graphs
        self.count = 0
        self.paused = False
        self._stash: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._walked: weakref.WeakSet = weakref.WeakSet()
        self._original = None

    @contextmanager
    def pause(self):
        """Passes made by gradcli itself (inside a listener) are neither numbered nor shown."""
        before = self.paused
        self.paused = True
        try:
            yield
        finally:
            self.paused = before

    def restore_graphs(self) -> None:
        """Give back the saved values of the nodes the program's passes freed."""
        for node, saved in list(self._stash.items()):
            if node._released:
                node._saved = saved
                node._released = False

    def _set_aside(self, outputs) -> None:
        from ..autograd.function import next_nodes
        stack = [o.grad_fn for o in outputs if o.grad_fn is not None]
        stash, walked = self._stash, self._walked
        while stack:
            node = stack.pop()
            if node in walked:
                continue  # walked before: everything below it was too (a graph only grows upward)
            walked.add(node)
            if node._saved and not node._released:
                stash[node] = node._saved
            stack.extend(e for e in next_nodes(node) if e is not None)

    def __enter__(self):
        from ..autograd import engine
        original = self._original = engine.run

        def run(outputs, grads, retain_graph, create_graph, inputs=None, accumulate=True):
            if self.paused:
                return original(outputs, grads, retain_graph, create_graph, inputs, accumulate)
            call = Call(self.count, list(outputs), list(grads), inputs, accumulate, retain_graph, create_graph)
            self.count += 1
            listener = self.listener
            if listener is not None:
                listener.before(call)
            if self.keep_graphs and not retain_graph:
                self._set_aside(call.outputs)
            call.result = original(outputs, grads, retain_graph, create_graph, inputs, accumulate)
            if listener is not None:
                listener.after(call)
            return call.result

        engine.run = run
        return self

    def __exit__(self, *exc):
        from ..autograd import engine
        engine.run = self._original
        return False
