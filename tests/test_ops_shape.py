"""Shape ops: gradients against finite differences (first and second order), and
values, dtypes, grad_fn names, gradients and error texts against PyTorch."""

import warnings

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt

# (name, fn over gradcli tensors, input shapes)
GRAD_CASES = [
    ("view", lambda x: x.view(3, 2), [(2, 3)]),
    ("view -1", lambda x: x.view(-1), [(2, 3)]),
    ("reshape noncontig", lambda x: x.t().reshape(6), [(2, 3)]),
    ("reshape 0d", lambda x: x.reshape(1, 1), [()]),
    ("flatten", lambda x: x.flatten(1), [(2, 3, 2)]),
    ("unflatten", lambda x: x.unflatten(1, (3, 1)), [(2, 3)]),
    ("squeeze", lambda x: x.squeeze(), [(1, 3, 1)]),
    ("squeeze dim", lambda x: x.squeeze(0), [(1, 3)]),
    ("unsqueeze", lambda x: x.unsqueeze(1), [(3,)]),
    ("expand", lambda x: x.expand(2, 3, 4), [(3, 1)]),
    ("expand 0d", lambda x: x.expand(3), [()]),
    ("repeat", lambda x: x.repeat(2, 1, 3), [(2, 3)]),
    ("cat", lambda x, y: gt.cat([x, y, x], 1), [(2, 3), (2, 1)]),
    ("stack", lambda x, y: gt.stack([x, y], 1), [(2, 3), (2, 3)]),
    ("split", lambda x: x.split(2)[1] * x.split(2)[0][:1], [(4, 2)]),
    ("split sizes", lambda x: x.split([1, 2], 1)[1], [(2, 3)]),
    ("chunk", lambda x: x.chunk(3)[2], [(5,)]),
    ("unbind", lambda x: x.unbind(1)[1] * x.unbind(1)[0], [(2, 3)]),
    ("t", lambda x: x.t(), [(2, 3)]),
    ("transpose", lambda x: x.transpose(0, 2), [(2, 3, 4)]),
    ("permute", lambda x: x.permute(2, 0, 1), [(2, 3, 4)]),
    ("movedim", lambda x: x.movedim(0, -1), [(2, 3, 4)]),
    ("T", lambda x: x.T, [(2, 3)]),
    ("mT", lambda x: x.mT, [(2, 3, 4)]),
    ("clone", lambda x: x.clone(), [(2, 3)]),
    ("contiguous", lambda x: x.t().contiguous(), [(2, 3)]),
    ("flip", lambda x: x.flip(0, 1), [(2, 3)]),
    ("roll", lambda x: x.roll(1, 1), [(2, 3)]),
    ("roll flat", lambda x: x.roll(2), [(2, 3)]),
    ("diag 2d", lambda x: x.diag(1), [(3, 3)]),
    ("diag 1d", lambda x: x.diag(-1), [(3,)]),
    ("diagonal", lambda x: x.diagonal(0, 1, 2), [(2, 3, 4)]),
    ("trace", lambda x: x.trace(), [(3, 4)]),
    ("tril", lambda x: x.tril(), [(3, 3)]),
    ("triu", lambda x: x.triu(1), [(3, 4)]),
    ("narrow", lambda x: x.narrow(1, 1, 2), [(2, 3)]),
    # products, so the second order is not trivially zero
    ("view product", lambda x: x.view(3, 2) * x.reshape(3, 2), [(2, 3)]),
    ("expand product", lambda x: x.expand(2, 3) * x.expand(2, 3), [(1, 3)]),
    ("cat product", lambda x, y: gt.cat([x, y]) * gt.cat([y, x]), [(2, 3), (2, 3)]),
    ("permute product", lambda x: x.permute(1, 0) * x.t(), [(2, 3)]),
    ("diagonal product", lambda x: x.diagonal() * x.diag(), [(3, 3)]),
    ("flip product", lambda x: x.flip(1) * x.roll(1, 0) * x.tril(), [(3, 3)]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients_match_finite_differences(name, fn, shapes):
    check_grads(fn, *[rand(*s, seed=i) for i, s in enumerate(shapes)])


# (name, fn over a torch-like module and tensors, input shapes)
TORCH_CASES = [
    ("view", lambda t, x: x.view(3, 2), [(2, 3)]),
    ("view tuple", lambda t, x: x.view((6,)), [(2, 3)]),
    ("view of t", lambda t, x: x.t().view(3, 2, 1), [(2, 3)]),
    ("view_as", lambda t, x, y: x.view_as(y), [(2, 3), (3, 2)]),
    ("reshape view", lambda t, x: x.reshape(-1), [(2, 3)]),
    ("reshape alias", lambda t, x: x.t().reshape(3, 2, 1), [(2, 3)]),
    ("reshape copy", lambda t, x: x.t().reshape(6), [(2, 3)]),
    ("torch.reshape", lambda t, x: t.reshape(x, (3, -1)), [(2, 3)]),
    ("reshape_as", lambda t, x, y: x.reshape_as(y), [(2, 3), (6,)]),
    ("flatten", lambda t, x: x.flatten(), [(2, 3)]),
    ("flatten copy", lambda t, x: x.t().flatten(), [(2, 3)]),
    ("flatten 0d", lambda t, x: x.flatten(), [()]),
    ("flatten range", lambda t, x: t.flatten(x, 0, 1), [(2, 3, 2)]),
    ("unflatten", lambda t, x: x.unflatten(1, (3, -1)), [(2, 3)]),
    ("squeeze", lambda t, x: x.squeeze(), [(1, 3, 1)]),
    ("squeeze dim", lambda t, x: x.squeeze(-1), [(1, 3, 1)]),
    ("squeeze dims", lambda t, x: x.squeeze((0, 1)), [(1, 3, 1)]),
    ("squeeze non-1", lambda t, x: x.squeeze(1), [(1, 3, 1)]),
    ("squeeze 0d", lambda t, x: x.squeeze(), [()]),
    ("unsqueeze", lambda t, x: x.unsqueeze(-1), [(3,)]),
    ("torch.unsqueeze 0d", lambda t, x: t.unsqueeze(x, 0), [()]),
    ("expand", lambda t, x: x.expand(2, -1, 4), [(3, 1)]),
    ("expand tuple", lambda t, x: x.expand((2, 3)), [(3,)]),
    ("expand_as", lambda t, x, y: x.expand_as(y), [(3,), (2, 3)]),
    ("repeat", lambda t, x: x.repeat(2, 1, 3), [(2, 3)]),
    ("repeat 0d", lambda t, x: x.repeat(3), [()]),
    ("cat", lambda t, x, y: t.cat([x, y]), [(2, 3), (1, 3)]),
    ("cat dim", lambda t, x, y: t.cat((x, y), dim=-1), [(2, 3), (2, 1)]),
    ("concat", lambda t, x, y: t.concat([x, y], 1), [(2, 3), (2, 2)]),
    ("concatenate", lambda t, x, y: t.concatenate([x, y]), [(2, 3), (2, 3)]),
    ("cat one", lambda t, x: t.cat([x]), [(2, 3)]),
    ("cat empty 1d", lambda t, x: t.cat([x, t.tensor([])]), [(2, 3)]),
    ("stack", lambda t, x, y: t.stack([x, y]), [(2, 3), (2, 3)]),
    ("stack dim", lambda t, x, y: t.stack([x, y], dim=2), [(2, 3), (2, 3)]),
    ("stack -1", lambda t, x, y: t.stack([x, y], -1), [(3,), (3,)]),
    ("stack 0d", lambda t, x, y: t.stack([x, y]), [(), ()]),
    ("hstack", lambda t, x, y: t.hstack([x, y]), [(2, 3), (2, 1)]),
    ("vstack", lambda t, x, y: t.vstack([x, y]), [(3,), (3,)]),
    ("split", lambda t, x: x.split(2), [(5, 2)]),
    ("split dim", lambda t, x: t.split(x, 2, 1), [(2, 3)]),
    ("split sizes", lambda t, x: x.split([1, 3], dim=0), [(4, 2)]),
    ("chunk", lambda t, x: x.chunk(3), [(5,)]),
    ("chunk more", lambda t, x: x.chunk(4), [(6,)]),
    ("chunk dim", lambda t, x: t.chunk(x, 2, 1), [(2, 4)]),
    ("unbind", lambda t, x: x.unbind(), [(2, 3)]),
    ("unbind dim", lambda t, x: t.unbind(x, 1), [(2, 3)]),
    ("iter", lambda t, x: tuple(x), [(2, 3)]),
    ("narrow", lambda t, x: x.narrow(1, -2, 2), [(2, 3)]),
    ("t", lambda t, x: x.t(), [(2, 3)]),
    ("t 1d", lambda t, x: t.t(x), [(3,)]),
    ("t 0d", lambda t, x: x.t(), [()]),
    ("T", lambda t, x: x.T, [(2, 3)]),
    ("mT", lambda t, x: x.mT, [(4, 2, 3)]),
    ("H", lambda t, x: x.H, [(2, 3)]),
    ("mH", lambda t, x: x.mH, [(2, 3)]),
    ("adjoint", lambda t, x: x.adjoint(), [(2, 3)]),
    ("transpose", lambda t, x: x.transpose(0, -1), [(2, 3, 4)]),
    ("transpose same", lambda t, x: x.transpose(1, 1), [(2, 3)]),
    ("swapaxes", lambda t, x: t.swapaxes(x, 0, 1), [(2, 3)]),
    ("swapdims", lambda t, x: x.swapdims(0, 1), [(2, 3)]),
    ("permute", lambda t, x: x.permute(2, 0, 1), [(2, 3, 4)]),
    ("permute list", lambda t, x: x.permute([1, 0]), [(2, 3)]),
    ("torch.permute", lambda t, x: t.permute(x, (1, 0, 2)), [(2, 3, 4)]),
    ("movedim", lambda t, x: x.movedim((0, 1), (2, 0)), [(2, 3, 4)]),
    ("moveaxis", lambda t, x: t.moveaxis(x, 0, -1), [(2, 3, 4)]),
    ("contiguous self", lambda t, x: (x * 1).contiguous(), [(2, 3)]),
    ("contiguous copy", lambda t, x: x.t().contiguous(), [(2, 3)]),
    ("clone", lambda t, x: t.clone(x), [(2, 3)]),
    ("flip", lambda t, x: x.flip(0), [(2, 3)]),
    ("flip list", lambda t, x: t.flip(x, [0, 1]), [(2, 3)]),
    ("fliplr", lambda t, x: t.fliplr(x), [(2, 3)]),
    ("roll", lambda t, x: x.roll(1), [(2, 3)]),
    ("roll dims", lambda t, x: t.roll(x, (1, -1), (0, 1)), [(2, 3)]),
    ("tril", lambda t, x: x.tril(-1), [(3, 4)]),
    ("triu", lambda t, x: t.triu(x, 1), [(2, 3, 4)]),
    ("diag 1d", lambda t, x: x.diag(), [(3,)]),
    ("diag 1d offset", lambda t, x: t.diag(x, -1), [(3,)]),
    ("diag 2d", lambda t, x: x.diag(), [(2, 3)]),
    ("diag 2d offset", lambda t, x: x.diag(1), [(3, 3)]),
    ("diagonal", lambda t, x: x.diagonal(), [(3, 3)]),
    ("diagonal offset", lambda t, x: t.diagonal(x, -1), [(3, 4)]),
    ("diagonal dims", lambda t, x: x.diagonal(1, 0, 2), [(3, 2, 4)]),
    ("trace", lambda t, x: x.trace(), [(3, 4)]),
    ("trace int", lambda t, x: t.trace(x), [np.arange(9).reshape(3, 3)]),
    ("cat mixed dtypes", lambda t, x, y: t.cat([x, y]), [np.ones((2, 2)), np.arange(4).reshape(2, 2)]),
    ("stack ints", lambda t, x, y: t.stack([x, y]), [np.arange(3), np.arange(3)]),
]


def _arrays(shapes, seed=0):
    return [s if isinstance(s, np.ndarray) else rand(*s, seed=seed + i) for i, s in enumerate(shapes)]


@pytest.mark.parametrize("name,fn,shapes", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_matches_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_with_torch(torch, fn, *_arrays(shapes))


def test_float32_results_keep_dtype():
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, x, y: t.cat([x.view(-1), y.t().reshape(-1)]),
                       rand(2, 3), rand(3, 2), dtype="float32")


def _x(t):
    return t.tensor([[1., 2., 3.], [4., 5., 6.]])


ERROR_CASES = [
    ("view size", lambda t: t.ones(4).view(3, 5)),
    ("view two -1", lambda t: _x(t).view(-1, -1)),
    ("view -1 bad", lambda t: _x(t).view(-1, 4)),
    ("view noncontig", lambda t: _x(t).t().view(6)),
    ("view negative", lambda t: _x(t).view(-2, 3)),
    ("reshape size", lambda t: _x(t).reshape(4)),
    ("squeeze dim", lambda t: _x(t).squeeze(2)),
    ("unsqueeze dim", lambda t: _x(t).unsqueeze(3)),
    ("expand mismatch", lambda t: _x(t).expand(3, 3)),
    ("expand fewer", lambda t: _x(t).expand(3)),
    ("expand -1 leading", lambda t: _x(t).expand(-1, 2, 3)),
    ("repeat fewer", lambda t: _x(t).repeat(2)),
    ("cat empty", lambda t: t.cat([])),
    ("cat ndim", lambda t: t.cat([_x(t), t.ones(3)])),
    ("cat sizes", lambda t: t.cat([_x(t), t.ones(2, 4)])),
    ("cat sizes dim1", lambda t: t.cat([_x(t), t.ones(3, 3)], 1)),
    ("cat 0d", lambda t: t.cat([t.tensor(1.), t.tensor(2.)])),
    ("cat dim range", lambda t: t.cat([_x(t), _x(t)], 2)),
    ("cat tensor", lambda t: t.cat(_x(t))),
    ("stack sizes", lambda t: t.stack([_x(t), t.ones(3, 3)])),
    ("stack empty", lambda t: t.stack([])),
    ("stack dim range", lambda t: t.stack([_x(t), _x(t)], 3)),
    ("stack tensor", lambda t: t.stack(_x(t))),
    ("transpose range", lambda t: _x(t).transpose(0, 2)),
    ("permute length", lambda t: _x(t).permute(0)),
    ("permute duplicate", lambda t: _x(t).permute(0, 0)),
    ("t 3d", lambda t: t.ones(2, 2, 2).t()),
    ("mT 1d", lambda t: t.ones(3).mT),
    ("H 1d", lambda t: t.ones(3).H),
    ("H 3d", lambda t: t.ones(2, 2, 2).H),
    ("split sizes", lambda t: _x(t).split([1, 1], 1)),
    ("split 0d", lambda t: t.tensor(1.).split(1)),
    ("chunk 0", lambda t: _x(t).chunk(0)),
    ("unbind 0d", lambda t: t.tensor(1.).unbind()),
    ("narrow", lambda t: _x(t).narrow(1, 2, 2)),
    ("diag 3d", lambda t: t.ones(2, 2, 2).diag()),
    ("trace 1d", lambda t: t.ones(3).trace()),
    ("tril 1d", lambda t: t.ones(3).tril()),
    ("flatten order", lambda t: _x(t).flatten(1, 0)),
    ("unflatten sizes", lambda t: _x(t).unflatten(1, (2, 2))),
    ("roll align", lambda t: _x(t).roll(1, (0, 1))),
    ("movedim range", lambda t: _x(t).movedim(0, 5)),
    ("roll 0d", lambda t: t.tensor(1.).roll(1, 0)),
    ("narrow 0d", lambda t: t.tensor(1.).narrow(0, 0, 1)),
    ("permute no dims", lambda t: t.tensor(1.).permute()),
    ("index_select 0d two", lambda t: t.tensor(1.).index_select(0, t.tensor([0, 0]))),
    ("index_select 0d range", lambda t: t.tensor(1.).index_select(0, t.tensor([1]))),
    ("gather 0d range", lambda t: t.tensor(1.).gather(0, t.tensor(1))),
]

# a 0-d tensor takes dim 0/-1 as torch does (numpy has no axis 0 to give it)
ZERO_D = [
    ("transpose", lambda t, x: x.transpose(0, -1)),
    ("movedim", lambda t, x: x.movedim(0, 0)),
    ("movedim -1", lambda t, x: t.movedim(x, -1, 0)),
    ("index_select", lambda t, x: x.index_select(0, t.tensor([0]))),
    ("index_select 0d index", lambda t, x: x.index_select(-1, t.tensor(0))),
    ("gather", lambda t, x: x.gather(0, t.tensor(0))),
    ("gather 1d index", lambda t, x: x.gather(0, t.tensor([0, 0])) * t.tensor([1.0, 2.0])),
    ("norm", lambda t, x: x.norm(dim=0)),
    ("norm p=1 keepdim", lambda t, x: x.norm(p=1, dim=-1, keepdim=True)),
]


@pytest.mark.parametrize("name,fn", ZERO_D, ids=[c[0] for c in ZERO_D])
def test_0d_tensor_with_dim_0_matches_torch(name, fn):
    torch = pytest.importorskip("torch")
    for lib in (gt, torch):
        x = lib.tensor(-2.0, dtype=lib.float64, requires_grad=True)
        y = fn(lib, x)
        g, = lib.autograd.grad(y.sum() ** 2, x, create_graph=True)
        h, = lib.autograd.grad(g, x)
        if lib is gt:
            ours = (y.tolist(), y.shape, type(y.grad_fn).__name__, g.item(), h.item())
    assert ours == (y.tolist(), y.shape, type(y.grad_fn).__name__, g.item(), h.item())


@pytest.mark.parametrize("name,fn", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


def test_T_warns_once_as_torch_for_non_matrices():
    from gradcli.autograd.ops import shape
    shape._warned.clear()
    got = []
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for s in [(2, 3), (3,), (2, 2, 2), (), ()]:
            gt.ones(s).T
    got = [str(x.message) for x in w]
    assert got == [shape._T_WARNING, shape._T0_WARNING]
    assert all(x.category is UserWarning for x in w)


def test_views_share_the_version_counter():
    x = gt.ones(2, 3, requires_grad=True)
    y = x * 2
    for view in (y.view(6), y.t(), y[0], y.unsqueeze(0), y.expand(2, 2, 3), y.split(1)[0],
                 y.unbind()[1], y.diagonal(), y.narrow(1, 0, 1), y.squeeze(), y.permute(1, 0)):
        before = y._version
        view._vc[0] += 1
        assert y._version == before + 1
    assert y.clone()._version == 0 and y.flip(0)._vc is not y._vc


def test_inplace_on_a_view_writes_through_and_invalidates_saved_base():
    torch = pytest.importorskip("torch")
    for lib in (torch, gt):
        x = lib.ones(2, 3, requires_grad=True)
        y = x * 1
        z = y.sin()  # saves y
        with lib.no_grad():
            y.view(6)[0] = 5.0
        assert y.detach()[0, 0].item() == 5.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_diagonal_is_a_writable_view():
    x = gt.zeros(3, 3)
    d = x.diagonal(1)
    d._data[...] = 7
    assert x._data[0, 1] == 7 and x._data[1, 2] == 7


def test_cat_of_many_uses_one_node_and_all_gradients():
    xs = [gt.ones(2, requires_grad=True) * k for k in range(5)]
    out = gt.cat(xs)
    assert type(out.grad_fn).__name__ == "CatBackward0" and len(out.grad_fn.next_functions) == 5
