"""``gradcli explain``: the chain rule step by step, from an engine observer's ledger."""

from . import options as o
from .params import command
from .why import DetectAnomaly, GradTensors, emit, named_leaves, namer_for, program_name, run_session, say_notes


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


@command
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
    s, ex = run_session(detect_anomaly, (file, expr, set, dtype, max_steps, max_elements, timeout),
                        explain_session, of, grad_tensors)
    say_notes(ex.notes)
    emit(lambda out: render_explanation(ex, fmt.value, out, program_name(s)))
