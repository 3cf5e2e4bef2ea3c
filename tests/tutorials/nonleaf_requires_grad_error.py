# requires_grad can only be changed on leaves; .grad of a non-leaf warns and is None
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
try:
    y.requires_grad = False
except RuntimeError as e:
    print(e)
try:
    y.requires_grad = True
except RuntimeError as e:
    print(e)
y.requires_grad_(True)
y.sum().backward()
print(y.grad)
z = y.detach()
z.requires_grad = True
print(z.is_leaf, z.requires_grad, z.grad_fn)
