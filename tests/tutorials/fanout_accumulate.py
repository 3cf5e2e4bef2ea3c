# a tensor used in several places: contributions add up
import torch

x = torch.tensor(2.0, requires_grad=True)
a = x * x
b = x * 3
c = a + b + x
c.backward()
print(x.grad)
w = torch.tensor([1.0, -1.0], requires_grad=True)
l1 = (w ** 2).sum()
l2 = (w * 4).sum()
l1.backward()
l2.backward()
print(w.grad)
w.grad.zero_()
(l1 + l2).backward() if False else (w ** 2 + w * 4).sum().backward()
print(w.grad)
