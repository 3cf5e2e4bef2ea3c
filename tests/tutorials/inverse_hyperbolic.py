# asinh, acosh and atanh and their derivatives
import torch

x = torch.tensor([0.25, 0.5, 0.75], requires_grad=True)
y = torch.asinh(x) + torch.acosh(x + 1) + torch.atanh(x)
print(y)
y.sum().backward()
print(x.grad)
print(1 / (x ** 2 + 1).sqrt() + 1 / ((x + 1) ** 2 - 1).sqrt() + 1 / (1 - x ** 2))
print(x.arcsinh().grad_fn, x.atanh().grad_fn, x.acosh().grad_fn)
