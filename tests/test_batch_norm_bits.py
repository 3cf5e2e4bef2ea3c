"""float32 batch_norm bit for bit against torch on random data: outputs, running_mean and
running_var over training steps and in evaluation, (N, C) and (N, C, L...) inputs, with and
without affine parameters (ops/batch_norm_f32.py models torch's kernels' roundings)."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.autograd.namespace import build_torch_module

gt = build_torch_module()

SHAPES = [(8, 3), (16, 5), (64, 10), (3, 2), (4, 3, 6), (8, 3, 1), (2, 4, 5, 5), (32, 16, 4, 4), (5, 7, 3, 2, 2)]


def run(lib, shape, affine, momentum, seed):
    rng = np.random.default_rng(seed)
    cls = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d", 5: "BatchNorm3d"}[len(shape)]
    m = getattr(lib.nn, cls)(shape[1], affine=affine, momentum=momentum)
    if affine:
        with lib.no_grad():
            m.weight.copy_(lib.tensor(rng.standard_normal(shape[1]).astype(np.float32)))
            m.bias.copy_(lib.tensor(rng.standard_normal(shape[1]).astype(np.float32)))
    seen = []
    for step in range(3):
        x = lib.tensor((rng.standard_normal(shape) * 2 + 1).astype(np.float32))
        if step == 2:
            m.eval()
        y = m(x)
        seen += [y.detach().numpy().copy(), m.running_mean.numpy().copy(), m.running_var.numpy().copy()]
    return seen


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_float32_bits(shape, affine, momentum):
    torch = pytest.importorskip("torch")
    for seed in range(3):
        for got, want in zip(run(gt, shape, affine, momentum, seed), run(torch, shape, affine, momentum, seed)):
            np.testing.assert_array_equal(got, want)
