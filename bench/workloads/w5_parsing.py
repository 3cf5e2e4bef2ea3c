import torch

# Parsing: the runner puts LINES straight-line statements where the body marker is.
bench_nonce = 0  # bench: param

a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor([1.5, 0.25, -0.75])
v = a * 1.0
u = b * 1.0
s = v.sum()
# bench: body
loss = (v * v).sum() + s
loss.backward()
print(loss)
print(a.grad)
