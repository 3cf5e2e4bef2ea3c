# torch.set_printoptions(precision=..., sci_mode=...) changes how values print
import torch

x = torch.tensor([3.14159265, 2.71828182, 1e-3])
print(x)
torch.set_printoptions(precision=2)
print(x)
torch.set_printoptions(precision=6)
print(x)
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-5, 1e5]))
torch.set_printoptions(profile="default")
print(torch.tensor([1e-5, 1e5]))
