# torch.autograd.functional.jacobian with strategy="forward-mode": forward mode's zeros, list nesting
import torch
from torch.autograd.functional import jacobian, hessian

x = torch.tensor([1.0, 2.0, -0.5])
print(jacobian(torch.sin, x, vectorize=True, strategy="forward-mode"))
print(jacobian(torch.sin, x))
H = hessian(lambda a, b: (a * b ** 2).sum(), (x, x), vectorize=True, outer_jacobian_strategy="forward-mode")
print(type(H).__name__, [h.detach() for h in H[1]])
