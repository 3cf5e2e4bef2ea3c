# torch.autograd.functional.jacobian and hessian
import torch
from torch.autograd.functional import jacobian, hessian

def f(x):
    return x ** 2 + 3 * x

x = torch.tensor([1.0, 2.0, 3.0])
print(jacobian(f, x))

def g(x):
    return (x ** 3).sum() + x[0] * x[1]

print(hessian(g, x))

def h(a, b):
    return a * b + b.exp()

J = jacobian(h, (torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5])))
print(J)
