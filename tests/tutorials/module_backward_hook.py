# a full backward hook on a module sees grad_input and grad_output
import torch
import torch.nn as nn

lin = nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[2.0, -1.0]]))
    lin.bias.fill_(0.5)

def fwd(module, inputs, output):
    print("forward:", inputs[0], output)

def bwd(module, grad_input, grad_output):
    print("backward:", grad_input, grad_output)

h1 = lin.register_forward_hook(fwd)
h2 = lin.register_full_backward_hook(bwd)
x = torch.tensor([[1.0, 3.0]], requires_grad=True)
lin(x).sum().backward()
h1.remove()
h2.remove()
lin(x).sum().backward()
print(x.grad)
