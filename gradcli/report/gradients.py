"""d target / d node for every node of a run, seen by observing the engine's own passes."""

from __future__ import annotations

import weakref

import numpy as np

from ..autograd.engine import Observer


class GradientRecorder(Observer):
    """Engine observer: the gradient flowing into every node, i.e. d target / d node.

    Sums over passes, as ``retain_grad()`` would; weak keys, so graphs the program
    dropped are freed as usual.  PyTorch stores none of this without retain_grad().
    """

    def __init__(self):
        self.into: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.accumulated = False  # a backward pass reached a leaf (autograd.grad never does)

    def node(self, node, grad_output, grad_inputs):
        before = self.into.get(node)
        if type(grad_output) is list:  # a node with several outputs: one gradient each (None: none)
            g = [None if o is None else np.array(getattr(o, "_data", o)) for o in grad_output]
            self.into[node] = g if before is None else [
                b if o is None else o if b is None else b + o for b, o in zip(before, g)]
        else:
            g = np.asarray(getattr(grad_output, "_data", grad_output))
            self.into[node] = g.copy() if before is None else before + g
        super().node(node, grad_output, grad_inputs)  # explain's ledger, --detect-anomaly's watch

    def accumulate(self, leaf, grad, before):
        self.accumulated = True
        super().accumulate(leaf, grad, before)

    def reset(self):
        self.into = weakref.WeakKeyDictionary()
