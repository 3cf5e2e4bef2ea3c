# Newton's method for a root of x^3 - 2x - 5 with autograd derivatives
import torch

x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
for i in range(6):
    f = x ** 3 - 2 * x - 5
    df, = torch.autograd.grad(f, x)
    with torch.no_grad():
        x -= f / df
    print(i, x.item(), f.item())
print(x)
