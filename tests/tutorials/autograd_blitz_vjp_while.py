# vector-Jacobian product: y is doubled until its norm passes 1000
import torch

x = torch.tensor([0.3, -1.2, 0.8], requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print(y.grad_fn)
