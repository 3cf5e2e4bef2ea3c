# autograd.grad with grad_outputs, several inputs, allow_unused and retain_graph
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
u = torch.tensor([3.0], requires_grad=True)
y = w @ x
gx, gw = torch.autograd.grad(y, (x, w), grad_outputs=torch.tensor([1.0, -1.0]), retain_graph=True)
print(gx)
print(gw)
try:
    torch.autograd.grad(y.sum(), [x, u], retain_graph=True)
except RuntimeError as e:
    print(e)
gx, gu = torch.autograd.grad(y.sum(), [x, u], allow_unused=True)
print(gx, gu)
print(x.grad, w.grad)
