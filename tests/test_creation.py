"""Creation and random: torch.tensor edge cases, arange/linspace/logspace/eye value for
value against PyTorch, and the seeded generator's reproducibility, shapes and dtypes."""

import warnings

import numpy as np
import pytest

from gradcheck_util import compare_with_torch, same_error, torch as gt

CASES = [
    ("arange int", lambda T: T.arange(5)), ("arange start stop", lambda T: T.arange(2, 9, 3)),
    ("arange negative step", lambda T: T.arange(5, -3, -2)),
    ("arange float", lambda T: T.arange(0, 1, 0.1)), ("arange float start", lambda T: T.arange(1.0, 4)),
    ("arange mixed", lambda T: T.arange(-1.5, 2.3, 0.3)),
    ("arange long run", lambda T: T.arange(-3.7, 40.1, 0.37)),
    ("arange float64", lambda T: T.arange(-3.7, 40.1, 0.37, dtype=T.float64)),
    ("arange dtype", lambda T: T.arange(5, dtype=T.float32)), ("arange empty", lambda T: T.arange(3, 3)),
    ("arange tensor end", lambda T: T.arange(T.tensor(4))),
    ("linspace", lambda T: T.linspace(0, 1, 5)), ("linspace odd", lambda T: T.linspace(-1, 1, 7)),
    ("linspace long", lambda T: T.linspace(-3.3, 7.9, 45)),
    ("linspace float64", lambda T: T.linspace(-3.3, 7.9, 45, dtype=T.float64)),
    ("linspace int", lambda T: T.linspace(0, 10, 5, dtype=T.int64)),
    ("linspace one", lambda T: T.linspace(0, 1, 1)), ("linspace zero", lambda T: T.linspace(0, 1, 0)),
    ("logspace", lambda T: T.logspace(0, 2, 3)), ("logspace base", lambda T: T.logspace(0, 3, 4, base=2)),
    ("eye", lambda T: T.eye(3)), ("eye nm", lambda T: T.eye(2, 3)),
    ("eye dtype", lambda T: T.eye(2, dtype=T.int64)),
    ("zeros list", lambda T: T.zeros([2, 3])), ("ones tuple", lambda T: T.ones((2, 3))),
    ("zeros size kw", lambda T: T.zeros(size=(2, 3))), ("ones Size", lambda T: T.ones(T.Size([2]))),
    ("tensor numpy float64", lambda T: T.tensor(np.array([1.0, 2.0]))),
    ("tensor numpy scalar", lambda T: T.tensor(np.float64(1.5))),
    ("tensor list of numpy scalars", lambda T: T.tensor([np.float64(1.5), np.float64(2.0)])),
    ("tensor list of 0-d", lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)])),
    ("tensor list of 0-d float64", lambda T: T.tensor([T.tensor(1.0, dtype=T.float64)])),
    ("tensor bool int", lambda T: T.tensor([True, 1])), ("tensor int float", lambda T: T.tensor([1, 2.5])),
    ("tensor bools", lambda T: T.tensor([[True], [False]])),
    ("from_numpy", lambda T: T.from_numpy(np.arange(3.0))),
    ("new_ones int", lambda T: T.tensor([1, 2]).new_ones(2, 3)),
    ("new_zeros tuple", lambda T: T.tensor([1.0], dtype=T.float64).new_zeros((2,))),
    ("new_full", lambda T: T.tensor([1, 2]).new_full((2,), 1.5)),
    ("new_full float", lambda T: T.tensor([1.0]).new_full([2, 1], 7)),
    ("new_tensor", lambda T: T.tensor([1, 2]).new_tensor([1.5, 2.5])),
    ("new_tensor dtype", lambda T: T.tensor([1.0]).new_tensor([1, 2], dtype=T.float64)),
    ("new_ones grad", lambda T: T.tensor([1.0]).new_ones(2, dtype=T.float64, requires_grad=True) * 1),
    ("new_empty shape", lambda T: T.tensor([1.0]).new_empty(2, 2).zero_()),
]


@pytest.mark.parametrize("name,fn", CASES, ids=[c[0] for c in CASES])
def test_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    ours = compare_with_torch(torch, lambda T: fn(T), grad=False)
    theirs = fn(torch)
    # ranges are bit-exact with torch's kernels, not just close
    assert np.array_equal(ours[0]._data, theirs.detach().numpy())


def test_tensor_of_tensor_warns_like_torch():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        gt.tensor(gt.ones(2))
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.tensor(torch.ones(2))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert ours[0].category is UserWarning


ERRORS = [
    ("arange zero step", lambda T: T.arange(0, 5, 0)),
    ("arange wrong sign", lambda T: T.arange(5, 0)),
    ("arange str", lambda T: T.arange("a")),
    ("negative size", lambda T: T.zeros(-1)), ("negative size ones", lambda T: T.ones(2, -1)),
    ("randn negative", lambda T: T.randn(-1)),
    ("rand int dtype", lambda T: T.rand(2, dtype=T.int64)),
    ("randint bounds", lambda T: T.randint(5, 2, (2,))),
    ("randint no size", lambda T: T.randint(10)),
    ("uniform_ on leaf", lambda T: T.zeros(3, requires_grad=True).uniform_()),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


# -- random ----------------------------------------------------------------------------------------

def test_manual_seed_reproduces_and_returns_a_generator():
    g = gt.manual_seed(3)
    assert isinstance(g, gt.Generator) and g.initial_seed() == 3
    a = gt.rand(2, 3), gt.randn(4), gt.randint(0, 10, (5,)), gt.randperm(6)
    gt.manual_seed(3)
    b = gt.rand(2, 3), gt.randn(4), gt.randint(0, 10, (5,)), gt.randperm(6)
    for x, y in zip(a, b):
        assert gt.equal(x, y)
    local = gt.Generator().manual_seed(1)
    assert gt.equal(gt.rand(3, generator=local), gt.rand(3, generator=gt.Generator().manual_seed(1)))


def test_random_shapes_dtypes_and_requires_grad():
    torch = pytest.importorskip("torch")
    calls = [
        lambda T: T.rand(2, 3), lambda T: T.rand((2, 3), dtype=T.float64), lambda T: T.randn(4, requires_grad=True),
        lambda T: T.randint(10, (3,)), lambda T: T.randint(2, 10, (2, 2), dtype=T.int32),
        lambda T: T.randperm(5), lambda T: T.rand_like(T.ones(2, 2, dtype=T.float64)),
        lambda T: T.randn_like(T.ones(3)), lambda T: T.normal(0.0, 1.0, (2,)),
        lambda T: T.normal(T.zeros(3), 1.0), lambda T: T.bernoulli(T.full((3,), 0.5)),
        lambda T: T.multinomial(T.ones(3), 2), lambda T: T.zeros(2, 2).uniform_(-1, 1),
        lambda T: T.zeros(3).normal_(), lambda T: T.ones(4).bernoulli_(0.5),
    ]
    for fn in calls:
        o, t = fn(gt), fn(torch)
        assert tuple(o.shape) == tuple(t.shape) and str(o.dtype) == str(t.dtype)
        assert o.requires_grad == t.requires_grad


def test_random_values_are_well_distributed():
    gt.manual_seed(0)
    u = gt.rand(20000)._data
    n = gt.randn(20000)._data
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03
    r = gt.randint(0, 4, (20000,))._data
    assert set(np.unique(r)) == {0, 1, 2, 3}
    assert sorted(gt.randperm(10).tolist()) == list(range(10))


def test_float64_data_is_not_rounded_through_float32():
    from gradcli.autograd import build_torch_module
    torch = build_torch_module()
    t = torch.tensor([0.1234567891234], dtype=torch.float64)
    assert t.tolist() == [0.1234567891234]
    assert torch.DoubleTensor([0.1234567891234]).tolist() == [0.1234567891234]
    assert torch.tensor([0.1234567891234]).tolist() != [0.1234567891234]  # float32 by default
