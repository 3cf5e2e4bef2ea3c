"""Indexing: t[...] (views and copies), t[...] = v, index_select, gather, masked_fill;
gradients against finite differences and values/grad_fn/grads/errors against PyTorch."""

import warnings

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt

GRAD_CASES = [
    ("int", lambda x: x[1], [(3, 2)]),
    ("slice", lambda x: x[1:, ::2], [(3, 4)]),
    ("none ellipsis", lambda x: x[None, ..., 1], [(2, 3)]),
    ("list", lambda x: x[[0, 2, 0]], [(3, 2)]),
    ("mask", lambda x: x[x > 0], [(3, 3)]),
    ("mixed", lambda x: x[0, :, [1, 0, 1]], [(2, 3, 2)]),
    ("two lists", lambda x: x[[0, 1], [1, 1]], [(2, 3)]),
    ("index_select", lambda x: x.index_select(1, gt.tensor([2, 0, 2])), [(2, 3)]),
    ("gather", lambda x: x.gather(1, gt.tensor([[0, 0], [1, 0]])), [(2, 3)]),
    ("masked_fill", lambda x: x.masked_fill(gt.tensor([True, False, True]), 0.5), [(2, 3)]),
    ("product", lambda x: x[0] * x[:, 1] * x[[1, 1]].sum(0), [(3, 3)]),
    ("setitem", lambda x, v: _set(x, v), [(2, 3), (3,)]),
    ("setitem advanced", lambda x, v: _set_adv(x, v), [(3, 2), (2,)]),
]


def _set(x, v):
    y = x * x
    y[1] = v * v
    return y


def _set_adv(x, v):
    y = x * 1
    y[[0, 2], 1] = v * x[1, 0]
    return y


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients_match_finite_differences(name, fn, shapes):
    check_grads(fn, *[rand(*s, seed=i + 7) for i, s in enumerate(shapes)])


TORCH_CASES = [
    ("int", lambda t, x: x[1], [(3, 2)]),
    ("negative int", lambda t, x: x[-1, -2], [(3, 2)]),
    ("0d int tensor", lambda t, x: x[t.tensor(1)], [(3, 2)]),
    ("slice", lambda t, x: x[1:], [(3, 2)]),
    ("slice full range", lambda t, x: x[0:3], [(3, 2)]),
    ("slice step", lambda t, x: x[:, ::2], [(3, 4)]),
    ("slice beyond", lambda t, x: x[5:], [(3, 2)]),
    ("int then slice", lambda t, x: x[0, 1:], [(3, 2)]),
    ("slice then int", lambda t, x: x[1:, 0], [(3, 2)]),
    ("colon", lambda t, x: x[:, :], [(3, 2)]),
    ("ellipsis", lambda t, x: x[...], [(3, 2)]),
    ("ellipsis int", lambda t, x: x[..., 1], [(2, 3, 2)]),
    ("empty tuple", lambda t, x: x[()], [(3, 2)]),
    ("none", lambda t, x: x[None], [(3, 2)]),
    ("none middle", lambda t, x: x[:, None], [(3, 2)]),
    ("none after int", lambda t, x: x[0, None], [(3, 2)]),
    ("0d ellipsis", lambda t, x: x[...], [()]),
    ("0d none", lambda t, x: x[None], [()]),
    ("list", lambda t, x: x[[0, 2, 0]], [(3, 2)]),
    ("tensor index", lambda t, x: x[t.tensor([2, -1])], [(3, 2)]),
    ("2d tensor index", lambda t, x: x[t.tensor([[0, 1], [2, 2]])], [(3, 2)]),
    ("two lists", lambda t, x: x[[0, 1], [1, 0]], [(3, 2)]),
    ("list and slice", lambda t, x: x[[0, 2], 1:], [(3, 2)]),
    ("slice and list", lambda t, x: x[:, [1, 1, 0]], [(3, 2)]),
    ("int slice list", lambda t, x: x[0, :, [1, 0, 1]], [(2, 3, 2)]),
    ("separated lists", lambda t, x: x[[0, 1], :, [1, 0]], [(2, 3, 2)]),
    ("mask", lambda t, x: x[x > 0], [(3, 3)]),
    ("row mask", lambda t, x: x[t.tensor([True, False, True])], [(3, 2)]),
    ("mask and slice", lambda t, x: x[:, t.tensor([False, True])], [(3, 2)]),
    ("python bool", lambda t, x: x[True], [(3, 2)]),
    ("python false", lambda t, x: x[False], [(3, 2)]),
    ("int32 index", lambda t, x: x[t.tensor([1, 0], dtype=t.int32)], [(3, 2)]),
    ("index_select", lambda t, x: x.index_select(1, t.tensor([2, 0, 2])), [(2, 3)]),
    ("torch.index_select", lambda t, x: t.index_select(x, 0, t.tensor([1])), [(2, 3)]),
    ("index_select 0d index", lambda t, x: x.index_select(0, t.tensor(1)), [(2, 3)]),
    ("gather", lambda t, x: x.gather(1, t.tensor([[0, 0], [1, 0]])), [(2, 3)]),
    ("torch.gather", lambda t, x: t.gather(x, 0, t.tensor([[1, 0, 1]])), [(2, 3)]),
    ("masked_fill", lambda t, x: x.masked_fill(x > 0, 0.0), [(2, 3)]),
    ("masked_fill broadcast", lambda t, x: t.masked_fill(x, t.tensor([True, False, True]), -1.0), [(2, 3)]),
    ("masked_fill tensor value", lambda t, x, v: x.masked_fill(x > 0, v), [(2, 3), ()]),
    ("iterate", lambda t, x: list(x), [(3, 2)]),
    ("int tensor getitem", lambda t, x: x[1:, 0], [np.arange(6).reshape(3, 2)]),
]


@pytest.mark.parametrize("name,fn,shapes", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_matches_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = [s if isinstance(s, np.ndarray) else rand(*s, seed=i + 11) for i, s in enumerate(shapes)]
    compare_with_torch(torch, fn, *arrays)


def _setitem_program(index, value_shape, value_grad=True):
    def run(t, x, v):
        y = x * 2
        y[index] = v * 3 if value_grad else 7.0
        return y
    return run


SET_CASES = [
    ("int", 1, (2,)),
    ("int scalar value", (0, 1), ()),
    ("slice", (slice(None), slice(1, None)), (1,)),
    ("none", (None, 0), (2,)),
    ("list", [0, 2], (2, 2)),
    ("list broadcast value", [0, 2], (2,)),
    ("int then list", (1, [0, 0]), (2,)),
    ("mask", "mask", ()),
]


@pytest.mark.parametrize("name,index,vshape", SET_CASES, ids=[c[0] for c in SET_CASES])
def test_setitem_matches_torch(name, index, vshape):
    torch = pytest.importorskip("torch")

    def run(t, x, v):
        y = x * 2
        y[x > 0 if index == "mask" else index] = v * 3
        return y, y * y
    compare_with_torch(torch, run, rand(3, 2, seed=1), rand(*vshape, seed=2))


def test_setitem_with_a_number_and_version():
    torch = pytest.importorskip("torch")
    for lib in (torch, gt):
        x = lib.ones(2, 3, requires_grad=True)
        y = x * 2
        y[0, 1] = 5.0
        assert type(y.grad_fn).__name__ == "CopySlices" and y._version == 1
        y.sum().backward()
        assert x.grad.tolist() == [[2.0, 0.0, 2.0], [2.0, 2.0, 2.0]]
        with lib.no_grad():
            x[0] = 0.0
        assert x._version == 1 and x.tolist()[0] == [0.0, 0.0, 0.0]


def test_setitem_invalidates_what_was_saved():
    for lib in (pytest.importorskip("torch"), gt):
        x = lib.ones(3, requires_grad=True)
        y = x * 1
        z = y * y
        y[0] = 2.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_basic_indexing_is_a_view_and_advanced_a_copy():
    x = gt.zeros(3, 2)
    x[1][0] = 5.0
    x[1:][1, 1] = 6.0
    x[[0]][0, 0] = 7.0  # a copy: no effect
    assert x.tolist() == [[0.0, 0.0], [5.0, 0.0], [0.0, 6.0]]
    v = x[0, 1]
    x[0, 1] = 3.0
    assert v.item() == 3.0 and v._version == x._version


def test_masked_fill_inplace():
    torch = pytest.importorskip("torch")
    for lib in (torch, gt):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 1
        y.masked_fill_(y < 0, 0.0)
        assert type(y.grad_fn).__name__ == "MaskedFillBackward0"
        y.sum().backward()
        assert x.grad.tolist() == [1.0, 0.0, 1.0]


def test_sequence_index_warns_and_acts_as_tuple():
    torch = pytest.importorskip("torch")
    got = []
    for lib in (torch, gt):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = lib.arange(6).reshape(2, 3)[[[0, 1], [1, 0]]]
        got.append((r.tolist(), [str(m.message) for m in w]))
    assert got[0] == got[1]


def _x(t):
    return t.tensor([[1., 2., 3.], [4., 5., 6.]])


ERROR_CASES = [
    ("out of range", lambda t: _x(t)[5]),
    ("out of range negative", lambda t: _x(t)[-5]),
    ("out of range dim 1", lambda t: _x(t)[0, 7]),
    ("too many", lambda t: _x(t)[0, 0, 0]),
    ("negative step", lambda t: _x(t)[::-1]),
    ("zero step", lambda t: _x(t)[::0]),
    ("list out of range", lambda t: _x(t)[[0, 5]]),
    ("float", lambda t: _x(t)[1.5]),
    ("mask shape", lambda t: _x(t)[t.tensor([True, False, True])]),
    ("0d", lambda t: t.tensor(1.)[0]),
    ("float tensor", lambda t: _x(t)[t.tensor([0.])]),
    ("leaf setitem", lambda t: t.ones(2, requires_grad=True).__setitem__(0, 1.0)),
    ("setitem shape", lambda t: (_x(t) * 1).__setitem__(0, t.ones(4))),
    ("setitem advanced shape", lambda t: (_x(t) * 1).__setitem__([0], t.ones(4))),
    ("setitem str", lambda t: _x(t).__setitem__(0, "a")),
    ("index_select float", lambda t: _x(t).index_select(0, t.tensor([0.]))),
    ("index_select 2d", lambda t: _x(t).index_select(0, t.tensor([[0]]))),
    ("index_select range", lambda t: _x(t).index_select(0, t.tensor([5]))),
    ("gather float", lambda t: _x(t).gather(1, t.tensor([[0.]]))),
    ("gather dims", lambda t: _x(t).gather(1, t.tensor([0]))),
    ("gather range", lambda t: _x(t).gather(1, t.tensor([[5]]))),
    ("masked_fill float mask", lambda t: _x(t).masked_fill(_x(t), 0.)),
    ("masked_fill value dims", lambda t: _x(t).masked_fill(_x(t) > 0, t.ones(2))),
]


@pytest.mark.parametrize("name,fn", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


def _assign(x, index, value):
    y = x + 1
    y[index] = value
    return y


SAVING = [
    ("gather", lambda x: x.gather(1, gt.tensor([[0], [1], [2]]))),
    ("index_select", lambda x: x.index_select(1, gt.tensor([0]))),
    ("tensor index", lambda x: x[gt.tensor([0, 1])]),
    ("mask index", lambda x: x[x > 0]),
    ("masked_fill", lambda x: x.masked_fill(x > 0, 1.0)),
    ("masked_fill tensor", lambda x: x.masked_fill(x > 0, gt.tensor(1.0))),
    ("setitem slice", lambda x: _assign(x, slice(0, 1), 2.0)),
    ("setitem int", lambda x: _assign(x, 0, 2.0)),
    ("setitem tensor index", lambda x: _assign(x, gt.tensor([0]), 2.0)),
]


@pytest.mark.parametrize("name,fn", SAVING, ids=[c[0] for c in SAVING])
def test_ops_that_save_indices_refuse_a_second_backward(name, fn):
    # torch saves the index/mask (CopySlices its view function), freed by the first pass
    x = gt.ones(3, 3, requires_grad=True)
    s = fn(x).sum()
    s.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        s.backward()


@pytest.mark.parametrize("index,value,name", [
    (slice(None), 3.0, "FillBackward3"), (Ellipsis, "v", "torch::autograd::CopyBackwards"),
    ((slice(None), slice(None)), "w", "FillBackward3")])
def test_assigning_the_whole_tensor_is_fill_or_copy(index, value, name):
    # y[:] = 3.0 is fill_, y[...] = t is copy_ in torch: they save nothing
    torch = pytest.importorskip("torch")
    for lib in (gt, torch):
        x = lib.ones(3, 3, requires_grad=True)
        v = lib.ones(3, requires_grad=True)
        w = lib.tensor(2.0, requires_grad=True)
        y = _assign(x, index, {"v": v, "w": w}.get(value, value))
        assert y.grad_fn.name() == name
        s = (y + y).sum()
        s.backward()
        s.backward()
        assert x.grad.tolist() == [[0.0] * 3] * 3
        if value == "v":
            assert v.grad.tolist() == [12.0] * 3 and w.grad is None
        elif value == "w":
            assert v.grad is None and w.grad.item() == 36.0


DERIVATIVE_NAMES = [
    lambda t, x: x[1], lambda t, x: x[:, 1], lambda t, x: x[1, 1:3], lambda t, x: x[1:3],
    lambda t, x: x[::2], lambda t, x: x[..., :1], lambda t, x: x[None], lambda t, x: x[...],
    lambda t, x: x[:], lambda t, x: x[:, :], lambda t, x: x[..., :], lambda t, x: x[None, 1],
    lambda t, x: x[t.tensor([0, 2])], lambda t, x: x[[0, 2]], lambda t, x: x[x > 0],
    lambda t, x: x[:, t.tensor([0, 1])], lambda t, x: x[0, t.tensor([0, 1])],
    lambda t, x: x.index_select(1, t.tensor([0, 1])), lambda t, x: x.gather(1, t.tensor([[0], [1], [2]])),
    lambda t, x: x.narrow(1, 0, 2), lambda t, x: x.unbind(1)[0], lambda t, x: x.split(2, 1)[0],
    lambda t, x: x.chunk(2)[1], lambda t, x: x.split([1, 2])[1],
]


@pytest.mark.parametrize("k", range(len(DERIVATIVE_NAMES)))
def test_create_graph_derivative_of_indexing_is_torchs_op(k):
    # the derivative of x[i] is select_backward in torch, of x[idx] index_put_, of gather scatter_add
    torch = pytest.importorskip("torch")
    names = []
    for lib in (gt, torch):
        x = lib.arange(12.0).reshape(3, 4).requires_grad_()
        y = DERIVATIVE_NAMES[k](lib, x)
        w = lib.tensor(2.0, requires_grad=True)
        g, = lib.autograd.grad(y, x, lib.ones_like(y) * w, create_graph=True)
        h, = lib.autograd.grad((g * g).sum(), w)
        names.append((y.grad_fn.name(), g.grad_fn.name(), g.tolist(), h.item()))
    assert names[0] == names[1]
