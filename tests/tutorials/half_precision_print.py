# float16 tensors: values near the top of the range, rounding of Python floats, printing
import torch

h = torch.tensor([65199.99999999999, 0.1, 1e-5, 70000.0, -65504.0], dtype=torch.float16)
print(h)
print(h.tolist())
d = torch.tensor([65199.99999999999, 1.0000000000000002, 0.3], dtype=torch.float64)
print(d.half(), d.to(torch.float16).tolist())
print(torch.full((2,), 65199.99999999999, dtype=torch.float16))
print(torch.ones(3, dtype=torch.float16) / 3, torch.tensor([1.5, 2.5], dtype=torch.float16).float())
