# changing a tensor that backward needs makes backward fail with the version numbers
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x.exp()
z = y * 2
print(y._version)
y.add_(1)
print(y._version)
try:
    y.sum().backward()
    print(x.grad)
except RuntimeError as e:
    print(e)
a = torch.tensor([0.5, -0.5], requires_grad=True)
b = a.sigmoid()
c = b ** 2
b.mul_(3)
c.sum().backward()
