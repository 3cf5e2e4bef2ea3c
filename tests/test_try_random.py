"""Random programs of loops, functions and nested try statements print and fail as under CPython.

Each program mixes for loops, if, break, continue, return, raise, bare re-raise, errors of
Python's own (division by zero, an index out of range) and try statements with zero to two
handlers (tuples, bare ``except``), ``else`` and ``finally``; CPython's ``exec`` (here in the
tests only) is the oracle.
"""

from __future__ import annotations

import contextlib
import io
import random

import pytest

from gradcli.errors import SourceError
from gradcli.interp import run
from gradcli.interp.runtime import python_message
from gradcli.syntax import parse

ERRORS = ["ValueError", "KeyError", "ZeroDivisionError", "RuntimeError"]


def program(seed: int) -> str:
    rng = random.Random(seed)
    lines = ["n = 0", "def f(k):", "    global_dummy = 0"]
    counter = [0]

    def stmt(depth, indent, in_loop, in_func, in_handler):
        counter[0] += 1
        tag = counter[0]
        pad = "    " * indent
        choices = ["print", "raise", "zero", "index"]
        if depth < 3:
            choices += ["try", "try", "loop", "if"]
        if in_loop:
            choices += ["break", "continue"]
        if in_func:
            choices += ["return"]
        if in_handler:
            choices += ["reraise"]
        kind = rng.choice(choices)
        out = []
        if kind == "print":
            out.append(f"{pad}print('p{tag}', k)")
        elif kind == "raise":
            out.append(f"{pad}if k % {rng.randint(1, 3)} == 0:")
            cause = rng.choice(["", "", " from None", f" from KeyError('c{tag}')"])
            out.append(f"{pad}    raise {rng.choice(ERRORS)}('r{tag}'){cause}")
        elif kind == "zero":
            out.append(f"{pad}print({rng.randint(0, 2)} / (k % 2))")
        elif kind == "index":
            out.append(f"{pad}print([1, 2][k % 3])")
        elif kind == "break":
            out.append(f"{pad}if k % 2: break")
        elif kind == "continue":
            out.append(f"{pad}if k % 3 == 1: continue")
        elif kind == "return":
            out.append(f"{pad}return 'ret{tag}'")
        elif kind == "reraise":
            out.append(f"{pad}if k % 2 == 0: raise")
        elif kind == "if":
            out.append(f"{pad}if k > {rng.randint(0, 3)}:")
            out += block(depth + 1, indent + 1, in_loop, in_func, in_handler)
        elif kind == "loop":
            out.append(f"{pad}for k in range(k, k + {rng.randint(1, 3)}):")
            out += block(depth + 1, indent + 1, True, in_func, in_handler)
        else:
            out.append(f"{pad}try:")
            out += block(depth + 1, indent + 1, in_loop, in_func, in_handler)
            handlers = rng.randint(0, 2)
            for i in range(handlers):
                kinds = rng.sample(ERRORS, rng.randint(1, 2))
                spec = kinds[0] if len(kinds) == 1 else "(" + ", ".join(kinds) + ")"
                if rng.random() < 0.2 and i == handlers - 1:
                    out.append(f"{pad}except:")
                else:
                    out.append(f"{pad}except {spec} as e{tag}:")
                    out.append(f"{pad}    print('h{tag}', type(e{tag}).__name__, e{tag})")
                out += block(depth + 1, indent + 1, in_loop, in_func, True)
            if handlers and rng.random() < 0.4:
                out.append(f"{pad}else:")
                out += block(depth + 1, indent + 1, in_loop, in_func, in_handler)
            if not handlers or rng.random() < 0.5:
                out.append(f"{pad}finally:")
                out.append(f"{pad}    print('f{tag}')")
                # (in a finally, a bare raise re-raises what is in flight)
                out += block(depth + 1, indent + 1, in_loop, in_func, True)
            if handlers and rng.random() < 0.1:
                out.append(f"{pad}print('after', e{tag})")  # unbound after its handler, bound nowhere else
        return out

    def block(depth, indent, in_loop, in_func, in_handler):
        out = []
        for _ in range(rng.randint(1, 3)):
            out += stmt(depth, indent, in_loop, in_func, in_handler)
        return out

    lines += block(0, 1, False, True, False)
    lines.append("    return 'end'")
    lines.append("for k in range(4):")
    lines.append("    try:")
    lines.append("        print('f ->', f(k))")
    lines.append("    except Exception as e:")
    lines.append("        print('escaped', type(e).__name__, e)")
    lines += stmt(0, 0, False, False, False)
    return "\n".join(lines) + "\n"


def gradcli_run(source: str):
    out = io.StringIO()
    try:
        run(parse(source, "p.py"), stdout=out)
    except SourceError as e:
        return out.getvalue(), e.message
    return out.getvalue(), None


def cpython_run(source: str):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "p.py", "exec"), {"__name__": "__main__"})  # the oracle, tests only
        except Exception as e:  # noqa: BLE001 - any error is what we compare
            return out.getvalue(), python_message(e)
    return out.getvalue(), None


@pytest.mark.parametrize("seed", range(0, 300, 3))
def test_random_try_programs_run_as_in_cpython(seed):
    source = program(seed)
    assert gradcli_run(source) == cpython_run(source), source
