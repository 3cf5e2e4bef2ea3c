"""``gradcli explain|graph|jacobian|hessian|check``: the commands that show why.

Each command runs the program the way ``backward`` does (``app._load``, the
session's target selection and ``--grad-tensors`` parsing), with an observer from
``gradcli.report`` watching, then hands the report to ``gradcli.render``.  The
plain functions (``explain_session``, ``check_program``…) hold the little logic
there is, so the Typer functions stay thin.  Every command takes ``--detect-anomaly``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, Optional

import typer

from ..errors import EXIT_CHECK_FAILED, ProgramRuntimeError, SourceError, Span, UsageError
from . import options as o
from .app import _load, app

GradTensors = Annotated[Optional[list[str]], typer.Option(
    "--grad-tensors", metavar="SPEC",
    help="The weights v of backward(v): a literal ([0.1, 1.0]), an expression (ones_like(z)) or @file.")]
DetectAnomaly = o.DetectAnomaly
Wrt = Annotated[Optional[str], typer.Option(
    "--wrt", metavar="X", help="The input. [default: the only leaf that requires grad (-e: the only --set name)]")]


class GraphFormat(str, Enum):
    tree = "tree"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


# ------------------------------------------------------------------------ shared pieces

def namer_for(s):
    """Names for the session's nodes: its top-level names, then its source lines."""
    from ..report.graph import Namer
    from . import source
    return Namer(dict(s.result.env), _Lines(source))


class _Lines(dict):
    """file -> lines, read lazily through cli.source (which remembers every program read)."""

    def __init__(self, source):
        super().__init__()
        self._source = source

    def get(self, file, default=None):
        if file not in self:
            lines, n = [], 1
            while True:
                line = self._source.line_of(file, n)
                if line is None:
                    break
                lines.append(line)
                n += 1
            self[file] = lines
        return dict.get(self, file, default)


def named_leaves(s) -> dict:
    from ..autograd.tensor import Tensor
    out = {}
    for name, v in s.result.env.items():
        if isinstance(v, Tensor) and v.grad_fn is None and v.requires_grad and not name.startswith("_"):
            out[name] = v
    return out


@contextmanager
def anomaly_guard(enabled: bool):
    """``--detect-anomaly``: yields the watch (or None); turns its finding into a program error."""
    if not enabled:
        yield None
        return
    from ..report.anomaly import AnomalyError, AnomalyWatch
    from ..render.explain import anomaly_text
    from .boundary import say
    from ..report.graph import Namer
    from . import source
    watch = AnomalyWatch(Namer(None, _Lines(source)))
    try:
        with watch:
            yield watch
    except (AnomalyError, SourceError, RuntimeError) as e:
        found = watch.backward
        if found is None:
            raise
        if watch.forward is not None:
            say(anomaly_text(watch.forward))
        raise ProgramRuntimeError(f"RuntimeError: {found.message}", _span(found.site),
                                  hint=_anomaly_hint(found)) from (None if isinstance(e, AnomalyError) else e)
    if watch.forward is not None:
        say(anomaly_text(watch.forward))


def _anomaly_hint(a) -> str | None:
    if a.at and ("= 0" in a.at or "= -0" in a.at):
        return f"the rule divides by zero at {a.at}; keep {a.input} away from 0 (e.g. clamp(min=eps))"
    return None


def _span(site: str) -> Span | None:
    if not site:
        return None
    file, _, rest = site.rpartition(":")
    file, _, line = file.rpartition(":")
    try:
        return Span(file, int(line), int(rest))
    except ValueError:
        return None


def _program_name(s) -> str:
    return s.program.filename


def _emit(fn) -> None:
    from .boundary import write_results
    write_results(fn)


def _single(s, names: list[str] | None, option: str):
    from . import session
    targets = session.find_targets(s, names or [], option)
    if len(targets) != 1:
        raise UsageError(f"{option}: name one tensor")
    return targets[0]


def _wrt(s, wrt: str | None):
    from . import session
    if wrt:
        return session.find_targets(s, [wrt], "--wrt")[0]
    names = session.default_inputs(s)
    if len(names) != 1:
        raise UsageError("name the input with --wrt X" + (f" (leaves: {', '.join(names)})" if names else ""))
    return session.find_targets(s, names, "--wrt")[0]


def _user_error(e: Exception, target=None) -> ProgramRuntimeError:
    return ProgramRuntimeError(f"{type(e).__name__}: {e}", getattr(target, "span", None))


# ---------------------------------------------------------------------------- explain

def loader(watch, *args):
    """``app._load`` with the anomaly watch (if any) told the program's names once it ran."""
    def run():
        s = _load(*args)
        if watch is not None:
            watch.namer = namer_for(s)
        return s
    return run


def explain_session(run, of, grad_tensors):
    """Run the program under a ledger; backward on the target unless the program did."""
    from ..report.explain import Ledger
    from . import session
    ledger = Ledger()
    with ledger:
        s = run()
        session.backward(s, of or [], grad_tensors or [])
    ledger.namer = namer_for(s)
    return s, ledger.explanation(named_leaves(s))


@app.command()
def explain(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
            set: o.Set = None, dtype: o.DTypeOpt = None, fmt: o.FormatOpt = o.Format.table,
            detect_anomaly: DetectAnomaly = False, max_steps: o.MaxSteps = None,
            max_elements: o.MaxElements = None, timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The chain rule step by step: every edge of the backward pass, in the engine's order.

    Each row: the node (name, source position, grad_fn), the local rule in words and its
    value, the incoming gradient, the contribution passed on and the running total at the
    input; at leaves, what was added into .grad and what it held before.
    """
    from ..render.explain import render_explanation
    from .boundary import say
    with anomaly_guard(detect_anomaly) as watch:
        s, ex = explain_session(loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout),
                                of, grad_tensors)
    for note in ex.notes:
        say(f"note: {note}")
    _emit(lambda out: render_explanation(ex, fmt.value, out, _program_name(s)))


# ------------------------------------------------------------------------------ graph

def graph_session(run, of, grad_tensors, backward: bool):
    from ..report.graph import build_graph
    from . import session
    s = run()
    targets = session.find_targets(s, of or [])
    notes = []
    if not session.program_called_backward(s) and backward:
        if grad_tensors or all(t.tensor.numel() == 1 for t in targets):
            session.backward(s, of or [t.name for t in targets], grad_tensors or [], retain_graph=True)
        else:
            notes.append("the target is not a scalar: no backward ran (give --grad-tensors to run one)")
    into = s.recorder.into if len(s.recorder.into) else None
    return s, build_graph([t.tensor for t in targets], namer_for(s), into), notes


def write_image(dot_text: str, path: str) -> None:
    """``dot -T<ext> -o path``: Graphviz renders the DOT text to an image."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    exe = shutil.which("dot")
    if exe is None:
        raise UsageError(
            f"-o {path}: writing .{ext} needs Graphviz's 'dot' program, which is not installed "
            "(apt install graphviz, brew install graphviz, or conda install graphviz); or write "
            "the DOT text with '-f dot -o graph.dot' and render it elsewhere")
    with tempfile.NamedTemporaryFile("w", suffix=".dot", delete=False, encoding="utf-8") as f:
        f.write(dot_text)
        src = f.name
    try:
        done = subprocess.run([exe, f"-T{ext}", "-o", path, src], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(src)
    if done.returncode != 0:
        raise UsageError(f"-o {path}: dot failed: {(done.stderr or '').strip().splitlines()[:1]}")


@app.command()
def graph(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
          set: o.Set = None, dtype: o.DTypeOpt = None,
          fmt: Annotated[GraphFormat, typer.Option("--format", "-f", case_sensitive=False,
                                                   help="tree (Rich), dot (Graphviz), mermaid, json")] = GraphFormat.tree,
          output: Annotated[Optional[str], typer.Option(
              "--output", "-o", metavar="FILE",
              help="Write to FILE; .svg/.png/.pdf are drawn by Graphviz's dot.")] = None,
          backward: Annotated[bool, typer.Option(
              "--backward/--no-backward",
              help="Run backward on the target first (when the program did not), so nodes carry gradients.")] = True,
          detect_anomaly: DetectAnomaly = False, max_steps: o.MaxSteps = None,
          max_elements: o.MaxElements = None, timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The computation graph behind the target: names, source positions, grad_fn, shapes, values, grads."""
    from ..render.graph import render_dot, render_graph
    from .boundary import say
    with anomaly_guard(detect_anomaly) as watch:
        s, g, notes = graph_session(loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout),
                                    of, grad_tensors, backward)
    for note in notes:
        say(f"note: {note}")
    if output:
        ext = os.path.splitext(output)[1].lower()
        if ext in (".svg", ".png", ".pdf", ".jpg", ".gif"):
            import io
            buf = io.StringIO()
            render_dot(g, buf)
            write_image(buf.getvalue(), output)
            return
        with open(output, "w", encoding="utf-8") as f:
            render_graph(g, {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".json": "json"}.get(ext, fmt.value),
                         f, _program_name(s))
        return
    _emit(lambda out: render_graph(g, fmt.value, out, _program_name(s)))


# ----------------------------------------------------------------- jacobian / hessian

def jacobian_session(run, of, wrt, grad_tensors, kind: str):
    from ..report import jacobian as J
    from . import session
    calls = J.BackwardCalls()
    with calls:
        s = run()
        y = _single(s, of, "--of")
        x = _wrt(s, wrt)
        try:
            if kind == "hessian":
                return s, J.hessian(y.tensor, x.tensor, y.name, x.name)
            v = None
            if grad_tensors:
                if len(grad_tensors) != 1:
                    raise UsageError("--grad-tensors: give one SPEC (for the one --of)")
                v = session.grad_tensor(grad_tensors[0], y, dict(s.result.env))
            return s, J.jacobian(y.tensor, x.tensor, y.name, x.name, v)
        except ValueError as e:
            raise UsageError(str(e)) from None
        except RuntimeError as e:
            raise _user_error(e, y) from None


@app.command()
def jacobian(file: o.File = None, expr: o.Expr = None, of: o.Of = None, wrt: Wrt = None,
             grad_tensors: GradTensors = None, set: o.Set = None, dtype: o.DTypeOpt = None,
             fmt: o.FormatOpt = o.Format.table, detect_anomaly: DetectAnomaly = False,
             max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
             timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The full Jacobian d OF / d WRT; with --grad-tensors v, also v·J and backward(v)'s WRT.grad."""
    from ..render.explain import render_jacobian
    from .boundary import say
    with anomaly_guard(detect_anomaly) as watch:
        s, j = jacobian_session(loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout),
                                of, wrt, grad_tensors, "jacobian")
    for note in j.notes:
        say(f"note: {note}")
    _emit(lambda out: render_jacobian(j, fmt.value, out, _program_name(s)))


@app.command()
def hessian(file: o.File = None, expr: o.Expr = None, of: o.Of = None, wrt: Wrt = None,
            set: o.Set = None, dtype: o.DTypeOpt = None, fmt: o.FormatOpt = o.Format.table,
            detect_anomaly: DetectAnomaly = False, max_steps: o.MaxSteps = None,
            max_elements: o.MaxElements = None, timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The Hessian d² OF / d WRT² of a scalar OF (autograd with create_graph=True)."""
    from ..render.explain import render_jacobian
    from .boundary import say
    with anomaly_guard(detect_anomaly) as watch:
        s, j = jacobian_session(loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout),
                                of, wrt, None, "hessian")
    for note in j.notes:
        say(f"note: {note}")
    _emit(lambda out: render_jacobian(j, fmt.value, out, _program_name(s)))


# ------------------------------------------------------------------------------ check

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
    from .boundary import say
    from . import source
    program = source.load(file, expr)
    with anomaly_guard(detect_anomaly) as watch:
        model = program_model(program, set or [], of or [], grad_tensors or [], order,
                              max_steps=max_steps, max_elements=max_elements, timeout=timeout, watch=watch)
        result = run_check(model, order, eps, atol, rtol)
    for note in result.notes:
        say(f"note: {note}")
    _emit(lambda out: render_check(result, fmt.value, out, program.filename))
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
                        watch.namer = Namer(dict(result.env), _Lines(source))
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
                    raise _user_error(e, targets[0] if targets else None) from None
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
