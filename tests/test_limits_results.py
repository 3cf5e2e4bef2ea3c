"""--max-elements refuses results whose size comes from their inputs' shapes (broadcasts,
products, joins, expanded views), before numpy allocates them, as creation ops are refused."""

import pytest

from gradcli.autograd import build_torch_module, limits

torch = build_torch_module()
F = torch.nn.functional


@pytest.fixture(autouse=True)
def _restore():
    yield
    limits.set_max_elements(None)


def col(n, dtype=None):
    return torch.ones(n, 1, dtype=dtype)


def row(n, dtype=None):
    return torch.ones(n, dtype=dtype)


def idx(n):
    return torch.zeros(n, dtype=torch.long)


# (name, numel of the result, program): each result's size is the product of its inputs' sizes
BROADCASTS = [
    ("add", 600, lambda: col(20) + row(30)),
    ("add alpha", 600, lambda: torch.add(col(20), row(30), alpha=2.5)),
    ("sub", 600, lambda: col(20) - row(30)),
    ("sub alpha", 600, lambda: torch.sub(col(20), row(30), alpha=2)),
    ("rsub", 600, lambda: torch.rsub(col(20), row(30))),
    ("mul", 600, lambda: col(20) * row(30)),
    ("mul int float", 600, lambda: col(20, torch.long) * row(30)),
    ("div", 600, lambda: col(20) / row(30)),
    ("div floor", 600, lambda: torch.div(col(20), row(30), rounding_mode="floor")),
    ("floor_divide", 600, lambda: col(20) // row(30)),
    ("remainder", 600, lambda: col(20) % row(30)),
    ("fmod", 600, lambda: torch.fmod(col(20), row(30))),
    ("pow", 600, lambda: col(20) ** row(30)),
    ("atan2", 600, lambda: torch.atan2(col(20), row(30))),
    ("hypot", 600, lambda: torch.hypot(col(20), row(30))),
    ("logaddexp", 600, lambda: torch.logaddexp(col(20), row(30))),
    ("copysign", 600, lambda: torch.copysign(col(20), row(30))),
    ("xlogy", 600, lambda: torch.xlogy(col(20), row(30))),
    ("heaviside", 600, lambda: torch.heaviside(col(20), row(30))),
    ("maximum", 600, lambda: torch.maximum(col(20), row(30))),
    ("fmin", 600, lambda: torch.fmin(col(20), row(30))),
    ("eq", 600, lambda: col(20) == row(30)),
    ("lt", 600, lambda: col(20) < row(30)),
    ("ge", 600, lambda: torch.ge(col(20), row(30))),
    ("isclose", 600, lambda: torch.isclose(col(20), row(30))),
    ("logical_and", 600, lambda: torch.logical_and(col(20), row(30))),
    ("bitwise_xor", 600, lambda: col(20, torch.long) ^ row(30, torch.long)),
    ("where", 600, lambda: torch.where(col(20, torch.bool), row(30), torch.ones(1))),
    ("where condition", 600, lambda: torch.where(row(30, torch.bool), col(20), torch.ones(1))),
    ("lerp", 600, lambda: torch.lerp(col(20), row(30), 0.5)),
    ("lerp weight", 600, lambda: torch.lerp(torch.ones(1, 30), torch.ones(1), col(20))),
    ("addcmul", 600, lambda: torch.addcmul(torch.ones(1), col(20), row(30))),
    ("addcdiv", 600, lambda: torch.addcdiv(col(20), torch.ones(1), row(30))),
    ("clamp", 600, lambda: torch.clamp(col(20), min=row(30))),
    ("masked_fill", 600, lambda: col(20).masked_fill(row(30, torch.bool), 0.0)),
    ("masked_select", 600, lambda: torch.masked_select(col(20), row(30, torch.bool))),
    ("mse_loss none", 600, lambda: F.mse_loss(col(20), row(30), reduction="none")),
    ("normal", 600, lambda: torch.normal(col(20), row(30))),
    ("cross", 600 * 3, lambda: torch.linalg.cross(torch.ones(20, 1, 3), torch.ones(1, 30, 3))),
]

PRODUCTS = [
    ("outer", 600, lambda: torch.outer(row(20), row(30))),
    ("ger", 600, lambda: torch.ger(row(20), row(30))),
    ("kron", 600, lambda: torch.kron(row(20), row(30))),
    ("kron matrices", 600, lambda: torch.kron(torch.ones(4, 5), torch.ones(5, 6))),
    ("mm outer", 600, lambda: torch.ones(20, 1) @ torch.ones(1, 30)),
    ("mm", 600, lambda: torch.mm(torch.ones(20, 3), torch.ones(3, 30))),
    ("matmul batched", 600, lambda: torch.ones(2, 10, 3) @ torch.ones(3, 30)),
    ("matmul broadcast", 600, lambda: torch.ones(2, 1, 5, 3) @ torch.ones(6, 3, 10)),
    ("bmm", 600, lambda: torch.bmm(torch.ones(2, 10, 3), torch.ones(2, 3, 30))),
    ("addmm", 600, lambda: torch.addmm(row(30), torch.ones(20, 3), torch.ones(3, 30))),
    ("inner", 600, lambda: torch.inner(torch.ones(20, 3), torch.ones(30, 3))),
    ("tensordot", 600, lambda: torch.tensordot(torch.ones(20, 3), torch.ones(3, 30), dims=1)),
    ("einsum outer", 600, lambda: torch.einsum("i,j->ij", row(20), row(30))),
    ("einsum mm", 600, lambda: torch.einsum("ik,kj->ij", torch.ones(20, 3), torch.ones(3, 30))),
    ("linear", 600, lambda: F.linear(torch.ones(20, 3), torch.ones(30, 3))),
    ("linear bias", 600, lambda: F.linear(torch.ones(20, 3), torch.ones(30, 3), row(30))),
    ("bilinear", 600, lambda: F.bilinear(torch.ones(20, 2), torch.ones(20, 2), torch.ones(30, 2, 2))),
    ("cdist", 600, lambda: torch.cdist(torch.ones(20, 3), torch.ones(30, 3))),
]

# a result sized by its inputs' shapes and counts: joins, expanded views, index lookups
SHAPED = [
    ("expand", 600, lambda: col(20).expand(20, 30)),
    ("expand contiguous", 600, lambda: col(20).expand(20, 30).contiguous()),
    ("expand_as clone", 600, lambda: col(20).expand_as(torch.ones(20, 30)).clone()),
    ("broadcast_to", 600, lambda: torch.broadcast_to(col(20), (20, 30))),
    ("broadcast_tensors", 600, lambda: torch.broadcast_tensors(col(20), row(30))[0]),
    ("meshgrid", 600, lambda: torch.meshgrid(row(20), row(30), indexing="ij")[0]),
    ("cartesian_prod", 600, lambda: torch.cartesian_prod(row(20), row(15))),
    ("repeat", 600, lambda: row(30).repeat(20, 1)),
    ("cat", 600, lambda: torch.cat([row(30)] * 20)),
    ("stack", 600, lambda: torch.stack([row(30)] * 20)),
    ("hstack", 600, lambda: torch.hstack([row(30)] * 20)),
    ("diag", 900, lambda: torch.diag(row(30))),
    ("diag offset", 900, lambda: torch.diag(row(29), 1)),
    ("block_diag", 900, lambda: torch.block_diag(torch.ones(20, 10), torch.ones(10, 20))),
    ("embedding", 600, lambda: F.embedding(idx(20), torch.ones(5, 30))),
    ("index_select", 600, lambda: torch.ones(5, 30).index_select(0, idx(20))),
    ("getitem", 600, lambda: torch.ones(5, 30)[idx(20)]),
    ("getitem broadcast", 600, lambda: torch.ones(5, 5)[idx(20)[:, None], idx(30)]),
    ("take_along_dim", 600, lambda: torch.take_along_dim(col(20), idx(30)[None], dim=1)),
    ("nonzero", 600, lambda: torch.nonzero(torch.ones(20, 15))),  # 300 nonzeros, 2 indices each
]

CASES = BROADCASTS + PRODUCTS + SHAPED


@pytest.mark.parametrize("name, numel, make", CASES, ids=[c[0] for c in CASES])
def test_results_sized_by_their_inputs_respect_the_limit(name, numel, make):
    limits.set_max_elements(numel)  # at the limit: computed
    assert make().numel() == numel
    limits.set_max_elements(numel - 1)  # one element over it: refused
    with pytest.raises(limits.ElementLimitError, match=f"would hold {numel:,} elements.* limit of {numel - 1:,} "):
        make()


@pytest.mark.parametrize("name, numel, make", CASES, ids=[c[0] for c in CASES])
def test_without_a_limit_the_same_results(name, numel, make):
    limits.set_max_elements(None)
    assert make().numel() == numel


# refused before numpy tries to allocate: these results would need terabytes
HUGE = [
    lambda: col(10**6) * row(10**6),
    lambda: torch.outer(row(10**6), row(10**6)),
    lambda: torch.kron(row(10**6), row(10**6)),
    lambda: torch.ones(10**6, 1) @ torch.ones(1, 10**6),
    lambda: torch.where(col(10**6, torch.bool), row(10**6), 0.0),
    lambda: col(10**6).expand(10**6, 10**6).contiguous(),
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
