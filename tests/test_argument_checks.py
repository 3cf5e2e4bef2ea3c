"""Argument checks as torch's: the order of checks of in-place ops on leaves, float arguments and
float dims, casts before kernels, odd arguments of the newer ops; each program compared with PyTorch."""

import pytest

from ops_more_util import calls, same_output


# -- argument checks: in-place ops on a leaf that requires grad check the leaf first ----------------

_LEAF_SETUP = """g = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
g3 = torch.ones(2, 2, 2, requires_grad=True)
b = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
"""


@pytest.mark.parametrize("expr", calls("inplace_leaf_order"))
def test_in_place_ops_check_the_leaf_in_torchs_order(expr):
    same_output(expr, _LEAF_SETUP)


# -- argument checks: a float argument takes a number or a 0-d tensor, not another tensor ----------

@pytest.mark.parametrize("expr", calls("float_arguments"))
def test_float_arguments_as_torchs_parser_takes_them(expr):
    same_output(expr, "b = torch.tensor([[0.5, 0.2, 0.0], [0.25, 0.9, 1.0]])\n")


@pytest.mark.parametrize("expr", calls("dtype_instances"))
def test_torch_dtype_makes_no_instances(expr):
    same_output(expr, "b = torch.ones(2)\n")


@pytest.mark.parametrize("expr", calls("softmin_bool"))
def test_softmin_negates_before_its_dim_is_parsed(expr):
    same_output(expr, "t = torch.tensor([True, False, True])\nb = torch.ones(2, 3)\n")


# -- argument checks: a float where torch's parser wants an int (dims of 0-d tensors too) -----------

_FLOAT_DIM_SETUP = """a = torch.tensor(2.5)
b = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
g = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
t = torch.tensor([True, False, True])
"""


@pytest.mark.parametrize("expr", calls("float_dims"))
def test_float_dims_are_refused_as_torchs_parser_does(expr):
    same_output(expr, _FLOAT_DIM_SETUP)


@pytest.mark.parametrize("expr", calls("inplace_cast_first"))
def test_in_place_division_refuses_the_cast_before_its_kernel(expr):
    same_output(expr, "t = torch.tensor([True, False, True])\ni = torch.tensor([3, -2, 0])\n"
                       "f = torch.tensor([1.5, -2.0, 0.5])\n")


@pytest.mark.parametrize("expr", calls("matrix_leftovers"))
def test_new_ops_odd_arguments_as_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\nz = torch.tensor(3)\n")


@pytest.mark.parametrize("expr", calls("matrix_leftovers2"))
def test_new_ops_edge_arguments_as_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"
                       "d = torch.tensor([1.5, -2.0, 0.0], dtype=torch.float64)\nz = torch.tensor(2.5)\n"
                       "e = torch.zeros(0, 3)\nzi = torch.tensor(3)\n")


@pytest.mark.parametrize("expr", calls("matrix_leftovers3"))
def test_new_ops_kernels_and_check_order_as_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\nt = torch.tensor([True, False, True])\n"
                      "z = torch.tensor(3)\ne = torch.zeros(0, 3)\n"
                      "d = torch.tensor([1.5, -2.0, 0.0], dtype=torch.float64)\ni = torch.tensor([[3, -2, 0], [1, 5, -7]])\n")
