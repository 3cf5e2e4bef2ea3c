# a gradient penalty: backward through the norm of a gradient (create_graph)
import torch

w = torch.tensor([[1.0, -0.5], [0.25, 2.0]], requires_grad=True)
x = torch.tensor([[0.5, 1.0]], requires_grad=True)
out = torch.tanh(x @ w).sum()
g, = torch.autograd.grad(out, x, create_graph=True)
print(g)
penalty = (g.norm(2) - 1) ** 2
print(penalty)
penalty.backward()
print(w.grad)
print(x.grad)
