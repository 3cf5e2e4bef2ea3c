# changing a detached tensor in place bumps the shared version counter
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.tanh()
z = y.detach()
z.zero_()
print(y)
y.sum().backward()
