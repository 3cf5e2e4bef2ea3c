"""What the commands that show why (``explain``, ``graph``, ``jacobian``, ``hessian``,
``check``) share: running the program the way ``backward`` does (``app._load``, the
session's target selection and ``--grad-tensors`` parsing) under ``--detect-anomaly``,
naming its nodes, and handing a report to ``gradcli.render``.

Each command family has its own module (``why_explain``, ``why_graph``, ``why_jacobian``,
``why_check``), imported at the end of this one to register its Typer commands.  The
plain functions there (``explain_session``, ``program_model``…) hold the little logic
there is, so the Typer functions stay thin.  Every command takes ``--detect-anomaly``.
"""

from __future__ import annotations

from contextlib import contextmanager

from ..errors import ProgramRuntimeError, SourceError, Span, UsageError
from . import options as o
from .app import _load
from .params import Param

GradTensors = Param(
    "--grad-tensors", multiple=True, metavar="SPEC",
    help="The weights v of backward(v): a literal ([0.1, 1.0]), an expression (ones_like(z)) or @file.")
DetectAnomaly = o.DetectAnomaly
Wrt = Param(
    "--wrt", metavar="X", help="The input. [default: the only leaf that requires grad (-e: the only --set name)]")


def namer_for(s):
    """Names for the session's nodes: its top-level names, then its source lines."""
    from ..report.graph import Namer
    from . import source
    return Namer(dict(s.result.env), SourceLines(source))


class SourceLines(dict):
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
    watch = AnomalyWatch(Namer(None, SourceLines(source)))
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


def program_name(s) -> str:
    return s.program.filename


def emit(fn) -> None:
    from .boundary import write_results
    write_results(fn)


def single_target(s, names: list[str] | None, option: str):
    from . import session
    targets = session.find_targets(s, names or [], option)
    if len(targets) != 1:
        raise UsageError(f"{option}: name one tensor")
    return targets[0]


def input_target(s, wrt: str | None):
    from . import session
    if wrt:
        return session.find_targets(s, [wrt], "--wrt")[0]
    names = session.default_inputs(s)
    if len(names) != 1:
        raise UsageError("name the input with --wrt X" + (f" (leaves: {', '.join(names)})" if names else ""))
    return session.find_targets(s, names, "--wrt")[0]


def user_error(e: Exception, target=None) -> ProgramRuntimeError:
    return ProgramRuntimeError(f"{type(e).__name__}: {e}", getattr(target, "span", None))



def loader(watch, *args):
    """``app._load`` with the anomaly watch (if any) told the program's names once it ran."""
    def run():
        s = _load(*args)
        if watch is not None:
            watch.namer = namer_for(s)
        return s
    return run


def run_session(detect_anomaly: bool, load_args: tuple, session_fn, *args):
    """``session_fn(run, *args)`` where ``run`` loads the program, all under ``--detect-anomaly``."""
    with anomaly_guard(detect_anomaly) as watch:
        return session_fn(loader(watch, *load_args), *args)


def say_notes(notes) -> None:
    from .boundary import say
    for note in notes:
        say(f"note: {note}")


# registers explain, graph, jacobian, hessian, check (in this order: --help lists them so)
from . import why_explain, why_graph, why_jacobian, why_check  # noqa: E402,F401
