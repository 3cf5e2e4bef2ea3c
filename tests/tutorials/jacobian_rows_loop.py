# building a Jacobian row by row with backward and grad.zero_()
import torch

x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] * x[2], x[0] + x[2] ** 2])
J = torch.zeros(3, 3)
for i in range(3):
    onehot = torch.zeros(3)
    onehot[i] = 1.0
    y.backward(onehot, retain_graph=True)
    J[i] = x.grad
    x.grad.zero_()
print(J)
print(y.grad_fn, y.grad_fn.next_functions)
