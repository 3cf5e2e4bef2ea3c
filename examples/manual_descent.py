# Gradient descent by hand under no_grad, stopping with a while loop
import torch

x = torch.tensor([3.0, -2.0], requires_grad=True)
lr = 0.1
n = 0
loss = (x ** 2).sum()
while loss.item() > 1e-3:
    loss = (x ** 2).sum()
    loss.backward()
    with torch.no_grad():
        x -= lr * x.grad
    x.grad.zero_()
    n += 1
print(n, x, loss.item() < 1e-3)
