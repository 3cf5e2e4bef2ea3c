"""The float32 policy (ops/float32_math.py): below LARGE elements, float64 rounded once (torch's
bits); from LARGE on, numpy's float32 loop. Both sides of the line, every function that uses it."""

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401  (the engine's error state: warnings off)
from gradcli.autograd.ops import elementwise as E
from gradcli.autograd.ops.float32_math import LARGE, one_minus_square, via_float64
from gradcli.autograd.tensor import wrap

FUNCTIONS = {"exp": np.exp, "tanh": np.tanh, "sin": np.sin, "cos": np.cos, "log1p": np.log1p}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("n", [1, 7, LARGE - 1, LARGE, LARGE + 5])
def test_each_side_of_the_line(name, n):
    fn = FUNCTIONS[name]
    a = np.abs(np.random.default_rng(n).standard_normal(n) * 2).astype(np.float32)
    got = getattr(E, name)(wrap(a))._data
    want = fn(a) if n >= LARGE else fn(a.astype(np.float64)).astype(np.float32)
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert np.array_equal(via_float64(fn, a), want)


@pytest.mark.parametrize("n", [5, LARGE])
def test_tanh_derivative_factor(n):
    y = np.tanh(np.random.default_rng(0).standard_normal(n)).astype(np.float32)
    got = one_minus_square(y)
    want = (np.float32(1) - y * y) if n >= LARGE else (1 - np.square(y.astype(np.float64))).astype(np.float32)
    assert got.dtype == np.float32 and np.array_equal(got, want)
