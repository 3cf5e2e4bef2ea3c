# A tensor hook written as a lambda, a def with defaults, and closures over loop values
import torch

def scaled(t, factor=2.0):
    return t * factor

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x.register_hook(lambda g: g * 10)
y = scaled(x, factor=3.0).sum()
y.backward()
print(x.grad)
h.remove()
powers = [lambda t, k=k: t ** k for k in range(1, 4)]
print([p(torch.tensor(2.0)).item() for p in powers])
