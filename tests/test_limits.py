"""--max-elements refuses a tensor before numpy allocates it."""

import pytest

from gradcli.autograd import build_torch_module, limits

torch = build_torch_module()


@pytest.fixture(autouse=True)
def _restore():
    yield
    limits.set_max_elements(None)


@pytest.mark.parametrize("make", [
    lambda: torch.ones(100000, 100000),
    lambda: torch.zeros((100000, 100000)),
    lambda: torch.full((100000, 100000), 1.5),
    lambda: torch.randn(100000, 100000),
    lambda: torch.rand(100000, 100000),
])
def test_default_limit_refuses_huge_tensors(make):
    with pytest.raises(limits.ElementLimitError, match=r"10,000,000,000 elements.*--max-elements"):
        make()


def test_limit_is_settable():
    limits.set_max_elements(10)
    assert torch.ones(2, 5).numel() == 10
    with pytest.raises(limits.ElementLimitError, match="more than the limit of 10 "):
        torch.ones(11)
