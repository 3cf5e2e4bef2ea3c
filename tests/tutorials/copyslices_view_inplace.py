# writing into a slice of a non-leaf: CopySlices in the graph
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 2
y[1:3] = y[1:3] ** 2
print(y, y.grad_fn)
v = y[:2]
v.mul_(10)
print(y, y.grad_fn, v.grad_fn)
y.sum().backward()
print(x.grad)
p = torch.nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(p)
print(p.T, p.mT.grad_fn, p.t().grad_fn)
