"""The seed tutorials' snippets (/work/shared/seeds), run on gradcli with the values they print.

Each snippet is pinned to the numbers the tutorial shows (checked against torch 2.13),
so these tests check something without torch installed.
"""

import warnings

import numpy as np
import pytest

from gradcli.autograd.namespace import build_torch_module

torch = build_torch_module()


def lesson6_graph():
    w = torch.tensor([1.], requires_grad=True)
    x = torch.tensor([2.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return w, x, a, b, y


def test_lesson6_leaves_grads_and_grad_fns():
    w, x, a, b, y = lesson6_graph()
    y.backward()
    assert [t.is_leaf for t in (w, x, a, b, y)] == [True, True, False, False, False]
    assert w.grad.tolist() == [5.0] and x.grad.tolist() == [2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert a.grad is None and b.grad is None and y.grad is None
    assert w.grad_fn is None and x.grad_fn is None
    assert repr(a.grad_fn).startswith("<AddBackward0 object at 0x")
    assert repr(b.grad_fn).startswith("<AddBackward0 object at 0x")
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
    assert str(w.grad) == "tensor([5.])"


def test_lesson6_retain_graph_then_backward_again():
    w, x, a, b, y = lesson6_graph()
    y.backward(retain_graph=True)
    assert str(w.grad) == "tensor([5.])"
    y.backward()
    assert str(w.grad) == "tensor([10.])"


@pytest.mark.parametrize("zero, expected", [(False, [5., 10., 15., 20.]), (True, [5., 5., 5., 5.])])
def test_lesson6_accumulation_across_backward_calls(zero, expected):
    w = torch.tensor([1.], requires_grad=True)
    x = torch.tensor([2.], requires_grad=True)
    seen = []
    for _ in range(4):
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        y.backward()
        seen.append(w.grad.item())
        if zero:
            w.grad.zero_()
    assert seen == expected


def test_lesson6_requires_grad_propagates():
    w, x, a, b, y = lesson6_graph()
    assert (a.requires_grad, b.requires_grad, y.requires_grad) == (True, True, True)
    assert (a.is_leaf, b.is_leaf, y.is_leaf) == (False, False, False)


def test_lesson6_inplace_on_leaf_is_refused():
    w, x, a, b, y = lesson6_graph()
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an "
                                           "in-place operation.$"):
        w.add_(1)


def test_lesson6_inplace_without_grad_keeps_identity():
    a = torch.ones((1,))
    before = id(a)
    a = a + torch.ones((1,))
    assert id(a) != before and a.tolist() == [2.0]
    after = id(a)
    a += torch.ones((1,))
    assert id(a) == after and a.tolist() == [3.0]


def test_lesson6_detach_shares_memory():
    w, x, a, b, y = lesson6_graph()
    y.backward()
    w_detach = w.detach()
    w_detach.data[0] = 999
    assert str(w) == "tensor([999.], requires_grad=True)"
    assert w_detach.requires_grad is False and w_detach.is_leaf


def test_lesson6_no_grad_records_nothing():
    w = torch.tensor([1.], requires_grad=True)
    with torch.no_grad():
        y = w * 2
    assert y.requires_grad is False and y.grad_fn is None


def test_seed001_norm_of_4xx():
    x = torch.ones(2, requires_grad=True)
    z = 4 * x * x
    y = (z * z).sum() ** 0.5  # z.norm(), written with core ops
    assert abs(y.item() - 5.6569) < 1e-4
    y.backward()
    np.testing.assert_allclose(x.grad._data, [5.6568542, 5.6568542], rtol=1e-6)


def test_seed003_mean_of_difference():
    x1 = torch.tensor([2, 3, 4, 5], dtype=torch.float, requires_grad=True)
    w1 = torch.ones(4)
    w1.requires_grad = True
    w2 = torch.Tensor([1, 2, 3, 4])
    w2.requires_grad_(True)
    x2 = x1 * w1
    y = x2 * w2
    Y = torch.ones(4, requires_grad=True)
    L = (Y - y).mean()
    L.backward()
    assert x1.grad.tolist() == [-0.25, -0.5, -0.75, -1.0]
    assert w1.grad.tolist() == [-0.5, -1.5, -3.0, -5.0]
    assert Y.grad.tolist() == [0.25] * 4
    assert type(L.grad_fn).__name__ == "MeanBackward0"


def test_seed003_grad_fn_names():
    a = torch.ones(2, 2, requires_grad=True)
    assert a.grad_fn is None
    b = a + 2
    c = b * b * 3
    assert type(b.grad_fn).__name__ == "AddBackward0"
    assert type(c.grad_fn).__name__ == "MulBackward0"


def test_seed003_grad_tensors_weighting():
    x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
    y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
    z = x * y
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar outputs$"):
        z.backward(retain_graph=True)
    z.backward(torch.FloatTensor([1.0, 1.0, 1.0]))
    assert x.grad.tolist() == [5.0, 1.0, 7.0]
    assert y.grad.tolist() == [0.0, 2.0, 8.0]
    x.grad.data.zero_()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_seed000_grad_tensors_is_a_weighted_sum():
    x = torch.ones(2, requires_grad=True)
    z = x + 2
    z.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    x.grad = None
    z = x + 2
    torch.autograd.backward(z, grad_tensors=torch.ones_like(x))
    assert x.grad.tolist() == [1.0, 1.0]
    x = torch.tensor([2., 1.], requires_grad=True)
    y = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    z = x * y * 1  # a 2x2 output weighted by grad_tensors
    z.backward(torch.tensor([[1., 1.], [1., 1.]]))
    assert x.grad.tolist() == [4.0, 6.0]
    assert y.grad.tolist() == [[2.0, 1.0], [2.0, 1.0]]


def test_seed000_autograd_grad_arguments():
    x = torch.tensor(2., requires_grad=True)
    y = torch.tensor(3., requires_grad=True)
    z = x * x * y
    gx, = torch.autograd.grad(z, x, create_graph=True)
    assert gx.item() == 12.0 and gx.requires_grad
    gxx, = torch.autograd.grad(gx, x, retain_graph=True)
    assert gxx.item() == 6.0
    gy = torch.autograd.grad(gx, [x, y], allow_unused=True)
    assert [g.item() for g in gy] == [6.0, 4.0]
    w = torch.tensor(1., requires_grad=True)
    with pytest.warns(FutureWarning, match="only_inputs argument is deprecated"):
        out = torch.autograd.grad(x * y, [x, w], allow_unused=True, only_inputs=False)
    assert out[0].item() == 3.0 and out[1] is None


def test_stackoverflow_seed_backward_of_matmul_with_weights():
    a = torch.nn.Parameter(torch.FloatTensor([[1, 1], [2, 2]])) if hasattr(torch, "nn") else None
    b = torch.nn.Parameter(torch.FloatTensor([[1, 2], [1, 2]]))
    c = (a - b).sum()
    c.backward(None)
    assert a.grad.tolist() == [[1., 1.], [1., 1.]]
    assert b.grad.tolist() == [[-1., -1.], [-1., -1.]]
    a.grad = None
    b.grad = None
    c = (a - b).sum()
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of "
                                           r"torch.Size\(\[2, 2\]\) and output\[0\] has a shape of "
                                           r"torch.Size\(\[\]\)."):
        c.backward(torch.FloatTensor([[1, 2], [3, 4]]))


def test_seed002_mean_sin_graph():
    x1 = torch.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
    x2 = torch.tensor([[0.5, 0.6], [0.7, 0.8]], requires_grad=True)
    z = torch.sin(x1 * x2 + x2)
    L = z.mean()
    L.backward()
    y = x1._data * x2._data + x2._data
    np.testing.assert_allclose(x1.grad._data, np.cos(y) * x2._data / 4, rtol=1e-6)
    np.testing.assert_allclose(x2.grad._data, np.cos(y) * (x1._data + 1) / 4, rtol=1e-6)
