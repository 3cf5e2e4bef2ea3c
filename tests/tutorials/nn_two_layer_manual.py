# a two-layer network written with tensors and autograd (weights set explicitly)
import torch

x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [-1.0, 1.0, 1.0], [0.0, 2.0, -2.0]])
y = torch.tensor([[1.0], [0.0], [0.5], [-1.0]])
w1 = torch.tensor([[0.1, -0.2, 0.3, 0.0], [0.4, 0.1, -0.1, 0.2], [-0.3, 0.2, 0.05, 0.1]], requires_grad=True)
w2 = torch.tensor([[0.2], [-0.4], [0.3], [0.1]], requires_grad=True)
learning_rate = 0.05
for t in range(50):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 10 == 9:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
print(w1)
print(w2)
