# grad_fn names of common operations
import torch

x = torch.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True)
ops = [x + 1, x - x, x * 2, x / 3, x ** 2, x.exp(), x.log(), x.abs(), x.relu(), x.sigmoid(),
       x.tanh(), x.sum(), x.mean(), x.t(), x.view(4), x.reshape(4, 1), x[0], x @ x, x.mm(x),
       x.max(), x.clamp(0, 1), torch.cat([x, x]), x.unsqueeze(0), x.pow(3), x.sqrt(), x.norm(),
       -x, x.sin(), x.cos(), x.expand(3, 2, 2), x.squeeze(), x.softmax(dim=1)]
for y in ops:
    print(y.grad_fn.name())
print(x.max(dim=1))
print(x.sum(dim=0, keepdim=True))
