# logistic regression with sigmoid and BCELoss, manual parameters
import torch

x = torch.tensor([[0.5], [1.5], [2.5], [3.5], [4.5], [5.5]])
y = torch.tensor([[0.], [0.], [0.], [1.], [1.], [1.]])
w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
bce = torch.nn.BCELoss()
optimizer = torch.optim.SGD([w, b], lr=0.5)
for i in range(200):
    p = torch.sigmoid(x @ w + b)
    loss = bce(p, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if i % 50 == 0:
        print(i, loss.item(), w.item(), b.item())
print(torch.sigmoid(x @ w + b).round().squeeze())
