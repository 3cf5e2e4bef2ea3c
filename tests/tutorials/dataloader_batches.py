# TensorDataset and DataLoader (no shuffling) feeding mini-batches to a linear model
import torch
from torch.utils.data import TensorDataset, DataLoader

X = torch.arange(12.0).reshape(6, 2) / 10
Y = X.sum(dim=1, keepdim=True) * 2 + 1
ds = TensorDataset(X, Y)
print(len(ds), ds[0])
loader = DataLoader(ds, batch_size=4, shuffle=False)
model = torch.nn.Linear(2, 1)
with torch.no_grad():
    model.weight.fill_(0.1)
    model.bias.fill_(0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, xb.shape, loss.item())
