"""run(): compile a parsed program to closures and run it against the autograd engine."""

from __future__ import annotations

import gc
import sys
import warnings

from gradcli.errors import LimitExceeded, ProgramRuntimeError, ProgramSyntaxError, SourceError, Span
from gradcli.interp import builtins as bi
from gradcli.interp.compile_stmt import Compiler
from gradcli.interp.runtime import State, error_at
from gradcli.interp.scope import Scope, bound_names
from gradcli.syntax import ast


class Limits:
    """How far a program may go. None means the default.

    ``max_steps`` counts loop iterations and user function calls; ``max_depth`` is
    how deeply user functions may call each other; ``timeout`` is in seconds, checked
    at steps. ``max_elements`` belongs to the engine and is passed on to it.
    """

    def __init__(self, max_steps: int | None = 10_000_000, max_depth: int | None = 200,
                 timeout: float | None = None, max_elements: int | None = None):
        self.max_steps = max_steps
        self.max_depth = max_depth
        self.timeout = timeout
        self.max_elements = max_elements

    def __repr__(self) -> str:
        return (f"Limits(max_steps={self.max_steps!r}, max_depth={self.max_depth!r}, "
                f"timeout={self.timeout!r}, max_elements={self.max_elements!r})")


class RunResult:
    def __init__(self, env: dict | None = None, assigned: list | None = None, last_value: object = None,
                 steps: int = 0):
        self.env = {} if env is None else env  # top-level names, in first-assignment order
        self.assigned = [] if assigned is None else assigned  # (name, Span) per top-level assignment, in order
        self.last_value = last_value  # the value of the last top-level expression statement
        self.steps = steps


class _FallbackSite:
    __slots__ = ("current",)

    def __init__(self):
        self.current = None


class Context:
    """What the compiled closures of one run share."""

    def __init__(self, module: ast.Module, set_values: dict, expr_mode: bool, stdout, limits: Limits):
        self.file = module.pos[0]
        self.expr_mode = expr_mode
        self.result = RunResult(env=dict(set_values))
        self.env = self.result.env
        self.assigned = self.result.assigned
        self.skip = set(set_values)
        self.state = State(limits.max_steps or 10_000_000, limits.max_depth or 200, limits.timeout)
        self.builtins = bi.builtin_table(stdout)
        from gradcli.interp import bounded
        bounded.ranges.max_items = self.state.max_steps
        self.module_names = set(bound_names(module.body))
        self.handling: list = []  # the errors whose ``except`` clauses are running (for a bare ``raise``)
        self.torch, self.module_type, self.site = _engine()
        self.torch_names: dict = {}
        if expr_mode:
            from gradcli.autograd.namespace import PublicNames
            self.torch_names = PublicNames(self.torch)  # looked up by name: no import of every op module
            functional = getattr(getattr(self.torch, "nn", None), "functional", None)
            self.env.setdefault("torch", self.torch)
            if functional is not None:
                self.env.setdefault("F", functional)
                self.env.setdefault("nn", self.torch.nn)

    def resolve_module(self, path: list[str]):
        module = self.torch
        for part in path[1:]:
            module = getattr(module, part)
        return module

    def suggest(self, name: str) -> str | None:
        if len(name) > 64:  # the distance is quadratic in the length; no one mistypes such a name
            return None
        most = max(1, len(name) // 3)
        candidates = [c for c in list(self.env) + list(self.builtins) if abs(len(c) - len(name)) <= most]
        best = min(candidates, key=lambda c: _distance(name, c), default=None)
        if best is not None and _distance(name, best) <= most:
            return f"did you mean '{best}'?"
        return None


def _engine():
    from gradcli.autograd import namespace

    try:
        from gradcli.autograd.function import site
    except ImportError:  # an engine without sites: keep a private one
        site = _FallbackSite()
    return namespace.build_torch_module(), namespace.Module, site


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def run(module: ast.Module, *, set_values: dict | None = None, expr_mode: bool = False, stdout=None,
        limits: Limits | None = None) -> RunResult:
    """Run a parsed program; return its top-level names, assignments and last value.

    ``set_values`` binds top-level names before the program runs (they are engine
    values: Tensors, numbers, lists). The program's first top-level assignment to
    such a name is skipped, so ``--set x=3`` overrides ``x = torch.tensor(1.)`` while
    later updates (``x = x - lr * g`` in a loop) still run.

    ``expr_mode`` is for one-line expressions: torch's names resolve bare (``sin(x)``)
    and ``torch``, ``F`` and ``nn`` are bound.

    Raises ProgramSyntaxError (for what the checks before running find),
    ProgramRuntimeError (with the message Python or PyTorch would print) or
    LimitExceeded; nothing else.
    """
    limits = limits or Limits()
    if stdout is None:
        stdout = sys.stdout
    old_limit = sys.getrecursionlimit()
    depth = limits.max_depth or 200
    sys.setrecursionlimit(min(max(old_limit, 2000 + depth * 40), 40_000))
    try:
        ctx = Context(module, dict(set_values or {}), expr_mode, stdout, limits)
        _set_engine_limits(limits)
        program = _compile(module, ctx)
        with _ProgramWarnings(ctx.site, module), _Frozen():
            _execute(program, ctx)
        ctx.result.steps = ctx.state.steps
        return ctx.result
    except (SourceError, BrokenPipeError):
        raise
    except RecursionError:
        raise LimitExceeded("RecursionError: maximum recursion depth exceeded", None) from None
    except MemoryError:  # outside any one expression (compiling a huge program): no place to name
        raise ProgramRuntimeError("MemoryError: not enough memory to run this program", None) from None
    except Exception as e:  # a bug of ours: still a message, never a traceback
        raise ProgramRuntimeError(f"gradcli internal error: {type(e).__name__}: {e}", None) from e
    finally:
        sys.setrecursionlimit(old_limit)


def _compile(module: ast.Module, ctx: Context):
    compiler = Compiler(ctx)
    scope = Scope("module", None)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [(compiler.stmt(s, scope), s.pos) for s in module.body]
    except RecursionError:
        raise ProgramSyntaxError("SyntaxError: too many nested expressions", Span(*module.pos)) from None
    finally:
        if collecting:
            gc.enable()


# The graph a program builds is acyclic and freed by reference counting; at the default
# thresholds the collector rescanned it as it grew (a quarter of the time of 100,000 traced
# ops). Young cycles are still collected; a full collection needs 100M allocations.
GC_THRESHOLDS = (50_000, 20, 100)


class _Frozen:
    """Keep what exists before the program runs (AST, closures, modules) out of cyclic GC passes,
    and collect rarely while it runs (GC_THRESHOLDS).

    They live as long as the run; every full collection the engine's allocations
    trigger would walk them again (2 s of a 3 s run on a 20,000-line program).
    """

    def __enter__(self):
        self.owner = gc.get_freeze_count() == 0  # never unfreeze what a caller froze
        gc.freeze()
        self.thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)

    def __exit__(self, *exc):
        gc.set_threshold(*self.thresholds)
        if self.owner:
            gc.unfreeze()
        return False


def _execute(program, ctx: Context) -> None:
    for stmt, pos in program:
        try:
            stmt(None)
        except Exception as e:
            raise error_at(e, pos) from None


def _set_engine_limits(limits: Limits) -> None:
    if limits.max_elements is None:
        return
    try:
        from gradcli.autograd import limits as engine_limits
    except ImportError:
        return
    setter = getattr(engine_limits, "set_max_elements", None)
    if setter is not None:
        setter(limits.max_elements)


class _ProgramWarnings:
    """Show warnings as CPython shows them for a script, at the program's line, once per line."""

    def __init__(self, site, module: ast.Module):
        self.site = site
        self.module = module
        self.lines = None
        self.seen: set = set()

    def __enter__(self):
        self.catcher = warnings.catch_warnings()
        self.catcher.__enter__()
        warnings.simplefilter("always")
        for category in (PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.showwarning = self.show
        return self

    def __exit__(self, *exc):
        self.catcher.__exit__(*exc)
        return False

    def show(self, message, category, filename, lineno, file=None, line=None):
        where = self.site.current
        file_name = self.module.pos[0]
        line_no = getattr(where, "line", None) if getattr(where, "file", None) == file_name else None
        if line_no is None:
            line_no = 1
        key = (str(message), category, line_no)
        if key in self.seen:
            return
        self.seen.add(key)
        if self.lines is None:
            self.lines = self.module.source.split("\n")
        text = self.lines[line_no - 1].strip() if 0 < line_no <= len(self.lines) else ""
        out = f"{file_name}:{line_no}: {category.__name__}: {message}\n"
        if text:
            out += f"  {text}\n"
        try:
            sys.stderr.write(out)
        except (OSError, ValueError):
            pass
