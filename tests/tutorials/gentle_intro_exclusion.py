# "A Gentle Introduction": which results require gradients (the random values are never printed)
import torch

torch.manual_seed(0)
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)

a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
print(b.grad_fn.name())
print(x.shape, z.dtype, b.is_leaf, z.is_leaf)
