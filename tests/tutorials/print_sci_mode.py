# printing switches to scientific notation for wide ranges of magnitude
import torch

print(torch.tensor([1e-5, 1.0, 1e5]))
print(torch.tensor([0.0001, 0.001, 0.01]))
print(torch.tensor([123456789.0, 1.5]))
print(torch.tensor([1e-10, 2e-10]))
print(torch.tensor([1e10, -3e12], dtype=torch.float64))
print(torch.tensor(1e20), torch.tensor(-1e-20))
print(torch.tensor([float('inf'), float('-inf'), float('nan'), 1.5]))
print(torch.tensor([1.0, 2.0, 3.0]) / 3)
print(torch.tensor([100.0, 2000.5, 0.25]))
