"""One run of a program for ``gradcli check``: in float64, leaves numbered, passes watched.

``run_once`` runs the program (parsed once, by the caller) with float64 as the default
dtype and every leaf widened to float64 where it is made (``LeafEvents``), and notes
for each backward pass (``BackwardCalls``):

- its *objective* ``Σ ⟨grad_tensors, outputs⟩``, taken when the pass starts: the
  scalar whose gradient the pass computes;
- what the pass gave each numbered leaf (added into ``.grad``, after the leaf's hooks,
  or returned by ``torch.autograd.grad``);
- in the reference run (``record``), each leaf's state when the pass starts: its
  version, and why the pass cannot be checked for it, if it cannot (see ``_reason``).

A run may stop early (``_Stop``) once it has what it needs: the objective of the last
pass a check looks at, or that pass's gradients, or the Hessian of one pass taken just
before the pass runs (its graph whole, as the program left it).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..autograd.engine import Observer
from ..errors import LimitExceeded
from .backward_calls import BackwardCalls
from .leaf_events import LeafEvents, Perturbation

FINAL = -1  # the pass gradcli makes itself after the program (check --of, or no pass of its own)


@dataclass
class Program:
    """What the CLI hands over: how to run the parsed program, and gradcli's own pass."""

    execute: Callable            # execute(set_values: dict) -> interp.RunResult
    set_values: Callable         # () -> dict, the --set values made afresh (inside the run)
    final: Callable | None       # final(result) -> (outputs, grad_tensors); None: the program's passes
    reset: Callable = lambda: None  # put process-wide state (grad mode, RNG) back as before the first run
    ran: Callable = lambda result: None  # told each run's result before gradcli's own pass (--detect-anomaly's names)


@dataclass
class RunSpec:
    perturbation: Perturbation | None = None
    stop_before: int | None = None   # stop when this pass starts (its objective taken)
    stop_after: int | None = None    # stop once this pass ran
    hessian_at: int | None = None    # take this pass's Hessian over hessian_leaves, then stop
    hessian_leaves: tuple = ()       # ordinals
    record: bool = False             # the reference run


@dataclass
class RunRecord:
    objectives: dict = field(default_factory=dict)     # pass -> float
    grads: dict = field(default_factory=dict)          # pass -> {ordinal: float64 array}
    seen: dict = field(default_factory=dict)           # pass -> {ordinal: (version, reason or None)}
    output_dtypes: dict = field(default_factory=dict)  # pass -> set of dtype names
    non_leaf_inputs: dict = field(default_factory=dict)  # pass -> count of autograd.grad inputs that are not leaves
    hessian: dict | None = None                        # (ordinal a, ordinal b) -> array (n_a, n_b)
    leaves: list = field(default_factory=list)         # LeafState per ordinal
    passes: int = 0                                    # how many passes the program itself made
    result: object = None                              # interp.RunResult (None when stopped early)
    perturbed: bool = False
    stopped: bool = False
    error: Exception | None = None


class _Stop(BaseException):
    """The run has what it needs (a BaseException: no program code can catch it)."""


class _Listener(Observer):
    """BackwardCalls' listener and the engine's observer, for one run."""

    def __init__(self, spec: RunSpec, record: RunRecord, events: LeafEvents):
        self.spec = spec
        self.rec = record
        self.events = events
        self.calls: BackwardCalls | None = None
        self.final_stage = False
        self._current: dict | None = None

    def _key(self, call) -> int:
        return FINAL if self.final_stage else call.index

    # -- BackwardCalls --------------------------------------------------------------
    def before(self, call) -> None:
        k = self._key(call)
        if not self.final_stage:
            self.rec.passes = call.index + 1
        pairs = [(o, g) for o, g in zip(call.outputs, call.grads) if g is not None]
        self.rec.objectives[k] = sum(float(np.sum(np.asarray(o._data, dtype=np.float64) *
                                                  np.asarray(g._data, dtype=np.float64))) for o, g in pairs)
        self.rec.output_dtypes[k] = {str(o._data.dtype) for o, _ in pairs}
        if self.spec.record:
            self.rec.seen[k] = self._states(pairs)
        if self.spec.hessian_at == k:
            self.rec.hessian = self._hessian(pairs)
            raise _Stop
        if self.spec.stop_before == k:
            raise _Stop
        self._current = {}

    def after(self, call) -> None:
        k = self._key(call)
        got = self._current or {}
        self._current = None
        if not call.accumulate and call.inputs is not None:
            others = 0
            for t, g in zip(call.inputs, call.result or ()):
                o = self.events.ordinal(t)
                if o is None:
                    others += getattr(t, "grad_fn", None) is not None
                elif g is not None:
                    got[o] = got.get(o, 0) + np.asarray(g._data, dtype=np.float64)
            if others:
                self.rec.non_leaf_inputs[k] = others
        self.rec.grads[k] = got
        if self.spec.stop_after == k:
            raise _Stop

    # -- engine observer --------------------------------------------------------------
    def node(self, node, grad_output, grad_inputs):
        super().node(node, grad_output, grad_inputs)

    def accumulate(self, leaf, grad, before):
        super().accumulate(leaf, grad, before)
        o = self.events.ordinal(leaf)
        if o is None or self._current is None:
            return
        g = np.broadcast_to(np.asarray(getattr(grad, "_data", grad), dtype=np.float64), leaf._data.shape)
        self._current[o] = self._current.get(o, 0) + g

    # -- the reference run's view of the leaves when a pass starts -----------------------
    def _states(self, pairs) -> dict:
        first_seq = _earliest_nodes(self.events, [o for o, _ in pairs])
        out = {}
        for state in self.events.states:
            t = state.ref()
            if t is None:
                continue
            version = t._vc[0] if t._vc is not None else 0
            out[state.ordinal] = (version, _reason(state, t, version, first_seq.get(state.ordinal)))
        return out

    def _hessian(self, pairs) -> dict:
        from ..autograd import engine
        from ..autograd.tensor import wrap
        ordinals = list(self.spec.hessian_leaves)
        leaves = [self.events.tensor(o) for o in ordinals]
        blocks = {(a, b): np.zeros((la._data.size, lb._data.size))
                  for a, la in zip(ordinals, leaves) for b, lb in zip(ordinals, leaves)}
        outs = [o for o, _ in pairs if o._requires_grad]
        grads = [g for o, g in pairs if o._requires_grad]
        if not outs:
            return blocks
        with self.calls.pause():
            first = engine.grad(outs, leaves, grads, retain_graph=True, create_graph=True, allow_unused=True)
            for a, ga in zip(ordinals, first):
                if ga is None or not ga._requires_grad:
                    continue
                for i in range(ga._data.size):
                    e = np.zeros(ga._data.shape, dtype=ga._data.dtype)
                    e.flat[i] = 1
                    rows = engine.grad([ga], leaves, [wrap(e)], retain_graph=True, allow_unused=True)
                    for b, h in zip(ordinals, rows):
                        if h is not None:
                            blocks[(a, b)][i] = np.asarray(h._data, dtype=np.float64).ravel()
        return blocks



GRAPH_BEFORE_VALUE = "graph"
UNTRACKED_WRITE = "untracked"
UNWATCHED_CHANGE = "unwatched"


def _reason(state, t, version, first_seq) -> str | None:
    """Why a pass cannot be checked for this leaf by perturbing it where it took its value."""
    if not state.watched and version != state.version:
        return UNWATCHED_CHANGE  # changed in place, but a view made earlier shares its counter
    if state.value is not None and (t._data.shape != state.value.shape or
                                    not np.array_equal(t._data, state.value, equal_nan=True)):
        return UNTRACKED_WRITE   # a write autograd does not see (.data, .numpy()) changed it
    if first_seq is not None and first_seq < state.seq:
        return GRAPH_BEFORE_VALUE  # part of the graph read the leaf before it took this value
    return None


def _earliest_nodes(events, outputs) -> dict:
    """ordinal -> the lowest node number on any path from ``outputs`` down to that leaf."""
    from ..autograd.function import AccumulateGrad, next_nodes
    roots = [o.grad_fn for o in outputs if o.grad_fn is not None]
    pending: dict = {}
    for node in _reachable(roots):
        for e in next_nodes(node):
            if e is not None:
                pending[e] = pending.get(e, 0) + 1
    best = {r: r._seq for r in roots}
    ready = [r for r in roots if pending.get(r, 0) == 0]
    out = {}
    while ready:
        node = ready.pop()
        low = best[node]
        if type(node) is AccumulateGrad:
            o = events.ordinal(node.variable)
            if o is not None:
                out[o] = low
            continue
        for e in next_nodes(node):
            if e is None:
                continue
            seq = e._seq if type(e) is not AccumulateGrad else float("inf")
            best[e] = min(best.get(e, seq), seq, low)
            pending[e] -= 1
            if pending[e] == 0:
                ready.append(e)
    return out


def _reachable(roots):
    from ..autograd.function import next_nodes
    seen = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(e for e in next_nodes(node) if e is not None and e not in seen)


def run_once(program: Program, spec: RunSpec) -> RunRecord:
    """Run the program once as ``spec`` says; program errors land in ``RunRecord.error``."""
    from ..autograd import dtypes
    rec = RunRecord()
    saved_dtype = dtypes.get_default_dtype()
    program.reset()
    dtypes.set_default_dtype(dtypes.float64)
    events = LeafEvents(widen=True, record=spec.record, perturbation=spec.perturbation)
    listener = _Listener(spec, rec, events)
    calls = BackwardCalls(listener, keep_graphs=program.final is not None)
    listener.calls = calls
    try:
        # the program's prints and warnings were shown by the first run; re-runs are silent
        with contextlib.redirect_stderr(io.StringIO()), events, calls, listener:
            try:
                from ..autograd.function import set_site
                set_site(None)  # leaves --set makes are named by their --set name, not by a stale site
                rec.result = program.execute(program.set_values())
                program.ran(rec.result)
                if program.final is not None:
                    calls.restore_graphs()
                    outputs, grads = program.final(rec.result)
                    listener.final_stage = True
                    from ..autograd import engine
                    engine.backward(outputs, grads)
            except _Stop:
                rec.stopped = True
            except LimitExceeded:
                raise  # --timeout and the other limits are for the whole command
            except Exception as e:  # noqa: BLE001 - the caller decides what a failed re-run means
                rec.error = e
    finally:
        dtypes.set_default_dtype(saved_dtype)
        program.reset()
    rec.leaves = events.states
    rec.perturbed = events.perturbed
    return rec


def process_state():
    """A function that puts back what a run may leave changed for the next one in this
    process (grad mode, anomaly mode, the default random generator), as it is now."""
    from ..autograd import grad_mode, random
    g = random.default_generator
    initial = g.initial_seed()
    drawn = None if g._numpy_rng is None else g._numpy_rng.bit_generator.state
    mode = grad_mode.state
    modes = (mode.enabled, mode.anomaly, mode.check_nan)

    def reset():
        g.manual_seed(initial)
        if drawn is not None:
            g._rng.bit_generator.state = drawn
        mode.enabled, mode.anomaly, mode.check_nan = modes
    return reset
