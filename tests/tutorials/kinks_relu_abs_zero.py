# gradients at kinks: relu, abs, clamp, max and sqrt at 0
import torch

x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
torch.relu(x).sum().backward()
print(x.grad)
x.grad = None
x.abs().sum().backward()
print(x.grad)
x.grad = None
x.clamp(0.0, 1.0).sum().backward()
print(x.grad)
x.grad = None
torch.max(x, torch.zeros(3)).sum().backward()
print(x.grad)
x.grad = None
z = torch.tensor([0.0, 4.0], requires_grad=True)
z.sqrt().sum().backward()
print(z.grad)
n = torch.zeros(3, requires_grad=True)
n.norm().backward()
print(n.grad)
