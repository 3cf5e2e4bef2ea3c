# 0-d tensors: derivatives of scalar functions, printing and item()
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3 + 2 * x ** 2 - 5 * x + 1
print(y, y.shape, y.dim())
y.backward()
print(x.grad)
t = torch.tensor(0.5, requires_grad=True)
f = torch.sin(t) * torch.exp(-t)
f.backward()
print(f.item(), t.grad.item())
print(torch.tensor(3.0) * torch.tensor([1.0, 2.0]))
print(x.grad.shape, torch.tensor(1.5).tolist())
