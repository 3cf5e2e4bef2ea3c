"""torch.nn modules and torch.nn.init against PyTorch.

Module parameters are random in both libraries (different generators), so every
comparison first copies the same values into both models' parameters (under
no_grad, by parameter name, which also pins torch's names), then compares
outputs, dtypes, grad_fn names, gradients, reprs, optimizer steps and errors.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from gradcheck_util import check_grads, same_error, torch as gt

real = pytest.importorskip("torch")


def _nn(lib):
    return lib.nn


def _fill(lib, model, seed=0):
    """Give every parameter of ``model`` the same deterministic values in both libraries."""
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        for name, p in model.named_parameters():
            values = rng.uniform(-1, 1, tuple(p.shape))
            p.copy_(lib.tensor(values, dtype=p.dtype))
    return model


def _leaf(lib, array, dtype):
    t = lib.tensor(np.asarray(array), dtype=dtype)
    return t.requires_grad_(True) if t.is_floating_point() else t


def _grad_fn(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def _close(ours, theirs, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy(), dtype=np.float64),
                               theirs.detach().numpy().astype(np.float64), rtol=rtol, atol=atol)


def _run_both(make, inputs, dtype_name="float32", train=True, check_grad_fn=True):
    """Build ``make(lib)`` in both, fill parameters, call on ``inputs``; compare all we can."""
    results = []
    for lib in (gt, real):
        dtype = getattr(lib, dtype_name)
        model = make(lib)
        if dtype_name == "float64":
            model = model.double()
        _fill(lib, model)
        model.train(train)
        xs = [_leaf(lib, a, dtype if np.asarray(a).dtype.kind == "f" else None) for a in inputs]
        out = model(*xs)
        w = lib.tensor(np.random.default_rng(5).uniform(0.5, 1.5, tuple(out.shape)), dtype=out.dtype)
        if out.requires_grad:
            (out * w).sum().backward()
        results.append((model, xs, out))
    (om, ox, oo), (tm, tx, to) = results
    assert repr(om) == repr(tm)
    assert tuple(oo.shape) == tuple(to.shape)
    assert str(oo.dtype) == str(to.dtype)
    assert _grad_fn(oo) == _grad_fn(to) or not check_grad_fn
    _close(oo, to)
    assert [n for n, _ in om.named_parameters()] == [n for n, _ in tm.named_parameters()]
    for (n, p), (_, q) in zip(om.named_parameters(), tm.named_parameters()):
        assert (p.grad is None) == (q.grad is None), n
        if q.grad is not None:
            assert str(p.grad.dtype) == str(q.grad.dtype)
            _close(p.grad, q.grad)
    for a, b in zip(ox, tx):
        if b.requires_grad and b.grad is not None:
            _close(a.grad, b.grad)
    return om, tm


X = np.random.default_rng(1).normal(size=(4, 3))
X5 = np.random.default_rng(2).normal(size=(4, 5))
POS = np.random.default_rng(3).uniform(0.1, 0.9, size=(4, 3))

LAYER_CASES = [
    ("Linear", lambda lib: lib.nn.Linear(3, 2), [X]),
    ("Linear no bias", lambda lib: lib.nn.Linear(3, 2, bias=False), [X]),
    ("Linear 1d input", lambda lib: lib.nn.Linear(3, 2), [X[0]]),
    ("Linear 3d input", lambda lib: lib.nn.Linear(3, 2), [X.reshape(2, 2, 3)]),
    ("Bilinear", lambda lib: lib.nn.Bilinear(3, 5, 2), [X, X5]),
    ("MLP", lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 1)), [X]),
    ("deep", lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 4),
                                           lib.nn.Sigmoid(), lib.nn.Linear(4, 2), lib.nn.LogSoftmax(dim=1)), [X]),
    ("nested", lambda lib: lib.nn.Sequential(lib.nn.Sequential(lib.nn.Linear(3, 3), lib.nn.GELU()),
                                             lib.nn.Flatten(0), lib.nn.Identity()), [X]),
    ("ReLU", lambda lib: lib.nn.ReLU(), [X]),
    ("LeakyReLU", lambda lib: lib.nn.LeakyReLU(0.2), [X]),
    ("Sigmoid", lambda lib: lib.nn.Sigmoid(), [X]),
    ("Tanh", lambda lib: lib.nn.Tanh(), [X]),
    ("GELU", lambda lib: lib.nn.GELU(), [X]),
    ("GELU tanh", lambda lib: lib.nn.GELU(approximate="tanh"), [X]),
    ("ELU", lambda lib: lib.nn.ELU(alpha=0.5), [X]),
    ("SiLU", lambda lib: lib.nn.SiLU(), [X]),
    ("Softplus", lambda lib: lib.nn.Softplus(beta=2.0, threshold=1.0), [X]),
    ("Softmax", lambda lib: lib.nn.Softmax(dim=1), [X]),
    ("Softmax dim 0", lambda lib: lib.nn.Softmax(dim=0), [X]),
    ("LogSoftmax", lambda lib: lib.nn.LogSoftmax(dim=-1), [X]),
    ("Softmin", lambda lib: lib.nn.Softmin(dim=1), [X]),
    ("Identity", lambda lib: lib.nn.Identity(54, unused="x"), [X]),
    ("Flatten", lambda lib: lib.nn.Flatten(), [X.reshape(2, 2, 3)]),
    ("Unflatten", lambda lib: lib.nn.Unflatten(1, (1, 3)), [X]),
    ("Dropout eval", lambda lib: lib.nn.Dropout(0.3), [X]),
    ("Hardtanh", lambda lib: lib.nn.Hardtanh(-0.5, 0.5), [X]),
    ("ReLU6", lambda lib: lib.nn.ReLU6(), [X * 4]),
    ("SELU", lambda lib: lib.nn.SELU(), [X]),
    ("CELU", lambda lib: lib.nn.CELU(0.7), [X]),
    ("Mish", lambda lib: lib.nn.Mish(), [X]),
    ("Hardsigmoid", lambda lib: lib.nn.Hardsigmoid(), [X * 4]),
    ("Hardswish", lambda lib: lib.nn.Hardswish(), [X * 4]),
    ("LogSigmoid", lambda lib: lib.nn.LogSigmoid(), [X]),
    ("Softsign", lambda lib: lib.nn.Softsign(), [X]),
    ("Tanhshrink", lambda lib: lib.nn.Tanhshrink(), [X]),
    ("Threshold", lambda lib: lib.nn.Threshold(0.1, 20.0), [X]),
    ("GLU", lambda lib: lib.nn.GLU(), [X5[:, :4]]),
    ("Embedding", lambda lib: lib.nn.Embedding(5, 3), [np.array([[0, 2, 4], [2, 2, 1]])]),
    ("Embedding padding", lambda lib: lib.nn.Embedding(5, 3, padding_idx=2), [np.array([0, 2, 4, 2])]),
    ("Embedding then Linear", lambda lib: lib.nn.Sequential(lib.nn.Embedding(5, 3), lib.nn.Linear(3, 2)),
     [np.array([1, 3, 3])]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,make,inputs", LAYER_CASES, ids=[c[0] for c in LAYER_CASES])
def test_layers_match_torch(name, make, inputs, dtype):
    # NOTE: F.glu (ops/nn_functional.py) is composed of chunk and mul, so its node is MulBackward0
    _run_both(make, inputs, dtype, train=name != "Dropout eval", check_grad_fn=name != "GLU")


TARGET = np.array([0, 2, 1, 2])
LOSS_CASES = [
    ("MSELoss", lambda nn: nn.MSELoss(), [X, X[::-1].copy()]),
    ("MSELoss sum", lambda nn: nn.MSELoss(reduction="sum"), [X, X[::-1].copy()]),
    ("MSELoss none", lambda nn: nn.MSELoss(reduction="none"), [X, X[::-1].copy()]),
    ("L1Loss", lambda nn: nn.L1Loss(), [X, X[::-1].copy()]),
    ("SmoothL1Loss", lambda nn: nn.SmoothL1Loss(beta=0.5), [X, X[::-1].copy()]),
    ("HuberLoss", lambda nn: nn.HuberLoss(delta=0.7, reduction="sum"), [X, X[::-1].copy()]),
    ("CrossEntropyLoss", lambda nn: nn.CrossEntropyLoss(), [X, TARGET]),
    ("CrossEntropyLoss smoothing", lambda nn: nn.CrossEntropyLoss(label_smoothing=0.2), [X, TARGET]),
    ("CrossEntropyLoss ignore", lambda nn: nn.CrossEntropyLoss(ignore_index=2), [X, TARGET]),
    ("CrossEntropyLoss probs", lambda nn: nn.CrossEntropyLoss(), [X, POS / POS.sum(1, keepdims=True)]),
    ("NLLLoss", lambda nn: nn.NLLLoss(reduction="sum"), [X, TARGET]),
    ("BCELoss", lambda nn: nn.BCELoss(), [POS, POS[::-1].copy()]),
    ("BCEWithLogitsLoss", lambda nn: nn.BCEWithLogitsLoss(), [X, POS]),
    ("KLDivLoss", lambda nn: nn.KLDivLoss(reduction="batchmean"), [np.log(POS), POS]),
    ("KLDivLoss log_target", lambda nn: nn.KLDivLoss(reduction="sum", log_target=True), [X, np.log(POS)]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,make,inputs", LOSS_CASES, ids=[c[0] for c in LOSS_CASES])
def test_losses_match_torch(name, make, inputs, dtype):
    _run_both(lambda lib: make(lib.nn), inputs, dtype)


def test_weighted_losses_keep_weights_as_buffers():
    for lib in (gt, real):
        w = lib.tensor([1.0, 2.0, 0.5])
        for loss in (lib.nn.CrossEntropyLoss(weight=w), lib.nn.NLLLoss(weight=w)):
            assert list(loss.state_dict()) == ["weight"]
    ours = gt.nn.CrossEntropyLoss(weight=gt.tensor([1.0, 2.0, 0.5]))(gt.tensor(X, dtype=gt.float32),
                                                                      gt.tensor(TARGET))
    theirs = real.nn.CrossEntropyLoss(weight=real.tensor([1.0, 2.0, 0.5]))(real.tensor(X, dtype=real.float32),
                                                                           real.tensor(TARGET))
    _close(ours, theirs)
    pw = gt.nn.BCEWithLogitsLoss(pos_weight=gt.tensor([1.0, 2.0, 3.0]))
    assert list(pw.state_dict()) == ["pos_weight"]
    got = pw(gt.tensor(X), gt.tensor(POS))
    want = real.nn.BCEWithLogitsLoss(pos_weight=real.tensor([1.0, 2.0, 3.0]))(real.tensor(X), real.tensor(POS))
    _close(got, want)


def test_legacy_reduction_arguments_warn_and_map():
    for lib in (gt, real):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss = lib.nn.MSELoss(size_average=False)
        assert loss.reduction == "sum"
        assert "size_average and reduce args will be deprecated, please use reduction='sum' instead." in \
            str(caught[0].message)


# -- reprs, names, containers -----------------------------------------------------------------------

REPRS = [
    "nn.Linear(3, 1)", "nn.Linear(2, 3, bias=False)", "nn.Bilinear(2, 3, 4)", "nn.Embedding(5, 3)",
    "nn.Embedding(5, 3, padding_idx=-1)", "nn.ReLU()", "nn.ReLU(inplace=True)", "nn.LeakyReLU()",
    "nn.LeakyReLU(0.2, True)", "nn.Sigmoid()", "nn.Tanh()", "nn.GELU()", "nn.GELU('tanh')", "nn.ELU()",
    "nn.ELU(0.5, True)", "nn.SiLU()", "nn.SiLU(True)", "nn.Softplus()", "nn.Softmax(dim=1)", "nn.Softmax()",
    "nn.LogSoftmax(1)", "nn.Softmin(0)", "nn.Identity()", "nn.Flatten()", "nn.Unflatten(1, (2, 2))",
    "nn.Dropout()", "nn.Dropout(0.2, True)", "nn.Hardtanh()", "nn.Hardtanh(0.0, 2.0, True)", "nn.ReLU6()",
    "nn.ReLU6(True)", "nn.SELU()", "nn.CELU()", "nn.Mish()", "nn.Softsign()", "nn.Tanhshrink()",
    "nn.LogSigmoid()", "nn.Hardsigmoid()", "nn.Hardswish()", "nn.Threshold(0.1, 20)", "nn.GLU()",
    "nn.MSELoss()", "nn.L1Loss()", "nn.SmoothL1Loss()", "nn.HuberLoss()", "nn.CrossEntropyLoss()",
    "nn.NLLLoss()", "nn.BCELoss()", "nn.BCEWithLogitsLoss()", "nn.KLDivLoss()", "nn.Module()",
    "nn.Sequential()", "nn.ModuleList()",
    "nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))",
    "nn.Sequential(nn.Sequential(nn.Linear(1, 2), nn.Tanh()), nn.ReLU())",
    "nn.ModuleList([nn.ReLU(), nn.Linear(1, 1)])",
    "nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.ReLU()])",
    "nn.ModuleList([nn.Sequential(nn.Linear(2, 2), nn.ReLU())] * 3)",
    "nn.ModuleDict({'a': nn.ReLU(), 'b': nn.Linear(2, 1)})",
    "nn.Sequential(OrderedDict([('enc', nn.Linear(2, 3)), ('act', nn.ReLU())]))",
]


@pytest.mark.parametrize("expr", REPRS)
def test_repr_matches_torch(expr):
    ours = eval(expr, {"nn": gt.nn, "OrderedDict": OrderedDict})
    theirs = eval(expr, {"nn": real.nn, "OrderedDict": OrderedDict})
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


def test_parameter_names_shapes_and_state_dict_keys():
    def make(lib):
        nn = lib.nn
        m = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 3), nn.Tanh()),
                          nn.Bilinear(3, 3, 1, bias=False))
        m.add_module("head", nn.ModuleList([nn.Linear(1, 1), nn.Embedding(4, 2)]))
        return m
    ours, theirs = make(gt), make(real)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert len(list(ours.modules())) == len(list(theirs.modules()))
    assert len(list(ours.children())) == len(list(theirs.children()))
    assert [n for n, _ in ours.named_parameters(prefix="model", recurse=True)][:2] == ["model.0.weight", "model.0.bias"]
    assert list(dict(ours[0].named_parameters(recurse=False))) == ["weight", "bias"]


def test_parameters_print_as_parameters():
    for lib in (gt, real):
        lin = _fill(lib, lib.nn.Linear(2, 1))
        text = repr(list(lin.parameters()))
        if lib is real:
            assert ours_text == text
        else:
            ours_text = text
    assert ours_text.startswith("[Parameter containing:\ntensor([[")
    assert type(gt.nn.Linear(2, 1).weight).__name__ == "Parameter"
    assert isinstance(gt.nn.Linear(2, 1).weight, gt.nn.Parameter)


def test_shared_parameters_are_listed_once():
    for lib in (gt, real):
        lin = lib.nn.Linear(2, 2)
        model = lib.nn.Sequential(lin, lib.nn.ReLU(), lin)
        assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]
        assert len(list(model.parameters())) == 2
        assert [n for n, _ in model.named_modules()] == ["", "0", "1"]


def test_sequential_indexing_len_iteration_and_editing():
    def ops(lib):
        nn = lib.nn
        m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid())
        out = [len(m), repr(m[0]), repr(m[-1]), repr(m[1:3]), [type(x).__name__ for x in m]]
        m.append(nn.Tanh())
        del m[1]
        out.append(repr(m))
        m[0] = nn.Identity()
        m.insert(1, nn.ELU())
        out.append(repr(m))
        out.append(type(m[::2]).__name__)
        return out
    assert ops(gt) == ops(real)


def test_module_list_and_dict_behave_like_torch():
    def ops(lib):
        nn = lib.nn
        ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        ml.append(nn.ReLU())
        ml.extend([nn.Tanh()])
        ml.insert(0, nn.Sigmoid())
        md = nn.ModuleDict({"a": nn.ReLU()})
        md["b"] = nn.Linear(1, 1)
        owner = nn.Module()
        owner.layers = ml
        owner.table = md
        return [len(ml), repr(ml), repr(ml[1:3]), list(md.keys()), "b" in md, len(md), repr(owner),
                [n for n, _ in owner.named_parameters()]]
    assert ops(gt) == ops(real)


def test_module_attribute_rules_match_torch():
    for lib in (gt, real):
        m = lib.nn.Module()
        m.w = lib.nn.Parameter(lib.ones(2))
        m.plain = 3
        m.child = lib.nn.Linear(1, 1)
        assert [n for n, _ in m.named_parameters()] == ["w", "child.weight", "child.bias"]
        m.w = None
        assert m.w is None and [n for n, _ in m.named_parameters()] == ["child.weight", "child.bias"]
        del m.child
        assert list(m.named_parameters()) == []
        assert m.plain == 3
    same_error(real, lambda lib: setattr(lib.nn.Linear(2, 2), "weight", lib.ones(2, 2)))
    same_error(real, lambda lib: setattr(lib.nn.Sequential(lib.nn.ReLU()), "0", 5))
    same_error(real, lambda lib: lib.nn.Linear(2, 2).missing)
    same_error(real, lambda lib: lib.nn.Module().register_parameter("a.b", None))
    same_error(real, lambda lib: lib.nn.Module().register_parameter("a", lib.ones(1)))
    same_error(real, lambda lib: lib.nn.Module().register_parameter(
        "a", lib.nn.Parameter(lib.ones(1)) * 2 if False else lib.ones(1, requires_grad=True) * 2))
    same_error(real, lambda lib: lib.nn.Module().add_module("x", 3))
    same_error(real, lambda lib: lib.nn.Linear(2, 2).register_buffer("weight", lib.ones(1)))


ERRORS = [
    lambda lib: lib.nn.Module()(lib.ones(1)),
    lambda lib: lib.nn.ModuleList([lib.nn.ReLU()])(lib.ones(1)),
    lambda lib: lib.nn.Sequential(lib.nn.ReLU())[3],
    lambda lib: lib.nn.ModuleList([lib.nn.ReLU()])[-2],
    lambda lib: lib.nn.Linear(3, 2)(lib.ones(4, 2)),
    lambda lib: lib.nn.Linear(3, 2)(lib.ones(4, 3, dtype=lib.float64)),
    lambda lib: lib.nn.Linear(3, 2)(lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.nn.Linear(3, 2, bias=False)(lib.ones(2, 3, dtype=lib.float64)),
    lambda lib: lib.nn.Bilinear(3, 2, 2)(lib.ones(4, 3), lib.ones(3, 2)),
    lambda lib: lib.nn.Bilinear(3, 2, 2)(lib.ones(4, 3), lib.ones(4, 3)),
    lambda lib: lib.nn.Bilinear(3, 2, 2)(lib.ones(4, 2), lib.ones(4, 2)),
    lambda lib: lib.nn.Bilinear(3, 2, 2)(lib.ones(4, 3), lib.ones(2)),
    lambda lib: lib.nn.Bilinear(3, 2, 2)(lib.ones(4, 3, dtype=lib.float64), lib.ones(4, 2)),
    lambda lib: lib.nn.Sequential({"a": lib.nn.ReLU()}),
    lambda lib: lib.nn.Linear(3, 2)(lib.ones(4, 3), lib.ones(1)),
    lambda lib: lib.nn.Dropout(1.5),
    lambda lib: lib.nn.Dropout(-0.1),
    lambda lib: lib.nn.Embedding(3, 2)(lib.tensor([3])),
    lambda lib: lib.nn.Embedding(3, 2)(lib.tensor([1.0])),
    lambda lib: lib.nn.MSELoss(reduction="avg")(lib.ones(2), lib.ones(2)),
    lambda lib: lib.nn.CrossEntropyLoss()(lib.ones(2, 3), lib.tensor([0, 5])),
    lambda lib: lib.nn.Linear(2, 2).train("yes"),
    lambda lib: lib.nn.Linear(2, 2).to(lib.int64),
    lambda lib: lib.nn.Linear(2, 2).load_state_dict({"weight": lib.ones(2, 2)}),
    lambda lib: lib.nn.Linear(2, 2).load_state_dict({"weight": lib.ones(2, 2), "bias": lib.ones(2),
                                                     "extra": lib.ones(1)}),
    lambda lib: lib.nn.Linear(2, 2).load_state_dict({"weight": lib.ones(1, 2), "bias": lib.ones(2)}),
]


@pytest.mark.parametrize("k", range(len(ERRORS)))
def test_errors_match_torch(k):
    same_error(real, ERRORS[k])


# -- training state, gradients, dtype ------------------------------------------------------------

def test_sgd_and_adam_training_loops_match_torch():
    for opt_name, kwargs in (("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.01})):
        runs = []
        for lib in (gt, real):
            nn = lib.nn
            model = _fill(lib, nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 3)))
            opt = getattr(lib.optim, opt_name)(model.parameters(), **kwargs)
            loss_fn = nn.CrossEntropyLoss()
            x, y = lib.tensor(X, dtype=lib.float32), lib.tensor(TARGET)
            losses = []
            for _ in range(5):
                opt.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
            runs.append((losses, [p.detach().numpy().copy() for p in model.parameters()]))
        (ol, op), (tl, tp) = runs
        np.testing.assert_allclose(ol, tl, rtol=1e-5)
        for a, b in zip(op, tp):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_zero_grad_train_eval_requires_grad():
    for lib in (gt, real):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Dropout())
        assert m.training and m[1].training
        assert m.eval() is m and not m.training and not m[1].training
        m.train()
        assert m[1].training
        m[0](lib.ones(1, 2)).sum().backward()
        m.zero_grad(set_to_none=False)
        assert m[0].weight.grad is not None and float(m[0].weight.grad.abs().sum()) == 0.0
        m.zero_grad()
        assert m[0].weight.grad is None
        assert m.requires_grad_(False) is m
        assert not m[0].weight.requires_grad
        out = m[0](lib.ones(1, 2))
        assert out.grad_fn is None and not out.requires_grad


def test_dropout_train_mode_zeroes_and_rescales():
    gt.manual_seed(0)
    drop = gt.nn.Dropout(p=0.25)
    x = gt.ones(4000, requires_grad=True)
    y = drop(x)
    kept = y._data != 0
    assert 0.7 < kept.mean() < 0.8
    np.testing.assert_allclose(y._data[kept], 1 / 0.75, rtol=1e-6)
    assert type(y.grad_fn).__name__ == type(real.nn.Dropout(0.25)(real.ones(3, requires_grad=True)).grad_fn).__name__
    drop.eval()
    assert drop(x) is x or np.array_equal(drop(x)._data, x._data)


def test_to_double_float_keep_parameter_identity_and_grads():
    for lib in (gt, real):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU())
        w = m[0].weight
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        m(lib.ones(1, 2)).sum().backward()
        assert m.double() is m and m[0].weight is w
        assert w.dtype == lib.float64 and w.grad.dtype == lib.float64
        assert isinstance(w, lib.nn.Parameter) and w.requires_grad
        out = m(lib.ones(1, 2, dtype=lib.float64))
        assert out.dtype == lib.float64
        opt.step()
        assert m.to(lib.float32) is m and w.dtype == lib.float32
        assert m.to("cpu") is m
        m.float()
        assert w.dtype == lib.float32
        lin = lib.nn.Linear(2, 1, dtype=lib.float64)
        assert lin.weight.dtype == lib.float64 and lin.bias.dtype == lib.float64


def test_state_dict_round_trip_and_detached_values():
    src = _fill(gt, gt.nn.Sequential(gt.nn.Linear(2, 3), gt.nn.ReLU(), gt.nn.Linear(3, 1)))
    sd = src.state_dict()
    assert type(sd).__name__ == "OrderedDict"
    assert all(not v.requires_grad and v.grad_fn is None for v in sd.values())
    dst = gt.nn.Sequential(gt.nn.Linear(2, 3), gt.nn.ReLU(), gt.nn.Linear(3, 1))
    result = dst.load_state_dict(sd)
    assert repr(result) == repr(real.nn.Linear(1, 1).load_state_dict(real.nn.Linear(1, 1).state_dict()))
    for a, b in zip(src.parameters(), dst.parameters()):
        assert np.array_equal(a._data, b._data) and a is not b
    x = gt.ones(1, 2)
    assert np.array_equal(src(x)._data, dst(x)._data)


def test_forward_hooks_run_like_torch():
    def ops(lib):
        seen = []
        m = lib.nn.Linear(2, 2)
        _fill(lib, m)
        h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        h2 = m.register_forward_hook(lambda mod, args, out: seen.append(tuple(out.shape)) or out + 1)
        first = m(lib.ones(1, 2)).detach().numpy().copy()
        h1.remove()
        h2.remove()
        second = m(lib.ones(1, 2)).detach().numpy().copy()
        return seen, first, second
    (s1, a1, b1), (s2, a2, b2) = ops(gt), ops(real)
    assert s1 == s2
    np.testing.assert_allclose(a1, a2, rtol=1e-6)
    np.testing.assert_allclose(b1, b2, rtol=1e-6)


def test_apply_visits_children_then_self():
    for lib in (gt, real):
        names = []
        m = lib.nn.Sequential(lib.nn.Linear(1, 1), lib.nn.Sequential(lib.nn.ReLU()))
        assert m.apply(lambda mod: names.append(type(mod).__name__)) is m
        assert names == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_embedding_gradients_second_order_and_padding():
    idx = gt.tensor([[0, 2], [2, 3]])
    check_grads(lambda w: _embed(w, idx, None) ** 2,
                np.random.default_rng(0).normal(size=(4, 3)))
    emb = gt.nn.Embedding(4, 3, padding_idx=2)
    assert np.all(emb.weight._data[2] == 0)
    emb(idx).sum().backward()
    assert np.all(emb.weight.grad._data[2] == 0) and emb.weight.grad._data[0].sum() == 3
    pre = gt.nn.Embedding.from_pretrained(gt.ones(3, 2))
    assert not pre.weight.requires_grad and repr(pre) == "Embedding(3, 2)"


def _embed(w, idx, padding_idx):
    from gradcli.autograd.nn_layers import embedding
    return embedding(idx, w, padding_idx)


def test_bilinear_second_order():
    b = gt.nn.Bilinear(3, 2, 2).double()
    check_grads(lambda x1, x2, w: _bilinear(x1, x2, w, b.bias), np.ones((2, 3)) * 0.3,
                np.ones((2, 2)) * -0.2, np.random.default_rng(2).normal(size=(2, 3, 2)))


# -- initialisation ------------------------------------------------------------------------------

def test_linear_init_bounds_and_reproducibility():
    gt.manual_seed(3)
    a = gt.nn.Linear(16, 8)
    gt.manual_seed(3)
    b = gt.nn.Linear(16, 8)
    assert np.array_equal(a.weight._data, b.weight._data) and np.array_equal(a.bias._data, b.bias._data)
    bound = 1 / math.sqrt(16)
    assert np.abs(a.weight._data).max() <= bound and np.abs(a.bias._data).max() <= bound
    assert np.abs(a.weight._data).max() > bound * 0.8
    assert a.weight.dtype == gt.float32 and a.weight.is_leaf and a.weight.requires_grad


DETERMINISTIC_INIT = [
    lambda lib, t: lib.nn.init.zeros_(t),
    lambda lib, t: lib.nn.init.ones_(t),
    lambda lib, t: lib.nn.init.constant_(t, 0.3),
    lambda lib, t: lib.nn.init.eye_(t),
]


@pytest.mark.parametrize("k", range(len(DETERMINISTIC_INIT)))
def test_deterministic_init_matches_torch(k):
    res = []
    for lib in (gt, real):
        t = lib.nn.Parameter(lib.empty(3, 4))
        out = DETERMINISTIC_INIT[k](lib, t)
        assert out is t and t.grad_fn is None and t.requires_grad
        res.append(t)
    assert repr(res[0]) == repr(res[1])
    assert res[0]._version == res[1]._version


def test_calculate_gain_matches_torch():
    for args in (("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                 ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu",)):
        got, want = gt.nn.init.calculate_gain(*args), real.nn.init.calculate_gain(*args)
        assert got == want and type(got) is type(want)


INIT_ERRORS = [
    lambda lib: lib.nn.init.calculate_gain("foo"),
    lambda lib: lib.nn.init.calculate_gain("leaky_relu", "x"),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.ones(3)),
    lambda lib: lib.nn.init.kaiming_normal_(lib.ones(3, 3), mode="foo"),
    lambda lib: lib.nn.init.xavier_uniform_(lib.ones(3)),
    lambda lib: lib.nn.init.eye_(lib.ones(3)),
    lambda lib: lib.nn.init.orthogonal_(lib.ones(3)),
]


@pytest.mark.parametrize("k", range(len(INIT_ERRORS)))
def test_init_errors_match_torch(k):
    same_error(real, INIT_ERRORS[k])


@pytest.mark.parametrize("name,kwargs,check", [
    ("uniform_", {"a": -0.5, "b": 2.0}, lambda d: -0.5 <= d.min() and d.max() < 2.0),
    ("normal_", {"mean": 3.0, "std": 0.1}, lambda d: abs(d.mean() - 3.0) < 0.02 and abs(d.std() - 0.1) < 0.02),
    ("xavier_uniform_", {"gain": 2.0}, lambda d: np.abs(d).max() <= 2.0 * math.sqrt(6 / (40 + 30))),
    ("xavier_normal_", {}, lambda d: abs(d.std() - math.sqrt(2 / 70)) < 0.02),
    ("kaiming_uniform_", {"nonlinearity": "relu"}, lambda d: np.abs(d).max() <= math.sqrt(6 / 30)),
    ("kaiming_normal_", {"mode": "fan_out"}, lambda d: abs(d.std() - math.sqrt(2 / 40) / 1.0) < 0.03),
    ("trunc_normal_", {"std": 2.0, "a": -1.0, "b": 1.5}, lambda d: -1.0 <= d.min() and d.max() <= 1.5),
    ("orthogonal_", {}, lambda d: np.allclose(d.T @ d, np.eye(30), atol=1e-5)),
])
def test_random_init_follows_torch_formulas_with_our_generator(name, kwargs, check):
    w = gt.nn.Parameter(gt.empty(40, 30))
    gt.manual_seed(7)
    out = getattr(gt.nn.init, name)(w, **kwargs)
    assert out is w and w.grad_fn is None and w.requires_grad and w.dtype == gt.float32
    assert check(w._data.astype(np.float64))
    first = w._data.copy()
    gt.manual_seed(7)
    getattr(gt.nn.init, name)(w, **kwargs)
    assert np.array_equal(first, w._data)


def test_init_of_zero_elements_warns_like_torch():
    for lib in (gt, real):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.init.kaiming_uniform_(lib.empty(0, 3))
        assert [str(c.message) for c in caught] == ["Initializing zero-element tensors is a no-op"]


# -- programs -------------------------------------------------------------------------------------

PROGRAM = """
import torch
import torch.nn as nn
layer = nn.Linear(3, 1)
with torch.no_grad():
    layer.weight.copy_(torch.tensor([[0.5, -0.25, 1.0]]))
    layer.bias.fill_(0.1)
nn.init.zeros_(layer.bias)
model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
for name, p in model.named_parameters():
    nn.init.constant_(p, 0.2)
    print(name, p.shape)
model.apply(lambda m: print(m))
print(model)
print(layer)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
y = torch.tensor([[1.0], [2.0]])
for step in range(3):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))
print(model[0].weight.grad)
print(model[2].bias)
out = layer(torch.ones(2, 3))
out.sum().backward()
print(out, layer.weight.grad, layer.bias.grad)
print(len(model), model.training, model.eval().training)
print(list(model.state_dict().keys()))
print(nn.init.calculate_gain("tanh"))
print(nn.CrossEntropyLoss()(torch.tensor([[1.0, 2.0, 0.5]]), torch.tensor([1])))
"""


def test_program_prints_what_cpython_prints():
    from gradcli.interp import run
    from gradcli.syntax import parse
    ours = io.StringIO()
    run(parse(PROGRAM, "nn.py"), stdout=ours)
    theirs = io.StringIO()
    with contextlib.redirect_stdout(theirs):
        exec(compile(PROGRAM, "nn.py", "exec"), {})
    assert ours.getvalue() == theirs.getvalue()


def _bilinear(*args):
    from gradcli.autograd.nn_layers import bilinear
    return bilinear(*args)


@pytest.mark.parametrize("data", [5, 1.5, [1.0], "a", (2,)], ids=repr)
def test_a_parameter_of_a_non_tensor_fails_as_torchs(data):
    # torch.nn.Parameter detaches its data first: anything but a tensor has no detach
    same_error(real, lambda lib: lib.nn.Parameter(data))
