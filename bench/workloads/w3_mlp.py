import torch

# Big tensors: time should be the matrix products, not the bookkeeping around them.
BATCH = 256  # bench: param
WIDTH = 1024  # bench: param
STEPS = 50  # bench: param

torch.manual_seed(0)
x = torch.randn(BATCH, WIDTH)
weights = []
biases = []
for layer in range(4):
    w = torch.randn(WIDTH, WIDTH) / WIDTH ** 0.5
    w.requires_grad_()
    weights.append(w)
    biases.append(torch.zeros(WIDTH, requires_grad=True))

for step in range(STEPS):
    h = x
    for layer in range(4):
        h = torch.tanh(h @ weights[layer] + biases[layer])
    loss = (h * h).mean()
    loss.backward()

print(loss)
print(weights[0].grad.sum())
