# torch.cat and torch.stack route gradients back to each piece
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)
c = torch.cat([a, b])
print(c, c.grad_fn)
(c * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(a.grad, b.grad)
p = torch.tensor([1.0, 2.0], requires_grad=True)
q = torch.tensor([3.0, 4.0], requires_grad=True)
s = torch.stack([p, q], dim=1)
print(s)
s.prod(dim=1).sum().backward()
print(p.grad, q.grad)
parts = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True).chunk(2)
print(parts)
