import torch

# Per-op overhead: three tiny ops per iteration, one long chain to backward through.
N = 100000  # bench: param

x = torch.tensor(0.5, requires_grad=True)
y = torch.tensor(0.0)
for i in range(N):
    y = torch.sin(y) * 0.9 + x
y.backward()
print(y)
print(x.grad)
