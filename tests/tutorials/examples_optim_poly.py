# "Learning PyTorch with examples": the nn fit with torch.optim.RMSprop (a cubic target instead of sin)
import torch

x = torch.linspace(-3.141592653589793, 3.141592653589793, 2000)
y = 0.9 * x - 0.15 * x ** 3
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.3, 0.1, -0.2]]))
    model[0].bias.zero_()
loss_fn = torch.nn.MSELoss(reduction='sum')

learning_rate = 1e-3
optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

linear_layer = model[0]
print(linear_layer.weight)
print(linear_layer.bias)
