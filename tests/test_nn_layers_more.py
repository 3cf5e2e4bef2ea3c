"""PReLU (PreluKernelBackward0), the padding layers, channel dropout layers, Softmax2d and
ParameterDict/ParameterList against torch: values, gradients (second order for prelu), reprs,
container behaviour and errors."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


def tried(expr: str) -> str:
    return f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n"


@pytest.mark.parametrize("dt", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("shape, weight", [("(2, 3)", "[0.25]"), ("(2, 3)", "[0.1, -0.2, 0.3]"),
                                           ("(2, 3, 4)", "[0.1, 0.2, 0.3]"), ("(6,)", "[0.3]"), ("()", "[0.3]"),
                                           ("(1, 3, 2, 2)", "[0.5, 2.0, -1.0]")])
def test_prelu(dt, shape, weight):
    same_as_torch(f"""
x = (torch.arange(float(torch.Size({shape}).numel())) * 7 % 11 / 3 - 1.5).reshape({shape}).to({dt}).requires_grad_()
w = torch.tensor({weight}, dtype={dt}, requires_grad=True)
y = F.prelu(x, w)
print(y, y.grad_fn)
(y * y).sum().backward()
print(x.grad, w.grad)
if {dt} == torch.float64:
    gx, gw = torch.autograd.grad((F.prelu(x, w) ** 3).sum(), (x, w), create_graph=True)
    print(torch.autograd.grad((gx * gx).sum() + gw.sum(), (x, w)))
""")


def test_prelu_module_and_errors():
    same_as_torch("""
m = nn.PReLU()
print(m, [(n, p) for n, p in m.named_parameters()])
x = torch.tensor([[-1.0, 2.0, -3.0], [0.5, -0.5, 0.0]], requires_grad=True)
y = m(x)
y.sum().backward()
print(y, x.grad, m.weight.grad)
m3 = nn.PReLU(3, init=0.1)
print(m3, m3(x))
""" + "".join(tried(e) for e in ["F.prelu(torch.ones(2, 3), torch.ones(2))", "F.prelu(torch.ones(3), torch.ones(3))",
                                 "F.prelu(torch.ones(2, 3), torch.ones(1, 3))",
                                 "F.prelu(torch.ones(2, 3).long(), torch.ones(3).long())",
                                 "F.prelu(torch.ones(2, 3), torch.ones(3).double())", "nn.PReLU(3)(torch.ones(2, 4))"]))


PADS = ["nn.ZeroPad2d(1)", "nn.ZeroPad2d((1, 2, 0, 1))", "nn.ZeroPad1d(2)", "nn.ConstantPad1d(2, 3.5)",
        "nn.ConstantPad2d((1, 0, 2, 0), -1.0)", "nn.ConstantPad3d(1, 0.0)", "nn.ReflectionPad1d(1)",
        "nn.ReflectionPad2d((1, 1, 2, 0))", "nn.ReplicationPad1d((2, 1))", "nn.ReplicationPad2d(1)",
        "nn.ReplicationPad3d(1)", "nn.CircularPad1d(1)", "nn.CircularPad2d((1, 0, 0, 1))", "nn.ReflectionPad3d(1)",
        "nn.ZeroPad3d((1, 0, 0, 1, 1, 0))", "nn.CircularPad3d(1)"]


@pytest.mark.parametrize("make", PADS)
def test_padding_layers(make):
    dims = 3 if "3d" in make else 2 if "2d" in make else 1
    shape = {1: "(2, 2, 4)", 2: "(1, 2, 3, 4)", 3: "(1, 1, 2, 3, 3)"}[dims]
    same_as_torch(f"m = {make}\nprint(m, m.padding)\n" + f"""
x = (torch.arange(float(torch.Size({shape}).numel())) * 7 % 11).reshape({shape}).requires_grad_()
y = m(x)
print(y, y.grad_fn)
(y * y).sum().backward()
print(x.grad)
""")


@pytest.mark.parametrize("make", ["nn.Dropout1d(0.3)", "nn.Dropout2d()", "nn.Dropout3d(0.1)",
                                  "nn.AlphaDropout(0.2)", "nn.FeatureAlphaDropout(0.1)"])
def test_dropout_layers_in_eval(make):
    same_as_torch(f"m = {make}\nprint(m, m.training)\nm.eval()\n" + """
x = torch.arange(24.0).reshape(2, 3, 2, 2).requires_grad_()
y = m(x if not isinstance(m, nn.Dropout1d) else x.reshape(2, 3, 4))
print(y, y.grad_fn)
m.train()
if not isinstance(m, (nn.AlphaDropout, nn.FeatureAlphaDropout)):  # (gradcli: no alpha dropout in training)
    z = m(torch.ones(2, 3, 4, 5, 6) if isinstance(m, nn.Dropout3d) else torch.ones(2, 3, 4))
    print(z.shape, z.dtype)
""")


@pytest.mark.parametrize("call", ["F.dropout1d(x, 0.5, training=False)", "F.dropout2d(x, 0.0)",
                                  "F.dropout1d(torch.ones(2, 3, 4, 5), 0.5)", "F.dropout2d(x, 1.5)",
                                  "F.dropout3d(x, -0.1)", "F.dropout2d(x, 1.0)", "F.dropout1d(x, 1.0)",
                                  "F.feature_alpha_dropout(x, 0.5, False)", "nn.Dropout2d(2.0)"])
def test_dropout_functions(call):
    same_as_torch("x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()\n" + tried(call))


def test_softmax2d():
    same_as_torch("""
m = nn.Softmax2d()
print(m)
x = (torch.arange(24.0) * 7 % 11 / 4).reshape(2, 3, 2, 2).requires_grad_()
y = m(x)
print(y, y.grad_fn)
(y * torch.arange(24.0).reshape(2, 3, 2, 2)).sum().backward()
print(x.grad)
print(m(x[0]).shape)
""" + tried("m(torch.ones(2, 3))"))


def test_parameter_dict_and_list():
    same_as_torch("""
pd = nn.ParameterDict({'b': nn.Parameter(torch.ones(2)), 'a': nn.Parameter(torch.zeros(2, 3).double())})
print(pd)
print(nn.ParameterDict())
print(list(pd.keys()), len(pd), 'a' in pd, [n for n, _ in pd.named_parameters()])
pd['c'] = torch.ones(1)
print(type(pd['c']).__name__, pd['c'].requires_grad)
pd.update({'d': nn.Parameter(torch.ones(3))})
print(list(pd))
print(pd.pop('b').shape, list(pd.keys()), list(pd.values())[0].shape, [k for k, v in pd.items()])
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(1, requires_grad=False)])
print(pl, pl[1].requires_grad)
print(nn.ParameterList([nn.Parameter(torch.ones(2, 2, 2))]))
print(nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(2, 3).double())]))
opt = torch.optim.SGD(pd.parameters(), lr=0.1)
print(len(opt.param_groups[0]['params']))
try:
    pd['x.y'] = nn.Parameter(torch.ones(1))
except KeyError as e:
    print(e)
""" + tried("pd['zz']"))


def test_load_state_dict_without_num_batches_tracked():
    same_as_torch("""
m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
sd = m.state_dict()
m2 = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
print(m2.load_state_dict({k: v for k, v in sd.items() if 'num_batches' not in k}))
print(m2.load_state_dict({k: v for k, v in sd.items() if 'running_mean' not in k}, strict=False))
try:
    m2.load_state_dict({k: v for k, v in sd.items() if 'running_mean' not in k})
except RuntimeError as e:
    print(e)
print(m2.load_state_dict(dict(sd, extra=torch.ones(1)), strict=False))
m3 = nn.BatchNorm1d(2, track_running_stats=False)
print(m3.load_state_dict({'weight': torch.ones(2), 'bias': torch.zeros(2)}))
print(list(sd.keys()))
""")
