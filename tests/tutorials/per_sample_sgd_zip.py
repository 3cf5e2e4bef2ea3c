# stochastic gradient descent one sample at a time, iterating over tensor rows with zip
import torch

X = torch.tensor([[1.0, 2.0], [2.0, 0.5], [3.0, -1.0], [0.0, 1.0]])
Y = torch.tensor([5.0, 3.0, 1.0, 2.0])
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(3):
    total = 0.0
    for i, (x_i, y_i) in enumerate(zip(X, Y)):
        pred = x_i @ w + b
        loss = (pred - y_i) ** 2
        loss.backward()
        with torch.no_grad():
            w -= 0.05 * w.grad
            b -= 0.05 * b.grad
        w.grad.zero_()
        b.grad.zero_()
        total += loss.item()
    print(epoch, round(total, 5), w.tolist(), b.item())
for row in X[:2]:
    print(row, row.shape)
