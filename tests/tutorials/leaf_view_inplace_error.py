# a view of a leaf also refuses in-place changes
import torch

x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
row = x[0]
print(row, row.is_leaf, row._base is x)
row.mul_(2)
