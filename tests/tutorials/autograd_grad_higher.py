# torch.autograd.grad with create_graph=True: second and third derivatives of x^3
import torch
from torch.autograd import grad

x = torch.tensor(3., requires_grad=True)
y = x ** 3
dy, = grad(y, x, create_graph=True)
print(dy)
d2y, = grad(dy, x, create_graph=True)
print(d2y)
d3y = grad(d2y, x)[0]
print(d3y)
print(x.grad)
