# long rows wrap at 80 characters; float64 and large values
import torch

print(torch.arange(30.) * 1.5)
print(torch.linspace(0, 1, 20, dtype=torch.float64))
print(torch.arange(25).reshape(1, 25) * 1000)
print(torch.tensor([12345.678, 0.5]))
print(torch.tensor([1e-4]), torch.tensor([0.1, 100000.0]), torch.tensor([123456.0, 7.0]))
print(torch.tensor([[1e-3, 2e-3], [3e-3, 4e3]]))
print(torch.tensor([10**12, -5]))
print(torch.arange(6.).reshape(2, 3).t())
print(torch.tensor([[True, False], [False, True]]))
print(torch.full((2, 2), 7.0, requires_grad=True))
print(torch.tensor([0.1, 0.25], dtype=torch.float64, requires_grad=True) + 1)
