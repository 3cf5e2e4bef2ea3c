"""``gradcli check``: every leaf's autograd gradient against central finite differences.

The command runs the program once as ``run`` does (its errors are the program's
errors), then hands ``report.check_program`` a :class:`report.check_runs.Program`:
how to re-run the parsed program, and the backward pass gradcli makes itself when
the program makes none (or ``--of`` names a target).
"""

import io

from ..errors import EXIT_CHECK_FAILED
from . import options as o
from .params import Param, command
from .why import DetectAnomaly, GradTensors, anomaly_guard, emit, say_notes, user_error


Order = Param("--order", kind=int, min=1, max=2, help="1: gradients; 2: second derivatives (the full Hessian).")
Eps = Param("--eps", kind=float, help="Step of the central differences.")
Atol = Param("--atol", kind=float, help="Absolute tolerance.")
Rtol = Param("--rtol", kind=float, help="Relative tolerance.")
AllValues = Param(
    "--all-values", kind=bool,
    help="Check a leaf at every value backward passes saw (an optimizer loop changes it), not only "
         "the first and the last.")


@command
def check(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
          order: Order = 1, eps: Eps = 1e-6, atol: Atol = 1e-5, rtol: Rtol = 1e-3, all_values: AllValues = False,
          set: o.Set = None, fmt: o.FormatOpt = o.Format.table, detect_anomaly: DetectAnomaly = False,
          max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
          timeout: o.Timeout = None, debug: o.Debug = False) -> int:
    """Every leaf's autograd gradient against central differences, in float64.

    Exit code 3 when a check fails. A program that calls backward (or
    torch.autograd.grad) itself is checked on its own passes: what each pass gave
    each leaf, against differences of that pass's output weighted by its
    grad_tensors, with the leaf moved where it took the value the pass saw.
    """
    from ..render.check import render_check
    from . import source
    program = source.load(file, expr)
    with anomaly_guard(detect_anomaly) as watch:
        result = check_session(program, set or [], of or [], grad_tensors or [], order, eps, atol, rtol,
                               all_values, max_steps=max_steps, max_elements=max_elements, timeout=timeout,
                               watch=watch)
    say_notes(result.notes)
    emit(lambda out: render_check(result, fmt.value, out, program.filename))
    return 0 if result.passed else EXIT_CHECK_FAILED


def check_session(program, sets: list[str], of: list[str], grad_specs: list[str], order: int, eps: float,
                  atol: float, rtol: float, all_values: bool = False, max_steps=None, max_elements=None,
                  timeout=None, watch=None):
    """Run the program as ``run`` does, then check it (``report.check_program``)."""
    from ..report.backward_calls import BackwardCalls
    from ..report.check_program import check_program
    from ..report.check_runs import Program, process_state
    from ..report.leaf_events import LeafEvents
    from . import session, source

    reset = process_state()
    opts = session.RunOptions(list(sets), None, max_steps, max_elements, timeout)
    with LeafEvents(widen=False) as born, BackwardCalls(keep_graphs=False) as passes:
        first = session.run_program(program, opts, stdout=io.StringIO())
    own_pass = bool(of or grad_specs) or passes.count == 0
    targets = session.find_targets(first, of) if own_pass else []
    dtypes = [st.dtype for st in born.states] or [str(t.tensor.dtype) for t in targets]
    program_dtype = next((d for d in dtypes if d in ("torch.float32", "torch.float16", "torch.bfloat16")),
                         dtypes[0] if dtypes else "torch.float64")

    parse, run, Limits = session.language()
    module = parse(program.source, program.filename)
    limits = Limits(**{k: v for k, v in {"max_steps": max_steps, "max_elements": max_elements,
                                           "timeout": timeout}.items() if v is not None})

    def set_values():
        values: dict = {}
        for spec in sets:
            name, text = session.values.split_assignment(spec)
            v = session.evaluate(text, f"--set {name}", values)
            values[name] = session._as_leaf(v, name) if program.expr_mode else \
                session._as_program_value(v, name, module)
        return values

    def execute(values):
        return run(module, set_values=values or None, expr_mode=program.expr_mode, stdout=io.StringIO(),
                   limits=limits)

    def final(result):
        import numpy as np

        from ..autograd.tensor import wrap
        env = result.env
        outs = [env[t.name] if t.name in env else result.last_value for t in targets]
        now = [session.Target(t.name, out, t.span) for t, out in zip(targets, outs)]
        if grad_specs:
            vs = [wrap(np.asarray(session.grad_tensor(spec, t, dict(env))._data, dtype=np.float64))
                  for spec, t in zip(grad_specs, now)]
        elif any(out.numel() != 1 for out in outs):
            vs = [wrap(np.ones(out._data.shape, dtype=np.float64)) for out in outs]
        else:
            vs = None
        return outs, vs

    def ran(result):
        if watch is not None:  # --detect-anomaly names what it finds by the program's names
            from ..report.graph import Namer
            from .why import SourceLines
            watch.namer = Namer(dict(result.env), SourceLines(source))

    notes = []
    if own_pass:
        target = ", ".join(t.name for t in targets)
        if not grad_specs and any(t.tensor.numel() != 1 for t in targets):
            notes.append(f"{target} is not a scalar: checking the gradient of its sum (grad_tensors of "
                         "ones); give --grad-tensors to weight it")
    else:
        target = "the program's backward passes"
    try:
        result = check_program(Program(execute, set_values, final if own_pass else None, reset, ran), order, eps,
                               atol, rtol, target=target, program_dtype=program_dtype, all_values=all_values,
                               line_of=source.line_of)
    except RuntimeError as e:
        raise user_error(e, targets[0] if targets else None) from None
    result.notes[:0] = notes
    return result
