"""torch.autograd.gradcheck / gradgradcheck on gradcli: verdicts and messages as torch's."""

import warnings

import numpy as np
import pytest

from gradcli.autograd import engine
from gradcli.autograd.gradcheck import GradcheckError
from gradcli.autograd.namespace import build_torch_module
from gradcli.autograd.ops.registry import defop, record

gt = build_torch_module()

# a deliberately wrong backward (3 instead of 2), to see gradcheck fail
_BAD = defop("BadBackward0", self=lambda grad: grad * 3)


def bad_double(t):
    return record(_BAD, t._data * 2, (t,))


def x64(lib=gt):
    return lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)


@pytest.mark.parametrize("fn", [
    lambda t: t.sin(),
    lambda t: (t * t).exp(),
    lambda t: (t ** 3).sum(),
    lambda t: t / (t + 3.0),
])
def test_passes_for_correct_ops(fn):
    assert gt.autograd.gradcheck(fn, (x64(),))
    assert gt.autograd.gradcheck(fn, x64())
    assert gt.autograd.gradgradcheck(fn, (x64(),))


def test_multiple_inputs_and_outputs():
    y = gt.tensor([3.0, 4.0], dtype=gt.float64, requires_grad=True)
    assert gt.autograd.gradcheck(lambda t, u: (t * u, t.sum()), (x64(), y))
    assert gt.autograd.gradgradcheck(lambda t, u: (t * u * u,), (x64(), y))


def test_mismatch_message_is_torchs():
    with pytest.raises(GradcheckError) as info:
        gt.autograd.gradcheck(bad_double, (x64(),))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[2.0000, 0.0000],\n        [0.0000, 2.0000]], dtype=torch.float64)\n"
        "analytical:tensor([[3., 0.],\n        [0., 3.]], dtype=torch.float64)\n")
    assert isinstance(info.value, RuntimeError)
    assert gt.autograd.gradcheck(bad_double, (x64(),), raise_exception=False) is False


def test_no_input_requires_grad():
    with pytest.raises(ValueError, match="^gradcheck expects at least one input tensor to require "
                                         "gradient, but none of them have requires_grad=True.$"):
        gt.autograd.gradcheck(lambda t: t * 2, (gt.tensor([1.0, 2.0], dtype=gt.float64),))


def test_float32_warns():
    x = gt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match=r"^Input #0 requires gradient and is not a double precision"):
        gt.autograd.gradcheck(lambda t: t * 2, (x,), raise_exception=False)


def test_against_torch():
    torch = pytest.importorskip("torch")
    for lib in (gt, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert lib.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x64(lib),)) is True
            assert lib.autograd.gradgradcheck(lambda t: t.exp() * t, (x64(lib),)) is True
    ours = pytest.raises(ValueError, gt.autograd.gradcheck, lambda t: t, (gt.tensor([1.0]),))
    theirs = pytest.raises(ValueError, torch.autograd.gradcheck, lambda t: t, (torch.tensor([1.0]),))
    assert str(ours.value) == str(theirs.value)


def test_inputs_are_restored():
    x = x64()
    gt.autograd.gradcheck(lambda t: t * t, (x,))
    assert x.tolist() == [1.0, 2.0]
