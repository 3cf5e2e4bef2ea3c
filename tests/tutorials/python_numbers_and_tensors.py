# Python numbers on either side of an operator, division by zero, integer tensors
import torch

x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
y = 2 ** x + 1 - x / 2 + 3 * x - 10 / x
print(y)
y.sum().backward()
print(x.grad)
print(torch.tensor([1.0, -1.0, 0.0]) / 0)
print(torch.tensor([7, -7]) // 2, torch.tensor([7, -7]) % 3, torch.tensor([7, -7]) / 2)
try:
    torch.tensor([1, 2]) // 0
except RuntimeError as e:
    print(e)
print(torch.tensor(5) * 2, 5 - torch.tensor(2), -torch.tensor([1, 2]))
print(abs(torch.tensor(-2.5)), max(torch.tensor(1.0), torch.tensor(2.0)), round(torch.tensor(2.567).item(), 2))
