# detach() returns a tensor that shares data with the original
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward()
w_detach = w.detach()
w_detach.data[0] = 999
print(w)
print(w_detach.requires_grad, w_detach.is_leaf)
c = y.detach()
print(c, c.grad_fn)
d = w.clone().detach().requires_grad_(True)
print(d, d.is_leaf)
