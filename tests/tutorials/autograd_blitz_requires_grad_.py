# .requires_grad_( ... ) changes an existing tensor's flag in place
import torch

a = torch.tensor([[0.5, -1.5], [2.0, 3.0]])
a = ((a * 3) / (a - 1))
print(a)
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
print(b)
