"""--max-elements refuses results whose size comes from their inputs' shapes (broadcasts,
products, joins, expanded views), before numpy allocates them, as creation ops are refused."""

import pytest

from gradcli.autograd import build_torch_module, limits

torch = build_torch_module()


@pytest.fixture(autouse=True)
def _restore():
    yield
    limits.set_max_elements(None)


def col(t, n, dtype=None):
    return t.ones(n, 1, dtype=dtype)


def row(t, n, dtype=None):
    return t.ones(n, dtype=dtype)


def idx(t, n):
    return t.zeros(n, dtype=t.long)


# (name, numel of the result, program): each result's size is the product of its inputs' sizes
BROADCASTS = [
    ("add", 600, lambda t: col(t, 20) + row(t, 30)),
    ("add alpha", 600, lambda t: t.add(col(t, 20), row(t, 30), alpha=2.5)),
    ("sub", 600, lambda t: col(t, 20) - row(t, 30)),
    ("sub alpha", 600, lambda t: t.sub(col(t, 20), row(t, 30), alpha=2)),
    ("rsub", 600, lambda t: t.rsub(col(t, 20), row(t, 30))),
    ("mul", 600, lambda t: col(t, 20) * row(t, 30)),
    ("mul int float", 600, lambda t: col(t, 20, t.long) * row(t, 30)),
    ("div", 600, lambda t: col(t, 20) / row(t, 30)),
    ("div floor", 600, lambda t: t.div(col(t, 20), row(t, 30), rounding_mode="floor")),
    ("floor_divide", 600, lambda t: col(t, 20) // row(t, 30)),
    ("remainder", 600, lambda t: col(t, 20) % row(t, 30)),
    ("fmod", 600, lambda t: t.fmod(col(t, 20), row(t, 30))),
    ("pow", 600, lambda t: col(t, 20) ** row(t, 30)),
    ("atan2", 600, lambda t: t.atan2(col(t, 20), row(t, 30))),
    ("hypot", 600, lambda t: t.hypot(col(t, 20), row(t, 30))),
    ("logaddexp", 600, lambda t: t.logaddexp(col(t, 20), row(t, 30))),
    ("copysign", 600, lambda t: t.copysign(col(t, 20), row(t, 30))),
    ("xlogy", 600, lambda t: t.xlogy(col(t, 20), row(t, 30))),
    ("heaviside", 600, lambda t: t.heaviside(col(t, 20), row(t, 30))),
    ("maximum", 600, lambda t: t.maximum(col(t, 20), row(t, 30))),
    ("fmin", 600, lambda t: t.fmin(col(t, 20), row(t, 30))),
    ("eq", 600, lambda t: col(t, 20) == row(t, 30)),
    ("lt", 600, lambda t: col(t, 20) < row(t, 30)),
    ("ge", 600, lambda t: t.ge(col(t, 20), row(t, 30))),
    ("isclose", 600, lambda t: t.isclose(col(t, 20), row(t, 30))),
    ("logical_and", 600, lambda t: t.logical_and(col(t, 20), row(t, 30))),
    ("bitwise_xor", 600, lambda t: col(t, 20, t.long) ^ row(t, 30, t.long)),
    ("where", 600, lambda t: t.where(col(t, 20, t.bool), row(t, 30), t.ones(1))),
    ("where condition", 600, lambda t: t.where(row(t, 30, t.bool), col(t, 20), t.ones(1))),
    ("lerp", 600, lambda t: t.lerp(col(t, 20), row(t, 30), 0.5)),
    ("lerp weight", 600, lambda t: t.lerp(t.ones(1, 30), t.ones(1), col(t, 20))),
    ("addcmul", 600, lambda t: t.addcmul(t.ones(1), col(t, 20), row(t, 30))),
    ("addcdiv", 600, lambda t: t.addcdiv(col(t, 20), t.ones(1), row(t, 30))),
    ("clamp", 600, lambda t: t.clamp(col(t, 20), min=row(t, 30))),
    ("masked_fill", 600, lambda t: col(t, 20).masked_fill(row(t, 30, t.bool), 0.0)),
    ("masked_select", 600, lambda t: t.masked_select(col(t, 20), row(t, 30, t.bool))),
    ("mse_loss none", 600, lambda t: t.nn.functional.mse_loss(col(t, 20), row(t, 30), reduction="none")),
    ("normal", 600, lambda t: t.normal(col(t, 20), row(t, 30))),
    ("cross", 600 * 3, lambda t: t.linalg.cross(t.ones(20, 1, 3), t.ones(1, 30, 3))),
]

PRODUCTS = [
    ("outer", 600, lambda t: t.outer(row(t, 20), row(t, 30))),
    ("ger", 600, lambda t: t.ger(row(t, 20), row(t, 30))),
    ("kron", 600, lambda t: t.kron(row(t, 20), row(t, 30))),
    ("kron matrices", 600, lambda t: t.kron(t.ones(4, 5), t.ones(5, 6))),
    ("mm outer", 600, lambda t: t.ones(20, 1) @ t.ones(1, 30)),
    ("mm", 600, lambda t: t.mm(t.ones(20, 3), t.ones(3, 30))),
    ("matmul batched", 600, lambda t: t.ones(2, 10, 3) @ t.ones(3, 30)),
    ("matmul broadcast", 600, lambda t: t.ones(2, 1, 5, 3) @ t.ones(6, 3, 10)),
    ("bmm", 600, lambda t: t.bmm(t.ones(2, 10, 3), t.ones(2, 3, 30))),
    ("addmm", 600, lambda t: t.addmm(row(t, 30), t.ones(20, 3), t.ones(3, 30))),
    ("inner", 600, lambda t: t.inner(t.ones(20, 3), t.ones(30, 3))),
    ("tensordot", 600, lambda t: t.tensordot(t.ones(20, 3), t.ones(3, 30), dims=1)),
    ("einsum outer", 600, lambda t: t.einsum("i,j->ij", row(t, 20), row(t, 30))),
    ("einsum mm", 600, lambda t: t.einsum("ik,kj->ij", t.ones(20, 3), t.ones(3, 30))),
    ("linear", 600, lambda t: t.nn.functional.linear(t.ones(20, 3), t.ones(30, 3))),
    ("linear bias", 600, lambda t: t.nn.functional.linear(t.ones(20, 3), t.ones(30, 3), row(t, 30))),
    ("bilinear", 600, lambda t: t.nn.functional.bilinear(t.ones(20, 2), t.ones(20, 2), t.ones(30, 2, 2))),
    ("cdist", 600, lambda t: t.cdist(t.ones(20, 3), t.ones(30, 3))),
]

# a result sized by its inputs' shapes and counts: joins, expanded views, index lookups
SHAPED = [
    ("expand", 600, lambda t: col(t, 20).expand(20, 30)),
    ("expand contiguous", 600, lambda t: col(t, 20).expand(20, 30).contiguous()),
    ("expand_as clone", 600, lambda t: col(t, 20).expand_as(t.ones(20, 30)).clone()),
    ("broadcast_to", 600, lambda t: t.broadcast_to(col(t, 20), (20, 30))),
    ("broadcast_tensors", 600, lambda t: t.broadcast_tensors(col(t, 20), row(t, 30))[0]),
    ("meshgrid", 600, lambda t: t.meshgrid(row(t, 20), row(t, 30), indexing="ij")[0]),
    ("cartesian_prod", 600, lambda t: t.cartesian_prod(row(t, 20), row(t, 15))),
    ("repeat", 600, lambda t: row(t, 30).repeat(20, 1)),
    ("cat", 600, lambda t: t.cat([row(t, 30)] * 20)),
    ("stack", 600, lambda t: t.stack([row(t, 30)] * 20)),
    ("hstack", 600, lambda t: t.hstack([row(t, 30)] * 20)),
    ("diag", 900, lambda t: t.diag(row(t, 30))),
    ("diag offset", 900, lambda t: t.diag(row(t, 29), 1)),
    ("block_diag", 900, lambda t: t.block_diag(t.ones(20, 10), t.ones(10, 20))),
    ("embedding", 600, lambda t: t.nn.functional.embedding(idx(t, 20), t.ones(5, 30))),
    ("index_select", 600, lambda t: t.ones(5, 30).index_select(0, idx(t, 20))),
    ("getitem", 600, lambda t: t.ones(5, 30)[idx(t, 20)]),
    ("getitem broadcast", 600, lambda t: t.ones(5, 5)[idx(t, 20)[:, None], idx(t, 30)]),
    ("take_along_dim", 600, lambda t: t.take_along_dim(col(t, 20), idx(t, 30)[None], dim=1)),
    ("nonzero", 600, lambda t: t.nonzero(t.ones(20, 15))),  # 300 nonzeros, 2 indices each
]

CASES = BROADCASTS + PRODUCTS + SHAPED


@pytest.mark.parametrize("name, numel, make", CASES, ids=[c[0] for c in CASES])
def test_results_sized_by_their_inputs_respect_the_limit(name, numel, make):
    limits.set_max_elements(numel)  # at the limit: computed
    assert make(torch).numel() == numel
    limits.set_max_elements(numel - 1)  # one element over it: refused
    with pytest.raises(limits.ElementLimitError, match=f"would hold {numel:,} elements.* limit of {numel - 1:,} "):
        make(torch)


@pytest.mark.parametrize("name, numel, make", CASES, ids=[c[0] for c in CASES])
def test_without_a_limit_the_results_are_torchs(name, numel, make):
    real = pytest.importorskip("torch")
    limits.set_max_elements(None)
    real.manual_seed(0)
    expected = make(real)
    got = make(torch)
    assert got.numel() == numel and list(got.shape) == list(expected.shape)
    if name == "atan2":  # torch's vectorized float32 atan2 (16+ elements) is 1 ulp off at (1, 1)
        assert got.allclose(torch.tensor(expected.tolist()), rtol=1e-6, atol=0)
    elif name != "normal":  # random: its shape only
        assert got.tolist() == expected.tolist()


# refused before numpy tries to allocate: these results would need terabytes
HUGE = [
    lambda: col(torch, 10**6) * row(torch, 10**6),
    lambda: torch.outer(row(torch, 10**6), row(torch, 10**6)),
    lambda: torch.kron(row(torch, 10**6), row(torch, 10**6)),
    lambda: torch.ones(10**6, 1) @ torch.ones(1, 10**6),
    lambda: torch.where(col(torch, 10**6, torch.bool), row(torch, 10**6), 0.0),
    lambda: col(torch, 10**6).expand(10**6, 10**6).contiguous(),
    lambda: torch.cdist(torch.ones(10**6, 1), torch.ones(10**6, 1)),
]


@pytest.mark.parametrize("make", HUGE)
def test_the_default_limit_refuses_before_allocating(make):
    with pytest.raises(limits.ElementLimitError, match="1,000,000,000,000 elements"):
        make()


def test_solve_counts_the_batch_it_broadcasts_to():
    a, b = torch.eye(3).repeat(20, 1, 1, 1), torch.ones(1, 30, 3, 1)
    limits.set_max_elements(20 * 30 * 9)  # the solver factors a copy of A per batch
    assert torch.linalg.solve(a, b).shape == (20, 30, 3, 1)
    limits.set_max_elements(20 * 30 * 9 - 1)
    with pytest.raises(limits.ElementLimitError, match="shape \\[20, 30, 3, 3\\]"):
        torch.linalg.solve(a, b)


@pytest.mark.parametrize("op", ["add_", "mul_", "sub_", "masked_fill_"])
def test_in_place_ops_keep_torchs_error_for_a_result_of_another_shape(op):
    # the broadcast result is over the limit, but it could not be written in place anyway
    limits.set_max_elements(100)
    x = torch.ones(20, 1)
    other = torch.ones(20, dtype=torch.bool) if op == "masked_fill_" else torch.ones(20)
    args = (other, 0.0) if op == "masked_fill_" else (other,)
    with pytest.raises(RuntimeError, match=r"^output with shape \[20, 1\] doesn't match the broadcast shape \[20, 20\]$"):
        getattr(x, op)(*args)


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf")])
def test_cdist_in_row_blocks_is_bit_for_bit_the_whole(monkeypatch, p):
    # cdist sums its pairwise differences a block of rows at a time, so memory follows the result
    import numpy as np

    from gradcli.autograd.ops import distances
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 37, 4)), rng.standard_normal((1, 23, 4))
    whole = distances.cdist_array(a, b, p)
    grad = rng.standard_normal(whole.shape)
    whole_grad = distances.cdist_backward_array(grad, a, b, p, whole)
    monkeypatch.setattr(distances, "_BLOCK_ELEMENTS", 100)  # 1 row a block
    assert distances.cdist_array(a, b, p).tobytes() == whole.tobytes()
    assert distances.cdist_backward_array(grad, a, b, p, whole).tobytes() == whole_grad.tobytes()
