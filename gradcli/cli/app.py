"""The command line: ``gradcli run|backward|forward|grad``.

Commands are thin: parse options, call a plain function in ``session`` /
``report``, hand the data to a renderer.  ``main`` is the one boundary where
errors become output (see ``boundary``).  Commands are plain functions whose
parameters are declared as data (``params``): a plain command line is parsed
without Typer (``argv``), and Typer (``typer_app``, built only when needed) gives
``--help``, completion and every command-line error.  Nothing heavy is imported at
module level, so ``gradcli --help`` loads neither numpy, lark nor Rich.
"""

import sys

from . import options as o
from .params import COMMANDS, Param, command


def __getattr__(name: str):
    if name == "app":  # the Typer application, for --help, errors and tests
        from .typer_app import build
        globals()["app"] = built = build()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def has_command(name: str) -> bool:
    return name in COMMANDS


# the options only some of these commands have (the shared ones are in ``options``)
GradTensors = Param(
    "--grad-tensors", multiple=True, metavar="SPEC",
    help="The weights v of the vector-Jacobian product, one per target: a literal "
         "([0.1, 1.0, 0.0001]), an expression (ones_like(z)) or @file.")
Wrt = Param(
    "--wrt", multiple=True, metavar="X[,Z...]",
    help="The inputs. [default: with -e every --set name, else every named leaf "
         "that requires grad]")
GradOutputs = Param(
    "--grad-outputs", multiple=True, metavar="SPEC",
    help="The weights v for each output, as --grad-tensors of backward.")
AllowUnused = Param(
    "--allow-unused", kind=bool,
    help="None instead of an error for inputs the output does not use.")
Order = Param(
    "--order", kind=int, metavar="N", min=1,
    help="The N-th derivative of a scalar output with respect to one input (for a "
         "non-scalar input, each step differentiates the sum of the last).")


def _load(file, expr, sets, dtype, max_steps, max_elements, timeout, stdout=None, record=False):
    from . import session, source
    program = source.load(file, expr)
    run_options = session.RunOptions(list(sets or []), dtype.value if dtype else None,
                                     max_steps, max_elements, timeout)
    # the program's prints go to stderr in commands whose results are on stdout
    return session.run_program(program, run_options, stdout=stdout or sys.stderr, record=record)


def _emit(report, fmt: o.Format, save_grads: str | None = None) -> None:
    from ..render import render
    from .boundary import say, write_results
    if save_grads:
        from .save import save_grads as save
        save(report, save_grads)
    for note in report.notes:
        say(note)
    write_results(lambda out: render(report, fmt.value, out))


@command
def run(file: o.File = None, expr: o.Expr = None, set: o.Set = None, dtype: o.DTypeOpt = None,
        max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None, timeout: o.Timeout = None,
        detect_anomaly: o.DetectAnomaly = False, debug: o.Debug = False) -> None:
    """Run the program; its prints go to standard output exactly (with -e, the value is printed)."""
    from .boundary import write_results
    from .why import anomaly_guard, loader
    with anomaly_guard(detect_anomaly) as watch:
        s = loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout, sys.stdout)()
    value = getattr(s.result, "last_value", None)
    if s.program.expr_mode and value is not None:
        write_results(lambda out: out.write(repr(value) + "\n"))


@command
def backward(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
             retain_graph: o.RetainGraph = False, create_graph: o.CreateGraph = False,
             set: o.Set = None, dtype: o.DTypeOpt = None, fmt: o.FormatOpt = o.Format.table,
             all_nodes: o.AllNodes = False, save_grads: o.SaveGrads = None,
             max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
             timeout: o.Timeout = None, detect_anomaly: o.DetectAnomaly = False,
             debug: o.Debug = False) -> None:
    """Run the program, call backward on the target, show leaves' gradients and the graph.

    If the program called backward itself and no --of is given, show the state it left.
    """
    from ..report.build import backward_report
    from . import session
    from .why import anomaly_guard, loader
    with anomaly_guard(detect_anomaly) as watch:
        s = loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout, None, True)()
        outcome = session.backward(s, of or [], grad_tensors or [], retain_graph, create_graph)
    report = backward_report(s, outcome, all_nodes,
                             {"retain_graph": retain_graph, "create_graph": create_graph})
    _emit(report, fmt, save_grads)


@command
def forward(file: o.File = None, expr: o.Expr = None, set: o.Set = None, dtype: o.DTypeOpt = None,
            fmt: o.FormatOpt = o.Format.table, all_nodes: o.AllNodes = False,
            max_steps: o.MaxSteps = None, max_elements: o.MaxElements = None,
            timeout: o.Timeout = None, detect_anomaly: o.DetectAnomaly = False,
            debug: o.Debug = False) -> None:
    """Run the program and show every tensor: value, grad_fn, requires_grad, is_leaf. No backward."""
    from ..report.build import forward_report
    from .why import anomaly_guard, loader
    with anomaly_guard(detect_anomaly) as watch:
        s = loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout)()
    _emit(forward_report(s, all_nodes), fmt)


@command
def grad(file: o.File = None, expr: o.Expr = None, of: o.Of = None, wrt: Wrt = None,
         grad_outputs: GradOutputs = None, allow_unused: AllowUnused = False,
         create_graph: o.CreateGraph = False, retain_graph: o.RetainGraph = False, order: Order = 1,
         set: o.Set = None, dtype: o.DTypeOpt = None, fmt: o.FormatOpt = o.Format.table,
         save_grads: o.SaveGrads = None, max_steps: o.MaxSteps = None,
         max_elements: o.MaxElements = None, timeout: o.Timeout = None,
         detect_anomaly: o.DetectAnomaly = False, debug: o.Debug = False) -> None:
    """torch.autograd.grad from the command line: d OF / d WRT, without touching .grad."""
    from ..report.build import grad_report
    from . import grad_call
    from .why import anomaly_guard, loader
    with anomaly_guard(detect_anomaly) as watch:
        s = loader(watch, file, expr, set, dtype, max_steps, max_elements, timeout)()
        outcome = grad_call.grad(s, of or [], wrt or [], grad_outputs or [], allow_unused,
                                 create_graph, retain_graph, order)
    report = grad_report(s, outcome, {"order": order, "allow_unused": allow_unused,
                                      "create_graph": create_graph, "retain_graph": retain_graph})
    _emit(report, fmt, save_grads)


def main(argv: list[str] | None = None) -> None:
    """The ``gradcli`` command. Called with ``argv`` it raises SystemExit as usual; called
    as the process's entry point (no ``argv``) it ends the process itself once the output
    is flushed: the interpreter's teardown of numpy, Rich and the graph cost ~35 ms, a
    seventh of start-up, for nothing a finished command needs."""
    import gc
    import signal

    # interp.runner.GC_THRESHOLDS for the whole process: the backward and report after the run too
    gc.set_threshold(50_000, 20, 100)

    from . import diagnostics, session  # noqa: F401 - what invoke imports before its try
    from .boundary import invoke
    signal.signal(signal.SIGINT, signal.default_int_handler)  # see cli/__init__.py
    if argv is not None:
        sys.exit(invoke(None, list(argv)))
    from .boundary import end_process
    end_process(invoke(None, sys.argv[1:]))


from . import why  # noqa: E402,F401  (registers explain, graph, jacobian, hessian, check)
