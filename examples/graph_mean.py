# The computation graph of L = mean(Y - x1 * w1 * w2): leaves and results
import torch

x1 = torch.tensor([2, 3, 4, 5], dtype=torch.float, requires_grad=True)
w1 = torch.ones(4)
w1.requires_grad = True
w2 = torch.Tensor([1, 2, 3, 4])
w2.requires_grad_(True)
x2 = x1 * w1
y = x2 * w2
Y = torch.ones(4, requires_grad=True)
L = (Y - y).mean()
L.backward()
print(x1.grad)
