"""A stand-in for gradcli's parser and interpreter in CLI tests: runs the program
as Python with ``torch`` bound to gradcli's engine, and returns what the real
``interp.run`` returns (``env``, ``assigned``, ``last_value``, ``steps``).

It lets the command line be tested on its own; ``test_cli_golden.py`` runs the real one.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from gradcli.errors import ProgramRuntimeError, ProgramSyntaxError, Span


@dataclass
class Module:
    tree: ast.Module
    filename: str


@dataclass
class RunResult:
    env: dict
    assigned: list
    last_value: object = None
    steps: int = 0


@dataclass
class Limits:
    max_steps: int | None = None
    max_elements: int | None = None
    timeout: float | None = None
    extra: dict = field(default_factory=dict)


def parse(source, filename):
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    try:
        tree = ast.parse(text, filename)
    except SyntaxError as e:
        raise ProgramSyntaxError(f"SyntaxError: {e.msg}", Span(filename, e.lineno or 1, e.offset or 1)) from None
    return Module(tree, filename)


def _torch():
    from gradcli.autograd import build_torch_module
    return build_torch_module()


def run(module, *, set_values=None, expr_mode=False, stdout=None, limits=None):
    from gradcli.autograd.function import set_site

    torch = _torch()
    out = stdout

    def _print(*args, sep=" ", end="\n", file=None, flush=False):
        (file or out).write(sep.join(str(a) for a in args) + end)

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if name.split(".")[0] == "torch":
            return torch
        return builtins.__import__(name, globals, locals, fromlist, level)

    b = dict(vars(builtins), print=_print, __import__=_import)
    ns: dict = {"__builtins__": b}
    if expr_mode:
        ns.update({k: v for k, v in vars(torch).items() if not k.startswith("_")})
        ns["torch"] = torch
    set_values = dict(set_values or {})
    ns.update(set_values)
    env: dict = {}
    assigned: list = []
    last = None
    hidden = set(ns)
    for stmt in module.tree.body:
        span = Span(module.filename, stmt.lineno, stmt.col_offset + 1)
        set_site(span)
        names = []
        if isinstance(stmt, ast.Assign):
            names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        try:
            if names and all(n in set_values for n in names):
                pass  # --set overrides the program's assignment
            elif isinstance(stmt, ast.Expr):
                last = eval(compile(ast.Expression(stmt.value), module.filename, "eval"), ns)
            else:
                exec(compile(ast.Module([stmt], []), module.filename, "exec"), ns)
        except Exception as e:  # noqa: BLE001
            raise ProgramRuntimeError(f"{type(e).__name__}: {e}", span) from None
        finally:
            set_site(None)
        for n in names:
            assigned.append((n, span))
    for n in set_values:
        env[n] = ns[n]
    for n, _ in assigned:
        env.setdefault(n, ns[n])
    for n, v in ns.items():
        if n not in hidden and n not in env and not n.startswith("__"):
            env[n] = v
    for n in list(env):
        env[n] = ns[n]
    return RunResult(env, assigned, last, len(module.tree.body))


def install(monkeypatch):
    """Route the CLI's language() to this fake."""
    from gradcli.cli import session
    monkeypatch.setattr(session, "language", lambda: (parse, run, Limits))
