# changing .data bypasses the version check: backward runs, with the changed saved value
import torch

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
s = x.sigmoid()
print(s._version)
s.data.mul_(2)
print(s._version, s)
s.sum().backward()
print(x.grad)
y = torch.tensor([0.5, 2.0], requires_grad=True)
e = y.exp()
e.detach().zero_()
print(e._version)
try:
    e.sum().backward()
except RuntimeError as err:
    print(err)
