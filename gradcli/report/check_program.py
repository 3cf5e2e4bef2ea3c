"""``gradcli check`` on a whole program: which gradients are checked, and against what.

The program is run once for reference, then again per perturbation (``check_runs``).
Leaves are identified by the order in which the run makes them, and perturbed where
they take a value (``leaf_events``), not through a name: a name bound three times,
a leaf made in a loop and a model's parameters are all checked the same way.

What is checked ("an item"): a leaf at one *value*, and the backward passes that saw
it at that value.  A pass sees a leaf at the value it took where it was made or at
its last in-place change before the pass (an optimizer step, ``x -= lr * x.grad``
under ``no_grad``).  The autograd side is what those passes gave the leaf (summed
when several passes saw one value: what they added into ``.grad``, or returned from
``torch.autograd.grad``); the numeric side is the central difference of the sum of
those passes' objectives Σ⟨grad_tensors, outputs⟩, with the leaf moved by ±eps at
the moment it took that value and everything after it re-run.  A leaf no pass
reached is checked to have a zero gradient over the passes it could have reached.

A pass is not checked for a leaf, with the reason said, when the leaf's value was
changed by a write autograd does not track, or when part of the graph was recorded
before the leaf took its value (see ``check_runs._reason``): then no single place
to perturb gives the derivative the pass computed.

By default each leaf (named by where it is made and what holds it) is checked at the
first and the last value the passes saw (``all_values``: every one), since each
check re-runs the program twice per element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .check import ATOL, EPS, FLOAT32_NOTE, RTOL, CheckResult, compare
from .check_runs import (FINAL, GRAPH_BEFORE_VALUE, UNTRACKED_WRITE, UNWATCHED_CHANGE, Program, RunSpec,
                         run_once)
from .leaf_events import Perturbation

REASONS = {
    UNTRACKED_WRITE: "a write autograd does not track (through .data, or a tensor sharing its memory) "
                     "changed its value before the pass, so there is no place in the program where it "
                     "takes the value the pass saw",
    GRAPH_BEFORE_VALUE: "part of the graph the pass differentiates was recorded before it took the value it "
                        "had when the pass ran (it was changed in place after the forward computation), so "
                        "the pass's gradient is not the derivative of the program at any one value",
    UNWATCHED_CHANGE: "it was changed in place and shares its version counter with a view made before it "
                      "required grad, so gradcli cannot tell where it took the value the pass saw",
}


@dataclass
class Item:
    ordinal: int
    version: int
    passes: list = field(default_factory=list)
    reached: bool = True
    name: str = ""
    site: str = ""
    group: tuple = ()


class Unusable(Exception):
    """A perturbed re-run could not give a difference for this item."""


def check_program(program: Program, order: int = 1, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL,
                  target: str = "the program's backward passes", program_dtype: str = "torch.float64",
                  all_values: bool = False, line_of=None) -> CheckResult:
    ref = run_once(program, RunSpec(record=True))
    if ref.error is not None:
        raise ref.error
    result = CheckResult(target, order, program_dtype, eps, atol, rtol)
    passes = [FINAL] if program.final is not None else list(range(ref.passes))
    items, problems, involved = _items(ref, passes)
    names = _names(ref, line_of)
    for item in items:
        item.name, item.site, item.group = names[item.ordinal]
    chosen = _choose(items, all_values, result.notes)
    _explain(ref, problems, involved, names, passes, chosen, result.notes)
    if program_dtype in ("torch.float32", "torch.float16", "torch.bfloat16"):
        result.notes.append(FLOAT32_NOTE)
    if order == 1:
        for item in chosen:
            _first_order(program, ref, item, eps, atol, rtol, result)
    else:
        _second_order(program, ref, chosen, eps, atol, rtol, result)
    if not result.leaves:
        result.notes.append("nothing was checked: no gradient could be compared (see the notes above); "
                            "the check fails")
    return result


# -- what to check ---------------------------------------------------------------------------

def _items(ref, passes):
    """Items (leaf, value) with their passes; problems (ordinal, pass, reason); ordinals seen at all."""
    reached_any = {o for k in passes for o in ref.grads.get(k, {})}
    items: dict = {}
    problems = []
    alive = set()
    for k in passes:
        for o, (version, why) in ref.seen.get(k, {}).items():
            alive.add(o)
            reached = o in ref.grads.get(k, {})
            if not reached and o in reached_any:
                continue  # a leaf other passes reach: this one gives it nothing
            if why is not None:
                if reached:
                    problems.append((o, k, why))
                continue
            item = items.setdefault((o, version), Item(o, version, reached=reached))
            item.passes.append(k)
    ordered = sorted(items.values(), key=lambda i: (i.passes[0], i.ordinal))
    covered = {i.ordinal for i in ordered} | {o for o, _, _ in problems}
    return ordered, problems, (alive - covered, covered)


def _choose(items, all_values, notes):
    """Each leaf's first and last value, unless all_values."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    chosen = []
    for group in groups.values():
        if all_values or len(group) <= 2:
            chosen.extend(group)
            continue
        pick = [group[0], group[-1]]
        chosen.extend(pick)
        notes.append(f"{group[0].name}: backward passes saw {len(group)} values of it (it is changed in place "
                     f"or made again between them); checked the first and the last (backward passes "
                     f"{_passes(pick[0].passes)} and {_passes(pick[1].passes)}); --all-values checks all "
                     f"{len(group)}")
    chosen.sort(key=lambda i: (i.passes[0], i.ordinal))
    return chosen


def _explain(ref, problems, involved, names, passes, chosen, notes):
    """The notes: what was not checked and why, and what a row means when it is not obvious."""
    by_reason: dict = {}
    for o, k, why in problems:
        by_reason.setdefault((names[o][0], why), []).append(k)
    for (name, why), ks in by_reason.items():
        notes.append(f"{name}: not checked at {_at_passes(sorted(set(ks)))}: {REASONS[why]}")
    for item in chosen:
        if not item.reached:
            notes.append(f"{item.name}: no backward pass reached it; checked that its gradient is zero "
                         f"over {_at_passes(item.passes)}")
    if any(len(i.passes) > 1 and i.reached for i in chosen):
        notes.append("where several backward passes saw a leaf at one value, the gradient checked is the sum "
                     "of what they gave it (added into .grad, or returned by torch.autograd.grad), against "
                     "differences of the sum of those passes' outputs, each weighted by its grad_tensors")
    changing, covered = involved
    later: dict = {}
    for st in ref.leaves:
        if st.ordinal not in covered:
            key = (names[st.ordinal][0], st.ordinal in changing)
            later[key] = later.get(key, 0) + 1
    for (name, changed), n in later.items():
        why = ("no backward pass reached it, and its value changed between them in ways check cannot "
               "follow: not checked") if changed else \
            "no backward pass could reach it (made after the last one, or freed before it): nothing to check"
        notes.append(f"{name}: {why}" if n == 1 else f"{name} ({n} leaves made there): {why}")
    for k in passes:
        if ref.non_leaf_inputs.get(k):
            notes.append(f"{_at_passes([k])} (torch.autograd.grad) also differentiates with respect "
                         "to a tensor that is not a leaf: that gradient is not checked (check perturbs leaves)")
        low = sorted(d for d in ref.output_dtypes.get(k, ()) if d != "float64")
        if low:
            notes.append(f"{_at_passes([k])} differentiates a {', '.join(low)} output even in the "
                         "float64 re-run (the program asks for that dtype): its differences carry that rounding")


def _at_passes(ks) -> str:
    """'backward pass 3' or 'backward passes 2-5' (``ks`` 0-based)."""
    if ks == [FINAL]:
        return "gradcli's backward pass"
    return ("backward pass " if len(ks) == 1 else "backward passes ") + _passes(ks)


def _passes(ks) -> str:
    ks = [k + 1 for k in ks]
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return f"{ks[0]}-{ks[-1]}"
    return ", ".join(str(k) for k in ks)


# -- first order -----------------------------------------------------------------------------

def _zeros(ref, o):
    return np.zeros(ref.leaves[o].value.shape)


def _first_order(program, ref, item, eps, atol, rtol, result):
    o = item.ordinal
    autograd = sum((ref.grads[k].get(o, 0) for k in item.passes), _zeros(ref, o))
    numeric = np.zeros(autograd.shape)
    try:
        for i in range(autograd.size):
            up = _objective(program, item, i, eps)
            down = _objective(program, item, i, -eps)
            numeric.flat[i] = (up - down) / (2 * eps)
    except Unusable as e:
        result.unchecked.append((item.name, str(e)))
        result.notes.append(f"{item.name}: not checked at {_at_passes(item.passes)}: {e}")
        return
    row = compare(item.name, autograd, numeric, 1, atol, rtol)
    row.calls = [] if item.passes == [FINAL] else [k + 1 for k in item.passes]
    row.site = item.site
    result.leaves.append(row)


def _perturbed(program, item, i, delta, **stops):
    rec = run_once(program, RunSpec(Perturbation(item.ordinal, item.version, i, delta), **stops))
    if rec.error is not None:
        raise Unusable(f"the re-run with it moved by {delta:+g} failed: {type(rec.error).__name__}: "
                       f"{getattr(rec.error, 'message', rec.error)}")
    if not rec.perturbed:
        raise Unusable("a re-run did not make it again (the program is not deterministic)")
    missing = [k for k in item.passes if k not in rec.objectives]
    if missing:
        raise Unusable(f"moving it by {delta:+g} changed which backward passes the program makes "
                       "(its control flow depends on its value)")
    return rec


def _objective(program, item, i, delta) -> float:
    rec = _perturbed(program, item, i, delta, stop_before=item.passes[-1])
    return sum(rec.objectives[k] for k in item.passes)


# -- second order ----------------------------------------------------------------------------

def _second_order(program, ref, chosen, eps, atol, rtol, result):
    """Every block d²/da db for items a, b that share a pass: autograd's Hessian of each
    pass's objective against central differences of the passes' own gradients."""
    hessians = {}
    for k in sorted({k for item in chosen for k in item.passes}):
        at_k = tuple(item.ordinal for item in chosen if k in item.passes)
        rec = run_once(program, RunSpec(hessian_at=k, hessian_leaves=at_k))
        if rec.error is not None:
            raise rec.error
        hessians[k] = rec.hessian
    for b in chosen:
        nb = ref.leaves[b.ordinal].value.size
        partners = [a for a in chosen if set(a.passes) & set(b.passes)]
        numeric = {id(a): np.zeros((ref.leaves[a.ordinal].value.size, nb)) for a in partners}
        try:
            for j in range(nb):
                up = _perturbed(program, b, j, eps, stop_after=b.passes[-1])
                down = _perturbed(program, b, j, -eps, stop_after=b.passes[-1])
                for a in partners:
                    shared = sorted(set(a.passes) & set(b.passes))
                    na = numeric[id(a)].shape[0]
                    diff = sum((_grad(up, k, a, na) - _grad(down, k, a, na)) / (2 * eps) for k in shared)
                    numeric[id(a)][:, j] = np.ravel(diff)
        except Unusable as e:
            result.unchecked.append((b.name, str(e)))
            result.notes.append(f"{b.name}: its Hessian blocks are not checked: {e}")
            continue
        for a in partners:
            shared = sorted(set(a.passes) & set(b.passes))
            autograd = sum(hessians[k][(a.ordinal, b.ordinal)] for k in shared)
            row = compare(a.name, autograd, numeric[id(a)], 2, atol, rtol)
            row.wrt = b.name
            row.calls = [] if shared == [FINAL] else [k + 1 for k in shared]
            row.site = a.site
            result.leaves.append(row)


def _grad(rec, k, item, size):
    """What pass ``k`` of a perturbed run gave ``item``'s leaf (zeros: nothing)."""
    g = rec.grads.get(k, {}).get(item.ordinal)
    return np.zeros(size) if g is None else np.ravel(g)


# -- names -----------------------------------------------------------------------------------

_ASSIGNED = re.compile(r"^\s*([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\s*[-+*/@]?=(?!=)\s*(.*?)\s*(?:#.*)?$")
_CALL = re.compile(r"^([A-Za-z_][\w.]*)\(")


def _names(ref, line_of) -> dict:
    """ordinal -> (name, site text, group key); names from what holds the leaf at the end
    (a top-level name, a module's parameter, a list element), else from the line making it."""
    held = _held(ref.result.env if ref.result is not None else {})
    raw = {}
    for st in ref.leaves:
        t = st.ref()
        site = st.site
        name = held.get(id(t)) if t is not None else None
        if name is None:
            name = _from_source(site, line_of) or f"leaf {st.ordinal + 1}"
        key = (getattr(site, "file", None), getattr(site, "line", None), getattr(site, "column", None))
        raw[st.ordinal] = (name, key)
    sites_of: dict = {}
    for name, key in raw.values():
        sites_of.setdefault(name, set()).add(key)
    out = {}
    for o, (name, key) in raw.items():
        shown = name if len(sites_of[name]) == 1 or key[1] is None else f"{name} (line {key[1]})"
        site = f"{key[0]}:{key[1]}:{key[2]}" if key[1] is not None else ""
        out[o] = (shown, site, (name, key))
    return out


def _held(env: dict) -> dict:
    from ..autograd.nn_base import Module
    from ..autograd.tensor import Tensor
    out: dict = {}
    for name, v in env.items():
        if name.startswith("_"):
            continue
        if isinstance(v, Tensor):
            out.setdefault(id(v), name)
        elif isinstance(v, Module):
            for pname, p in v.named_parameters():
                out.setdefault(id(p), f"{name}.{pname}")
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                if isinstance(x, Tensor):
                    out.setdefault(id(x), f"{name}[{i}]")
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, Tensor):
                    out.setdefault(id(x), f"{name}[{k!r}]")
    return out


def _from_source(site, line_of) -> str | None:
    """The name a line gives the leaf it makes (``x = torch.ones(2, requires_grad=True)``),
    else the call that makes it (``leaf in jacobian(...)``)."""
    if site is None or line_of is None:
        return None
    line = line_of(site.file, site.line)
    if not line:
        return None
    end = site.end_column if site.end_line == site.line and site.end_column > site.column else len(line) + 1
    text = line[site.column - 1:end - 1].strip()
    m = _ASSIGNED.match(line)
    if m and (not text or text.lstrip("(") == m.group(2).lstrip("(") or text == line.strip()):
        name = m.group(1)
        return name[:-len(".requires_grad")] if name.endswith(".requires_grad") else name
    if not text:
        return None
    call = _CALL.match(text)
    return f"leaf in {call.group(1)}(...)" if call else f"leaf in {text[:20]}"
