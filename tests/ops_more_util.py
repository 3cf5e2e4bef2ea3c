"""Helpers of the tests of the ops tutorials use beyond the core families (test_ops_more*.py,
test_argument_checks.py): each compares gradcli with PyTorch."""

import numpy as np
import pytest

from gradcheck_util import torch as gt


def graph(t):
    """The grad_fn graph as (depth, name) pairs, depth first."""
    out = []

    def walk(fn, depth):
        if fn is None:
            return
        out.append((depth, type(fn).__name__))
        for nxt, _ in fn.next_functions:
            walk(nxt, depth + 1)
    walk(t.grad_fn, 0)
    return out


def same_graph(real_torch, fn, arrays):
    graphs = []
    for lib in (real_torch, gt):
        inputs = [lib.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f") for a in arrays]
        graphs.append(graph(fn(lib, *inputs)))
    assert graphs[1] == graphs[0]


def second_order_matches(real_torch, fn, arrays):
    """grad with create_graph: the first derivatives' grad_fn names and the second
    derivatives (of the squared first ones) are torch's."""
    results = []
    for lib in (real_torch, gt):
        xs = [lib.from_numpy(np.array(a)).requires_grad_() for a in arrays]
        out = fn(lib, *xs)
        w = lib.from_numpy(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))
        gs = lib.autograd.grad((out * w).sum(), xs, create_graph=True, allow_unused=True)
        names = [None if g is None or g.grad_fn is None else type(g.grad_fn).__name__ for g in gs]
        terms = [(g * g).sum() for g in gs if g is not None and g.requires_grad]
        second = []
        if terms:
            second = lib.autograd.grad(sum(terms[1:], terms[0]), xs, allow_unused=True)
        results.append((names, [None if g is None else np.asarray(g.detach().numpy(force=True) if lib is real_torch
                                                                     else g._data) for g in second]))
    (tn, ts), (gn, gs) = results
    assert gn == tn
    assert len(gs) == len(ts)
    for g, t in zip(gs, ts):
        assert (g is None) == (t is None)
        if t is not None:
            np.testing.assert_allclose(g, t, rtol=1e-9, atol=1e-12)


_SHOW = "print(r)\nif isinstance(r, torch.Tensor):\n    print(r.dtype, r.requires_grad, r.grad_fn)\n"


def same_output(expr, setup="a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"):
    """A program evaluating ``expr`` prints the same (value, dtype, grad_fn) or ends with the
    same error under gradcli and under torch (argument errors come from the interpreter's
    model of torch's parser, so the program, not the op, is what is compared)."""
    import contextlib
    import io
    import re

    from gradcli.errors import SourceError
    from gradcli.interp import run
    from gradcli.syntax import parse
    pytest.importorskip("torch")
    source = f"import torch\nimport torch.nn.functional as F\n{setup}r = {expr}\n{_SHOW}"
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            exec(source, {})  # noqa: S102 - this file's own programs, under PyTorch
    except Exception as e:  # noqa: BLE001 - an error's first line (the parser's per-overload notes aside)
        kind = type(e).__name__ if type(e).__module__ == "builtins" else f"{type(e).__module__}.{type(e).__name__}"
        out.write(f"{kind}: {e}".splitlines()[0])  # as Python's traceback names it
    want = out.getvalue()
    out = io.StringIO()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            run(parse(source, "t.py"), stdout=out)
    except SourceError as e:
        out.write(e.message.splitlines()[0])
    got = out.getvalue()
    assert re.sub(r"0x[0-9a-f]+", "", got) == re.sub(r"0x[0-9a-f]+", "", want)


def program_error(expr, setup="a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"):
    same_output(expr, setup)


def calls(name):
    """One expression a line from tests/ops_more_cases/<name>.txt (run under gradcli and torch)."""
    from pathlib import Path
    text = (Path(__file__).parent / "ops_more_cases" / f"{name}.txt").read_text()
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
