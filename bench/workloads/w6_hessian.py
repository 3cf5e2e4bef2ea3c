import torch

# Higher order: every row of the Hessian is one backward pass through a create_graph gradient.
N = 300  # bench: param

x = torch.linspace(-2.0, 3.0, N, dtype=torch.float64)
x.requires_grad_()
f = (torch.sin(x) * x ** 2).sum() + x.sum() ** 2
g = torch.autograd.grad(f, x, create_graph=True)[0]
rows = []
for i in range(N):
    rows.append(torch.autograd.grad(g[i], x, retain_graph=True)[0])
H = torch.stack(rows)
print(H.shape)
print(H.sum())
print(H[:2, :3])
