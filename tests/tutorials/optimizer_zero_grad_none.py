# zero_grad sets grads to None by default (PyTorch 2); set_to_none=False keeps zeros
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
(w ** 2).sum().backward()
print(w.grad)
opt.step()
print(w)
opt.zero_grad()
print(w.grad)
(w ** 2).sum().backward()
opt.zero_grad(set_to_none=False)
print(w.grad)
print(opt.param_groups[0]['lr'])
print(opt)
