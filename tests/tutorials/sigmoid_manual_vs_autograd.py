# the derivative of sigmoid by hand, s * (1 - s), against autograd
import torch

x = torch.linspace(-3, 3, 7, requires_grad=True)
s = torch.sigmoid(x)
s.sum().backward()
print(x.grad)
manual = s * (1 - s)
print(manual.detach())
print(torch.allclose(x.grad, manual))
print((x.grad - manual).abs().max().item())
t = torch.tanh(x)
g, = torch.autograd.grad(t.sum(), x)
print(g)
print(1 - t.detach() ** 2)
