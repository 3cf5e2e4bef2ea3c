"""The chain rule, step by step: a ledger of every edge the backward pass ran.

A :class:`Ledger` is an engine observer.  For each node the engine runs it records,
per input, the incoming gradient, the local derivative (rule in words and its value),
the contribution passed on and the running total at that input; for each leaf, the
value added into ``.grad`` and what ``.grad`` held before (the seeds' 5, 10, 15, 20).

The local value is the node's formula applied to a gradient of ones.  The engine
frees a node's saved values once it has run, so the ledger keeps a reference to the
saved values of each node's inputs when the node runs (they have not run yet); only
the first node of a pass was never seen before it ran, and its local value is the
contribution divided by the incoming gradient where that is defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..autograd.engine import Observer
from ..autograd.function import edge_node
from .graph import Namer, array, operand, span_text

# What each grad_fn computed, in words, for the rule's left-hand side. ``{self}`` etc.
# are replaced by the inputs' names; ops not listed read ``op(self, other)``.
FORWARD = {
    "AddBackward0": "{self} + {other}", "SubBackward0": "{self} - {other}",
    "RsubBackward1": "c - {self}", "MulBackward0": "{self}·{other}",
    "DivBackward0": "{self}/{other}", "NegBackward0": "-{self}",
    "PowBackward0": "{self}^{exponent}", "PowBackward1": "{self}^{exponent}",
    "PowBackward2": "{base}^{exponent}", "SumBackward0": "sum({self})", "SumBackward1": "sum({self})",
    "MeanBackward0": "mean({self})", "MeanBackward1": "mean({self})",
    "MmBackward0": "{self} @ {other}", "MvBackward0": "{self} @ {vec}", "DotBackward0": "{self}·{tensor}",
}
# Rules in words for grad_fns whose op entry has none (keyed by grad_fn name).
RULES = {
    "MmBackward0": {"self": "grad @ other.T", "other": "self.T @ grad"},
    "MvBackward0": {"self": "outer(grad, vec)", "vec": "self.T @ grad"},
    "DotBackward0": {"self": "tensor", "tensor": "self"},
}
_NOT_LOCAL = re.compile(r"grad|shape|place|slice|piece|copies|transpose|permute|reshape|squeeze|flip|roll|diag|cast")


@dataclass
class Step:
    """One row of the ledger: an edge (node -> one input) or a leaf's accumulation."""

    backward_pass: int
    kind: str                      # "edge" or "accumulate"
    node: str                      # the name of the tensor the node produced (or the leaf)
    site: str                      # FILE:LINE:COL of the node, "" when unknown
    grad_fn: str
    input: str = ""                # edge: the input's name (x, a…)
    input_kind: str = ""           # edge: "leaf" or "node"
    rule: str | None = None        # edge: "d sin(x)/dx = cos(x)"
    local: object = None           # edge: the local derivative's value, when elementwise
    incoming: object = None        # edge: d root / d node
    contribution: object = None    # edge: what this path passes to the input (incoming × local)
    path: int = 0                  # this is path `path` of `paths` into the input
    paths: int = 0
    total: object = None           # the input's gradient so far in this pass
    before: object = None          # accumulate: .grad before (None: it was None)
    after: object = None           # accumulate: .grad after
    hooked: bool = False           # accumulate: a hook changed what arrived

    @property
    def value(self):
        """accumulate: the value added into .grad."""
        return self.contribution


@dataclass
class Explanation:
    steps: list[Step] = field(default_factory=list)
    passes: int = 0
    leaves: dict = field(default_factory=dict)   # leaf name -> final .grad (numpy) or None
    notes: list[str] = field(default_factory=list)


class Ledger(Observer):
    """Engine observer that writes the :class:`Step` rows; use as a context manager."""

    def __init__(self, namer: Namer | None = None):
        self.namer = namer or Namer()
        self.events: list = []     # raw events, named once the run is over
        self._saved: dict = {}     # node -> (saved values, plan) kept before it ran
        self._pending: set = set() # nodes waiting for their turn in this pass
        self._totals: dict = {}    # node -> running total in this pass
        self.passes = 0
        self._param_cache: dict = {}

    # -- the engine's observer interface ------------------------------------------
    def node(self, node, grad_output, grad_inputs):
        super().node(node, grad_output, grad_inputs)
        if node not in self._pending:
            self._new_pass()
        self._pending.discard(node)
        if type(grad_output) is list:  # a node with several outputs: no one incoming gradient
            g = None
            locals_ = [None] * len(grad_inputs)
        else:
            g = _np(grad_output)
            locals_ = self._locals(node, g, grad_inputs)
        for i, (edge, gi) in enumerate(zip(node._edges, grad_inputs)):
            if edge is None or gi is None:
                continue
            nxt = edge_node(edge)
            contribution = _np(gi).copy()
            # totals per edge: into one output of a node with several (a port), that output's own
            total = self._totals.get(edge)
            total = contribution.copy() if total is None else total + contribution
            self._totals[edge] = total
            self._pending.add(nxt)
            if nxt not in self._saved and nxt._saved_names:
                self._saved[nxt] = (nxt._saved, nxt._saved_names)
            self.events.append(("edge", self.passes, node, i, edge, None if g is None else g.copy(), locals_[i],
                                contribution, total.copy()))
        kept = self._saved.pop(node, None)
        if kept is not None:
            self._param_cache[node] = _scalar_params(*kept)

    def accumulate(self, leaf, grad, before):
        super().accumulate(leaf, grad, before)
        from ..autograd.ops.registry import accumulate_node
        acc = accumulate_node(leaf)
        if acc not in self._pending and not self._pending:
            self._new_pass()
        self._pending.discard(acc)
        g = _np(grad).copy()
        arrived = self._totals.get(acc)
        hooked = arrived is not None and (arrived.shape != g.shape or not np.array_equal(arrived, g))
        b = None if before is None else _np(before).copy()
        after = g.astype(leaf._data.dtype) if b is None else b + g
        self.events.append(("accumulate", self.passes, leaf, g, b, np.asarray(after), hooked))

    def _new_pass(self):
        self.passes += 1
        self._pending = set()
        self._totals = {}

    def _locals(self, node, g, grad_inputs):
        out = [None] * len(node._edges)
        spec = getattr(node, "spec", None)
        if spec is None:
            return out
        kept = self._saved.get(node)
        for i, gi in enumerate(grad_inputs):
            if gi is None or i >= len(spec.inputs):
                continue
            words = _rule_words(node, i)
            if words is None or _NOT_LOCAL.search(words):
                continue
            if kept is not None:
                out[i] = _formula_on_ones(node, i, g, *kept)
            else:
                c = _np(gi)
                if c.shape == g.shape and np.all(g != 0):
                    with np.errstate(all="ignore"):
                        out[i] = c / g
        return out


    # -- the rows -----------------------------------------------------------------
    def explanation(self, leaves: dict | None = None) -> Explanation:
        """The ledger as rows, named now (after the run) so loop variables have names."""
        namer = self.namer
        self._order_ties()
        counts: dict = {}
        for ev in self.events:
            if ev[0] == "edge":
                key = (ev[1], ev[4])
                counts[key] = counts.get(key, 0) + 1
        seen: dict = {}
        steps = []
        for ev in self.events:
            if ev[0] == "edge":
                _, p, node, i, nxt, g, local, contribution, total = ev
                key = (p, nxt)
                seen[key] = seen.get(key, 0) + 1
                from ..autograd.function import AccumulateGrad
                steps.append(Step(
                    backward_pass=p, kind="edge", node=namer.node(node), site=span_text(node._site),
                    grad_fn=type(node).__name__, input=namer.node(nxt),
                    input_kind="leaf" if type(nxt) is AccumulateGrad else "node",
                    rule=rule_text(node, i, namer, self._params(node)), local=local, incoming=g,
                    contribution=contribution, path=seen[key], paths=counts[key], total=total))
            else:
                _, p, leaf, g, before, after, hooked = ev
                steps.append(Step(backward_pass=p, kind="accumulate", node=namer.leaf(leaf), site="",
                                  grad_fn="AccumulateGrad", contribution=g, before=before,
                                  after=after, hooked=hooked))
        result = Explanation(steps=steps, passes=self.passes)
        for name, t in (leaves or {}).items():
            result.leaves[name] = array(t._grad)
        if any(s.hooked for s in steps):
            result.notes.append("a hook changed a gradient on its way into .grad "
                                "(the accumulated value differs from the sum of the paths)")
        return result

    def _order_ties(self) -> None:
        """Leaves ready at the same moment run in an order the engine leaves to chance
        (a heap tie broken by id); list them by when their last path arrived instead,
        so the ledger reads the same every run."""
        from ..autograd.function import AccumulateGrad
        last: dict = {}
        for k, ev in enumerate(self.events):
            if ev[0] == "edge" and type(ev[4]) is AccumulateGrad:
                last[(ev[1], id(ev[4].variable))] = k
        out, run = [], []
        for ev in self.events + [None]:
            if ev is not None and ev[0] == "accumulate" and (not run or run[0][1] == ev[1]):
                run.append(ev)
                continue
            run.sort(key=lambda e: last.get((e[1], id(e[2])), -1))
            out.extend(run)
            run = []
            if ev is not None:
                if ev[0] == "accumulate":
                    run.append(ev)
                else:
                    out.append(ev)
        self.events = out

    def _params(self, node) -> dict:
        """Non-tensor saved parameters (exponent, alpha…) for the rule's words."""
        return self._param_cache.get(node, {})


def _scalar_params(saved, plan) -> dict:
    out = {}
    for name, v in zip(plan.names, saved):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[name] = v
    return out


def _np(g):
    return np.asarray(getattr(g, "_data", g))


def _rule_words(node, i) -> str | None:
    spec = node.spec
    name = spec.inputs[i]
    words = (spec.rule or {}).get(name)
    if words is None:
        words = RULES.get(type(node).__name__, {}).get(name)
    return words


def rule_text(node, i, namer: Namer, params: dict | None = None) -> str | None:
    """``d sin(x)/dx = cos(x)``: the local derivative of input ``i`` in the inputs' names."""
    spec = getattr(node, "spec", None)
    if spec is None or i >= len(spec.inputs):
        return None
    words = _rule_words(node, i)
    names = {}
    for k, (inp, nxt) in enumerate(zip(spec.inputs, node._edges)):
        names[inp] = operand(namer.node(nxt)) if nxt is not None else "c"  # a constant here
    names.update({k: _short(v) for k, v in (params or {}).items()})
    names["result"] = operand(namer.node(node))
    fwd = FORWARD.get(type(node).__name__)
    if fwd is None:
        base = type(node).__name__.rsplit("Backward", 1)[0].lower()
        fwd = f"{base}({', '.join('{' + n + '}' for n in spec.inputs)})"
    lhs = fwd.format_map(_Default(names))
    wrt = names.get(spec.inputs[i], spec.inputs[i])
    if words is None:
        return f"d {lhs}/d{wrt}: no rule in words"
    rhs = re.sub(r"\b(self|other|result|exponent|alpha|base|vec|tensor|mat2|input)\b",
                 lambda m: names.get(m.group(1), m.group(1)), words)
    return f"d {lhs}/d{wrt} = {rhs}"


class _Default(dict):
    def __missing__(self, key):
        return key


def _short(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _formula_on_ones(node, i, g, saved, plan):
    """Input ``i``'s formula with a gradient of ones: the local derivative's value."""
    from ..autograd.ops import backends
    from ..autograd.ops.registry import _ResultSlot
    from ..autograd.tensor import Tensor

    values = []
    for v in saved:
        if isinstance(v, Tensor):
            values.append(v._data)
        elif type(v) is _ResultSlot:
            values.append(v.data)
        else:
            values.append(v)
    for k, formula, idx in plan.calls:
        if k != i:
            continue
        ones = np.ones_like(g)
        try:
            with np.errstate(all="ignore"):
                if formula.uses_F:
                    out = formula.fn(ones, *[values[j] for j in idx], F=backends.numpy_)
                else:
                    out = formula.fn(ones, *[values[j] for j in idx])
        except Exception:  # a formula that needs more than ones can give: show no value
            return None
        return np.asarray(out)
    return None
