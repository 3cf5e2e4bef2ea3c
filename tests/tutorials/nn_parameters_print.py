# printing modules, parameters and their gradients
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
print(net)
for name, param in net.named_parameters():
    print(name, param.shape, param.requires_grad)
print(sum(p.numel() for p in net.parameters()))
print(net[0])
print(net[1])
lin = nn.Linear(2, 2, bias=False)
print(lin.bias)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(lin.weight)
out = lin(torch.tensor([1.0, -1.0]))
print(out)
out.sum().backward()
print(lin.weight.grad)
