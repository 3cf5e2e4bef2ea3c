"""``gradcli jacobian`` and ``gradcli hessian``: full derivative matrices of one target."""

from ..errors import UsageError
from . import options as o
from .params import command
from .why import (DetectAnomaly, GradTensors, Wrt, emit, input_target, program_name, run_session, say_notes,
                  single_target, user_error)


def jacobian_session(run, of, wrt, grad_tensors, kind: str):
    from ..report import jacobian as J
    from ..report.backward_calls import BackwardCalls
    from . import session
    calls = BackwardCalls()  # the program's passes free their graphs as it asked; given back after it ran
    with calls:
        s = run()
        calls.restore_graphs()
        y = single_target(s, of, "--of")
        x = input_target(s, wrt)
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
            raise user_error(e, y) from None


def show_matrix(kind: str, load_args: tuple, of, wrt, grad_tensors, fmt, detect_anomaly: bool) -> None:
    from ..render.explain import render_jacobian
    s, j = run_session(detect_anomaly, load_args, jacobian_session, of, wrt, grad_tensors, kind)
    say_notes(j.notes)
    emit(lambda out: render_jacobian(j, fmt.value, out, program_name(s)))


@command
def jacobian(file: o.File = None, expr: o.Expr = None, of: o.Of = None, wrt: Wrt = None,
             grad_tensors: GradTensors = None, set: o.Set = None, dtype: o.DTypeOpt = None,
             fmt: o.FormatOpt = o.Format.table, detect_anomaly: DetectAnomaly = False,
             max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
             timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The full Jacobian d OF / d WRT; with --grad-tensors v, also v·J and backward(v)'s WRT.grad."""
    show_matrix("jacobian", (file, expr, set, dtype, max_steps, max_elements, timeout), of, wrt, grad_tensors,
                fmt, detect_anomaly)


@command
def hessian(file: o.File = None, expr: o.Expr = None, of: o.Of = None, wrt: Wrt = None,
            set: o.Set = None, dtype: o.DTypeOpt = None, fmt: o.FormatOpt = o.Format.table,
            detect_anomaly: DetectAnomaly = False, max_steps: o.MaxSteps = None,
            max_elements: o.MaxElements = None, timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The Hessian d² OF / d WRT² of a scalar OF (autograd with create_graph=True)."""
    show_matrix("hessian", (file, expr, set, dtype, max_steps, max_elements, timeout), of, wrt, None,
                fmt, detect_anomaly)
