"""Big float32 inputs are computed on several threads (ops/parallel.py): the result must be
the single-threaded float64-then-round result, bit for bit, for every size and layout."""

import warnings

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401  (the engine's error state: warnings off)
from gradcli.autograd.ops.parallel import GRAIN, via_float64

SIZES = [0, 1, 7, 2 * GRAIN - 1, 2 * GRAIN, 2 * GRAIN + 3, 5 * GRAIN + 11]


@pytest.mark.parametrize("fn", [np.exp, np.tanh, np.sin, np.log1p, np.log])
@pytest.mark.parametrize("n", SIZES)
def test_same_bits_as_one_thread(fn, n):
    a = (np.random.default_rng(n).standard_normal(n) * 3).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log of negatives: nan, silently, on every thread
        got = via_float64(fn, a.reshape(1, n))
    want = fn(a.astype(np.float64)).astype(np.float32).reshape(1, n)
    assert got.dtype == np.float32 and got.shape == (1, n)
    assert np.array_equal(got, want, equal_nan=True)


def test_strided_input():
    b = np.random.default_rng(0).standard_normal((400, 1200)).astype(np.float32)[:, ::2]
    assert np.array_equal(via_float64(np.exp, b), np.exp(b.astype(np.float64)).astype(np.float32))
