"""Run a program and the autograd call a command asks for; return plain data.

Commands call these functions with options already parsed; the results go to
``gradcli.report`` and from there to a renderer.  Nothing here prints.
"""

from __future__ import annotations

import sys

from ..errors import LimitExceeded, ProgramRuntimeError, Span, UsageError
from . import source, values


class RunOptions:
    def __init__(self, sets: list[str] | None = None, dtype: str | None = None, max_steps: int | None = None,
                 max_elements: int | None = None, timeout: float | None = None):
        self.sets = [] if sets is None else sets
        self.dtype = dtype
        self.max_steps = max_steps
        self.max_elements = max_elements
        self.timeout = timeout


class Session:
    """A finished run: the program, the interpreter's result, the gradients seen flowing.
    (Plain classes on the start-up path: a @dataclass costs ~1 ms to build.)"""

    def __init__(self, program: source.Program, result: object, set_names: list[str], recorder: object):
        self.program = program
        self.result = result          # interp.RunResult
        self.set_names = set_names
        self.recorder = recorder      # report.gradients.GradientRecorder


def language():
    """The parser and interpreter (imported late: they pull in lark and numpy)."""
    from ..interp import Limits, run
    from ..syntax import parse
    return parse, run, Limits


def _start_from_defaults(dtype_name: str | None) -> None:
    """Every run starts from torch's defaults (and --dtype), whatever ran before in-process."""
    from ..autograd import dtypes, printing
    dtypes.set_default_dtype(dtypes.float64 if dtype_name == "float64" else dtypes.float32)
    printing.set_printoptions(profile="default")


def evaluate(text: str, origin: str, env: dict | None = None):
    """The value of a SPEC: a literal, ``@file`` (numpy array) or an expression of the language."""
    text = text.strip()
    if text.startswith("@"):
        return values.load_array(text[1:], origin)
    value = values.literal(text)
    if values.is_literal(value):
        return value
    parse, run, _ = language()
    from ..errors import SourceError
    name = f"<{origin}>"
    source.remember(name, text)
    try:
        result = run(parse(text, name), set_values=dict(env or {}), expr_mode=True)
    except SourceError as e:
        raise UsageError(f"{origin} {text!r}: {e.message}") from None
    return result.last_value


def _as_leaf(value, name: str):
    """A ``-e`` mode ``--set`` value: a float leaf that requires grad."""
    import numpy as np

    from ..autograd import dtypes
    from ..autograd.tensor import Tensor, wrap
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    if data.dtype.kind not in "biuf":
        raise UsageError(f"--set {name}: expected numbers, got {data.dtype}")
    if data.dtype.kind != "f" or not isinstance(value, np.ndarray):
        data = data.astype(dtypes.get_default_dtype().np)
    t = wrap(np.array(data, copy=True))
    t.requires_grad_(True)
    return t


def _first_assignment(module, name: str):
    """The value of the program's first top-level ``name = ...`` (the one --set replaces)."""
    for stmt in getattr(module, "body", ()):
        targets = getattr(stmt, "targets", None)
        if targets and any(getattr(t, "id", None) == name for t in targets):
            return stmt.value
    return None


def _as_program_value(value, name: str, module):
    """A ``--set`` value for a program: where the program makes a tensor (``x = torch.tensor(
    [1.], requires_grad=True)``, ``nn.Parameter(...)``), the value becomes a tensor the same
    way, so ``--set x=3`` changes the data and keeps the leaf; elsewhere (``lr = 0.1``) it
    stays a number or list."""
    import numpy as np

    from ..autograd import dtypes
    from ..autograd.tensor import Tensor, wrap
    if isinstance(value, Tensor):
        return value
    rhs = _first_assignment(module, name)
    makes_tensor = type(rhs).__name__ == "Call"
    if not makes_tensor and not isinstance(value, np.ndarray):
        return value
    data = np.array(value, copy=True)
    if data.dtype.kind not in "biuf":
        raise UsageError(f"--set {name}: expected numbers, got {data.dtype}")
    grad = False
    if makes_tensor:
        func = getattr(rhs.func, "attr", getattr(rhs.func, "id", ""))
        grad = func == "Parameter" or any(
            k.arg == "requires_grad" and getattr(k.value, "value", False) is True for k in rhs.keywords)
    if data.dtype.kind == "f" and not isinstance(value, np.ndarray) or grad and data.dtype.kind != "f":
        data = data.astype(dtypes.get_default_dtype().np)  # literals: the default dtype, as torch.tensor
    t = wrap(data)
    if grad:
        t.requires_grad_(True)
    return t


def run_program(program: source.Program, options: RunOptions, stdout=None,
                record: bool = False) -> Session:
    """Parse and run; with ``record``, note the gradient into every node of the
    program's own backward passes (it slows those passes a little)."""
    parse, run, Limits = language()
    _start_from_defaults(options.dtype)
    arm_deadline(options.timeout)  # before parsing: a huge generated file must stop in time too
    module = parse(program.source, program.filename)
    set_values: dict = {}
    for spec in options.sets:
        name, text = values.split_assignment(spec)
        value = evaluate(text, f"--set {name}", set_values)
        set_values[name] = _as_leaf(value, name) if program.expr_mode else \
            _as_program_value(value, name, module)
    given = {"max_steps": options.max_steps, "max_elements": options.max_elements,
             "timeout": options.timeout}
    limits = Limits(**{k: v for k, v in given.items() if v is not None})
    from ..report.gradients import GradientRecorder
    recorder = GradientRecorder()
    with (recorder if record else _nothing()):
        try:
            result = run(module, set_values=set_values or None, expr_mode=program.expr_mode,
                         stdout=stdout if stdout is not None else sys.stdout, limits=limits)
        except BrokenPipeError:  # the program printed into a closed pipe (| head): end quietly
            from .boundary import _PipeClosed
            raise _PipeClosed() from None
    return Session(program, result, list(set_values), recorder)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def arm_deadline(seconds: float | None) -> None:
    """A whole-command alarm behind the interpreter's own --timeout checks: it also
    stops a long backward pass.  ``disarm_deadline`` (called by the boundary) ends it."""
    import signal
    if not seconds or not hasattr(signal, "setitimer"):
        return

    def expire(signum, frame):
        raise LimitExceeded(f"TimeoutError: gave up after --timeout {seconds:g} seconds", None,
                            hint="raise --timeout, or make the program do less")

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _arm_watchdog(seconds)


_watchdog = None
WATCHDOG_GRACE = 2.0  # seconds the alarm gets to stop the program before the process ends


def _arm_watchdog(seconds: float) -> None:
    """The alarm runs between bytecodes, so one long C call (numpy on a huge broadcast,
    ``sorted`` of a long list) would outlive it; then end the process from a thread."""
    import threading
    global _watchdog

    def stop():
        import os
        from ..autograd.function import site
        where = site.current
        place = (f"{where.file}:{where.line}:{where.column}: " if all(
            hasattr(where, a) for a in ("file", "line", "column")) else "")
        try:
            sys.stderr.write(f"{place}error: TimeoutError: gave up after --timeout {seconds:g} seconds "
                             "(stopped inside one long computation)\n")
            sys.stderr.flush()
        finally:
            os._exit(1)

    _watchdog = threading.Timer(seconds + WATCHDOG_GRACE, stop)
    _watchdog.daemon = True
    _watchdog.start()


def disarm_deadline() -> None:
    import signal
    global _watchdog
    if _watchdog is not None:
        _watchdog.cancel()
        _watchdog = None
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


# -- targets ---------------------------------------------------------------------------

class Target:
    def __init__(self, name: str, tensor: object, span: Span | None):
        self.name = name
        self.tensor = tensor
        self.span = span


def _is_tensor(v) -> bool:
    from ..autograd.tensor import Tensor
    return isinstance(v, Tensor)


def assignment_span(session: Session, name: str) -> Span | None:
    span = None
    for n, s in getattr(session.result, "assigned", ()):
        if n == name:
            span = s
    return span


def find_targets(session: Session, of: list[str], option: str = "--of") -> list[Target]:
    """The tensors named by ``--of``, or the default target (see ``default_target``)."""
    env = session.result.env
    if of:
        out = []
        for name in of:
            if name not in env:
                known = ", ".join(n for n, v in env.items() if _is_tensor(v))
                raise UsageError(f"{option} {name}: the program has no top-level name {name!r}"
                                 + (f" (tensors: {known})" if known else ""))
            if not _is_tensor(env[name]):
                raise UsageError(f"{option} {name}: {name} is a {type(env[name]).__name__}, not a tensor")
            out.append(Target(name, env[name], assignment_span(session, name)))
        return out
    target = default_target(session)
    if target is None:
        what = "the expression's value is not a tensor" if session.program.expr_mode else \
            "the program assigns no tensor at top level"
        raise UsageError(f"nothing to differentiate: {what}; name one with {option} NAME")
    return [target]


def default_target(session: Session) -> Target | None:
    """In ``-e`` mode the expression's value; else the last tensor assigned at top level
    (the last one that requires grad, when there is one)."""
    result = session.result
    if session.program.expr_mode:
        v = getattr(result, "last_value", None)
        if not _is_tensor(v):
            return None
        return Target(str(session.program.source).strip(), v,
                      Span(session.program.filename, 1, 1))
    env = result.env
    fallback = None
    for name, span in reversed(list(getattr(result, "assigned", ()))):
        v = env.get(name)
        if not _is_tensor(v):
            continue
        if v.requires_grad:
            return Target(name, v, assignment_span(session, name))
        if fallback is None:
            fallback = Target(name, v, assignment_span(session, name))
    return fallback


def program_called_backward(session: Session) -> bool:
    """Whether the program differentiated by itself (backward or autograd.grad): then
    the state it left is what ``backward`` shows, unless told ``--of``."""
    if session.recorder.accumulated or len(session.recorder.into):
        return True
    for v in session.result.env.values():
        if _is_tensor(v) and v._grad is not None:
            return True
    return False


def runtime_error(e: Exception, target: Target | None, hint: str | None = None) -> ProgramRuntimeError:
    """An engine error raised by gradcli's own call, placed at the target's assignment."""
    return ProgramRuntimeError(f"{type(e).__name__}: {e}", target.span if target else None, hint)


# -- backward ----------------------------------------------------------------------------

class BackwardOutcome:
    def __init__(self, targets: list[Target], grad_tensors: list, by_program: bool = False):
        self.targets = targets
        self.grad_tensors = grad_tensors  # one per target: a Tensor, or None for the implicit 1
        self.by_program = by_program      # no call of ours: the state the program's own backward() left


def _sum_of(name: str) -> str:
    return f"{name}.sum()" if name.isidentifier() else f"({name}).sum()"


def _jacobian_hint(target: Target) -> str:
    t = target.tensor
    shape = tuple(t.shape)
    ways = [f'--grad-tensors "ones_like({target.name})" (or a list, or @file.npy) to weight its '
            f"{t.numel()} elements", f"reduce it to a scalar first ({_sum_of(target.name)})"]
    from . import app
    if app.has_command("jacobian"):
        ways.append(f"gradcli jacobian for the full {shape} Jacobian")
    return f"{target.name} has shape {shape}: pass " + ", or ".join(ways)


def grad_tensor(spec: str, target: Target, env: dict, option: str = "--grad-tensors"):
    """The weights ``v`` for one target, as a Tensor of the target's shape and dtype."""
    import numpy as np

    from ..autograd.tensor import Tensor, wrap
    value = evaluate(spec, option, env)
    if isinstance(value, Tensor):
        data = value._data
    else:
        try:
            data = np.asarray(value)
        except (ValueError, TypeError):
            raise UsageError(f"{option} {spec!r}: not a rectangular array of numbers") from None
        if data.dtype.kind not in "biuf":
            raise UsageError(f"{option} {spec!r}: expected numbers, got {data.dtype}")
    want = tuple(target.tensor.shape)
    if tuple(data.shape) != want:
        raise UsageError(f"{option} {spec!r}: shape {tuple(data.shape)} does not match "
                         f"{target.name}, of shape {want}")
    if isinstance(value, Tensor) and data.dtype == target.tensor._data.dtype:
        return value
    return wrap(np.array(data, dtype=target.tensor._data.dtype))


def backward(session: Session, of: list[str], grad_specs: list[str],
             retain_graph: bool = False, create_graph: bool = False) -> BackwardOutcome:
    """torch.autograd.backward on the targets, recording d target / d node on the way."""
    if not of and not grad_specs and program_called_backward(session):
        return BackwardOutcome([], [], by_program=True)
    targets = find_targets(session, of)
    if grad_specs and len(grad_specs) != len(targets):
        raise UsageError(f"got {len(grad_specs)} --grad-tensors for {len(targets)} target(s); "
                         "give one per --of, in the same order")
    env = dict(session.result.env)
    grads = [grad_tensor(s, t, env) for s, t in zip(grad_specs, targets)]
    from ..autograd import engine
    session.recorder.reset()
    with session.recorder:
        try:
            engine.backward([t.tensor for t in targets], grads or None,
                            retain_graph=retain_graph or None, create_graph=create_graph)
        except RuntimeError as e:
            scalar = "implicitly created only for scalar" in str(e)
            bad = next((t for t in targets if t.tensor.numel() != 1), targets[0]) if scalar else targets[0]
            raise runtime_error(e, bad, _jacobian_hint(bad) if scalar else None) from None
    return BackwardOutcome(targets, grads or [None] * len(targets))


def default_inputs(session: Session) -> list[str]:
    """``-e`` mode: every ``--set`` name; else every named leaf that requires grad."""
    if session.program.expr_mode:
        return list(session.set_names)
    return [n for n, v in session.result.env.items()
            if _is_tensor(v) and v.grad_fn is None and v.requires_grad]
