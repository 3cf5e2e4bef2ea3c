# tensors in if statements and format specs
import torch

loss = torch.tensor(0.005)
if loss < 0.01:
    print("converged", loss < 0.01)
print(f"{loss:.4f}", f"{torch.tensor(3):d}" if False else f"{torch.tensor(2.5):8.3f}")
x = torch.tensor([1.0, 2.0])
try:
    if x > 0:
        print("positive")
except RuntimeError as e:
    print(e)
try:
    print(f"{x:.2f}")
except TypeError as e:
    print(e)
print(bool(torch.tensor([0.0])), bool(torch.tensor(1)), float(torch.tensor([2.5])))
try:
    float(x)
except (RuntimeError, ValueError, TypeError) as e:
    print(type(e).__name__, e)
print(x.any(), x.all(), (x > 1).sum(), (x > 1).sum().item())
