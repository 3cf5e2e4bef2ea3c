# nn.Sequential with Tanh, weights copied in, trained with Adam
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, -0.5], [0.3, 0.8], [-0.6, 0.1]]))
    model[0].bias.copy_(torch.tensor([0.1, -0.1, 0.0]))
    model[2].weight.copy_(torch.tensor([[0.7, -0.2, 0.4]]))
    model[2].bias.fill_(0.05)
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
opt = torch.optim.Adam(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for step in range(60):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
    if step % 15 == 0:
        print(step, round(loss.item(), 6))
print(model(X).detach())
for name, p in model.named_parameters():
    print(name, p.shape, p.grad is not None)
