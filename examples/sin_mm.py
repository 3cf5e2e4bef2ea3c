# L(x1, x2) = mean(sin(x1 @ x2 + x2))
import torch

x1 = torch.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
x2 = torch.tensor([[0.5, 0.6], [0.7, 0.8]], requires_grad=True)
y = torch.mm(x1, x2)
z = torch.sin(y + x2)
L = z.mean()
L.backward()
print(x1.grad, x2.grad)
