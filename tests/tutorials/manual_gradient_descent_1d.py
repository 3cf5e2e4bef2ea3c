# minimise (x - 2)^2 by hand with a while loop
import torch

x = torch.tensor(10.0, requires_grad=True)
lr = 0.1
step = 0
while True:
    loss = (x - 2) ** 2
    loss.backward()
    with torch.no_grad():
        x -= lr * x.grad
    x.grad.zero_()
    step += 1
    if loss.item() < 1e-6:
        break
print(step, x, x.item())
