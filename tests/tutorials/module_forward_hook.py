# a forward hook sees a module's inputs and output
import torch
import torch.nn as nn

lin = nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[2.0, -1.0]]))
    lin.bias.fill_(0.5)

def fwd(module, inputs, output):
    print("forward:", type(module).__name__, inputs[0], output)

h = lin.register_forward_hook(fwd)
x = torch.tensor([[1.0, 3.0]], requires_grad=True)
lin(x).sum().backward()
h.remove()
lin(x).sum().backward()
print(x.grad)
