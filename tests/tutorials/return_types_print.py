# max/min/sort/topk along a dim return named tuples of values and indices
import torch

x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 5.0, -1.0]], requires_grad=True)
m = torch.max(x, 1)
print(m)
print(m.values, m.indices, m[0])
values, indices = x.min(dim=0)
print(values, indices)
s = torch.sort(x, dim=1, descending=True)
print(s)
t = x.topk(2)
print(t.values, t.indices)
(s.values[:, 0].sum() + t.values.sum()).backward()
print(x.grad)
print(x.argmax(), x.argmax(dim=1), x.median())
