# stop autograd from tracking history with torch.no_grad() or .detach()
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
    y = x * 2
print(y, y.requires_grad, y.grad_fn)

print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
