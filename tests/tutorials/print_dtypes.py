# int64, bool, float64, negative zero and empty tensors print as torch prints them
import torch

print(torch.tensor([1, 2, 3]))
print(torch.tensor([-0.0, 0.0, 1.0]))
print(torch.tensor(-0.0))
print(torch.tensor([True, False, True]))
print(torch.tensor([1.5, 2.5], dtype=torch.float64))
print(torch.tensor([1, 2], dtype=torch.int32))
print(torch.tensor([[1, -20], [300, 4]]))
print(torch.tensor([]))
print(torch.zeros(0, 3))
print(torch.tensor(7))
print(torch.tensor(2.5, dtype=torch.float64))
print(torch.tensor([1., 2.], requires_grad=True) * 2)
print(torch.tensor([0.1, 0.2], dtype=torch.float64, requires_grad=True))
print(torch.tensor([1, 2]).float(), torch.tensor([1.7, -1.7]).long())
print(torch.tensor([2.0, 3.0]) > 2.5)
print(repr(torch.tensor([1.0])), str(torch.tensor([1.0])))
