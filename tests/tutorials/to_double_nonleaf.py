# converting dtype records a node: the result is not a leaf
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
d = x.double()
print(d, d.is_leaf, d.grad_fn)
(d ** 2).sum().backward()
print(x.grad, x.grad.dtype)
f = torch.tensor([1.0, 2.0], dtype=torch.float64).float().requires_grad_()
print(f, f.is_leaf)
h = x.to(torch.float16)
print(h.dtype, h.grad_fn)
print(x.float() is x, x.to(torch.float32) is x)
