# only floating point (and complex) tensors can require gradients
import torch

try:
    x = torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print(e)
x = torch.tensor([2, 3, 4, 5], dtype=torch.float, requires_grad=True)
print(x)
n = torch.arange(4)
print(n.dtype)
try:
    n.requires_grad_()
except RuntimeError as e:
    print(e)
try:
    n.requires_grad = True
except RuntimeError as e:
    print(e)
m = torch.ones(3, dtype=torch.long)
print(m * 2.5)
