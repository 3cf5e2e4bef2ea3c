# "What is torch.nn really?": log_softmax and nll by hand, indexing with range(n)
import torch

def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)

def model(xb):
    return log_softmax(xb @ weights + bias)

def nll(input, target):
    return -input[range(target.shape[0]), target].mean()

def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()

xb = torch.tensor([[0.2, 0.9, -0.3, 0.5], [1.0, -0.5, 0.25, 0.0], [-0.4, 0.1, 0.8, -0.9]])
yb = torch.tensor([1, 0, 2])
weights = torch.tensor([[0.1, -0.2, 0.05], [0.3, 0.1, -0.1], [-0.2, 0.2, 0.4], [0.05, -0.3, 0.1]])
weights.requires_grad_()
bias = torch.zeros(3, requires_grad=True)
preds = model(xb)
print(preds[0], preds.shape)
loss_func = nll
print(loss_func(preds, yb), accuracy(preds, yb))
lr = 0.5
for epoch in range(3):
    pred = model(xb)
    loss = loss_func(pred, yb)
    loss.backward()
    with torch.no_grad():
        weights -= weights.grad * lr
        bias -= bias.grad * lr
        weights.grad.zero_()
        bias.grad.zero_()
    print(epoch, loss.item())
print(loss_func(model(xb), yb), accuracy(model(xb), yb))
import torch.nn.functional as F
print(F.cross_entropy(xb @ weights + bias, yb))
