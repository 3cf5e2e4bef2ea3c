# seed 000: grad_tensors, torch.autograd.backward and torch.autograd.grad (reconstructed)
import torch

x = torch.ones(2, requires_grad=True)
y = x ** 2
z = y * 3 + x
print(x.is_leaf, y.is_leaf, y.grad_fn.name(), z.grad_fn.name())

# z is a vector: backward needs grad_tensors, equal to backward of z.sum()
torch.autograd.backward(z, grad_tensors=torch.ones_like(z))
print(x.grad)

x.grad.zero_()
z = (x ** 2 * 3 + x).sum()
z.backward()
print(x.grad)

# weights per element
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x
torch.autograd.backward(y, grad_tensors=torch.tensor([0.1, 1.0, 10.0]))
print(x.grad)

# torch.autograd.grad returns the gradients instead of storing them
x = torch.tensor([2.], requires_grad=True)
y = x ** 3
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
g2, = torch.autograd.grad(g, x)
print(g2)
