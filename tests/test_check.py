"""check: passes on every example, fails (exit 3) on a wrong gradient; float64 whatever the dtype."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradcli.report.check import Model, central_differences, check, compare
from why_util import EXAMPLES, call, golden

# hooks that change a gradient on purpose: check must catch them
WRONG_ON_PURPOSE = ("bad_hook.py", "hooks_and_functions.py")
# programs that stop with an error on purpose (the seeds' failing cases), or divide by zero
ERRORS = ("sqrt_zero.py", "seed002_inplace_leaf.py", "seed003_backward.py", "seed003_vector_backward_fails.py")
PASSING = sorted(p.name for p in EXAMPLES.glob("*.py") if p.name not in WRONG_ON_PURPOSE + ERRORS)


def test_central_differences_of_a_known_function():
    g = central_differences(lambda x: float(np.sum(np.sin(x) * x)), np.array([0.3, -1.0]))
    x = np.array([0.3, -1.0])
    np.testing.assert_allclose(g, np.cos(x) * x + np.sin(x), rtol=1e-8)


def test_compare_reports_the_worst_element():
    c = compare("x", np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]), 1)
    assert not c.passed and c.max_abs_at == [2] and c.max_abs_error == pytest.approx(0.5)


def test_model_check_order_2():
    f = lambda x: float(np.sum(x ** 3))  # noqa: E731
    m = Model("f", {"x": np.array([1.0, 2.0])}, lambda o: f(o["x"]), lambda o: {"x": 3 * o["x"] ** 2},
              {"x": 3 * np.array([1.0, 2.0]) ** 2}, hessian=lambda n: np.diag(6 * np.array([1.0, 2.0])))
    assert check(m, 1).passed and check(m, 2).passed


@pytest.mark.parametrize("name", PASSING)
def test_every_example_passes(capsys, monkeypatch, name):
    code, out, err = call(capsys, monkeypatch, "check", name)
    assert code == 0, out + err
    assert "FAIL" not in out


@pytest.mark.parametrize("name", WRONG_ON_PURPOSE)
def test_gradient_changing_hooks_fail(capsys, monkeypatch, name):
    code, out, _ = call(capsys, monkeypatch, "check", name)
    assert code == 3 and "FAIL" in out


def test_a_doubling_hook_fails_with_exit_3(capsys, monkeypatch, update_golden):
    code, out, err = call(capsys, monkeypatch, "check", "bad_hook.py")
    assert code == 3 and "FAIL" in out
    golden("check_bad_hook.table", out, update_golden)
    code, out, _ = call(capsys, monkeypatch, "check", "bad_hook.py", "-f", "json")
    doc = json.loads(out)
    assert code == 3 and doc["passed"] is False
    leaf = doc["leaves"][0]
    np.testing.assert_allclose(leaf["autograd"], 2 * np.array(leaf["numeric"]), rtol=1e-6)


def test_float32_is_checked_in_float64_and_says_so(capsys, monkeypatch):
    code, out, err = call(capsys, monkeypatch, "check", "lesson6.py", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["program_dtype"] == "torch.float32" and doc["checked_in"] == "torch.float64"
    assert "float32" in err and "float64" in err


def test_order_2(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "check", "fanout.py", "--order", "2", "-f", "plain")
    assert code == 0 and out.splitlines()[0].split("\t")[:3] == ["x", "2", "ok"]


def test_expression_mode(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "check", "-e", "sin(x) * x", "--set", "x=[0.5, 1.5]", "-f", "plain")
    assert code == 0 and out.startswith("x\t1\tok")
