# autograd.grad of several outputs at once, with their own grad_outputs
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y1 = x ** 2
y2 = x.sin().sum()
g, = torch.autograd.grad([y1, y2], [x], grad_outputs=[torch.tensor([1.0, 0.5]), torch.tensor(2.0)])
print(g)
def horner(coeffs, t):
    if len(coeffs) == 1:
        return coeffs[0] * torch.ones_like(t)
    return coeffs[0] + t * horner(coeffs[1:], t)
t = torch.tensor(0.5, requires_grad=True)
p = horner([1.0, -2.0, 0.5, 3.0], t)
dp, = torch.autograd.grad(p, t, create_graph=True)
d2p, = torch.autograd.grad(dp, t)
print(p, dp, d2p)
