# One tensor feeding three ops: its gradient is the sum of three paths (x*x counts twice).
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
u = x * x
v = torch.sin(x) + b
s = (u + v * x).sum()
