# seed 002: an in-place op on a leaf that requires grad fails as in PyTorch
import torch

a = torch.ones((1, ))
print(a)
a = a + torch.ones((1, ))
print(a)
a += torch.ones((1, ))
print(a)

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
w.add_(1)
y.backward()
