# c = a @ b; c.backward(v) gives a.grad = v @ b^T and b.grad = a^T @ v
import torch
import torch.nn as nn

a = nn.Parameter(torch.tensor([[0., 0.], [2., 2.]]))
b = nn.Parameter(torch.tensor([[1., 2.], [1., 2.]]))
c = torch.matmul(a, b)
c.backward(torch.tensor([[1., 2.], [3., 4.]]))
print(a.grad, b.grad)
