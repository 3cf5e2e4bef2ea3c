# a Hessian-vector product: grad of (grad f . v)
import torch

x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
v = torch.tensor([0.5, 0.0, 1.0])
f = (x ** 2 * x.roll(1)).sum() + x.exp().sum()
g, = torch.autograd.grad(f, x, create_graph=True)
print(g)
hv, = torch.autograd.grad(g @ v, x)
print(hv)
H = torch.autograd.functional.hessian(lambda t: (t ** 2 * t.roll(1)).sum() + t.exp().sum(), x.detach())
print(H @ v)
print(torch.autograd.functional.hvp(lambda t: (t ** 2 * t.roll(1)).sum() + t.exp().sum(), x.detach(), v))
