"""Values and gradients at special points (kinks, bounds, thresholds, ties, nan, ±inf, ±0)
against torch: the table is special_points_table.py, the harness special_points.py."""

from __future__ import annotations

import sys

import pytest

from special_points import Case, describe, differences
from special_points_table import CASES, FAMILIES, VECTORIZED_SKIP


@pytest.mark.parametrize("family", FAMILIES)
def test_values_and_gradients_at_special_points_match_torch(family):
    torch = pytest.importorskip("torch")
    found = [d for name, case in FAMILIES[family].items() for d in differences(torch, name, case)]
    assert not found, describe(found)


def test_elementwise_points_in_long_tensors_match_torch():
    """The same points in tensors of 40: through torch's vectorized loops."""
    torch = pytest.importorskip("torch")
    found = []
    for name, case in CASES.items():
        if hasattr(case.sets, "long") and name not in VECTORIZED_SKIP:
            found += differences(torch, name, Case(case.fn, case.sets.long, case.grad, case.second, case.skip,
                                                   case.dtypes))
    assert not found, describe(found)


def main() -> int:
    """python tests/test_special_points.py [name...]: every difference of the table, in full."""
    import torch
    only = sys.argv[1:]
    found = [d for name, case in CASES.items() if not only or any(o in name for o in only)
             for d in differences(torch, name, case)]
    for d in found:
        print(describe([d]).rsplit("\n", 1)[0])
    print(len(found), "differences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
