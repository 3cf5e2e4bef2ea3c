"""The nn.functional ops added this session, called with wrong arguments, end as the op fuzzer
wants (tests/fuzz/oracle.py): a program error in torch's or Python's words, never numpy's or an
exception escaping from gradcli's own expressions."""

from __future__ import annotations

import pytest

from fuzz.oracle import check_in_process

FUNCTIONS = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "max_pool1d",
             "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d",
             "group_norm", "instance_norm", "prelu", "dropout1d", "dropout2d", "dropout3d", "feature_alpha_dropout",
             "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "cosine_embedding_loss",
             "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss", "multilabel_soft_margin_loss",
             "interpolate", "rms_norm", "unfold", "fold", "pixel_shuffle", "pixel_unshuffle", "pad"]
VALUES = ["2.5", "'x'", "None", "True", "-1", "[1, 2]", "a", "d"]
HEAD = ("import torch\nimport torch.nn.functional as F\na = torch.randn(2, 3, 4, 4)\nb = torch.randn(3, 4)\n"
        "d = torch.randn(0, 3, 5)\n")


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_wrong_arguments_end_well(fn):
    calls = [f"F.{fn}({v})" for v in VALUES]
    calls += [f"F.{fn}({first}, {v})" for first in ("a", "b") for v in VALUES]
    calls += [f"F.{fn}({v}, a)" for v in VALUES]
    calls += [f"F.{fn}(a, {v}, {w})" for v in ("a", "2") for w in VALUES]
    failures = []
    for call in calls:
        verdict = check_in_process((HEAD + f"y = {call}\n").encode())
        if not verdict.ok:
            failures.append((call, verdict.detail[:300]))
    assert not failures, failures[:3]
