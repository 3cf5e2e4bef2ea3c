# Higher-order derivatives with create_graph, and jacobian/hessian of a function
import torch
from torch.autograd.functional import jacobian, hessian

x = torch.tensor(1.5, requires_grad=True)
y = torch.sin(x) * x ** 2
d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x, create_graph=True)
d3, = torch.autograd.grad(d2, x)
print(d1, d2, d3, sep="\n")


def f(v):
    return (v ** 3).sum()


v = torch.tensor([1.0, 2.0])
print(jacobian(lambda t: t ** 2, v))
print(hessian(f, v))
