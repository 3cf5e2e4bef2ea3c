# One op, several outputs: unbind and var_mean each have ONE node (as in torch), which runs once
# with the gradients of all its outputs (zeros for the piece the loss does not use).
import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]], requires_grad=True)
a, b, c = x.unbind(1)
v, m = torch.var_mean(x, 1)
loss = (a * c).sum() + m.sum()
loss.backward()
print(a.grad_fn is c.grad_fn, c.output_nr)
print(x.grad)
