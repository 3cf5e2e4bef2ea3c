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
        g = np.asarray(getattr(grad_output, "_data", grad_output))
        before = self.into.get(node)
        self.into[node] = g.copy() if before is None else before + g
        super().node(node, grad_output, grad_inputs)  # explain's ledger, --detect-anomaly's watch

    def accumulate(self, leaf, grad, before):
        self.accumulated = True
        super().accumulate(leaf, grad, before)

    def reset(self):
        self.into = weakref.WeakKeyDictionary()
