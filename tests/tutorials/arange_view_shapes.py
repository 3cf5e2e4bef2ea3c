# arange with float steps, view with -1, keepdim reductions
import torch

r = torch.arange(0, 1, 0.1)
print(r, len(r), r.dtype)
print(torch.arange(1, 10, 3), torch.arange(5, dtype=torch.float64))
x = torch.arange(12.)
print(x.view(-1, 4))
print(x.view(2, -1).sum(dim=1, keepdim=True))
print(x.view(3, 4).mean(0), x.view(3, 4).mean(1, keepdim=True).shape)
print(torch.tensor([1, 2, 3.]), torch.tensor([1, 2, 3.]).dtype)
print(x.data[:3], x.numel(), x.view(2, 2, 3).size(-1))
print(torch.linspace(-1, 1, steps=5), torch.logspace(0, 2, steps=3))
