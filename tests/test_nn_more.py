"""torch.nn / torch.optim pieces tutorials use, compared with torch by running the same
program under both and comparing what it prints: normalization layers, more optimizers and
schedulers, gradient clipping, padding and the shrink activations."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


def tried(expr: str) -> str:
    """A program line that prints ``expr`` or the error it raises."""
    return (f"try:\n    print({expr})\nexcept Exception as e:\n"
            "    print(type(e).__name__, e)\n")


X4 = "x = torch.tensor([[1.0, 2.0, 3.5, 4.0], [4.0, 0.5, 6.0, -1.0]], dtype=DT, requires_grad=True)\n"
C4 = "c = torch.tensor([1.0, -2.0, 3.0, 1.5], dtype=DT)\n"
DTYPES = ["torch.float32", "torch.float64"]


# -- layer_norm -----------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("args", ["(4,), w, b", "(4,)", "[4], None, b", "(2, 4), w2", "(4,), w, b, 1e-2"])
def test_layer_norm_values_and_gradients(dt, args):
    same_as_torch(f"DT = {dt}\n" + X4 + C4 + """
w = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=DT, requires_grad=True)
b = torch.tensor([0.5, -0.5, 0.0, 1.0], dtype=DT, requires_grad=True)
w2 = torch.tensor([[1.0, 2.0, 3.0, 4.0], [0.5, 1.5, -1.0, 2.0]], dtype=DT, requires_grad=True)
""" + f"y = F.layer_norm(x, {args})\n" + """
print(y, y.grad_fn.name(), [f is None for f, _ in y.grad_fn.next_functions])
(y * c).sum().backward()
print(x.grad, w.grad, b.grad, w2.grad)
""")


@pytest.mark.parametrize("dt", DTYPES)
def test_layer_norm_second_order(dt):
    same_as_torch(f"DT = {dt}\n" + X4 + C4 + """
w = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=DT, requires_grad=True)
y = F.layer_norm(x, (4,), w)
g, gw = torch.autograd.grad((y * c).sum(), (x, w), create_graph=True)
print(g, gw)
h = torch.autograd.grad((g * g).sum() + (gw * c).sum(), (x, w), create_graph=True)
print(h[0].detach(), h[1].detach())  # NOTE: torch's double backward ends in a view; gradcli's in a sum or add
if DT == torch.float64:  # float32 third derivatives reach 1e8: last-digit noise
    print(torch.autograd.grad((h[0] * h[0]).sum() + h[1].sum(), (x, w)))
""")


def test_layer_norm_module():
    same_as_torch("""
for m in [nn.LayerNorm(4), nn.LayerNorm([2, 4], elementwise_affine=False), nn.LayerNorm(4, bias=False),
          nn.LayerNorm((4,), eps=1e-3), nn.LayerNorm(torch.Size([4]), dtype=torch.float64)]:
    print(m, [(n, p.shape, p.dtype) for n, p in m.named_parameters()], m.normalized_shape, m.eps)
    print(list(m.state_dict().keys()))
m = nn.LayerNorm(4)
with torch.no_grad():
    m.weight.copy_(torch.tensor([1.0, 2.0, 3.0, 4.0]))
x = torch.tensor([[1.0, 2.0, 3.5, 4.0], [4.0, 0.5, 6.0, -1.0]], requires_grad=True)
y = m(x)
print(y)
(y * torch.tensor([1.0, -2.0, 3.0, 0.5])).sum().backward()
print(x.grad, m.weight.grad, m.bias.grad)
print(nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3), nn.ReLU()))
""" + tried("nn.LayerNorm(5)(x)") + tried("nn.LayerNorm(4)(torch.tensor([[1, 2, 3, 4]]))"))


@pytest.mark.parametrize("args", ["4", "(5,)", "(2, 5)", "(3, 2, 4)", "()", "(4,), torch.ones(3)",
                                  "(4,), None, torch.ones(2, 2)", "(4.0,)"])
def test_layer_norm_errors(args):
    same_as_torch("x = torch.ones(2, 4)\n" + tried(f"F.layer_norm(x, {args})"))


# -- batch_norm -----------------------------------------------------------------------------------

XB = "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0], [2.0, 2.5, 1.0]], dtype=DT, requires_grad=True)\n"
X3 = ("x = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [0.0, 1.5]], [[0.5, -1.0], [2.0, 2.5], [1.0, 1.0]]], dtype=DT,"
      " requires_grad=True)\n")


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape", ["2d", "3d"])
@pytest.mark.parametrize("opts", ["", "momentum=None", "affine=False", "track_running_stats=False", "bias=False",
                                  "eps=0.1, momentum=0.5"])
def test_batchnorm1d_train_then_eval(dt, shape, opts):
    c = "c = torch.tensor([1.0, -2.0, 3.0], dtype=DT)" + ("" if shape == "2d" else ".view(3, 1)")
    same_as_torch(f"DT = {dt}\n" + (XB if shape == "2d" else X3) + c + f"\nm = nn.BatchNorm1d(3, {opts + ', ' if opts else ''}dtype=DT)\n" + """
print(m)
print(list(m.named_parameters()), list(m.named_buffers()), list(m.state_dict().keys()))
torch.set_printoptions(precision=3)  # float32 running statistics round once in gradcli, twice in torch
for step in range(3):
    y = m(x * (step + 1))
    print(y, y.grad_fn.name())
    print(m.running_mean, m.running_var, m.num_batches_tracked)
(y * c).sum().backward()
print(x.grad)
if m.weight is not None:
    print(m.weight.grad)
if m.bias is not None:
    print(m.bias.grad)
x.grad = None
y = m(x)
(y.exp() * c).sum().backward()
print(x.grad)
if m.weight is not None:
    print(m.weight.grad)
x.grad = None
m.eval()
print(m.training)
y = m(x)
print(y)
(y.exp() * c).sum().backward()
print(x.grad, m.running_mean)
if m.weight is not None:
    print(m.weight.grad)
""")


@pytest.mark.parametrize("dt", DTYPES)
def test_batch_norm_second_order(dt):
    same_as_torch(f"DT = {dt}\n" + XB + """
c = torch.tensor([1.0, -2.0, 3.0], dtype=DT)
w = torch.tensor([1.0, 2.0, 0.5], dtype=DT, requires_grad=True)
y = F.batch_norm(x, None, None, w, training=True)
g, gw = torch.autograd.grad((y.exp() * c).sum(), (x, w), create_graph=True)
print(g, gw)
if DT == torch.float64:  # float32 second derivatives of batch_norm differ in the last printed digit
    h = torch.autograd.grad((g * g).sum() + (gw * c).sum(), (x, w), create_graph=True)
    print(h[0].detach(), h[1].detach())  # NOTE: torch's double backward ends in a view; gradcli's in a sum
    print(torch.autograd.grad((h[0] * h[0]).sum() + h[1].sum(), (x, w)))
""")


def test_batch_norm_functional_and_errors():
    same_as_torch("""
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]], requires_grad=True)
rm = torch.zeros(3)
rv = torch.ones(3)
print(F.batch_norm(x, rm, rv))
print(F.batch_norm(x, rm, rv, training=True, momentum=0.5), rm, rv, rm._version)
print(F.batch_norm(x, None, None, training=True))
m = nn.BatchNorm1d(3)
m.eval()
print(m(torch.ones(1, 3)))
m.train()
print(nn.BatchNorm2d(2), nn.BatchNorm3d(2, affine=False))
xx = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]], [[0.5, -1.0], [2.0, 2.5]]]], requires_grad=True)
y = nn.BatchNorm2d(2)(xx)
print(y)
y.pow(3).sum().backward()
print(xx.grad)
""" + "".join(tried(e) for e in [
        "m(torch.ones(3))", "m(torch.ones(2, 3, 4, 5))", "m(torch.ones(1, 3))", "m(torch.ones(2, 4))",
        "m(torch.ones(1, 3, 1))", "F.batch_norm(x, None, None)", "F.batch_norm(x, rm, None)",
        "F.batch_norm(x, rm, rv, torch.ones(2))", "F.batch_norm(x, rm, rv, None, torch.ones(4))",
        "nn.BatchNorm2d(2)(torch.ones(2, 2, 2))", "nn.BatchNorm3d(2)(torch.ones(2, 2, 2, 2))",
        "F.batch_norm(torch.tensor([[1, 2], [3, 4]]), None, None, training=True)",
        "nn.BatchNorm1d(3)(x.double())", "m.eval()(x.double())", "nn.BatchNorm1d(3)(torch.tensor([[1, 2, 3], [4, 5, 6]]))",
        "F.batch_norm(x, rm, rv.double())", "nn.LayerNorm(3)(x.double())", "F.batch_norm(x.double(), rm, rv)",
        "F.batch_norm(x, rm.double(), rv.double())", "F.batch_norm(x, None, None, torch.ones(3).double(), training=True)",
        "F.batch_norm(x, rm, rv, torch.ones(3), torch.ones(3).double())",
        "F.layer_norm(x, (3,), torch.ones(3).double())", "F.layer_norm(x.double(), (3,), torch.ones(3))",
        "F.layer_norm(x, (3,), torch.ones(3), torch.ones(3).double())"]))


# -- optimizers and schedulers --------------------------------------------------------------------

OPTIMIZERS = [
    "torch.optim.AdamW(p, lr=0.05)", "torch.optim.AdamW(p, lr=0.05, weight_decay=0.1, amsgrad=True)",
    "torch.optim.AdamW(p)", "torch.optim.RMSprop(p)", "torch.optim.RMSprop(p, lr=0.01, momentum=0.9)",
    "torch.optim.RMSprop(p, lr=0.01, centered=True)", "torch.optim.RMSprop(p, lr=0.01, weight_decay=0.01)",
    "torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.9)",
    "torch.optim.RMSprop(p, lr=0.01, maximize=True, alpha=0.5)", "torch.optim.Adagrad(p)",
    "torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5)",
    "torch.optim.Adagrad(p, lr=0.1, maximize=True)",
]


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("make", OPTIMIZERS)
def test_optimizer_training_loop(make, dt):
    same_as_torch(f"DT = {dt}\n" + """
from torch.optim.lr_scheduler import StepLR
xs = torch.tensor([[0.5, -1.0], [1.5, 2.0], [-0.5, 0.25], [2.0, -1.5]], dtype=DT)
ys = torch.tensor([[1.0], [-0.5], [0.25], [2.0]], dtype=DT)
model = nn.Linear(2, 1, dtype=DT)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.3, -0.2]]))
    model.bias.fill_(0.1)
p = model.parameters()
""" + f"opt = {make}\n" + """
print(opt)
sched = StepLR(opt, step_size=2, gamma=0.5)
for step in range(6):
    opt.zero_grad(set_to_none=(step % 2 == 0))
    loss = ((model(xs) - ys) ** 2).mean()
    loss.backward()
    opt.step()
    sched.step()
    print(step, loss.item(), sched.get_last_lr(), model.weight.grad)
print(model.weight, model.bias)
print(opt.state[model.weight])
print(opt.state_dict()["param_groups"], list(opt.state_dict()["state"]))
print(opt.param_groups[0]["lr"], opt.param_groups[0]["initial_lr"])
""")


def test_schedulers():
    same_as_torch("""
import torch.optim.lr_scheduler as lrs
w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
v = torch.nn.Parameter(torch.tensor([3.0]))
opt = torch.optim.SGD([{"params": [w]}, {"params": [v], "lr": 0.5}], lr=0.1)
s = lrs.ExponentialLR(opt, gamma=0.9)
s2 = lrs.LambdaLR(opt, lambda e: 1.0 / (e + 1))
print(s.get_last_lr(), s2.get_last_lr(), s.last_epoch, s.base_lrs)
for i in range(3):
    w.grad = torch.ones(2)
    opt.step()
    s.step()
    s2.step()
    print(s.get_last_lr(), s2.get_last_lr(), [g["lr"] for g in opt.param_groups], s.last_epoch, w)
print(opt)
m = lrs.MultiStepLR(opt, [1, 3, 3], gamma=0.5)
for i in range(4):
    opt.step()
    m.step()
    print(m.get_last_lr())
print(lrs.LambdaLR(opt, [lambda e: 1.0, lambda e: 2.0 ** e]).get_last_lr())
print(torch.optim.lr_scheduler.StepLR(opt, 3).state_dict())
""" + "".join(tried(e) for e in [
        "lrs.StepLR(w, 2)", "lrs.LambdaLR(opt, [lambda e: 1])", "lrs.StepLR(opt, 2, last_epoch=3)"]))


@pytest.mark.parametrize("bad", [
    "torch.optim.RMSprop([w], lr=-1)", "torch.optim.RMSprop([w], alpha=-1)", "torch.optim.RMSprop([w], eps=-1)",
    "torch.optim.RMSprop([w], momentum=-1)", "torch.optim.RMSprop([w], weight_decay=-1)",
    "torch.optim.Adagrad([w], lr_decay=-1)", "torch.optim.Adagrad([w], eps=-1)",
    "torch.optim.Adagrad([w], initial_accumulator_value=-1)", "torch.optim.AdamW([w], betas=(1.0, 0.9))",
    "torch.optim.AdamW([w], lr=-0.5)", "torch.optim.AdamW([])", "torch.optim.Adagrad(w)"])
def test_optimizer_argument_errors(bad):
    same_as_torch("w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))\n" + tried(bad))


# -- torch.nn.utils ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("call", ["clip_grad_norm_([w, v], 1.0)", "clip_grad_norm_([w, v], 100.0)",
                                  "clip_grad_norm_(w, 0.1, norm_type='inf')", "clip_grad_norm_([w, v], 0.1, norm_type=1)",
                                  "clip_grad_norm_([w, v], 2, 3.0)", "clip_grad_norm_([], 1.0)",
                                  "clip_grad_value_([w, v], 0.5)", "clip_grad_value_(v, 1)",
                                  "parameters_to_vector([w, v])"])
def test_clip_grad(dt, call):
    same_as_torch(f"DT = {dt}\n" + """
from torch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector
w = torch.nn.Parameter(torch.tensor([1.0, 2.0], dtype=DT))
v = torch.nn.Parameter(torch.tensor([[3.0, -4.0]], dtype=DT))
w.grad = torch.tensor([3.0, 4.0], dtype=DT)
v.grad = torch.tensor([[12.0, -0.5]], dtype=DT)
""" + f"r = {call}\n" + "print(r, w.grad, v.grad)\n")


def test_clip_grad_in_training_and_errors():
    same_as_torch("""
model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.3, -0.2]]))
    model.bias.fill_(0.1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[5.0, -3.0], [2.0, 8.0]])
for step in range(3):
    opt.zero_grad()
    loss = (model(x) ** 2).sum()
    loss.backward()
    print(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0), model.weight.grad)
    opt.step()
print(model.weight, torch.nn.utils.parameters_to_vector(model.parameters()))
torch.nn.utils.vector_to_parameters(torch.tensor([1.0, 2.0, 3.0]), model.parameters())
print(model.weight, model.bias)
w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
w.grad = torch.tensor([float('nan'), 1.0])
print(torch.nn.utils.clip_grad_norm_([w], 1.0), w.grad)
w.grad = torch.tensor([float('inf'), 1.0])
""" + tried("torch.nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)"))


# -- shrink activations, pad, pairwise_distance, embedding ------------------------------------------

XS = "x = torch.tensor([[1.0, -0.5, 0.5, 2.0], [-2.0, 0.25, -0.5, 0.0]], dtype=DT, requires_grad=True)\n"


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("call", ["F.softshrink(x)", "F.softshrink(x, 0.25)", "F.softshrink(x, 0)", "F.hardshrink(x)",
                                  "F.hardshrink(x, 0.25)", "F.hardshrink(x, -1)", "nn.Softshrink(0.3)(x)",
                                  "nn.Hardshrink(lambd=2)(x)"])
def test_shrink(dt, call):
    same_as_torch(f"DT = {dt}\n" + XS + f"y = {call}\n" + """
print(y, y.grad_fn.name())
g, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
print(g, g.grad_fn.name())
print(torch.autograd.grad(g.sum(), x))
""")


def test_shrink_modules_and_errors():
    same_as_torch("print(nn.Softshrink(), nn.Hardshrink(0.3), nn.Softshrink(1))\n" + "".join(tried(e) for e in [
        "F.softshrink(torch.ones(2), -1)", "F.softshrink(torch.ones(2, dtype=torch.float64), -1.5)",
        "F.softshrink(torch.tensor([1, 2]))", "F.hardshrink(torch.tensor([1, 2]))"]))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("call", ["F.pad(x, (1, 2))", "F.pad(x, (1, 1, 2, 0), value=3.0)", "F.pad(x, [-1, 1])",
                                  "F.pad(x, (0, 0, 1, -1), 'constant', 0.5)", "F.pad(x, (1, 2), mode='reflect')",
                                  "F.pad(x, (1, 2), mode='replicate')", "F.pad(x, (0, 0))",
                                  "F.pad(x.unsqueeze(0), (1, 1, 1, 1), mode='reflect')",
                                  "F.pad(x.unsqueeze(0), (2, 0, 1, 3), mode='replicate')",
                                  "F.pad(x.view(1, 1, 2, 4), (1, 1, 1, 1, 0, 0), mode='replicate')",
                                  "F.pad(x, (1, 1), mode='reflect', value=0)"])
def test_pad(dt, call):
    same_as_torch(f"DT = {dt}\n" + XS + f"y = {call}\n" + """
print(y, y.grad_fn.name())
w = torch.arange(y.numel(), dtype=DT).view(y.shape)
g, = torch.autograd.grad((y * y * w).sum(), x, create_graph=True)
print(g)
print(torch.autograd.grad(g.sum(), x))
""")


@pytest.mark.parametrize("call", ["F.pad(x, (1,))", "F.pad(x, (1, 2, 3, 4, 5, 6))", "F.pad(x, (4, 4), mode='reflect')",
                                  "F.pad(x.unsqueeze(0), (0, 0, 2, 2), mode='reflect')", "F.pad(x, (1, 1), mode='foo')",
                                  "F.pad(x, (1, 1, 1, 1), mode='reflect')", "F.pad(x, (1.5, 2))",
                                  "F.pad(x, (1, 1), mode='replicate', value=2.0)", "F.pad(torch.ones(3), (1, 1), mode='reflect')",
                                  "F.pad(torch.tensor([1, 2]), (1, 1), value=2.5)", "F.pad(x, (-3, -3))"])
def test_pad_errors(call):
    same_as_torch("x = torch.tensor([[1.0, -0.5, 0.5, 2.0], [-2.0, 0.25, -0.5, 0.0]])\n" + tried(call))


@pytest.mark.parametrize("dt", DTYPES)
def test_pairwise_distance_and_cosine_modules(dt):
    same_as_torch(f"DT = {dt}\n" + """
a = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=DT, requires_grad=True)
b = torch.tensor([[0.0, 2.0, 1.0], [1.5, 1.0, -2.0]], dtype=DT)
d = F.pairwise_distance(a, b)
print(d, d.grad_fn.name(), d.grad_fn.next_functions[0][0].name())
d.sum().backward()
print(a.grad)
print(F.pairwise_distance(a, b, p=1, keepdim=True), F.pairwise_distance(a, b[0], eps=0.1))
print(F.pairwise_distance(a, b, p=float('inf')), F.pairwise_distance(a[0], b[0]))
print(nn.PairwiseDistance(), nn.PairwiseDistance(p=1.0, keepdim=True), nn.CosineSimilarity(), nn.CosineSimilarity(dim=0))
print(nn.CosineSimilarity()(a, b), nn.PairwiseDistance(p=3)(a, b), nn.CosineSimilarity(dim=0, eps=1e-6)(a, b))
""")


def test_functional_embedding():
    same_as_torch("""
w = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
e = F.embedding(torch.tensor([[0, 2], [1, 1]]), w)
print(e, e.grad_fn.name())
e.sum().backward()
print(w.grad)
w.grad = None
e = F.embedding(torch.tensor([0, 2, 2]), w, padding_idx=-1)
(e * e).sum().backward()
print(e, w.grad)
""" + "".join(tried(c) for c in ["F.embedding(torch.tensor([3]), w)", "F.embedding(torch.tensor([0]), w, padding_idx=3)",
                                 "F.embedding(torch.tensor([0]), w, padding_idx=-4)",
                                 "F.embedding(torch.tensor([0.0]), w)"]))


@pytest.mark.parametrize("rows", [2, 3, 7, 10, 25])
def test_batch_norm_running_mean_bits(rows):
    # float32 running_mean to the last bit: torch's per-thread float32 row sums and float32 momentum
    same_as_torch(f"x = (torch.arange({rows * 3}.) * 0.37).sin().view({rows}, 3) * 3 + 1\n" + """
rm = torch.tensor([0.25, -0.5, 0.125])
rv = torch.ones(3)
for momentum in [0.1, 0.3, 0.7]:
    F.batch_norm(x, rm, rv, training=True, momentum=momentum)
    print(rm.tolist())
""")


def test_cosine_plateau_and_closed_forms():
    same_as_torch("""
import torch.optim.lr_scheduler as lrs
w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
opt = torch.optim.SGD([w], lr=0.1)
s = lrs.CosineAnnealingLR(opt, T_max=3, eta_min=0.01)
for i in range(8):
    opt.step()
    s.step()
    print(s.get_last_lr(), s.last_epoch)
print(s.state_dict())
for cls, kw in [(lrs.StepLR, {"step_size": 2, "gamma": 0.5}), (lrs.ExponentialLR, {"gamma": 0.9}),
                (lrs.MultiStepLR, {"milestones": [1, 3, 3]}), (lrs.CosineAnnealingLR, {"T_max": 4})]:
    opt = torch.optim.SGD([w], lr=0.1)
    s = cls(opt, **kw)
    for e in [3, 1, 5]:
        s.step(e)
        print(cls.__name__, s.get_last_lr())
opt = torch.optim.SGD([w], lr=1.0)
p = lrs.ReduceLROnPlateau(opt, patience=1, factor=0.5, cooldown=1, min_lr=0.2)
for loss in [1.0, 0.9, 0.95, 0.97, 0.99, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]:
    p.step(torch.tensor(loss))
    print(p.get_last_lr(), p.num_bad_epochs, p.best)
q = lrs.ReduceLROnPlateau(opt, mode="max", threshold_mode="abs", threshold=0.1, patience=0)
for acc in [0.5, 0.55, 0.7, 0.75]:
    q.step(acc)
    print(q.get_last_lr())
""" + "".join(tried(e) for e in ["lrs.ReduceLROnPlateau(opt, factor=1.0)", "lrs.ReduceLROnPlateau(opt, mode='up')",
                                 "lrs.ReduceLROnPlateau(opt, min_lr=[0.1, 0.2])", "lrs.ReduceLROnPlateau(w)"]))


@pytest.mark.parametrize("dt", DTYPES)
def test_norm_gradients_under_create_graph_are_torch_nodes(dt):
    same_as_torch(f"DT = {dt}\n" + """
x = torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=DT, requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=DT, requires_grad=True)
b = torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=DT, requires_grad=True)
y = F.layer_norm(x, (4,), w, b)
g = torch.autograd.grad((y * torch.tensor([1.0, -1.0, 2.0, 0.5], dtype=DT)).sum(), (x, w, b), create_graph=True)
print(y, g)
print(torch.autograd.grad(sum((t * t).sum() for t in g), (x, w, b), allow_unused=True))
bn = nn.BatchNorm1d(3, dtype=DT)
xx = torch.arange(24., dtype=DT).view(2, 3, 4).cos().requires_grad_()
for mode in ["train", "eval"]:
    out = bn(xx) if mode == "train" else bn.eval()(xx)
    gs = torch.autograd.grad(out.exp().sum(), (xx, bn.weight, bn.bias), create_graph=True)
    print([t.grad_fn.name() for t in gs], gs[2])
""")
