# XOR with a 2-4-1 sigmoid network trained for 500 steps: full-precision losses along the way
import torch
import torch.nn as nn

X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
model = nn.Sequential(nn.Linear(2, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid())
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, -0.4], [0.3, 0.8], [-0.7, 0.2], [0.9, 0.6]]))
    model[0].bias.copy_(torch.tensor([0.1, -0.2, 0.05, -0.3]))
    model[2].weight.copy_(torch.tensor([[0.6, -0.5, 0.4, -0.3]]))
    model[2].bias.fill_(0.0)
loss_fn = nn.BCELoss()
opt = torch.optim.SGD(model.parameters(), lr=2.0)
for step in range(500):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
    if step % 100 == 0:
        print(step, loss.item())
print(model(X).detach().squeeze())
print((model(X) > 0.5).float().squeeze().tolist())
