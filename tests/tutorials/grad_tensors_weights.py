# grad_tensors are weights: z.backward(v) equals (z * v).sum().backward()
import torch

x = torch.ones(2, requires_grad=True)
z = x + 2
z.backward(torch.ones_like(z))
print(x.grad)

x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = x ** 2 + 1
weights = torch.tensor([[0.1, 1.0, 0.01], [1.0, 0.0, -1.0]])
y.backward(weights, retain_graph=True)
print(x.grad)
x.grad.zero_()
(y * weights).sum().backward()
print(x.grad)

a = torch.tensor([2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)
torch.autograd.backward([a * b, a + b], grad_tensors=[torch.tensor([1.0]), torch.tensor([2.0])])
print(a.grad, b.grad)
