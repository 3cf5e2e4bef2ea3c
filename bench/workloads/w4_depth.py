import torch

# Depth: a graph one node wide and N nodes long; backward must not recurse.
N = 300000  # bench: param

x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(N):
    y = y * 1.000001
y.backward()
print(y)
print(x.grad)
