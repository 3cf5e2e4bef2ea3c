# gradients through indexing, masks, gather and index_select
import torch

x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], requires_grad=True)
x[x > 0].sum().backward()
print(x.grad)
x.grad = None
x[:, 1].pow(2).sum().backward()
print(x.grad)
x.grad = None
idx = torch.tensor([[0, 0], [2, 1]])
torch.gather(x, 1, idx).sum().backward()
print(x.grad)
x.grad = None
x.index_select(1, torch.tensor([2, 2, 0])).sum().backward()
print(x.grad)
x.grad = None
torch.where(x > 0, x, x * 0.1).sum().backward()
print(x.grad)
print(x[x > 0], x[1, ::2], x[..., -1])
