# Variable-era code (PyTorch 0.3 tutorials): Variable wraps a tensor, .data and .grad
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2, 2), requires_grad=True)
print(x)
y = x + 2
print(y.data)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
print(x.grad.data)
print(type(x), type(x.data))
w = Variable(torch.Tensor([1.5, -2.0]))
print(w, w.requires_grad)
