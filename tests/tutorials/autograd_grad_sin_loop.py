# repeated differentiation of sin: the derivatives cycle cos, -sin, -cos, sin
import torch

x = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
f = torch.sin(x)
for order in range(1, 5):
    f = torch.autograd.grad(f.sum(), x, create_graph=True)[0]
    print(order, f)
print(f.grad_fn)
