# in-place ops on non-leaf tensors are fine when nothing saved them
import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
print(y.grad_fn)
y.add_(1)
print(y.grad_fn, y._version)
y.relu_()
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
z = x.clone()
z[1] = 0.0
print(z, z.grad_fn)
(z * z).sum().backward()
print(x.grad)
