# freezing a parameter with requires_grad = False
import torch
import torch.nn as nn

model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[1.0, -1.0]]))
    model.bias.fill_(0.5)
model.bias.requires_grad = False
x = torch.tensor([[2.0, 3.0]])
out = model(x)
out.backward()
print(model.weight.grad, model.bias.grad)
print(out.grad_fn)
model.weight.requires_grad_(False)
out2 = model(x)
print(out2.requires_grad, out2.grad_fn)
