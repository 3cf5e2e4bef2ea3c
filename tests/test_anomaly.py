"""--detect-anomaly: the first NaN/inf with its source line, grad_fn and rule."""

from __future__ import annotations

import pytest

from gradcli.autograd import build_torch_module
from gradcli.report.anomaly import AnomalyError, AnomalyWatch
from gradcli.report.graph import Namer
from why_util import call

torch = build_torch_module()


def test_backward_names_the_rule_and_the_value():
    watch = AnomalyWatch()
    x = torch.tensor([1.0, 0.0], requires_grad=True)
    with pytest.raises(AnomalyError):
        with watch:
            y = torch.sqrt(x)
            watch.namer = Namer(dict(x=x, y=y))
            y.sum().backward()
    a = watch.backward
    assert a.grad_fn == "SqrtBackward0" and a.kind == "inf" and a.index == [1]
    assert a.rule == "d sqrt(x)/dx = 1/(2·sqrt(x))" and a.at == "x = 0.0"


def test_forward_nan_is_found_where_it_is_made():
    watch = AnomalyWatch()
    with watch:
        x = torch.tensor([1.0, -1.0], requires_grad=True)
        y = torch.log(x) * 2
    a = watch.first()
    assert a.phase == "forward" and a.kind == "nan" and a.grad_fn == "LogBackward0" and a.index == [1]


@pytest.mark.parametrize("command", ["backward", "grad", "explain", "graph", "jacobian", "check"])
def test_every_command_takes_the_option(capsys, monkeypatch, command):
    extra = {"jacobian": ["--of", "y", "--wrt", "x"], "grad": ["--of", "loss", "--wrt", "x"]}.get(command, [])
    code, out, err = call(capsys, monkeypatch, command, "sqrt_zero.py", "--detect-anomaly", *extra)
    assert code == 1
    assert "sqrt_zero.py:5:" in err and "error: RuntimeError: Function 'SqrtBackward0'" in err
    assert "d sqrt(x)/dx = 1/(2·sqrt(x)) at x = 0.0" in err and "y = torch.sqrt(x)" in err


@pytest.mark.parametrize("command", ["run", "forward"])
def test_forward_only_commands_take_the_option_and_report_forward_anomalies(capsys, monkeypatch, tmp_path, command):
    prog = tmp_path / "nan.py"
    prog.write_text("import torch\nx = torch.tensor([1.0, -1.0], requires_grad=True)\ny = torch.log(x)\n")
    code, out, err = call(capsys, monkeypatch, command, str(prog), "--detect-anomaly")
    assert code == 0
    assert "LogBackward0" in err and "nan" in err.lower()
