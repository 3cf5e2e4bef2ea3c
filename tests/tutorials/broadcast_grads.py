# gradients of broadcast operands are summed back to their shapes
import torch

a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
b = torch.tensor([[10.0, 20.0, 30.0, 40.0]], requires_grad=True)
c = torch.tensor(2.0, requires_grad=True)
y = (a * b + c) ** 2
print(y.shape)
y.mean().backward()
print(a.grad)
print(b.grad)
print(c.grad)
