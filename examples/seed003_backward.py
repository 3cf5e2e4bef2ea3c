# seed 003: backward() on scalars and vectors, grad_fn of intermediate results
import torch

x1 = torch.tensor([2, 3, 4, 5], dtype=torch.float, requires_grad=True)
print(x1)
w1 = torch.ones(4)
w1.requires_grad = True
print(w1)
w2 = torch.Tensor([1, 2, 3, 4])
w2.requires_grad_(True)
print(w2)
x2 = x1 * w1
print(x2)

a = torch.ones(2, 2, requires_grad=True)
print(a.grad_fn)
b = a + 2
print(b.grad_fn)
c = b * b * 3
print(c.grad_fn)

y = x2 * w2
Y = torch.ones(4, requires_grad=True)
L = (Y - y).mean()
L.backward()
print(x1.grad)

x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
z = x * y
print(z)
z.backward(torch.FloatTensor([1.0, 1.0, 1.0]))
print(x.grad, y.grad)
x.grad.data.zero_()
print(x.grad)
