# .grad is None until the first backward; it is a tensor of the parameter's shape afterwards
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
print(w.grad)
(w * w).sum().backward()
print(w.grad, w.grad.shape, w.grad.requires_grad)
w.grad = torch.zeros_like(w)
print(w.grad)
(2 * w).sum().backward()
print(w.grad)
