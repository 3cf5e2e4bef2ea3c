# a Jacobian-vector product with the double-backward trick, checked against functional.jvp
import torch

x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
v = torch.tensor([1.0, 0.0, 2.0])
y = torch.stack([x[0] * x[1], x[1] ** 2, x.sum().tanh()])
u = torch.zeros_like(y, requires_grad=True)
g, = torch.autograd.grad(y, x, grad_outputs=u, create_graph=True)
jvp, = torch.autograd.grad(g, u, grad_outputs=v)
print(jvp)

def f(x):
    return torch.stack([x[0] * x[1], x[1] ** 2, x.sum().tanh()])

out, jv = torch.autograd.functional.jvp(f, x.detach(), v)
print(out)
print(jv)
