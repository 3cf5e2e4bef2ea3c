# L = mean(sin(x1 x2 + x2)) with fixed inputs, then the chain rule by hand
import torch

x1 = torch.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
x2 = torch.tensor([[0.5, -0.5], [1.0, 0.25]], requires_grad=True)
y = torch.mm(x1, x2)
z = torch.sin(y + x2)
L = z.mean()
L.backward()
print(x1.grad, x2.grad)
dz = torch.cos(y + x2).detach() / 4
print(dz @ x2.detach().t())
print(x1.detach().t() @ dz + dz)
