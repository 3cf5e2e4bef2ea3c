# a classic mistake: w = w - lr * w.grad makes w a non-leaf, so its .grad is None next time
import torch

x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.5, requires_grad=True)
for step in range(3):
    loss = ((w * x - y) ** 2).mean()
    loss.backward()
    print(step, loss.item(), w.grad, w.is_leaf)
    w = w - 0.1 * w.grad
