"""torch.optim.SGD / Adam on gradcli: updates element for element as torch's CPU kernels,
param_groups, zero_grad and argument errors."""

import warnings

import numpy as np
import pytest

from gradcli.autograd.namespace import build_torch_module

gt = build_torch_module()

SGD_CONFIGS = [dict(lr=0.1), dict(lr=0.1, momentum=0.9), dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
               dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3), dict(lr=0.1, maximize=True)]
ADAM_CONFIGS = [dict(lr=0.01), dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.01), dict(lr=0.1, amsgrad=True),
                dict(lr=0.1, betas=(0.3, 0.9)), dict(lr=0.01, maximize=True, eps=1e-6)]


def train(lib, name, kw, dtype, steps=5, n=64):
    rng = np.random.default_rng(1)
    p = lib.nn.Parameter(lib.tensor(rng.standard_normal(n).astype(dtype)))
    target = lib.tensor(rng.standard_normal(n).astype(dtype))
    opt = getattr(lib.optim, name)([p], **kw)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((p - target) * (p - target) * (p * 0.3 + 1)).sum()
        loss.backward()
        opt.step()
    return np.array(p.detach().numpy(), copy=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kw", SGD_CONFIGS, ids=str)
def test_sgd_is_bitwise_torchs(kw, dtype):
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(train(gt, "SGD", kw, dtype), train(torch, "SGD", kw, dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kw", ADAM_CONFIGS, ids=str)
def test_adam_matches_torch(kw, dtype):
    torch = pytest.importorskip("torch")
    ours, theirs = train(gt, "Adam", kw, dtype), train(torch, "Adam", kw, dtype)
    # NOTE: torch's CPU sqrt is not correctly rounded (1 ulp off for some inputs); ours is
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_sgd_pinned():
    p = gt.nn.Parameter(gt.tensor([1.0, -2.0]))
    opt = gt.optim.SGD([p], lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    # step 1: g=[2,-4], buf=g, p=[0.8,-1.6]; step 2: g=[1.6,-3.2], buf=[3.4,-6.8], p=[0.46,-0.92]
    np.testing.assert_allclose(p._data, [0.46, -0.92], rtol=1e-6)
    assert opt.state[p]["momentum_buffer"].tolist() == pytest.approx([3.4, -6.8], rel=1e-6)


def test_adam_pinned_first_step_moves_by_lr():
    p = gt.nn.Parameter(gt.tensor([1.0, -2.0, 3.0]))
    opt = gt.optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    opt.step()
    np.testing.assert_allclose(p._data, [0.9, -1.9, 2.9], rtol=1e-6)
    state = opt.state[p]
    assert state["step"].item() == 1.0 and str(state["step"].dtype) == "torch.float32"
    np.testing.assert_allclose(state["exp_avg"]._data, [0.2, -0.4, 0.6], rtol=1e-6)


def test_param_groups_and_defaults():
    a = gt.nn.Parameter(gt.ones(2))
    b = gt.nn.Parameter(gt.ones(2))
    opt = gt.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert list(opt.param_groups[0]) == ["params", "lr", "momentum", "dampening", "weight_decay", "nesterov",
                                         "maximize", "foreach", "differentiable", "fused"]
    assert opt.param_groups[1]["params"][0] is b
    adam = gt.optim.Adam([a])
    assert list(adam.param_groups[0]) == ["params", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
                                          "foreach", "capturable", "differentiable", "fused",
                                          "decoupled_weight_decay"]
    opt.param_groups[0]["lr"] = 1.0  # schedulers write here
    (a.sum() + b.sum()).backward()
    opt.step()
    assert a.tolist() == [0.0, 0.0] and b.tolist() == [0.5, 0.5]


def test_zero_grad():
    p = gt.nn.Parameter(gt.ones(2))
    opt = gt.optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    g = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is g and g.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None
    opt.step()  # params without grad are skipped
    assert p.tolist() == [1.0, 1.0]


def test_step_with_closure_returns_loss():
    p = gt.nn.Parameter(gt.tensor([2.0]))
    opt = gt.optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss
    loss = opt.step(closure)
    assert loss.item() == 4.0 and p.tolist() == [1.0]


ERRORS = [
    ("SGD", dict(lr=-1), "Invalid learning rate: -1"),
    ("SGD", dict(lr=0.1, momentum=-1), "Invalid momentum value: -1"),
    ("SGD", dict(lr=0.1, weight_decay=-1), "Invalid weight_decay value: -1"),
    ("SGD", dict(lr=0.1, nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    ("Adam", dict(betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
    ("Adam", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("Adam", dict(eps=-1), "Invalid epsilon value: -1"),
    ("Adam", dict(lr=-1), "Invalid learning rate: -1"),
]


@pytest.mark.parametrize("name, kw, message", ERRORS)
def test_argument_errors(name, kw, message):
    p = gt.nn.Parameter(gt.ones(2))
    with pytest.raises(ValueError) as info:
        getattr(gt.optim, name)([p], **kw)
    assert str(info.value) == message


def test_param_list_errors():
    p = gt.nn.Parameter(gt.ones(2))
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list$"):
        gt.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="^params argument given to the optimizer should be an iterable of "
                                        "Tensors or dicts, but got torch.FloatTensor$"):
        gt.optim.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="^some parameters appear in more than one parameter group$"):
        gt.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="duplicate parameters"):
            gt.optim.SGD([p, p], lr=0.1)


def test_repr_matches_torch():
    torch = pytest.importorskip("torch")
    for name, kw in [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict())]:
        ours = getattr(gt.optim, name)([gt.nn.Parameter(gt.ones(2))], **kw)
        theirs = getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(2))], **kw)
        assert repr(ours) == repr(theirs)
