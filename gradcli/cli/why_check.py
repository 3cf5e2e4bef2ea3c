"""``gradcli check``: every leaf's autograd gradient against central finite differences.

``program_model`` turns a program into the :class:`report.check.Model` that
``report.check`` compares: the leaves, and the program re-run with a leaf replaced.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import EXIT_CHECK_FAILED, UsageError
from . import options as o
from .app import app
from .why import DetectAnomaly, GradTensors, SourceLines, anomaly_guard, emit, say_notes, user_error


@app.command()
def check(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
          order: Annotated[int, typer.Option("--order", min=1, max=2,
                                             help="1: gradients; 2: second derivatives.")] = 1,
          eps: Annotated[float, typer.Option("--eps", help="Step of the central differences.")] = 1e-6,
          atol: Annotated[float, typer.Option("--atol", help="Absolute tolerance.")] = 1e-5,
          rtol: Annotated[float, typer.Option("--rtol", help="Relative tolerance.")] = 1e-3,
          set: o.Set = None, fmt: o.FormatOpt = o.Format.table, detect_anomaly: DetectAnomaly = False,
          max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
          timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """Every leaf's autograd gradient against central finite differences, in float64.

    Exit code 3 when a check fails. A program that calls backward itself is checked on
    what its first pass put into each leaf's .grad, against differences of the output
    it differentiated (weighted by its grad_tensors).
    """
    from ..render.explain import render_check
    from ..report.check import check as run_check
    from . import source
    program = source.load(file, expr)
    with anomaly_guard(detect_anomaly) as watch:
        model = program_model(program, set or [], of or [], grad_tensors or [], order,
                              max_steps=max_steps, max_elements=max_elements, timeout=timeout, watch=watch)
        result = run_check(model, order, eps, atol, rtol)
    say_notes(result.notes)
    emit(lambda out: render_check(result, fmt.value, out, program.filename))
    if not result.passed:
        raise typer.Exit(EXIT_CHECK_FAILED)


def program_model(program, sets: list[str], of: list[str], grad_specs: list[str], order: int,
                  max_steps=None, max_elements=None, timeout=None, watch=None):
    """A :class:`report.check.Model` of the program: the leaves, and the program re-run.

    The finite differences re-run the whole program (parsed once) with the leaf
    replaced through ``set_values`` (the same path as ``--set``), by a float64
    tensor that requires grad, under float64 as the default dtype.  Re-running,
    rather than replaying recorded ops, is what makes the check an oracle: hooks,
    control flow and in-place updates all happen again exactly as the program says.

    Each leaf is checked on the first backward call that reached it (the program's
    own, or the one gradcli makes on --of): what that pass put into its .grad (after
    any hook) against differences of <grad_tensors, output> of that call.  Later
    passes of a training loop run at leaf values an optimizer step has changed, so
    perturbing the program's initial leaves says nothing about them.
    """
    import io

    import numpy as np

    from ..autograd import dtypes, engine
    from ..autograd.tensor import wrap
    from ..report.check import Model
    from ..report.graph import Namer
    from ..report.jacobian import BackwardCalls, hessian
    from . import session, source

    opts = session.RunOptions(list(sets), None, max_steps, max_elements, timeout)
    first = session.run_program(program, opts, stdout=io.StringIO())
    by_program = session.program_called_backward(first)
    targets = [] if by_program and not of else session.find_targets(first, of)
    leaf_names = session.default_inputs(first)
    if not leaf_names:
        raise UsageError("nothing to check: the program has no named leaf that requires grad")
    program_dtype = str((targets[0].tensor if targets else first.result.env[leaf_names[0]]).dtype)
    # --set replaces a name's first top-level binding only: a leaf name bound again later
    # (env holds the last binding) cannot be perturbed where it is used, so it is skipped
    spans: dict = {}
    for name, span in getattr(first.result, "assigned", ()):
        spans.setdefault(name, set()).add((getattr(span, "line", None), getattr(span, "column", None)))
    rebound = [n for n in leaf_names if len(spans.get(n, ())) > 1]
    leaf_names = [n for n in leaf_names if n not in rebound]

    parse, run, Limits = session.language()
    module = parse(program.source, program.filename)
    limits = Limits(max_steps=max_steps, max_elements=max_elements, timeout=timeout)
    saved_default = dtypes.get_default_dtype()

    def base_values():
        values = {}
        for spec in sets:
            name, text = session.values.split_assignment(spec)
            v = session.evaluate(text, f"--set {name}", values)
            values[name] = session._as_leaf(v, name) if program.expr_mode else session._as_program_value(v)
        return values

    def rerun(overrides: dict, seen=None):
        """(env, backward calls) of one float64 run with ``overrides`` as leaves."""
        dtypes.set_default_dtype(dtypes.float64)
        try:
            values = base_values()
            for name, x in overrides.items():
                t = wrap(np.array(x, dtype=np.float64, copy=True))
                t.requires_grad_(True)
                values[name] = t
            calls = BackwardCalls()
            if seen is not None:
                seen.calls = calls
            with calls, (seen if seen is not None else _Nothing()):
                try:
                    result = run(module, set_values=values or None, expr_mode=program.expr_mode,
                                 stdout=io.StringIO(), limits=limits)
                    if watch is not None:
                        watch.namer = Namer(dict(result.env), SourceLines(source))
                    if not by_program:
                        env = result.env
                        outs = [env[t.name] if t.name in env else result.last_value for t in targets]
                        if grad_specs:
                            vs = [wrap(np.asarray(session.grad_tensor(spec, t, dict(env))._data, dtype=np.float64))
                                  for spec, t in zip(grad_specs, targets)]
                        elif any(o.numel() != 1 for o in outs):
                            vs = [wrap(np.ones(o._data.shape, dtype=np.float64)) for o in outs]
                        else:
                            vs = None
                        engine.backward(outs, vs, retain_graph=True)
                except RuntimeError as e:
                    raise user_error(e, targets[0] if targets else None) from None
            return result.env, calls.calls
        finally:
            dtypes.set_default_dtype(saved_default)

    def objective(calls, k, as_tensor=False):
        total = None
        outs, grads = calls[k] if k < len(calls) else ([], [])
        for out, g in zip(outs, grads):
            if as_tensor:
                term = (out * wrap(np.asarray(g, dtype=out._data.dtype))).sum()
            else:
                term = float(np.sum(np.asarray(out._data, dtype=np.float64) * np.asarray(g, dtype=np.float64)))
            total = term if total is None else total + term
        return 0.0 if total is None else total

    # the reference run: which call first reached each leaf, its value then, what arrived
    seen = _FirstReached()
    env, calls = rerun({}, seen)
    leaves, autograd, call_of = {}, {}, {}
    for n in leaf_names:
        if n not in env:
            continue
        key = id(env[n])
        k, value, arrived = seen.first.get(key, (0, env[n]._data, None, None))[:3]
        call_of[n] = k
        leaves[n] = np.array(value, dtype=np.float64)
        autograd[n] = None if arrived is None else np.broadcast_to(arrived, leaves[n].shape).astype(np.float64)
    target_name = ", ".join(t.name for t in targets) if targets else "the program's backward calls"
    notes = []
    for n in rebound:
        notes.append(f"{n} is bound more than once at top level; --set, and so check, can only replace "
                     f"its first binding: not checked (give each tensor its own name to check it)")
    if not leaves:
        notes.append("no leaf was checked")
    if not by_program and not grad_specs and any(t.tensor.numel() != 1 for t in targets):
        notes.append(f"{target_name} is not a scalar: checking the gradient of its sum "
                     "(grad_tensors of ones); give --grad-tensors to weight it")
    if by_program and len(calls) > 1:
        notes.append(f"the program made {len(calls)} backward calls; each leaf is checked on the first "
                     "that reached it (later ones may see leaves an optimizer step has changed)")

    def value(overrides):
        _, calls = rerun(overrides)
        return objective(calls, call_of[next(iter(overrides))])

    def gradient(overrides):
        env, calls = rerun(overrides)
        name = next(iter(overrides))
        f = objective(calls, call_of[name], as_tensor=True)
        if not hasattr(f, "_data") or not f._requires_grad:
            return {name: np.zeros_like(leaves[name])}
        (g,) = engine.grad([f], [env[name]], retain_graph=True, allow_unused=True)
        return {name: np.zeros_like(leaves[name]) if g is None else np.asarray(g._data, dtype=np.float64)}

    def second(name):
        env, calls = rerun({name: leaves[name]})
        f = objective(calls, call_of[name], as_tensor=True)
        if not hasattr(f, "_data"):
            n = leaves[name].size
            return np.zeros((n, n))
        return hessian(f, env[name], "f", name).matrix

    return Model(target_name, leaves, value, gradient, autograd, second, program_dtype, notes)


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _FirstReached:
    """Engine observer: per leaf, the backward call that first reached it (0-based), the
    leaf's value then and the gradient that pass added into .grad."""

    def __init__(self):
        self.calls = None
        self.first: dict = {}
        self._previous = None

    def node(self, node, grad_output, grad_inputs):
        if self._previous is not None:
            self._previous.node(node, grad_output, grad_inputs)

    def accumulate(self, leaf, grad, before):
        if self._previous is not None:
            self._previous.accumulate(leaf, grad, before)
        import numpy as np
        k = len(self.calls.calls) - 1
        entry = self.first.get(id(leaf))
        g = np.array(getattr(grad, "_data", grad), dtype=np.float64)
        if entry is None:
            self.first[id(leaf)] = (k, leaf._data.copy(), g, leaf)
        elif entry[0] == k:
            self.first[id(leaf)] = (k, entry[1], entry[2] + g, leaf)

    def __enter__(self):
        from ..autograd import engine
        self._previous = engine.observer
        engine.observer = self
        return self

    def __exit__(self, *exc):
        from ..autograd import engine
        engine.observer = self._previous
        return False
