"""check: passes on every example, fails (exit 3) on a wrong gradient wherever the leaf is
bound; float64 whatever the dtype; what cannot be checked is said, never skipped silently."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradcli.report.check import central_differences, compare
from why_util import EXAMPLES, call, golden

# hooks that change a gradient on purpose: check must catch them
WRONG_ON_PURPOSE = ("bad_hook.py", "hooks_and_functions.py")
# programs that stop with an error on purpose (the seeds' failing cases)
ERRORS = ("seed002_inplace_leaf.py", "seed003_vector_backward_fails.py")
# sqrt at 0: autograd says inf, the differences nan (sqrt of -eps): not differentiable there
NOT_DIFFERENTIABLE = ("sqrt_zero.py",)
ALL = sorted(p.name for p in EXAMPLES.glob("*.py"))
PASSING = [n for n in ALL if n not in WRONG_ON_PURPOSE + ERRORS + NOT_DIFFERENTIABLE]


def check_json(capsys, monkeypatch, *args):
    code, out, err = call(capsys, monkeypatch, "check", *args, "-f", "json")
    return code, (json.loads(out) if out.strip() else None), err


def program(tmp_path, text: str, name: str = "prog.py") -> str:
    path = tmp_path / name
    path.write_text("import torch\n" + text)
    return str(path)


def rows(doc) -> dict:
    return {(r["leaf"], tuple(r["calls"])): r for r in doc["leaves"]}


def test_central_differences_of_a_known_function():
    g = central_differences(lambda x: float(np.sum(np.sin(x) * x)), np.array([0.3, -1.0]))
    x = np.array([0.3, -1.0])
    np.testing.assert_allclose(g, np.cos(x) * x + np.sin(x), rtol=1e-8)


def test_compare_reports_the_worst_element():
    c = compare("x", np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]), 1)
    assert not c.passed and c.max_abs_at == [2] and c.max_abs_error == pytest.approx(0.5)


def test_the_example_lists_name_real_files():
    assert set(WRONG_ON_PURPOSE + ERRORS + NOT_DIFFERENTIABLE) <= set(ALL)


@pytest.mark.parametrize("name", PASSING)
def test_every_example_passes_and_checks_something(capsys, monkeypatch, name):
    code, doc, err = check_json(capsys, monkeypatch, name)
    assert code == 0, err
    assert doc["passed"] and doc["leaves"], doc["notes"]
    assert all(r["passed"] for r in doc["leaves"])
    assert doc["unchecked"] == [] and not [n for n in doc["notes"] if ": not checked at" in n]


@pytest.mark.parametrize("name", ERRORS)
def test_programs_that_fail_report_their_error(capsys, monkeypatch, name):
    code, _, err = call(capsys, monkeypatch, "check", name)
    assert code == 1 and "RuntimeError" in err


def test_sqrt_at_zero_fails(capsys, monkeypatch):
    code, doc, _ = check_json(capsys, monkeypatch, "sqrt_zero.py")
    assert code == 3 and doc["leaves"][0]["max_abs_at"] == [2]


@pytest.mark.parametrize("name", WRONG_ON_PURPOSE)
def test_gradient_changing_hooks_fail(capsys, monkeypatch, name):
    code, out, _ = call(capsys, monkeypatch, "check", name)
    assert code == 3 and "FAIL" in out


def test_a_doubling_hook_fails_with_exit_3(capsys, monkeypatch, update_golden):
    code, out, err = call(capsys, monkeypatch, "check", "bad_hook.py")
    assert code == 3 and "FAIL" in out
    golden("check_bad_hook.table", out, update_golden)
    code, doc, _ = check_json(capsys, monkeypatch, "bad_hook.py")
    assert code == 3 and doc["passed"] is False
    leaf = doc["leaves"][0]
    np.testing.assert_allclose(leaf["autograd"], 2 * np.array(leaf["numeric"]), rtol=1e-6)


@pytest.mark.parametrize("name, leaves", [
    ("seed000_grad_tensors.py", {("x (line 4)", (1, 2)), ("x (line 19)", (3,)), ("x (line 25)", (4, 5))}),
    ("seed002_lesson6_accumulate.py", {("w (line 4)", (1, 2)), ("x (line 5)", (1, 2)),
                                       ("w (line 14)", (3, 4, 5, 6)), ("x (line 15)", (3, 4, 5, 6))}),
    ("seed004_gradient_argument.py", {("a (line 5)", (1,)), ("b (line 6)", (1,)), ("a (line 11)", (2,)),
                                      ("b (line 12)", (2,)), ("a (line 17)", (3,)), ("b (line 18)", (3,))}),
    ("seed004_while_doubling.py", {("x", (1,))}),
])
def test_leaves_bound_more_than_once_are_each_checked(capsys, monkeypatch, name, leaves):
    code, doc, _ = check_json(capsys, monkeypatch, name)
    assert code == 0 and set(rows(doc)) == leaves


WRONG = {
    # the second x (a name bound twice) gets a doubling hook; the first is right
    "rebound": ("x = torch.tensor([1., 2.], requires_grad=True)\n(x * x).sum().backward()\n"
                "x = torch.tensor([0.5, 3.], requires_grad=True)\nx.register_hook(lambda g: g * 2)\n"
                "x.sin().sum().backward()\n", {("x (line 2)", (1,)): True, ("x (line 4)", (2,)): False}),
    # a wrong rule for exp, through a hook on the intermediate
    "intermediate": ("x = torch.tensor([0.3, 0.7], requires_grad=True)\ny = x.exp()\n"
                     "y.register_hook(lambda g: g + 1)\ny.sum().backward()\n", {("x", (1,)): False}),
    # an SGD loop whose hook goes wrong after five steps: the first value passes, the last fails
    "late": ("w = torch.tensor(0.5, requires_grad=True)\nn = [0]\ndef late(g):\n    n[0] += 1\n"
             "    return g * 2 if n[0] > 5 else g\nw.register_hook(late)\n"
             "opt = torch.optim.SGD([w], lr=0.1)\nfor i in range(10):\n    opt.zero_grad()\n"
             "    loss = (w * 3 - 1) ** 2\n    loss.backward()\n    opt.step()\n",
             {("w", (1,)): True, ("w", (10,)): False}),
    # a new leaf each step (detach().requires_grad_()) bound to one name; a hook halves the last
    "remade": ("x = torch.tensor([1.0, -2.0], requires_grad=True)\nfor i in range(6):\n"
               "    if i == 5:\n        x.register_hook(lambda g: g / 2)\n    (x ** 3).sum().backward()\n"
               "    x = (x - 0.05 * x.grad).detach().requires_grad_()\n",
               {("x (line 2)", (1,)): True, ("x (line 7)", (2,)): True, ("x (line 7)", (6,)): False}),
    # leaves made from views (reshape, detach) with requires_grad_(); the hook doubles w's
    "views": ("base = torch.arange(6.0)\nx = base.reshape(2, 3).requires_grad_()\n(x.sin() * x).sum().backward()\n"
              "w = torch.tensor([1.0, 2.0, 3.0]).detach().requires_grad_()\nw.register_hook(lambda g: g * 2)\n"
              "(w * w).sum().backward()\n", {("x", (1,)): True, ("w", (2,)): False}),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_deliberately_wrong_gradient_fails_with_exit_3(capsys, monkeypatch, tmp_path, case):
    text, expected = WRONG[case]
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, text))
    assert code == 3, err
    got = rows(doc)
    assert {k: got[k]["passed"] for k in expected} == expected, err


def test_untracked_writes_are_not_checked_and_said_so(capsys, monkeypatch, tmp_path):
    text = ("w = torch.tensor(0.5, requires_grad=True)\nfor i in range(4):\n    loss = (w * 3 - 1) ** 2\n"
            "    loss.backward()\n    w.data -= 0.1 * w.grad.data\n    w.grad.zero_()\n")
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, text))
    assert code == 0 and set(rows(doc)) == {("w", (1,))}
    assert "w: not checked at backward passes 2-4: a write autograd does not track" in err


def test_a_graph_recorded_before_the_leaf_changed_is_not_checked(capsys, monkeypatch, tmp_path):
    text = ("w = torch.tensor(1.0, requires_grad=True)\ny = w * 3\nwith torch.no_grad():\n    w.add_(1)\n"
            "y.backward()\n")
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, text))
    assert code == 3 and doc["leaves"] == []  # checking nothing is no pass
    assert "part of the graph the pass differentiates was recorded before" in err
    assert "nothing was checked" in err


def test_all_values_checks_every_step(capsys, monkeypatch, tmp_path):
    text = ("w = torch.tensor([0.5, 2.0], requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)\n"
            "for i in range(5):\n    opt.zero_grad()\n    (w.sin() * w).sum().backward()\n    opt.step()\n")
    path = program(tmp_path, text)
    code, doc, err = check_json(capsys, monkeypatch, path)
    assert code == 0 and set(rows(doc)) == {("w", (1,)), ("w", (5,))}
    assert "--all-values checks all 5" in err
    code, doc, _ = check_json(capsys, monkeypatch, path, "--all-values")
    assert code == 0 and set(rows(doc)) == {("w", (k,)) for k in range(1, 6)}


def test_an_unused_leaf_is_checked_to_have_zero_gradient(capsys, monkeypatch, tmp_path):
    text = ("a = torch.ones(2, 2, requires_grad=True)\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
            "(x * x).sum().backward()\n")
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, text))
    assert code == 0 and rows(doc)[("a", (1,))]["autograd"] == [[0.0, 0.0], [0.0, 0.0]]
    assert "a: no backward pass reached it; checked that its gradient is zero" in err


def test_float32_is_checked_in_float64_and_says_so(capsys, monkeypatch):
    code, doc, err = check_json(capsys, monkeypatch, "lesson6.py")
    assert code == 0 and doc["program_dtype"] == "torch.float32" and doc["checked_in"] == "torch.float64"
    assert "gradients are checked in float64" in err and "float32's 7 digits" in err
    code, doc, err = check_json(capsys, monkeypatch, "-e", "x * x", "--set", "x=[1.0, 2.0]")
    assert code == 0 and doc["program_dtype"] == "torch.float32" and "checked in float64" in err


def test_explicit_float32_leaves_are_widened(capsys, monkeypatch, tmp_path):
    # FloatTensor stays float32 under a float64 default dtype: check widens the leaf itself
    text = ("a = torch.nn.Parameter(torch.FloatTensor([[0.3, 1.7], [2.2, -0.4]]))\n"
            "y = (a.exp() * a).sum()\ny.backward()\n")
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, text))
    assert code == 0 and doc["leaves"][0]["max_rel_error"] < 1e-8


def test_order_2(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "check", "fanout.py", "--order", "2", "-f", "plain")
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and all(f[1:3] == ["2", "ok"] for f in lines)
    assert sorted((f[0], f[7]) for f in lines) == [("b", "b"), ("b", "x"), ("x", "b"), ("x", "x")]


def test_order_2_catches_a_wrong_second_derivative(capsys, monkeypatch, tmp_path):
    # the hook's factor x.detach() is right to first order, but its derivative is lost
    text = ("x = torch.tensor([0.5, 1.5], requires_grad=True)\ny = x * x\n"
            "y.register_hook(lambda g: g * x.detach())\ny.sum().backward()\n")
    code, doc, _ = check_json(capsys, monkeypatch, program(tmp_path, text), "--order", "2")
    assert code == 3 and not doc["leaves"][0]["passed"]


def test_expression_mode(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "check", "-e", "sin(x) * x", "--set", "x=[0.5, 1.5]", "-f", "plain")
    assert code == 0 and out.startswith("x\t1\tok")


def test_backward_twice_still_raises_under_check_jacobian_hessian(capsys, monkeypatch, tmp_path):
    path = program(tmp_path, "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
                             "y.backward()\ny.backward()\n")
    for args in (["check"], ["check", "--of", "y"], ["jacobian", "--of", "y", "--wrt", "x"],
                 ["hessian", "--of", "y", "--wrt", "x"]):
        code, _, err = call(capsys, monkeypatch, args[0], path, *args[1:])
        assert code == 1 and "Trying to backward through the graph a second time" in err, args


# -- order 2 against torch's Hessian, cross terms included, on random small programs ------------

UNARY = [("torch.sin({0})", lambda t, u: t.sin(u)), ("torch.exp(0.3 * {0})", lambda t, u: t.exp(0.3 * u)),
         ("torch.tanh({0})", lambda t, u: t.tanh(u)), ("({0} * {0})", lambda t, u: u * u),
         ("({0} / (1 + {0} * {0}))", lambda t, u: u / (1 + u * u))]
BINARY = [("({0} * {1})", lambda t, u, v: u * v), ("({0} + {1})", lambda t, u, v: u + v),
          ("({0} - 2 * {1})", lambda t, u, v: u - 2 * v), ("({0} / (1 + {1} * {1}))", lambda t, u, v: u / (1 + v * v))]
LEAVES = {"a": [0.7, -0.4], "b": [1.2, 0.3], "c": 0.9}


def random_expression(rng, depth):
    if depth == 0 or rng.random() < 0.25:
        name = rng.choice(sorted(LEAVES))
        return name, lambda t, env: env[name]
    if rng.random() < 0.45:
        text, f = UNARY[rng.randrange(len(UNARY))]
        inner, g = random_expression(rng, depth - 1)
        return text.format(inner), lambda t, env: f(t, g(t, env))
    text, f = BINARY[rng.randrange(len(BINARY))]
    (left, g), (right, h) = random_expression(rng, depth - 1), random_expression(rng, depth - 1)
    return text.format(left, right), lambda t, env: f(t, g(t, env), h(t, env))


@pytest.mark.parametrize("seed", range(6))
def test_order_2_blocks_match_torch_hessian(capsys, monkeypatch, tmp_path, seed):
    import random
    torch = pytest.importorskip("torch")
    rng = random.Random(seed)
    text, f = random_expression(rng, 3)
    while not all(n in text for n in LEAVES):  # every leaf in: every block is a real cross term
        extra, g = random_expression(rng, 2)
        text, f = f"({text} * {extra})", (lambda f, g: lambda t, env: f(t, env) * g(t, env))(f, g)
    lines = "".join(f"{n} = torch.tensor({v!r}, dtype=torch.float64, requires_grad=True)\n" for n, v in LEAVES.items())
    code, doc, err = check_json(capsys, monkeypatch, program(tmp_path, lines + f"y = ({text}).sum()\ny.backward()\n"),
                                "--order", "2")
    assert code == 0, err
    values = tuple(torch.tensor(v, dtype=torch.float64) for v in LEAVES.values())
    H = torch.autograd.functional.hessian(lambda *xs: f(torch, dict(zip(LEAVES, xs))).sum(), values)
    blocks = {(r["leaf"], r["wrt"]): r for r in doc["leaves"]}
    assert set(blocks) == {(a, b) for a in LEAVES for b in LEAVES}
    for i, a in enumerate(LEAVES):
        for j, b in enumerate(LEAVES):
            want = H[i][j].numpy().reshape(np.size(LEAVES[a]), np.size(LEAVES[b]))
            np.testing.assert_allclose(blocks[(a, b)]["autograd"], want, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(blocks[(a, b)]["numeric"], want, rtol=1e-4, atol=1e-5)


def test_check_leaves_the_engine_as_it_found_it(capsys, monkeypatch, tmp_path):
    from gradcli.autograd import engine
    from gradcli.autograd.tensor import Tensor

    def state():
        classes, k = [Tensor], 0
        while k < len(classes):
            classes.extend(classes[k].__subclasses__())
            k += 1
        return [c.__dict__.get("_requires_grad") for c in classes] + [engine.run, engine.observer]

    before = state()
    code, _, _ = call(capsys, monkeypatch, "check", "accumulate.py")
    assert code == 0 and state() == before
    code, _, _ = call(capsys, monkeypatch, "check", program(tmp_path, "x = torch.ones(2, requires_grad=True)\n"
                                                                      "y = (x * x).sum()\ny.backward()\ny.backward()\n"))
    assert code == 1 and state() == before  # also after the program failed
    code, out, _ = call(capsys, monkeypatch, "run", "-e", "torch.ones(2, requires_grad=True).dtype")
    assert out == "torch.float32\n"  # no widening outside check
