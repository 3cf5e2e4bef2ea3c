# torch.autograd.gradcheck compares analytical and numerical gradients (float64)
import torch
from torch.autograd import gradcheck

def f(a, b):
    return (a * b.sin()).sum(dim=0) + a.exp()

a = torch.tensor([[0.5, -0.2], [0.1, 0.3]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([[1.0, 2.0], [0.5, -1.0]], dtype=torch.float64, requires_grad=True)
print(gradcheck(f, (a, b), eps=1e-6, atol=1e-4))
print(torch.autograd.gradgradcheck(f, (a, b)))
