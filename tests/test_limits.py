"""--max-elements refuses a tensor before numpy allocates it; other limits are said as gradcli's."""

import io

import pytest

from gradcli.autograd import build_torch_module, limits
from gradcli.errors import LimitExceeded
from gradcli.interp import run
from gradcli.syntax import parse

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


# ops whose output size comes from an int argument, not from their inputs' sizes
SIZED_BY_AN_ARGUMENT = [
    lambda n: torch.zeros(3).histc(n),
    lambda n: torch.bincount(torch.tensor([1]), minlength=n),
    lambda n: torch.bincount(torch.tensor([n - 1])),
    lambda n: torch.ones(2).repeat_interleave(n // 2),
    lambda n: torch.repeat_interleave(torch.tensor([n])),
    lambda n: torch.nn.functional.pad(torch.ones(2), (0, n)),
    lambda n: torch.nn.functional.pad(torch.ones(1, 2), (n, 0), mode="replicate"),
    lambda n: torch.nn.functional.interpolate(torch.ones(1, 1, 2), size=n),
    lambda n: torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=n / 2, mode="linear"),
    lambda n: torch.nn.functional.adaptive_avg_pool1d(torch.ones(1, 2), n),
]


@pytest.mark.parametrize("make", SIZED_BY_AN_ARGUMENT)
def test_ops_sized_by_an_argument_respect_the_limit(make):
    limits.set_max_elements(1000)
    make(10)  # well under it
    with pytest.raises(limits.ElementLimitError, match="more than the limit of 1,000 "):
        make(10**6)


def test_limit_is_settable():
    limits.set_max_elements(10)
    assert torch.ones(2, 5).numel() == 10
    with pytest.raises(limits.ElementLimitError, match="more than the limit of 10 "):
        torch.ones(11)


@pytest.mark.parametrize("line", ["y = torch.ones([1] * 65)", "y = torch.ones([1] * 64)[None]",
                                  "y = torch.ones([1] * 64).unsqueeze(0)", "y = torch.ones([1] * 64).reshape([1] * 65)"])
def test_more_than_64_dimensions_is_a_stated_limit(line):
    # numpy's arrays stop at 64 dimensions where torch's do not: said as gradcli's limit, exit 1
    with pytest.raises(LimitExceeded, match=r"^RuntimeError: gradcli's tensors have at most 64 dimensions, "
                                            r"this one would have 65 \(PyTorch allows more\)$"):
        run(parse(f"import torch\n{line}\n", "p.py"), stdout=io.StringIO())


def test_running_out_of_memory_outside_an_expression_is_one_message(monkeypatch):
    # compiling a huge program can run out of memory where no expression is running yet
    from gradcli.errors import ProgramRuntimeError
    from gradcli.interp import runner

    def no_memory(module, ctx):
        raise MemoryError
    monkeypatch.setattr(runner, "_compile", no_memory)
    with pytest.raises(ProgramRuntimeError, match="^MemoryError: not enough memory to run this program$"):
        run(parse("x = 1\n", "p.py"), stdout=io.StringIO())
