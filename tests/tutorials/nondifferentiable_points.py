# "Autograd mechanics": gradients at non-differentiable points and outside the domain
import torch

x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
x.max().backward()
print(x.grad)
x.grad = None
x.amax().backward()
print(x.grad)
x.grad = None
x.max(dim=0).values.backward()
print(x.grad)
x.grad = None
torch.sort(x).values[-1].backward()
print(x.grad)
y = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
z = torch.sqrt(y) + torch.log(y)
print(z)
z.sum().backward()
print(y.grad)
m = torch.tensor([2.0, 2.0], requires_grad=True)
torch.minimum(m[0], m[1]).backward()
print(m.grad)
