# torch.tensor(t) copies (and warns); clone keeps the graph, detach().clone() does not
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.clone()
print(b, b.grad_fn)
c = a.detach().clone()
print(c, c.requires_grad)
d = torch.tensor(a.tolist())
print(d)
e = torch.as_tensor([3.0, 4.0])
print(e, torch.as_tensor(e) is e)
(b * 2).sum().backward()
print(a.grad)
