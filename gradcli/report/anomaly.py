"""``--detect-anomaly``: where the first NaN or infinity came from, forward or backward.

Backward: an engine observer looks at every gradient a node passes on; the first
non-finite one that came from a finite incoming gradient is the origin, reported
with the node's source position, its grad_fn, the rule in words and the input's
value where it broke (``d sqrt(x)/dx = 1/(2·sqrt(x)) at x = 0``).  As with
PyTorch's detect_anomaly, the pass stops there with a RuntimeError.

Forward: the engine has no forward hook, so every op result is looked at on its way
out of ``registry.record`` (its ``_wrap`` is wrapped for the run); the first
non-finite result is reported with the source position the interpreter had set.
A minimal engine hook (``registry.forward_observer(spec, result)``) would replace
this; see the report of issue 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd.function import edge_node
from .explain import Ledger, rule_text
from .graph import Namer, span_text


@dataclass
class Anomaly:
    phase: str                 # "forward" or "backward"
    kind: str                  # "nan" or "inf"
    site: str                  # FILE:LINE:COL, "" when unknown
    line: int | None
    grad_fn: str | None        # the node that produced it (forward: the op's grad_fn, if tracked)
    node: str | None           # the name of the tensor concerned
    input: str | None = None   # backward: the input whose gradient broke
    rule: str | None = None    # backward: d f/du = ...
    at: str | None = None      # backward: "x = 0" (the input's value at the element)
    index: list | None = None  # the first non-finite element
    message: str = ""


class AnomalyError(RuntimeError):
    """Raised in backward at the first non-finite gradient (PyTorch raises a RuntimeError too)."""

    def __init__(self, anomaly: Anomaly):
        super().__init__(anomaly.message)
        self.anomaly = anomaly


def _kind(a) -> str | None:
    a = np.asarray(getattr(a, "_data", a))
    if a.dtype.kind not in "fc":
        return None
    if np.isnan(a).any():
        return "nan"
    if np.isinf(a).any():
        return "inf"
    return None


def _first_bad(a) -> tuple:
    a = np.asarray(getattr(a, "_data", a))
    flat = int(np.argmax(~np.isfinite(a).ravel())) if a.size else 0
    return tuple(int(k) for k in np.unravel_index(flat, a.shape)) if a.ndim else ()


class AnomalyWatch(Ledger):
    """Both watches; use as a context manager around the program's run."""

    def __init__(self, namer: Namer | None = None):
        super().__init__(namer)
        self.forward: Anomaly | None = None
        self.backward: Anomaly | None = None
        self._pending_fwd = None
        self._orig_wrap = None

    # -- backward -------------------------------------------------------------
    def node(self, node, grad_output, grad_inputs):
        kept = self._saved.get(node)
        super().node(node, grad_output, grad_inputs)
        self.events.clear()  # only the saved-value bookkeeping of the ledger is wanted
        incoming = grad_output if type(grad_output) is list else [grad_output]  # (a node with several outputs)
        if self.backward is not None or any(g is not None and _kind(g) is not None for g in incoming):
            return
        for i, gi in enumerate(grad_inputs):
            if gi is None:
                continue
            kind = _kind(gi)
            if kind is None:
                continue
            self.backward = a = self._describe(node, i, gi, kind, kept)
            raise AnomalyError(a)

    def accumulate(self, leaf, grad, before):
        super().accumulate(leaf, grad, before)
        self.events.clear()

    def _describe(self, node, i, gi, kind, kept) -> Anomaly:
        namer = self.namer
        site = node._site
        name = namer.node(node)
        edge = node._edges[i]
        nxt = edge_node(edge)
        input_name = namer.node(edge) if edge is not None else None
        index = _first_bad(gi)
        rule = rule_text(node, i, namer, self._params(node))
        at = self._value_at(node, i, nxt, index, kept, input_name)
        what = "nan" if kind == "nan" else "infinite"
        msg = (f"Function '{type(node).__name__}' returned {what} values in its {i}th output"
               f" (the gradient of {input_name})")
        if rule:
            msg += f": {rule}" + (f" at {at}" if at else "")
        return Anomaly("backward", kind, span_text(site), getattr(site, "line", None),
                       type(node).__name__, name, input_name, rule, at, list(index), msg)

    def _value_at(self, node, i, nxt, index, kept, input_name):
        from ..autograd.function import AccumulateGrad
        value = None
        if nxt is not None and type(nxt) is AccumulateGrad:
            value = nxt.variable._data
        elif nxt is not None:
            env = self.namer._keep or {}
            for v in env.values():
                if getattr(v, "grad_fn", None) is nxt:
                    value = v._data
                    break
        if value is None and kept is not None:
            saved, plan = kept
            spec = node.spec
            want = spec.inputs[i] if i < len(spec.inputs) else None
            for n, v in zip(plan.names, saved):
                if n == want:
                    value = np.asarray(getattr(v, "_data", getattr(v, "data", v)))
        if value is None:
            return None
        value = np.asarray(value)
        try:
            x = value[index] if value.ndim else value
        except (IndexError, TypeError):
            return None
        from ..render.numbers import shortest
        return f"{input_name} = {shortest(np.asarray(x).item() if np.ndim(x) == 0 else x)}"

    # -- forward --------------------------------------------------------------
    def _check_forward(self):
        """The previous op result, once its grad_fn is attached."""
        pending, self._pending_fwd = self._pending_fwd, None
        if pending is None or self.forward is not None:
            return
        t, site, kind = pending
        node = t.grad_fn
        index = _first_bad(t)
        where = span_text(site)
        fn = type(node).__name__ if node is not None else None
        msg = f"the forward pass produced {'nan' if kind == 'nan' else 'an infinity'}"
        if fn:
            msg += f" in the op of {fn}"
        self.forward = Anomaly("forward", kind, where, getattr(site, "line", None), fn,
                               self.namer.node(node) if node is not None else None,
                               index=list(index), message=msg)

    def __enter__(self):
        from ..autograd import function
        from ..autograd.ops import registry
        super().__enter__()
        original = self._orig_wrap = registry._wrap
        watch = self

        def wrap(out):
            watch._check_forward()
            t = original(out)
            if watch.forward is None:
                kind = _kind(out)
                if kind is not None:
                    watch._pending_fwd = (t, function.site.current, kind)
            return t

        registry._wrap = wrap
        return self

    def __exit__(self, *exc):
        from ..autograd.ops import registry
        registry._wrap = self._orig_wrap
        self._check_forward()
        return super().__exit__(*exc)

    def first(self) -> Anomaly | None:
        self._check_forward()
        return self.forward or self.backward
